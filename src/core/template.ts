/**
 * The five input sheets of the standard workbook as sheet plans, derived entirely from format.ts.
 * The blank template is `inputSheetPlans({})`; the bundled examples and test files are the same
 * plans filled with content. Pure: both the .xlsx writer and the Office.js adapter render these.
 */
import { columnLetters, isoDateToSerial } from './cells';
import { decimalOf } from './decimal';
import {
  AWARDS, AwardRecord, BlockDef, CRITERIA, CriterionRecord, DECISIONS, DEFAULT_AWARDS, DEFAULT_CRITERIA,
  DEFAULT_PARAMS, DEFINED_NAMES, DIRECTION, FieldDef, INDIVIDUAL, INFO, KEY_HEADER, LEVEL, MASTER_COMPANY_CODE, NUMFMT, PARAMS, ParamsRecord,
  SAVING, SERVICE, SERVICE_SCORE, VALUE_HEADER, criterionHeader, criterionNumFmt, fieldOf,
} from './format';
import { meetsThreshold, savingRateOf, serviceScore } from './measures';
import type { ColumnPlan, DefinedNamePlan, FreeCell, PageSetup, PlanCell, PlanScalar, SheetPlan, TablePlan } from './plan';
import { headerFooterText, isFormulaCell } from './plan';

// --- Content: what goes into the input sheets, as plain data ---------------------------------------

/** `Thông tin` values by field key of INFO; `date` may be an ISO date (`2013-01-10`) or a serial. */
export interface InfoContent {
  readonly companyCode?: PlanScalar;
  readonly companyName?: PlanScalar;
  readonly year?: PlanScalar;
  readonly preparer?: PlanScalar;
  readonly phone?: PlanScalar;
  readonly date?: PlanScalar;
}

/** A `Tiết kiệm điện` row by field key of SAVING (the derived columns are computed). */
export interface SavingRowContent {
  readonly unitCode: PlanScalar;
  readonly unitName: PlanScalar;
  readonly level: PlanScalar;
  readonly companyCode: PlanScalar;
  readonly commercial: PlanScalar;
  readonly saved: PlanScalar;
  readonly note?: PlanScalar;
}

/** A `Dịch vụ khách hàng` row: the unit and its value per criterion code. */
export interface ServiceRowContent {
  readonly unitCode: PlanScalar;
  readonly values: Readonly<Record<string, PlanScalar | undefined>>;
}

/** A `Cá nhân` row by field key of INDIVIDUAL. */
export interface IndividualRowContent {
  readonly name: PlanScalar;
  readonly unitCode: PlanScalar;
  readonly position?: PlanScalar;
  readonly area: PlanScalar;
  readonly achievement: PlanScalar;
  readonly points: PlanScalar;
}

/** A `Quyết định Hội đồng` row by field key of DECISIONS. */
export interface DecisionRowContent {
  readonly area: PlanScalar;
  readonly level: PlanScalar;
  readonly unitCode: PlanScalar;
  readonly name?: PlanScalar;
  readonly minutes?: PlanScalar;
  readonly note?: PlanScalar;
}

export interface CriteriaContent {
  readonly params?: ParamsRecord;
  readonly criteria?: readonly CriterionRecord[];
  readonly awards?: readonly AwardRecord[];
}

export interface WorkbookContent {
  readonly info?: InfoContent;
  readonly saving?: readonly SavingRowContent[];
  readonly service?: readonly ServiceRowContent[];
  readonly individuals?: readonly IndividualRowContent[];
  /** The `Tiêu chí` sheet; the defaults of format.ts when absent. */
  readonly criteria?: CriteriaContent;
  /**
   * The council's decisions. The sheet `Quyết định Hội đồng` is written when this is given or the
   * workbook is the master (`Mã công ty` = EVNCPC); a Power Company's file has none.
   */
  readonly decisions?: readonly DecisionRowContent[];
}

export interface TemplateOptions {
  /** Fills `Năm` when the content does not. */
  readonly year?: number;
}

// --- Layout ------------------------------------------------------------------------------------------

/** Data sheets: a title row, a hint row, then the header row (0-based). */
export const TITLE_ROW = 0;
export const HINT_ROW = 1;
export const HEADER_ROW = 2;
/** Rows below a table that still get its dropdowns, so rows a user adds keep them. */
export const VALIDATION_EXTRA_ROWS = 2000;

