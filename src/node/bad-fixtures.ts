/**
 * The corpus of bad submissions (test/fixtures/bad/*.xlsx) and what each must produce.
 *
 * Every file starts from the standard template filled with one small, valid submission, then gets
 * one kind of damage that real files arrive with: renamed headers, merged cells, text in number
 * cells, #REF! left by a deleted column, legacy-font names, formula-like text, files from other
 * tools. The expected issues are declared here from the damage done (the cell that was edited,
 * its header from format.ts) — never copied from the validator's output — and written to
 * expected.json beside the files. `node scripts/make-bad-fixtures.js` regenerates the same bytes.
 *
 * Large and over-cap files (100,000 rows, zip bombs) are not part of the corpus: tests generate
 * them in a temporary folder.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { columnLetters } from '../core/cells';
import {
  AREA, CRITERIA, DECISIONS, DEFAULT_CRITERIA, INDIVIDUAL, INFO, MASTER_COMPANY_CODE, LEVEL, PARAMS, SAVING, SERVICE, criterionHeader, fieldOf,
} from '../core/format';
import type { IssueCode, Severity } from '../core/model';
import { SheetPlan, isFormulaCell } from '../core/plan';
import { HEADER_ROW, WorkbookContent, inputSheetPlans } from '../core/template';
import { addPlanParts, buildWorkbook, repackZip } from './xlsx-write';

/** Recorded in the files so that regenerating gives the same bytes. */
export const FIXTURE_DATE = new Date(Date.UTC(2013, 0, 15, 8, 0, 0));

export interface ExpectedIssue {
  readonly severity: Severity;
  /** Only for cases of several files. */
  readonly file?: string;
  readonly sheet: string;
  readonly cell: string;
  readonly field: string;
  readonly code: IssueCode;
}

/** A value the reader must produce for a `Tiết kiệm điện` row (numbers typed as text, NFD names…). */
export interface ExpectedSaving {
  readonly unitCode: string;
  readonly unitName?: string;
  readonly level?: string;
  readonly commercial?: number;
  readonly saved?: number;
}

export interface FixtureCase {
  /** Files validated together (one import); most cases have one. */
  readonly files: readonly string[];
  readonly about: string;
  /** Exact issues, in any order; absent for an unreadable file. */
  readonly issues?: readonly ExpectedIssue[];
  /** The file cannot be read at all: the CLI exits 2 with one line naming it. */
  readonly unreadable?: boolean;
  readonly saving?: readonly ExpectedSaving[];
}

export interface Manifest {
  readonly note: string;
  readonly cases: readonly FixtureCase[];
}

// --- The valid submission every fixture starts from ------------------------------------------------

const perfect = (): Record<string, number> => Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.code, c.target]));

export function baseContent(): WorkbookContent {
  return {
    info: { companyCode: 'PC05', companyName: 'Công ty Điện lực Quảng Nam', year: 2012, preparer: 'Nguyễn Văn An', phone: '0235 3812 345', date: '2013-01-10' },
    saving: [
      { unitCode: 'PC05', unitName: 'Công ty Điện lực Quảng Nam', level: LEVEL.company, companyCode: 'PC05', commercial: 1_000_000_000, saved: 15_000_000 },
      { unitCode: 'PC05D01', unitName: 'Điện lực Hải Châu', level: LEVEL.unit, companyCode: 'PC05', commercial: 400_000_000, saved: 6_000_000 },
      { unitCode: 'PC05D02', unitName: 'Điện lực Hội An', level: LEVEL.unit, companyCode: 'PC05', commercial: 300_000_000, saved: 3_000_000 },
    ],
    service: ['PC05', 'PC05D01', 'PC05D02'].map((unitCode) => ({ unitCode, values: perfect() })),
    individuals: [
      { name: 'Trần Thị Bình', unitCode: 'PC05D01', area: AREA.saving, achievement: 'Giảm tổn thất điện năng', points: 85 },
      { name: 'Lê Văn Cường', unitCode: 'PC05D02', position: 'Giao dịch viên', area: AREA.service, achievement: 'Giải quyết kiến nghị đúng hạn', points: 90 },
    ],
  };
}

// --- Addresses, derived from the template's layout and format.ts ----------------------------------

