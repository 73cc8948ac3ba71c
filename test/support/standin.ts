/**
 * Helpers for the add-in tests: workbooks of the test Excel host made the way the add-in makes them
 * (the template plans rendered through the Office.js adapter, through Microsoft's Excel client
 * library), and submissions of any size. The host and its workbook model are re-exported here, so
 * a test needs this one import.
 */
import { inputSheetPlans, WorkbookContent, SavingRowContent, ServiceRowContent, IndividualRowContent } from '../../src/core/template';
import { DEFAULT_CRITERIA, MASTER_COMPANY_CODE } from '../../src/core/format';
import { Run, writeSheetPlan } from '../../src/excel/adapter';
import { StandinOptions, StandinWorkbook } from './excel-host/workbook';
import { client, installCustomFunctions, open, runOf as clientRunOf } from './excel-host/node';
import type { WorkbookGrid } from '../../src/core/cells';

export * from './excel-host/workbook';
export { REQUIREMENTS, executeRequest, highestSetUsed, membersUsed, shiftFormula } from './excel-host/richapi';
export { client, contextOf, installCustomFunctions, open, urlOf } from './excel-host/node';
export { isSetSupportedBy } from './excel-host/office';

/** `Excel.run` over a workbook of the test host, through Microsoft's Excel client library. */
export function runOf(model: StandinWorkbook): Run {
  return clientRunOf(model) as unknown as Run;
}

/** A new workbook: one empty `Sheet1`, as Excel opens it. */
export function emptyBook(opts: StandinOptions = {}): StandinWorkbook {
  const wb = new StandinWorkbook(opts);
  wb.addSheet('Sheet1');
  return wb;
}

/** A workbook holding the five input sheets with `content`, written through the adapter. */
export async function bookWith(content: WorkbookContent, opts: StandinOptions = {}): Promise<StandinWorkbook> {
  const wb = emptyBook(opts);
  const run = runOf(wb);
  await run(async (ctx) => {
    for (const plan of inputSheetPlans(content, { year: 2012 })) await writeSheetPlan(ctx, plan, 'absent');
  });
  wb.syncCount = 0;
  wb.requestSizes.length = 0;
  wb.responseSizes.length = 0;
  return wb;
}

const perfect = (): Record<string, number> => Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.code, c.target]));

/**
 * One company's data: the company row and `units` district units (saving rates 0.5 %–2 %,
 * service values around the targets), `people` nominated individuals.
 */
export function companyContent(company: string, units: number, people = 3, name = `Công ty Điện lực ${company}`): Required<Pick<WorkbookContent, 'saving' | 'service' | 'individuals'>> {
  const saving: SavingRowContent[] = [];
  const service: ServiceRowContent[] = [];
  const individuals: IndividualRowContent[] = [];
  let commercialSum = 0;
  let savedSum = 0;
  const unitRows: SavingRowContent[] = [];
  for (let i = 1; i <= units; i++) {
    const code = `${company}D${String(i).padStart(5, '0')}`;
    const commercial = 100_000_000 + i * 1_000;
    const saved = Math.round(commercial * (0.005 + ((i * 37) % 150) / 10_000));
    commercialSum += commercial;
    savedSum += saved;
    unitRows.push({ unitCode: code, unitName: `Điện lực số ${i}`, level: 'Điện lực', companyCode: company, commercial, saved });
    const values = perfect();
    values.HLKH = 5 + ((i * 13) % 50) / 10;
    service.push({ unitCode: code, values });
  }
  saving.push({ unitCode: company, unitName: name, level: 'Công ty', companyCode: company, commercial: commercialSum + 1_000_000, saved: savedSum + 20_000 });
  saving.push(...unitRows);
  service.unshift({ unitCode: company, values: perfect() });
  for (let p = 1; p <= people; p++) {
    individuals.push({ name: `Nguyễn Văn ${company}${p}`, unitCode: unitRows[(p - 1) % Math.max(1, unitRows.length)]?.unitCode ?? company, area: 'Tiết kiệm điện', achievement: 'Tiết kiệm điện tốt', points: 60 + ((p * 7) % 40) });
  }
  return { saving, service, individuals };
}

/** A company's submission workbook content. */
export function submissionContent(company: string, units: number, people = 3): WorkbookContent {
  return { info: { companyCode: company, companyName: `Công ty Điện lực ${company}`, year: 2012 }, ...companyContent(company, units, people) };
}

/** The master (EVNCPC) holding the given companies. */
export function masterContent(companies: { code: string; units: number; people?: number }[]): WorkbookContent {
  const parts = companies.map((c) => companyContent(c.code, c.units, c.people ?? 3));
  return {
    info: { companyCode: MASTER_COMPANY_CODE, companyName: 'Tổng công ty Điện lực miền Trung', year: 2012 },
    saving: parts.flatMap((p) => p.saving),
    service: parts.flatMap((p) => p.service),
    individuals: parts.flatMap((p) => p.individuals),
  };
}

export async function gridOf(content: WorkbookContent, file: string): Promise<WorkbookGrid> {
  return (await bookWith(content)).toGrid(file);
}

/**
 * For tests written against the old hand-written stand-in: `installHost(model)` opens `model` in
 * the test host (so `Office.context` answers for it) and returns `Excel.run` over it through
 * Microsoft's client; with a `target`, `Excel`, `Office` and `CustomFunctions` are set on it.
 * `new RequestContext(model)` is now `contextOf(model)`.
 */
export function installHost(model: StandinWorkbook, target?: Record<string, unknown>): { model: StandinWorkbook; Excel: { run: Run }; Office: unknown } {
  const win = client();
  open(model);
  const host = { model, Excel: { run: runOf(model) }, Office: win.Office };
  if (target) {
    target.Excel = host.Excel;
    target.Office = win.Office;
    installCustomFunctions(target);
  }
  return host;
}
export const createHost = installHost;