const HINT = {
  info: 'Điền cột Giá trị. Không đổi tên sheet, tên cột hay tên mục.',
  data: 'Mỗi đơn vị một dòng; có thể thêm dòng. Không đổi tên sheet và tên cột. Cột Tỷ lệ tiết kiệm, Đạt ngưỡng tự tính theo sheet Tiêu chí.',
  service: 'Mỗi đơn vị (Công ty và Điện lực) một dòng; tỷ lệ % nhập dạng phân số (0,95 = 95 %). Cột Điểm dịch vụ tự tính theo sheet Tiêu chí.',
  individual: 'Mỗi cá nhân một dòng; Điểm 0–100 do hội đồng thi đua đơn vị chấm.',
  decisions: 'Chỉ điền khi Hội đồng Thi đua quyết định suất đồng hạng: mỗi đơn vị (hoặc cá nhân) được chọn một dòng, theo thứ tự giải.',
} as const;

const TABLE_NAMES = { info: INFO.id, saving: SAVING.id, service: SERVICE.id, individual: INDIVIDUAL.id, decisions: DECISIONS.id } as const;

function columnOf(f: FieldDef): ColumnPlan {
  return {
    header: f.header,
    numFmt: f.numFmt ?? (f.type === 'code' || f.type === 'text' ? NUMFMT.text : undefined),
    width: f.width,
    list: f.type === 'enum' ? f.values : undefined,
    prompt: f.rule.vi,
  };
}

const blankRow = (width: number): PlanCell[] => Array.from({ length: width }, () => null);

/** Printed on every page of the template: who fills what (issue 10). */
export const TEMPLATE_PRINT_HEADER = 'Công ty Điện lực điền các sheet Thông tin, Tiết kiệm điện, Dịch vụ khách hàng, Cá nhân; sheet Tiêu chí do Ban Kinh doanh quy định.';
/** Empty bordered rows a blank data sheet prints, to fill in by hand. */
export const TEMPLATE_FORM_ROWS = 18;

const isBlankTable = (t: TablePlan): boolean => t.rows.every((r) => r.every((v) => v === null || isFormulaCell(v)));

/** Print presentation of a template sheet: a form with wrapped headers, borders, the who-fills line. */
function formPage(table: TablePlan, width: number, formRows: number): PageSetup {
  return {
    orientation: 'landscape', paperSize: 'A4', fitToWidth: true, printTitleRows: [table.topRow, table.topRow], centerHorizontally: true,
    margins: { left: 0.45, right: 0.45, top: 0.7, bottom: 0.6, header: 0.3, footer: 0.3 },
    printArea: { r0: 0, c0: 0, r1: table.topRow + Math.max(table.rows.length, 1) + formRows, c1: width - 1 },
    header: { center: headerFooterText(TEMPLATE_PRINT_HEADER) },
    footer: { left: headerFooterText('Mẫu báo cáo thi đua EVNCPC'), center: 'Trang &P/&N', right: '&A' },
  };
}

function dataSheet(block: BlockDef, hint: string, table: TablePlan, width: number): SheetPlan {
  const cells: FreeCell[] = [
    { row: TITLE_ROW, col: 0, value: block.title.vi, style: 'title', mergeAcross: Math.max(0, width - 1) },
    { row: HINT_ROW, col: 0, value: hint, style: 'muted', mergeAcross: Math.max(0, width - 1) },
  ];
  const formRows = block.id !== INFO.id && isBlankTable(table) ? TEMPLATE_FORM_ROWS : 0;
  const form: TablePlan = { ...table, wrapHeader: true, borders: true, formRows };
  return {
    name: block.sheet,
    cells,
    tables: [form],
    freezeRows: table.topRow + 1,
    rowHeights: { [table.topRow]: 2 * 15 },
    page: formPage(table, width, formRows),
  };
}

/** A1 range of a table column's data rows plus room for added rows, absolute, on `sheet`. */
function columnRange(sheet: string, table: { topRow: number; leftCol: number }, colIndex: number): string {
  const letters = columnLetters(table.leftCol + colIndex);
  const first = table.topRow + 2;
  const last = table.topRow + 1 + VALIDATION_EXTRA_ROWS;
  return `='${sheet.replace(/'/g, "''")}'!$${letters}$${first}:$${letters}$${last}`;
}

function toSerial(v: PlanScalar | undefined): PlanScalar {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return isoDateToSerial(v);
  return v ?? null;
}

// --- Thông tin ---------------------------------------------------------------------------------------