type Block = typeof SAVING;
const colOf = (block: Block, key: string): string => columnLetters(block.fields.indexOf(fieldOf(block, key)));
/** A1 of data row `i` (0-based) of a data sheet's table, `shift` rows pushed down. */
const at = (block: Block, key: string, i: number, shift = 0): string => `${colOf(block, key)}${HEADER_ROW + 2 + i + shift}`;
const serviceCol = (code: string): string => columnLetters(1 + DEFAULT_CRITERIA.findIndex((c) => c.code === code));
const serviceAt = (code: string, i: number): string => `${serviceCol(code)}${HEADER_ROW + 2 + i}`;
const serviceField = (code: string): string => criterionHeader(DEFAULT_CRITERIA.find((c) => c.code === code)!);
const infoAt = (key: string): string => `B${HEADER_ROW + 2 + INFO.fields.indexOf(fieldOf(INFO, key))}`;
const header = (block: Block, key: string): string => fieldOf(block, key).header;

const issue = (severity: Severity, code: IssueCode, sheet: string, cell: string, field: string, file?: string): ExpectedIssue =>
  (file ? { severity, file, sheet, cell, field, code } : { severity, sheet, cell, field, code });

// --- Building files -------------------------------------------------------------------------------

type Edit = (wb: ExcelJS.Workbook) => void;
type ZipEdit = (zip: JSZip) => Promise<void>;

interface Build {
  readonly content?: WorkbookContent;
  readonly plans?: (plans: SheetPlan[]) => SheetPlan[];
  readonly edit?: Edit;
  readonly zip?: ZipEdit;
}

/** Zip entries re-packed in name order with a fixed date: the same input gives the same bytes. */
async function repack(raw: Buffer, zipEdit?: ZipEdit): Promise<Buffer> {
  const zip = await JSZip.loadAsync(raw);
  if (zipEdit) await zipEdit(zip);
  return repackZip(zip, FIXTURE_DATE);
}

async function render(b: Build): Promise<Buffer> {
  let plans = inputSheetPlans(b.content ?? baseContent(), { year: 2012 });
  if (b.plans) plans = b.plans(plans);
  const wb = buildWorkbook(plans, { date: FIXTURE_DATE });
  if (b.edit) b.edit(wb);
  const written = plans;
  return repack(Buffer.from(await wb.xlsx.writeBuffer()), async (zip) => {
    await addPlanParts(zip, written); // the template's defined names and calculated columns
    if (b.zip) await b.zip(zip);
  });
}

function sheetOf(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** Turn a sheet's Excel tables back into plain ranges (cells kept), as "Convert to Range" does. */
function dropTables(ws: ExcelJS.Worksheet): void {
  for (const t of ws.getTables() as unknown as [{ name?: string; table?: { name: string } }][]) {
    const entry = Array.isArray(t) ? t[0] : (t as unknown as { name?: string; table?: { name: string } });
    const name = entry.table?.name ?? entry.name;
    if (name) ws.removeTable(name);
  }
}

/** Rename a sheet and every reference to it in the dropdowns of the other sheets, as Excel does. */
function renameSheet(wb: ExcelJS.Workbook, from: string, to: string): void {
  const ws = sheetOf(wb, from);
  ws.name = `~${ws.id}`; // ExcelJS refuses a new name equal to the old one but for case
  ws.name = to;
  const quoted = (s: string) => `'${s.replace(/'/g, "''")}'!`;
  wb.eachSheet((ws) => {
    const model = (ws as unknown as { dataValidations: { model: Record<string, { formulae?: string[] }> } }).dataValidations.model;
    for (const v of Object.values(model)) {
      if (v.formulae) v.formulae = v.formulae.map((f) => f.split(quoted(from)).join(quoted(to)));
    }
  });
}

function withRows<T>(rows: readonly T[] | undefined, f: (rows: T[]) => void): T[] {
  const copy = [...(rows ?? [])];
  f(copy);
  return copy;
}

// --- The corpus ------------------------------------------------------------------------------------

interface FixtureDef {
  readonly file: string;
  readonly about: string;
  readonly build?: Build;
  /** Raw bytes instead of a workbook (unreadable files). */
  readonly bytes?: () => Promise<Buffer>;
  readonly issues?: readonly ExpectedIssue[];
  readonly unreadable?: boolean;
  readonly saving?: readonly ExpectedSaving[];
}

const S = SAVING.sheet;
const V = SERVICE.sheet;
const P = INDIVIDUAL.sheet;
const C = CRITERIA.sheet;
const I = INFO.sheet;

function content(f: (c: { -readonly [K in keyof WorkbookContent]: WorkbookContent[K] }) => void): WorkbookContent {
  const c = { ...baseContent() };
  f(c);
  return c;
}

/** Replace fields of a saving / service / individual row of the base content. */
function savingRow(i: number, patch: Record<string, unknown>) {
  return (c: { saving?: WorkbookContent['saving'] }) => {
    c.saving = withRows(c.saving, (rows) => { rows[i] = { ...rows[i], ...patch } as (typeof rows)[number]; });
  };
}

const LEGACY_TCVN3_NAME = '§iÖn lùc H¶i Ch©u';
const LEGACY_VNI_NAME = 'Ñieän löïc Hoäi An';
const LEGACY_TCVN3_LEVEL = '§iÖn lùc';
const LEGACY_TCVN3_PERSON = 'TrÇn ThÞ B×nh';
const PUSHED = 3;

function fixtureDefs(): FixtureDef[] {
  const defs: FixtureDef[] = [];
  const add = (d: FixtureDef) => defs.push(d);

  add({ file: 'valid.xlsx', about: 'The valid submission every other file is made from: no issue at all.', build: {}, issues: [],
    saving: baseContent().saving!.map((r) => ({ unitCode: r.unitCode as string, unitName: r.unitName as string, commercial: r.commercial as number, saved: r.saved as number })) });

  // One file per issue code of workbook.md.
  add({ file: 'missing-sheet.xlsx', about: 'Sheet Cá nhân deleted.', build: { edit: (wb) => wb.removeWorksheet(sheetOf(wb, P).id) },
    issues: [issue('error', 'missing-sheet', P, '', '')] });

  add({ file: 'missing-column.xlsx', about: 'Header "Điện tiết kiệm (kWh)" renamed to "Tiết kiệm (kWh)" (table converted to a range).',
    build: { edit: (wb) => { const ws = sheetOf(wb, S); dropTables(ws); ws.getCell(`${colOf(SAVING, 'saved')}${HEADER_ROW + 1}`).value = 'Tiết kiệm (kWh)'; } },
    issues: [issue('error', 'missing-column', S, '', header(SAVING, 'saved'))] });

  add({ file: 'missing-value.xlsx', about: 'A unit name left empty; a service criterion left empty (a warning).',
    build: { content: content((c) => {
      savingRow(1, { unitName: null })(c);
      c.service = withRows(c.service, (rows) => { rows[2] = { unitCode: rows[2].unitCode, values: { ...rows[2].values, HLKH: null } }; });
    }) },
    issues: [issue('error', 'missing-value', S, at(SAVING, 'unitName', 1), header(SAVING, 'unitName')),
      issue('warning', 'missing-value', V, serviceAt('HLKH', 2), serviceField('HLKH'))] });

  add({ file: 'type-error.xlsx', about: 'Words in number cells, an ambiguous "1.234", a date that is not a date, words as points.',
    build: { content: content((c) => {
      savingRow(1, { commercial: 'nhiều' })(c);
      savingRow(2, { saved: '1.234' })(c);
      c.info = { ...c.info, date: 'hôm qua' };
      c.individuals = withRows(c.individuals, (rows) => { rows[0] = { ...rows[0], points: 'tám lăm' }; });
    }) },
    issues: [issue('error', 'type-error', S, at(SAVING, 'commercial', 1), header(SAVING, 'commercial')),
      issue('error', 'type-error', S, at(SAVING, 'saved', 2), header(SAVING, 'saved')),
      issue('error', 'type-error', I, infoAt('date'), fieldOf(INFO, 'date').header),
      issue('error', 'type-error', P, at(INDIVIDUAL, 'points', 0), header(INDIVIDUAL, 'points'))] });

  add({ file: 'text-number.xlsx', about: 'Numbers typed as text: 1e9, 400.000.000 (vi), 6,000,000 (en), non-breaking spaces, " 3000000 ", 1,5%, 7,5 and " 85 ".',
    build: { content: content((c) => {
      savingRow(0, { commercial: '1e9' })(c);
      savingRow(1, { commercial: '400.000.000', saved: '6,000,000' })(c);
      savingRow(2, { commercial: '300\u00A0000\u00A0000', saved: ' 3000000 ' })(c);
      c.service = withRows(c.service, (rows) => {
        rows[1] = { unitCode: rows[1].unitCode, values: { ...rows[1].values, TTKTM: '1,5%' } };
        rows[2] = { unitCode: rows[2].unitCode, values: { ...rows[2].values, HLKH: '7,5' } };
      });
      c.individuals = withRows(c.individuals, (rows) => { rows[0] = { ...rows[0], points: ' 85 ' }; });
    }) },
    issues: [
      issue('warning', 'text-number', S, at(SAVING, 'commercial', 0), header(SAVING, 'commercial')),
      issue('warning', 'text-number', S, at(SAVING, 'commercial', 1), header(SAVING, 'commercial')),
      issue('warning', 'text-number', S, at(SAVING, 'saved', 1), header(SAVING, 'saved')),
      issue('warning', 'text-number', S, at(SAVING, 'commercial', 2), header(SAVING, 'commercial')),
      issue('warning', 'text-number', S, at(SAVING, 'saved', 2), header(SAVING, 'saved')),
      issue('warning', 'text-number', V, serviceAt('TTKTM', 1), serviceField('TTKTM')),
      issue('warning', 'text-number', V, serviceAt('HLKH', 2), serviceField('HLKH')),
      issue('warning', 'text-number', P, at(INDIVIDUAL, 'points', 0), header(INDIVIDUAL, 'points')),
    ],
    saving: [
      { unitCode: 'PC05', commercial: 1_000_000_000, saved: 15_000_000 },
      { unitCode: 'PC05D01', commercial: 400_000_000, saved: 6_000_000 },
      { unitCode: 'PC05D02', commercial: 300_000_000, saved: 3_000_000 },
    ] });

  add({ file: 'out-of-range.xlsx', about: 'Saved above commercial, 120 points, year 1999, a negative SAIDI.',
    build: { content: content((c) => {
      savingRow(2, { saved: 400_000_000 })(c);
      c.individuals = withRows(c.individuals, (rows) => { rows[1] = { ...rows[1], points: 120 }; });
      c.info = { ...c.info, year: 1999 };
      c.service = withRows(c.service, (rows) => { rows[0] = { unitCode: rows[0].unitCode, values: { ...rows[0].values, SAIDI: -5 } }; });
    }) },
    issues: [issue('error', 'out-of-range', S, at(SAVING, 'saved', 2), header(SAVING, 'saved')),
      issue('error', 'out-of-range', P, at(INDIVIDUAL, 'points', 1), header(INDIVIDUAL, 'points')),
      issue('error', 'out-of-range', I, infoAt('year'), fieldOf(INFO, 'year').header),
      issue('error', 'out-of-range', V, serviceAt('SAIDI', 0), serviceField('SAIDI'))] });

  add({ file: 'duplicate-key.xlsx', about: 'A unit listed twice, its service row twice, a person listed twice (other case).',
    build: { content: content((c) => {
      c.saving = withRows(c.saving, (rows) => rows.push({ ...rows[1], unitName: 'Điện lực Hải Châu (trùng)' }));
      c.service = withRows(c.service, (rows) => rows.push({ unitCode: 'PC05D02', values: perfect() }));
      c.individuals = withRows(c.individuals, (rows) => rows.push({ ...rows[0], name: 'TRẦN THỊ BÌNH' }));
    }) },
    issues: [issue('error', 'duplicate-key', S, at(SAVING, 'unitCode', 3), header(SAVING, 'unitCode')),
      issue('error', 'duplicate-key', V, `A${HEADER_ROW + 2 + 3}`, SERVICE.fields[0].header),
      issue('error', 'duplicate-key', P, at(INDIVIDUAL, 'name', 2), header(INDIVIDUAL, 'name'))] });

  add({ file: 'unknown-reference.xlsx', about: 'In the EVNCPC master: a unit of a company that has no Công ty row, a service row and a person for units that do not exist (in a submission the unit would be wrong-company).',
    build: { content: content((c) => {
      c.info = { ...c.info, companyCode: MASTER_COMPANY_CODE, companyName: 'Tổng công ty Điện lực miền Trung' };
      c.saving = withRows(c.saving, (rows) => rows.push({ unitCode: 'PC05D03', unitName: 'Điện lực Tam Kỳ', level: LEVEL.unit, companyCode: 'PC09', commercial: 10_000_000, saved: 100_000 }));
      c.service = withRows(c.service, (rows) => rows.push({ unitCode: 'PC05D03', values: perfect() }, { unitCode: 'PC05D99', values: perfect() }));
      c.individuals = withRows(c.individuals, (rows) => { rows[1] = { ...rows[1], unitCode: 'PC05D77' }; });
    }) },
    issues: [issue('error', 'unknown-reference', S, at(SAVING, 'companyCode', 3), header(SAVING, 'companyCode')),
      issue('error', 'unknown-reference', V, `A${HEADER_ROW + 2 + 4}`, SERVICE.fields[0].header),
      issue('error', 'unknown-reference', P, at(INDIVIDUAL, 'unitCode', 1), header(INDIVIDUAL, 'unitCode'))] });

  add({ file: 'wrong-company.xlsx', about: 'A PC05 submission that also carries the rows of PC06, and a unit of PC07 (a company with no row in the file).',
    build: { content: content((c) => {
      c.saving = withRows(c.saving, (rows) => rows.push(
        { unitCode: 'PC06', unitName: 'Công ty Điện lực Quảng Ngãi', level: LEVEL.company, companyCode: 'PC06', commercial: 800_000_000, saved: 9_000_000 },
        { unitCode: 'PC07PY01', unitName: 'Điện lực Tuy Hòa', level: LEVEL.unit, companyCode: 'PC07', commercial: 200_000_000, saved: 2_000_000 }));
      c.service = withRows(c.service, (rows) => rows.push({ unitCode: 'PC06', values: perfect() }, { unitCode: 'PC07PY01', values: perfect() }));
    }) },
    issues: [issue('error', 'wrong-company', S, at(SAVING, 'companyCode', 3), header(SAVING, 'companyCode')),
      issue('error', 'wrong-company', S, at(SAVING, 'companyCode', 4), header(SAVING, 'companyCode'))] });

  add({ file: 'bad-decision.xlsx', about: 'A council decision (sheet Quyết định Hội đồng) naming a unit that does not exist.',
    build: { content: content((c) => {
      c.decisions = [{ area: AREA.service, level: LEVEL.unit, unitCode: 'KHONGCO99' }];
    }) },
    issues: [issue('error', 'bad-decision', DECISIONS.sheet, at(DECISIONS, 'unitCode', 0), header(DECISIONS, 'unitCode'))] });

  add({ file: 'inconsistent-total.xlsx', about: "The company's own figures are below the sums of its units.",
    build: { content: content(savingRow(0, { commercial: 600_000_000, saved: 8_000_000 })) },
    issues: [issue('error', 'inconsistent-total', S, at(SAVING, 'commercial', 0), header(SAVING, 'commercial')),
      issue('error', 'inconsistent-total', S, at(SAVING, 'saved', 0), header(SAVING, 'saved'))] });

  add({ file: 'formula-error.xlsx', about: '#REF! left by a deleted column, #DIV/0!, #N/A; #NAME? in a derived column raises nothing.',
    build: { edit: (wb) => {
      const s = sheetOf(wb, S);
      s.getCell(at(SAVING, 'saved', 1)).value = { formula: '#REF!*1', result: { error: '#REF!' } } as ExcelJS.CellValue;
      s.getCell(at(SAVING, 'commercial', 2)).value = { formula: `${at(SAVING, 'commercial', 0)}/0`, result: { error: '#DIV/0!' } } as ExcelJS.CellValue;
      s.getCell(at(SAVING, 'rate', 0)).value = { formula: 'EVN.SAVINGPCT(F4,E4)', result: { error: '#NAME?' } } as ExcelJS.CellValue;
      sheetOf(wb, V).getCell(serviceAt('TGCD', 0)).value = { error: '#N/A' } as ExcelJS.CellValue;
    } },
    issues: [issue('error', 'formula-error', S, at(SAVING, 'saved', 1), header(SAVING, 'saved')),
      issue('error', 'formula-error', S, at(SAVING, 'commercial', 2), header(SAVING, 'commercial')),
      issue('error', 'formula-error', V, serviceAt('TGCD', 0), serviceField('TGCD'))] });

  add({ file: 'missing-row.xlsx', about: 'A unit without a row in Dịch vụ khách hàng (a warning).',
    build: { content: content((c) => { c.service = c.service!.slice(0, 2); }) },
    issues: [issue('warning', 'missing-row', S, at(SAVING, 'unitCode', 2), header(SAVING, 'unitCode'))] });

  add({ file: 'bad-config.xlsx', about: 'Criteria weights summing to 105; a company threshold of 150 %.',
    build: { content: content((c) => {
      c.criteria = {
        params: { companyThreshold: 1.5, unitThreshold: 0.01, minScore: 0 },
        criteria: DEFAULT_CRITERIA.map((k) => (k.code === 'TGCD' ? { ...k, weight: 30 } : k)),
      };
    }) },
    issues: [issue('error', 'bad-config', C, criteriaCell(0, 1 + PARAMS.fields.findIndex((f) => f.key === 'companyThreshold'), 1), fieldOf(PARAMS, 'companyThreshold').header),
      // Weights that do not sum to 100: the `Trọng số` header cell.
      issue('error', 'bad-config', C, criteriaCell(1, 0, CRITERIA.fields.findIndex((f) => f.key === 'weight')), fieldOf(CRITERIA, 'weight').header)] });

  add({ file: 'legacy-encoding.xlsx', about: 'Names typed with TCVN3 (.VnTime) and VNI fonts; a level typed in TCVN3 is also not a level.',
    build: { content: content((c) => {
      savingRow(1, { unitName: LEGACY_TCVN3_NAME, level: LEGACY_TCVN3_LEVEL })(c);
      savingRow(2, { unitName: LEGACY_VNI_NAME })(c);
      c.individuals = withRows(c.individuals, (rows) => { rows[0] = { ...rows[0], name: LEGACY_TCVN3_PERSON }; });
    }) },
    issues: [issue('warning', 'legacy-encoding', S, at(SAVING, 'unitName', 1), header(SAVING, 'unitName')),
      issue('warning', 'legacy-encoding', S, at(SAVING, 'level', 1), header(SAVING, 'level')),
      issue('error', 'type-error', S, at(SAVING, 'level', 1), header(SAVING, 'level')),
      issue('warning', 'legacy-encoding', S, at(SAVING, 'unitName', 2), header(SAVING, 'unitName')),
      issue('warning', 'legacy-encoding', P, at(INDIVIDUAL, 'name', 0), header(INDIVIDUAL, 'name'))] });

  // Files as hands and other programs leave them.
  add({ file: 'merged-cells.xlsx', about: 'Two equal "Cấp" cells merged (table converted to a range first): the value is read once, the second is empty.',
    build: { edit: (wb) => { const ws = sheetOf(wb, S); dropTables(ws); ws.mergeCells(`${at(SAVING, 'level', 1)}:${at(SAVING, 'level', 2)}`); } },
    issues: [issue('error', 'missing-value', S, at(SAVING, 'level', 2), header(SAVING, 'level'))] });

  add({ file: 'hidden-rows-cols.xlsx', about: 'A hidden row, a hidden column, a hidden sheet: all still read.',
    build: { edit: (wb) => {
      const ws = sheetOf(wb, S);
      ws.getRow(HEADER_ROW + 3).hidden = true;
      ws.getColumn(SAVING.fields.indexOf(fieldOf(SAVING, 'commercial')) + 1).hidden = true;
      sheetOf(wb, P).getRow(HEADER_ROW + 2).hidden = true;
      sheetOf(wb, C).state = 'hidden';
    } },
    issues: [],
    saving: baseContent().saving!.map((r) => ({ unitCode: r.unitCode as string, commercial: r.commercial as number, saved: r.saved as number })) });

  add({ file: 'header-pushed-down.xlsx', about: `Three title rows inserted above the header row; an error is reported at its moved cell.`,
    build: {
      content: content(savingRow(1, { saved: 'sáu triệu' })),
      plans: (plans) => plans.map((p) => (p.name === S ? pushDown(p, PUSHED) : p)),
    },
    issues: [issue('error', 'type-error', S, at(SAVING, 'saved', 1, PUSHED), header(SAVING, 'saved'))],
    saving: [{ unitCode: 'PC05', commercial: 1_000_000_000, saved: 15_000_000 }, { unitCode: 'PC05D01', commercial: 400_000_000 }, { unitCode: 'PC05D02', commercial: 300_000_000, saved: 3_000_000 }] });

  const spaced = `${S}  `;
  add({ file: 'renamed-sheet-spaces.xlsx', about: 'Sheet names with trailing spaces and another case: found; issues name the sheet as the workbook has it.',
    build: {
      content: content((c) => { savingRow(1, { saved: 'x' })(c); c.service = c.service!.slice(0, 2); }),
      edit: (wb) => { renameSheet(wb, S, spaced); renameSheet(wb, V, V.toUpperCase()); },
    },
    issues: [issue('error', 'type-error', spaced, at(SAVING, 'saved', 1), header(SAVING, 'saved')),
      issue('warning', 'missing-row', spaced, at(SAVING, 'unitCode', 2), header(SAVING, 'unitCode'))] });

  const nfd = (s: string) => s.normalize('NFD');
  add({ file: 'nfd-nbsp.xlsx', about: 'Text in decomposed Unicode (NFD, as macOS writes it), non-breaking and doubled spaces in headers, values and a sheet name.',
    build: {
      content: content((c) => {
        c.saving = c.saving!.map((r) => ({ ...r, unitName: nfd(String(r.unitName)).replace(/ /g, '\u00A0 '), level: nfd(String(r.level)) }));
        c.individuals = c.individuals!.map((r) => ({ ...r, area: nfd(String(r.area)), name: ` ${nfd(String(r.name))}\u00A0` }));
      }),
      edit: (wb) => {
        const ws = sheetOf(wb, S);
        dropTables(ws);
        ws.getCell(`${colOf(SAVING, 'unitName')}${HEADER_ROW + 1}`).value = nfd(' Tên\u00A0 đơn vị ');
        ws.getCell(`${colOf(SAVING, 'level')}${HEADER_ROW + 1}`).value = nfd('CẤP');
        sheetOf(wb, P).name = nfd(P);
      },
    },
    issues: [],
    saving: baseContent().saving!.map((r) => ({ unitCode: r.unitCode as string, unitName: r.unitName as string, level: r.level as string })) });

  add({ file: 'empty-workbook.xlsx', about: 'A new, empty workbook (one blank sheet).',
    bytes: async () => { const wb = new ExcelJS.Workbook(); wb.created = FIXTURE_DATE; wb.modified = FIXTURE_DATE; wb.addWorksheet('Sheet1'); return repack(Buffer.from(await wb.xlsx.writeBuffer())); },
    issues: [I, S, V, P, C].map((s) => issue('error', 'missing-sheet', s, '', '')) });

  add({ file: 'only-info.xlsx', about: 'Only the Thông tin sheet, filled in.',
    build: { plans: (plans) => plans.filter((p) => p.name === I) },
    issues: [S, V, P, C].map((s) => issue('error', 'missing-sheet', s, '', '')) });

  add({ file: 'openpyxl-tables.xlsx', about: "Written the way Python's openpyxl writes: table and sheet relationships with absolute targets (/xl/tables/table1.xml). Excel opens it; it must be read, not refused.",
    build: { content: content(savingRow(2, { saved: 'ba triệu' })), zip: absolutizeLikeOpenpyxl },
    issues: [issue('error', 'type-error', S, at(SAVING, 'saved', 2), header(SAVING, 'saved'))] });

  add({ file: 'pc05-gui-lai.xlsx', about: 'The same company sent again (a corrected copy), imported together with valid.xlsx.',
    build: { content: content(savingRow(1, { saved: 6_100_000 })) } });

  // Not workbooks at all.
  add({ file: 'not-a-workbook.xlsx', about: 'A CSV file renamed to .xlsx.', unreadable: true,
    bytes: async () => Buffer.from('Mã đơn vị,Tên đơn vị\nPC05,Quảng Nam\n', 'utf8') });
  add({ file: 'truncated.xlsx', about: 'The first half of valid.xlsx (an interrupted download).', unreadable: true,
    bytes: async () => { const b = await render({}); return b.subarray(0, Math.floor(b.length / 2)); } });
  add({ file: 'excel-97.xlsx', about: 'An Excel 97–2003 file (or a password-protected one) named .xlsx.', unreadable: true,
    bytes: async () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]) });
  return defs;
}