function infoSheet(content: WorkbookContent, opts: TemplateOptions): SheetPlan {
  const info = content.info ?? {};
  const values: Record<string, PlanScalar | undefined> = { ...info };
  if ((values.year === undefined || values.year === null) && opts.year !== undefined) values.year = opts.year;
  values.date = toSerial(values.date);
  const keyField = { header: KEY_HEADER, width: 18, numFmt: NUMFMT.text };
  const valueWidth = Math.max(...INFO.fields.map((f) => f.width ?? 0), 40);
  const table: TablePlan = {
    name: TABLE_NAMES.info, topRow: HEADER_ROW, leftCol: 0,
    columns: [keyField, { header: VALUE_HEADER, width: valueWidth, prompt: INFO.fields.map((f) => `${f.header}: ${f.rule.vi}`).join('; ').slice(0, 255) }],
    rows: INFO.fields.map((f) => [f.header, values[f.key] ?? null]),
    cellFormats: INFO.fields.map((f) => [undefined, f.numFmt ?? (f.type === 'text' || f.type === 'code' ? NUMFMT.text : undefined)]),
  };
  return dataSheet(INFO, HINT.info, table, 2);
}

// --- Tiết kiệm điện ----------------------------------------------------------------------------------

function savingSheet(content: WorkbookContent, params: ParamsRecord): SheetPlan {
  const fields = SAVING.fields;
  const letters: Record<string, string> = {};
  fields.forEach((f, i) => { letters[f.key] = columnLetters(i); });
  const companyCodeField = fieldOf(SAVING, 'companyCode');
  const infoCodeRow = HEADER_ROW + 2 + INFO.fields.findIndex((f) => f.key === 'companyCode');
  const columns = fields.map((f): ColumnPlan => {
    const c = columnOf(f);
    // A submission speaks for one company: offer its code from `Thông tin` (a warning, not a stop,
    // so the consolidated master can hold every company).
    if (f === companyCodeField) return { ...c, list: undefined, listSource: `='${INFO.sheet}'!$B$${infoCodeRow}` };
    return f.type === 'derived' ? { ...c, calculated: true } : c;
  });
  // The blank template keeps one empty row: it carries the formulas, so the derived columns are
  // calculated columns from the start and rows the user adds get them.
  const source: readonly SavingRowContent[] = content.saving?.length ? content.saving
    : [{ unitCode: null, unitName: null, level: null, companyCode: null, commercial: null, saved: null }];
  const rows: PlanCell[][] = source.map((r, i) => {
    const excelRow = HEADER_ROW + 2 + i;
    const rec = r as unknown as Record<string, PlanScalar | undefined>;
    return fields.map((f): PlanCell => {
      if (f.type !== 'derived' || !f.formula) return rec[f.key] ?? null;
      return { formula: f.formula(letters, excelRow), result: derivedResult(f.key, r, params) };
    });
  });
  const table: TablePlan = { name: TABLE_NAMES.saving, topRow: HEADER_ROW, leftCol: 0, columns, rows };
  return dataSheet(SAVING, HINT.data, table, fields.length);
}

/** Excel's TRIM and case-insensitive `=`, as the `Đạt ngưỡng` formula compares `Cấp`. */
function isCompanyLevel(level: PlanScalar | undefined): boolean {
  return typeof level === 'string' && level.trim().replace(/ +/g, ' ').toLowerCase() === LEVEL.company.toLowerCase();
}

/** The cached result of a derived column, as the formula computes it with these `Tiêu chí` values. */
function derivedResult(key: string, r: SavingRowContent, params: ParamsRecord): number | boolean | undefined {
  const { saved, commercial } = r;
  if (typeof saved !== 'number' || typeof commercial !== 'number' || !(commercial > 0) || saved < 0 || saved > commercial) return undefined;
  if (key === 'eligible') {
    const threshold = isCompanyLevel(r.level) ? params.companyThreshold : params.unitThreshold;
    return threshold === 0 || meetsThreshold(decimalOf(saved), decimalOf(commercial), decimalOf(threshold));
  }
  if (key === 'rate') return savingRateOf(saved, commercial);
  return undefined;
}

/** The cached `Điểm dịch vụ`: the score when every value is a number ≥ 0 (else the cell shows an error). */
function scoreResult(values: readonly PlanCell[], criteria: readonly CriterionRecord[]): number | undefined {
  if (!criteria.length || values.some((v) => typeof v !== 'number' || !Number.isFinite(v) || v < 0)) return undefined;
  if (criteria.some((c) => !(c.target > 0) || !(c.weight > 0))) return undefined;
  return serviceScore(criteria.map((c, i) => ({
    value: values[i] as number, target: c.target, weight: c.weight, direction: c.direction === DIRECTION.higher ? 'higher' : 'lower',
  }))).score;
}