/** A1 of a cell of a `Tiêu chí` block: table `table` of the template, `row` rows below its header. */
function criteriaCell(table: number, row: number, col: number): string {
  const t = inputSheetPlans({}).find((p) => p.name === C)!.tables[table];
  return `${columnLetters(t.leftCol + col)}${t.topRow + 1 + row}`;
}

/** The cases of expected.json: every file alone, plus the duplicate submission. */
function casesOf(defs: readonly FixtureDef[]): FixtureCase[] {
  const cases: FixtureCase[] = defs.filter((d) => d.issues || d.unreadable).map((d) => ({
    files: [d.file], about: d.about,
    ...(d.unreadable ? { unreadable: true } : { issues: d.issues }),
    ...(d.saving ? { saving: d.saving } : {}),
  }));
  const again = 'pc05-gui-lai.xlsx';
  const units = baseContent().saving!.length;
  const people = baseContent().individuals!.length;
  cases.push({
    files: ['valid.xlsx', again],
    about: 'The same company submitted twice in one import: every row of the second file is a duplicate.',
    issues: [
      ...Array.from({ length: units }, (_, i) => issue('error', 'duplicate-key', S, at(SAVING, 'unitCode', i), header(SAVING, 'unitCode'), again)),
      ...Array.from({ length: units }, (_, i) => issue('error', 'duplicate-key', V, `A${HEADER_ROW + 2 + i}`, SERVICE.fields[0].header, again)),
      ...Array.from({ length: people }, (_, i) => issue('error', 'duplicate-key', P, at(INDIVIDUAL, 'name', i), header(INDIVIDUAL, 'name'), again)),
    ],
  });
  return cases;
}