// --- Dịch vụ khách hàng --------------------------------------------------------------------------------

function unitCodeColumn(f: FieldDef): ColumnPlan {
  // Units come from `Tiết kiệm điện`; the list is a help, a warning rather than a stop.
  return { ...columnOf(f), listSource: columnRange(SAVING.sheet, { topRow: HEADER_ROW, leftCol: 0 }, SAVING.fields.indexOf(fieldOf(SAVING, 'unitCode'))) };
}

function serviceSheet(content: WorkbookContent, criteria: readonly CriterionRecord[]): SheetPlan {
  const key = SERVICE.fields[0];
  const columns: ColumnPlan[] = [
    unitCodeColumn(key),
    ...criteria.map((c) => ({ header: criterionHeader(c), numFmt: criterionNumFmt(c), width: Math.max(12, criterionHeader(c).length + 2), prompt: `${c.name} (${c.direction}; mục tiêu ${c.target})`.slice(0, 255) })),
    { ...columnOf(SERVICE_SCORE), calculated: true },
  ];
  // The score reads the row's criterion columns: B…(B + criteria − 1).
  const letters = { firstCriterion: columnLetters(1), lastCriterion: columnLetters(Math.max(1, criteria.length)) };
  const source: readonly ServiceRowContent[] = content.service?.length ? content.service : [{ unitCode: null, values: {} }];
  const rows: PlanCell[][] = source.map((r, i) => {
    const values = criteria.map((c) => r.values[c.code] ?? null);
    const formula = (SERVICE_SCORE.formula as NonNullable<FieldDef['formula']>)(letters, HEADER_ROW + 2 + i);
    return [r.unitCode, ...values, { formula, result: scoreResult(values, criteria) }];
  });
  const table: TablePlan = { name: TABLE_NAMES.service, topRow: HEADER_ROW, leftCol: 0, columns, rows };
  return dataSheet(SERVICE, HINT.service, table, columns.length);
}

// --- Cá nhân -------------------------------------------------------------------------------------------

function individualSheet(content: WorkbookContent): SheetPlan {
  const fields = INDIVIDUAL.fields;
  const columns = fields.map((f) => (f.key === 'unitCode' ? unitCodeColumn(f) : columnOf(f)));
  const rows: PlanCell[][] = (content.individuals ?? []).map((r) => {
    const rec = r as unknown as Record<string, PlanScalar | undefined>;
    return fields.map((f) => rec[f.key] ?? null);
  });
  const table: TablePlan = {
    name: TABLE_NAMES.individual, topRow: HEADER_ROW, leftCol: 0, columns,
    rows: rows.length ? rows : [blankRow(fields.length)],
  };
  return dataSheet(INDIVIDUAL, HINT.individual, table, fields.length);
}

// --- Tiêu chí ------------------------------------------------------------------------------------------