/** A data sheet's plan with its table `by` rows lower and title rows above it (formulas follow). */
function pushDown(plan: SheetPlan, by: number): SheetPlan {
  const t = plan.tables[0];
  const letters: Record<string, string> = {};
  SAVING.fields.forEach((f, i) => { letters[f.key] = columnLetters(i); });
  const rows = t.rows.map((r, i) => r.map((c, j) => {
    const f = SAVING.fields[j];
    return isFormulaCell(c) && f.formula ? { ...c, formula: f.formula(letters, t.topRow + by + 2 + i) } : c;
  }));
  const titles = ['TỔNG CÔNG TY ĐIỆN LỰC MIỀN TRUNG', 'CÔNG TY ĐIỆN LỰC QUẢNG NAM', 'BÁO CÁO TIẾT KIỆM ĐIỆN NĂM 2012'];
  return {
    ...plan,
    cells: [...plan.cells, ...titles.map((value, k) => ({ row: t.topRow + k, col: 0, value, style: 'label' as const }))],
    tables: [{ ...t, topRow: t.topRow + by, rows }],
    freezeRows: (plan.freezeRows ?? 0) + by,
    page: plan.page?.printTitleRows ? { ...plan.page, printTitleRows: [t.topRow + by, t.topRow + by] } : plan.page,
  };
}

/**
 * openpyxl writes a sheet's table relationships, and the workbook's sheet relationships, with
 * absolute part names (`/xl/tables/table1.xml`, `/xl/worksheets/sheet1.xml`).
 */
export async function absolutizeLikeOpenpyxl(zip: JSZip): Promise<void> {
  for (const name of Object.keys(zip.files)) {
    const sheetRels = /^xl\/worksheets\/_rels\/[^/]+\.rels$/.test(name);
    const bookRels = name === 'xl/_rels/workbook.xml.rels';
    if (!sheetRels && !bookRels) continue;
    const xml = await zip.file(name)!.async('string');
    const base = sheetRels ? 'xl/worksheets' : 'xl';
    zip.file(name, xml.replace(/<Relationship\b[^>]*>/g, (tag) => {
      const table = /\/relationships\/table"/.test(tag);
      const sheet = /\/relationships\/worksheet"/.test(tag);
      if (!(sheetRels && table) && !(bookRels && sheet)) return tag;
      return tag.replace(/Target="([^"/][^"]*)"/, (_m, t: string) => `Target="/${path.posix.normalize(path.posix.join(base, t))}"`);
    }));
  }
}

/** Every fixture file's bytes, and the manifest. */
export async function buildBadFixtures(): Promise<{ files: Map<string, Buffer>; manifest: Manifest }> {
  const defs = fixtureDefs();
  const files = new Map<string, Buffer>();
  for (const d of defs) files.set(d.file, d.bytes ? await d.bytes() : await render(d.build ?? {}));
  const manifest: Manifest = {
    note: 'Generated by scripts/make-bad-fixtures.js from src/node/bad-fixtures.ts: the exact issues each file (or set of files imported together) must produce, in any order. Cells are A1 addresses; "" where workbook.md says the cell is empty.',
    cases: casesOf(defs),
  };
  return { files, manifest };
}

/** Write the corpus into `dir` (test/fixtures/bad). */
export async function writeBadFixtures(dir: string): Promise<string[]> {
  const { files, manifest } = await buildBadFixtures();
  await fs.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, bytes] of files) {
    await fs.writeFile(path.join(dir, name), bytes);
    written.push(path.join(dir, name));
  }
  await fs.writeFile(path.join(dir, 'expected.json'), JSON.stringify(manifest, null, 2) + '\n');
  written.push(path.join(dir, 'expected.json'));
  return written;
}