function criteriaSheet(content: CriteriaContent): SheetPlan {
  const names: DefinedNamePlan[] = [];
  const abs = (row0: number, col0: number): string => `$${columnLetters(col0)}$${row0 + 1}`;
  const sheetRef = `'${CRITERIA.sheet.replace(/'/g, "''")}'!`;
  const params = content.params ?? DEFAULT_PARAMS;
  const criteria = content.criteria ?? DEFAULT_CRITERIA;
  const awards = content.awards ?? DEFAULT_AWARDS;
  const tables: TablePlan[] = [];
  let top = 1; // caption in row 0

  const paramRows: PlanCell[][] = PARAMS.fields.map((f) => [f.header, (params as unknown as Record<string, number>)[f.key] ?? null]);
  tables.push({
    name: PARAMS.id, topRow: top, leftCol: 0, caption: PARAMS.title.vi,
    columns: [{ header: KEY_HEADER, numFmt: NUMFMT.text }, { header: VALUE_HEADER }],
    rows: paramRows,
    cellFormats: PARAMS.fields.map((f) => [undefined, f.numFmt]),
  });
  PARAMS.fields.forEach((f, i) => {
    names.push({ name: DEFINED_NAMES[f.key as keyof typeof DEFINED_NAMES], ref: sheetRef + abs(top + 1 + i, 1) });
  });
  top += paramRows.length + 3; // rows, blank row, caption

  const critRows: PlanCell[][] = criteria.map((c) => CRITERIA.fields.map((f) => (c as unknown as Record<string, PlanScalar>)[f.key] ?? null));
  const targetCol = CRITERIA.fields.findIndex((f) => f.key === 'target');
  tables.push({
    name: CRITERIA.id, topRow: top, leftCol: 0, caption: CRITERIA.title.vi,
    columns: CRITERIA.fields.map(columnOf),
    rows: critRows.length ? critRows : [blankRow(CRITERIA.fields.length)],
    cellFormats: criteria.map((c) => CRITERIA.fields.map((_, i) => (i === targetCol ? criterionNumFmt(c) : undefined))),
  });
  const critColumn = (key: string): string => {
    const col = CRITERIA.fields.findIndex((f) => f.key === key);
    return sheetRef + abs(top + 1, col) + ':' + abs(top + Math.max(1, critRows.length), col);
  };
  names.push({ name: DEFINED_NAMES.targets, ref: critColumn('target') });
  names.push({ name: DEFINED_NAMES.weights, ref: critColumn('weight') });
  names.push({ name: DEFINED_NAMES.directions, ref: critColumn('direction') });
  top += Math.max(1, critRows.length) + 3;

  const awardRows: PlanCell[][] = awards.map((a) => AWARDS.fields.map((f) => (a as unknown as Record<string, PlanScalar>)[f.key] ?? null));
  tables.push({
    name: AWARDS.id, topRow: top, leftCol: 0, caption: AWARDS.title.vi,
    columns: AWARDS.fields.map(columnOf),
    rows: awardRows.length ? awardRows : [blankRow(AWARDS.fields.length)],
  });

  // Three blocks share the columns: the widest field of each column wins.
  const widths: number[] = [];
  const keyWidth = Math.max(...PARAMS.fields.map((f) => f.header.length)) + 2;
  for (const [i, w] of [keyWidth, 12].entries()) widths[i] = Math.max(widths[i] ?? 0, w);
  for (const block of [CRITERIA, AWARDS]) block.fields.forEach((f, i) => { widths[i] = Math.max(widths[i] ?? 0, f.width ?? 10); });
  return {
    name: CRITERIA.sheet,
    cells: [],
    tables,
    columnWidths: widths,
    page: {
      orientation: 'landscape', paperSize: 'A4', fitToWidth: true, centerHorizontally: true,
      header: { center: headerFooterText(TEMPLATE_PRINT_HEADER) },
      footer: { left: headerFooterText('Mẫu báo cáo thi đua EVNCPC'), center: 'Trang &P/&N', right: '&A' },
    },
    names,
  };
}

// --- Quyết định Hội đồng --------------------------------------------------------------------------------

/** The council's decisions sheet (the master's; also written by the pane when it is absent). */
export function decisionsSheetPlan(rows: readonly DecisionRowContent[] = []): SheetPlan {
  const fields = DECISIONS.fields;
  const cells: PlanCell[][] = rows.map((r) => {
    const rec = r as unknown as Record<string, PlanScalar | undefined>;
    return fields.map((f) => rec[f.key] ?? null);
  });
  const table: TablePlan = {
    name: TABLE_NAMES.decisions, topRow: HEADER_ROW, leftCol: 0, columns: fields.map((f) => (f.key === 'unitCode' ? unitCodeColumn(f) : columnOf(f))),
    rows: cells.length ? cells : [blankRow(fields.length)],
  };
  return dataSheet(DECISIONS, HINT.decisions, table, fields.length);
}

// --- All five -------------------------------------------------------------------------------------------

/**
 * The five input sheets, in workbook order, and for the master the council's decisions sheet.
 * The blank template is `inputSheetPlans({})`.
 */
export function inputSheetPlans(content: WorkbookContent, opts: TemplateOptions = {}): SheetPlan[] {
  const criteria = content.criteria?.criteria ?? DEFAULT_CRITERIA;
  const master = content.decisions !== undefined || content.info?.companyCode === MASTER_COMPANY_CODE;
  return [
    infoSheet(content, opts),
    savingSheet(content, content.criteria?.params ?? DEFAULT_PARAMS),
    serviceSheet(content, criteria),
    individualSheet(content),
    criteriaSheet(content.criteria ?? {}),
    ...(master ? [decisionsSheetPlan(content.decisions ?? [])] : []),
  ];
}

/** Levels a `Tiết kiệm điện` row may have (re-exported for content builders). */
export const SAVING_LEVELS = [LEVEL.company, LEVEL.unit] as const;
