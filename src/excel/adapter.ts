/**
 * The Office.js adapter: Excel ⇄ the grid model and sheet plans. Nothing else in the add-in talks
 * to Excel. Round trips are the cost (each one crosses to Excel's process, or to a server on the
 * web), so: one `sync()` reads every block the engine needs, one `sync()` writes a sheet — split
 * only when a request would pass Excel on the web's 5 MB limit — and no sync runs in a loop over
 * rows or cells.
 */
import { CellValue, SheetGrid, WorkbookGrid, a1, cellAt, columnLetters, errorFromString, matchKey } from '../core/cells';
import { INPUT_SHEETS, OUTPUT_SHEETS, INFO, SAVING, SERVICE, INDIVIDUAL } from '../core/format';
import {
  ADDIN_PROPERTY_KEY, CellStyle, FONT, PageSetup, PlanCell, PlanScalar, RowStyle, STYLE, SheetPlan, StyleDef, TablePlan, isFormulaCell, rowHighlightFormula,
} from '../core/plan';
import { isAddinSheet } from '../core/sheets';
import { VALIDATION_EXTRA_ROWS } from '../core/template';

/** `Excel.run`, injectable (the stand-in in tests). */
export type Run = <T>(batch: (ctx: Excel.RequestContext) => Promise<T>) => Promise<T>;

/** A message for the user, Vietnamese and English. */
export class UserError extends Error {
  constructor(readonly vi: string, readonly en: string) {
    super(vi);
  }
}

/** Bytes of queued writes we allow per request: under 5 MB with room for the request's own framing. */
export const REQUEST_BUDGET_BYTES = 4_000_000;
/** Rows of a table body queued as one piece (a piece never straddles a sync). */
const PIECE_BYTES = 512_000;
/** Excel measures column width in points; one character of the default font is about 7 px = 5.25 pt, plus padding. */
const POINTS_PER_CHAR = 5.6;

/** The sheets the add-in reads: the input sheets, and its own output sheets (marker, fingerprint). */
export const KNOWN_SHEETS: readonly string[] = [...INPUT_SHEETS, ...OUTPUT_SHEETS];
/** Tables of the input sheets (their ranges are needed when an import extends them). */
export const INPUT_TABLES: readonly string[] = [INFO.id, SAVING.id, SERVICE.id, INDIVIDUAL.id];

export interface TableInfo {
  readonly name: string;
  readonly sheet: string;
  /** 0-based, inclusive. */
  readonly r0: number;
  readonly c0: number;
  readonly r1: number;
  readonly c1: number;
}

export interface WorkbookRead {
  /** The known sheets that exist, by their real names. */
  readonly grid: WorkbookGrid;
  /** Every sheet of the workbook, in order. */
  readonly sheetNames: readonly string[];
  /** Input tables that exist, by name. */
  readonly tables: Readonly<Record<string, TableInfo>>;
  /** Position of each known sheet that exists, by real name. */
  readonly positions: Readonly<Record<string, number>>;
  /** The add-in's worksheet custom property (ADDIN_PROPERTY_KEY) of each known sheet that has it, by real name. */
  readonly addinProperties: Readonly<Record<string, string>>;
}

/**
 * Worksheet custom properties need ExcelApi 1.12; an older host reads and writes only the marker
 * cell (asking it for the property would fail the whole request).
 */
export function sheetPropertiesSupported(): boolean {
  return typeof Office !== 'undefined' && !!Office.context?.requirements?.isSetSupported('ExcelApi', '1.12');
}

/** Whether a sheet may be (re)written: absent, the add-in's own, or a user's sheet of that name. */
export type SheetState = 'absent' | 'addin' | 'user';

const encoder = new TextEncoder();
const bytesOf = (x: unknown): number => encoder.encode(JSON.stringify(x)).length;

function toCell(v: unknown, type: string | undefined): CellValue {
  if (v === null || v === undefined || v === '' || type === 'Empty') return null;
  if (type === 'Error') return typeof v === 'string' ? errorFromString(v) ?? { error: v } : { error: '#VALUE!' };
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return v;
  return String(v);
}

/** `'My sheet'!B2:D9` → sheet and 0-based box. */
export function parseRangeAddress(address: string): { sheet: string; r0: number; c0: number; r1: number; c1: number } {
  const bang = address.lastIndexOf('!');
  let sheet = address.slice(0, bang);
  if (sheet.startsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  const [from, to = from] = address.slice(bang + 1).replace(/\$/g, '').split(':');
  const cell = (s: string) => {
    const m = /^([A-Z]+)(\d+)$/i.exec(s);
    if (!m) throw new Error(`not a cell address: ${s}`);
    let col = 0;
    for (const ch of m[1].toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
    return { row: Number(m[2]) - 1, col: col - 1 };
  };
  const p = cell(from);
  const q = cell(to);
  return { sheet, r0: p.row, c0: p.col, r1: q.row, c1: q.col };
}

export function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/**
 * Read the known sheets' used ranges (values and their types) and the input tables' ranges — one
 * sync. A second sync happens only when a sheet's name differs from the standard one by case or
 * stray spaces (Excel finds sheets by exact name; the format matches names loosely).
 */
export async function readWorkbookGrid(ctx: Excel.RequestContext): Promise<WorkbookRead> {
  const sheets = ctx.workbook.worksheets;
  sheets.load('items/name');
  const withProperties = sheetPropertiesSupported();
  const probe = (name: string) => {
    const ws = sheets.getItemOrNullObject(name);
    ws.load('name,position');
    const used = ws.getUsedRangeOrNullObject(true);
    used.load('values,valueTypes,rowIndex,columnIndex');
    const mark = withProperties ? ws.customProperties.getItemOrNullObject(ADDIN_PROPERTY_KEY) : null;
    mark?.load('value');
    return { ws, used, mark };
  };
  const probes = KNOWN_SHEETS.map(probe);
  const tables = INPUT_TABLES.map((name) => {
    const t = ctx.workbook.tables.getItemOrNullObject(name);
    t.load('name');
    const range = t.getRange();
    range.load('address');
    return { t, range };
  });
  await ctx.sync();

  const sheetNames = sheets.items.map((s) => s.name);
  // Known sheets missing by exact name but present under a loosely equal one.
  const found = new Set(probes.filter((p) => !p.ws.isNullObject).map((p) => p.ws.name));
  const loose = KNOWN_SHEETS.filter((_, i) => probes[i].ws.isNullObject)
    .map((k) => sheetNames.find((n) => !found.has(n) && matchKey(n) === matchKey(k)))
    .filter((n): n is string => n !== undefined);
  const extra = loose.map(probe);
  if (extra.length) await ctx.sync();

  const grids: SheetGrid[] = [];
  const positions: Record<string, number> = {};
  const addinProperties: Record<string, string> = {};
  for (const p of [...probes, ...extra]) {
    if (p.ws.isNullObject) continue;
    positions[p.ws.name] = p.ws.position;
    if (p.mark && !p.mark.isNullObject) addinProperties[p.ws.name] = p.mark.value;
    if (p.used.isNullObject) {
      grids.push({ name: p.ws.name, originRow: 0, originCol: 0, rows: [] });
      continue;
    }
    const types = p.used.valueTypes as unknown as string[][];
    grids.push({
      name: p.ws.name,
      originRow: p.used.rowIndex,
      originCol: p.used.columnIndex,
      rows: (p.used.values as unknown[][]).map((row, i) => row.map((v, j) => toCell(v, types[i]?.[j]))),
    });
  }
  // Workbook order, so the reader sees what the user sees.
  grids.sort((a, b) => sheetNames.indexOf(a.name) - sheetNames.indexOf(b.name));
  const tableInfo: Record<string, TableInfo> = {};
  for (const { t, range } of tables) {
    if (t.isNullObject) continue;
    const box = parseRangeAddress(range.address);
    tableInfo[t.name] = { name: t.name, ...box };
  }
  return { grid: { sheets: grids }, sheetNames, tables: tableInfo, positions, addinProperties };
}

/**
 * Is the sheet absent, the add-in's own (it may be replaced), or a user's? The add-in's carries
 * the marker cell or the worksheet custom property (either survives the other being edited away).
 */
export function sheetState(read: WorkbookRead, name: string): SheetState {
  const g = read.grid.sheets.find((s) => matchKey(s.name) === matchKey(name));
  if (!g) return read.sheetNames.some((n) => matchKey(n) === matchKey(name)) ? 'user' : 'absent';
  return isAddinSheet(g) || read.addinProperties[g.name] !== undefined ? 'addin' : 'user';
}

// --- Writing --------------------------------------------------------------------------------------

/** Queues writes and syncs only when the next piece would pass the request budget. */
export class Batch {
  private bytes = 0;
  syncs = 0;
  constructor(readonly ctx: Excel.RequestContext, private readonly budget = REQUEST_BUDGET_BYTES) {}
  /** Account for a piece about to be queued; syncs first when it would not fit. */
  async room(bytes: number): Promise<void> {
    if (this.bytes > 0 && this.bytes + bytes > this.budget) await this.flush();
    this.bytes += bytes;
  }
  add(bytes: number): void {
    this.bytes += bytes;
  }
  async flush(): Promise<void> {
    await this.ctx.sync();
    this.syncs++;
    this.bytes = 0;
  }
}

function styleCells(range: Excel.Range, style: CellStyle): void {
  const s = STYLE[style] as StyleDef;
  range.format.font.name = FONT;
  range.format.font.bold = !!s.bold;
  range.format.font.italic = !!s.italic;
  range.format.font.size = s.size;
  range.format.font.color = '#' + s.color;
  if (s.underline) range.format.font.underline = 'Single';
  if (s.fill) range.format.fill.color = '#' + s.fill;
  if (s.align) range.format.horizontalAlignment = ALIGN[s.align];
}

const ALIGN = { left: 'Left', center: 'Center', right: 'Right' } as const;

/**
 * Print presentation of a plan (issue 10): alignment and wrapping of cells and table columns,
 * wrapped table headers, form borders and row heights. ExcelApi 1.1 members only; queued in the
 * sheet's one write.
 */
async function applyCellLayout(ws: Excel.Worksheet, plan: SheetPlan, batch: Batch): Promise<void> {
  for (const cell of plan.cells) {
    if (!cell.align && !cell.wrap) continue;
    await batch.room(300);
    const r = ws.getRangeByIndexes(cell.row, cell.col, 1, (cell.mergeAcross ?? 0) + 1);
    if (cell.align) r.format.horizontalAlignment = ALIGN[cell.align];
    if (cell.wrap) r.format.wrapText = true;
  }
  for (const t of plan.tables) {
    const n = Math.max(t.rows.length, 1);
    await batch.room(300);
    ws.getRangeByIndexes(t.topRow + 1, t.leftCol, n, t.columns.length).format.verticalAlignment = 'Center';
    if (t.wrapHeader) {
      await batch.room(400);
      const h = ws.getRangeByIndexes(t.topRow, t.leftCol, 1, t.columns.length);
      h.format.wrapText = true;
      h.format.horizontalAlignment = 'Center';
      h.format.verticalAlignment = 'Center';
    }
    for (const [i, c] of t.columns.entries()) {
      if (!c.align && !c.wrap) continue;
      await batch.room(400);
      const r = ws.getRangeByIndexes(t.topRow + 1, t.leftCol + i, n, 1);
      if (c.align) r.format.horizontalAlignment = ALIGN[c.align];
      if (c.wrap) { r.format.wrapText = true; r.format.verticalAlignment = 'Center'; }
    }
    if (t.borders) {
      await batch.room(1500);
      const all = ws.getRangeByIndexes(t.topRow, t.leftCol, n + 1 + (t.formRows ?? 0), t.columns.length);
      for (const edge of ['EdgeTop', 'EdgeBottom', 'EdgeLeft', 'EdgeRight', 'InsideHorizontal', 'InsideVertical'] as const) {
        const b = all.format.borders.getItem(edge);
        b.style = 'Continuous';
        b.color = '#808080';
      }
    }
  }
  // Row heights as runs of equal heights: one request item per run, not per row.
  const rows = Object.entries(plan.rowHeights ?? {}).map(([r, h]) => [Number(r), h] as const).sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < rows.length;) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1][0] === rows[j][0] + 1 && rows[j + 1][1] === rows[i][1]) j++;
    await batch.room(300);
    ws.getRangeByIndexes(rows[i][0], 0, rows[j][0] - rows[i][0] + 1, 1).format.rowHeight = rows[i][1];
    i = j + 1;
  }
}

/**
 * Page layout for print (issue 10), from the plan's PageSetup: orientation, A4, fit-to-width or a
 * fixed zoom, margins (points), centring, print area, repeated rows, footer/header on all pages
 * and manual page breaks. `Worksheet.pageLayout` and `horizontalPageBreaks` are ExcelApi 1.9:
 * on an older host the sheet is written without them (it still shows right; only print differs).
 */
export function applyPageLayout(ws: Excel.Worksheet, page: PageSetup): void {
  if (typeof Office !== 'undefined' && Office.context?.requirements && !Office.context.requirements.isSetSupported('ExcelApi', '1.9')) return;
  const layout = ws.pageLayout;
  layout.orientation = page.orientation === 'landscape' ? 'Landscape' : 'Portrait';
  layout.paperSize = 'A4';
  layout.zoom = page.fitToWidth ? { horizontalFitToPages: 1, verticalFitToPages: 0 } : { scale: page.zoom ?? 100 };
  if (page.margins) {
    const pt = (inches: number) => Math.round(inches * 72 * 10) / 10;
    layout.leftMargin = pt(page.margins.left);
    layout.rightMargin = pt(page.margins.right);
    layout.topMargin = pt(page.margins.top);
    layout.bottomMargin = pt(page.margins.bottom);
    layout.headerMargin = pt(page.margins.header);
    layout.footerMargin = pt(page.margins.footer);
  }
  if (page.centerHorizontally) layout.centerHorizontally = true;
  if (page.printArea) {
    const a = page.printArea;
    layout.setPrintArea(ws.getRangeByIndexes(a.r0, a.c0, a.r1 - a.r0 + 1, a.c1 - a.c0 + 1));
  }
  if (page.printTitleRows) layout.setPrintTitleRows(`$${page.printTitleRows[0] + 1}:$${page.printTitleRows[1] + 1}`);
  const all = layout.headersFooters.defaultForAllPages;
  if (page.header) {
    if (page.header.left) all.leftHeader = page.header.left;
    if (page.header.center) all.centerHeader = page.header.center;
    if (page.header.right) all.rightHeader = page.header.right;
  }
  if (page.footer) {
    if (page.footer.left) all.leftFooter = page.footer.left;
    if (page.footer.center) all.centerFooter = page.footer.center;
    if (page.footer.right) all.rightFooter = page.footer.right;
  }
  for (const r of page.rowBreaks ?? []) ws.horizontalPageBreaks.add(ws.getRangeByIndexes(r, 0, 1, 1));
}

/** A plan value as Office.js takes it: `""` clears (null would mean "leave unchanged"). */
function scalar(v: PlanScalar): string | number | boolean {
  if (v === null) return '';
  if (typeof v === 'number' && !Number.isFinite(v)) return '';
  return v;
}

/**
 * Number formats of one column as runs: a string cell is text (`@`, so `=1+1` stays text), a number
 * takes its cell's or column's format; blank cells join whichever run they sit in.
 */
function formatRuns(t: TablePlan, rows: ReadonlyArray<ReadonlyArray<PlanCell>>, col: number): { from: number; to: number; fmt: string }[] {
  const runs: { from: number; to: number; fmt: string }[] = [];
  const base = t.columns[col].numFmt ?? 'General';
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r][col] ?? null;
    const own = t.cellFormats?.[r]?.[col];
    const fmt = typeof v === 'string' ? '@' : v === null ? own ?? null : own ?? (base === '@' ? 'General' : base);
    const last = runs[runs.length - 1];
    if (last && (fmt === null || fmt === last.fmt)) last.to = r;
    else runs.push({ from: r, to: r, fmt: fmt ?? base });
  }
  return runs;
}

function rowStyleRuns(styles: ReadonlyArray<RowStyle | undefined>): { from: number; to: number; style: RowStyle }[] {
  const runs: { from: number; to: number; style: RowStyle }[] = [];
  styles.forEach((s, r) => {
    if (!s) return;
    const last = runs[runs.length - 1];
    if (last && last.style === s && last.to === r - 1) last.to = r;
    else runs.push({ from: r, to: r, style: s });
  });
  return runs;
}

async function writeTable(batch: Batch, ws: Excel.Worksheet, t: TablePlan, priorityBase = 0): Promise<void> {
  const width = t.columns.length;
  const rows: PlanCell[][] = (t.rows.length ? t.rows : [t.columns.map(() => null)]).map((r) => Array.from({ length: width }, (_, i) => r[i] ?? null));
  if (t.caption) {
    const cap = ws.getRangeByIndexes(t.topRow - 1, t.leftCol, 1, 1);
    cap.numberFormat = [['@']];
    cap.values = [[t.caption]];
    styleCells(cap, 'label');
  }
  const header = ws.getRangeByIndexes(t.topRow, t.leftCol, 1, width);
  header.numberFormat = [t.columns.map(() => '@')];
  header.values = [t.columns.map((c) => c.header)];
  styleCells(header, 'header');
  batch.add(bytesOf(t.columns.map((c) => c.header)) * 2);

  // Number formats first: a text cell must be text before its value arrives.
  for (let c = 0; c < width; c++) {
    for (const run of formatRuns(t, rows, c)) {
      // A single value applies to every cell of the range (Office.js), so a run costs a few bytes.
      ws.getRangeByIndexes(t.topRow + 1 + run.from, t.leftCol + c, run.to - run.from + 1, 1).numberFormat = run.fmt as unknown as string[][];
      batch.add(80);
    }
  }

  // Values, in pieces that each fit a request.
  let start = 0;
  while (start < rows.length) {
    let end = start;
    let bytes = 0;
    while (end < rows.length && (bytes < PIECE_BYTES || end === start)) {
      bytes += bytesOf(rows[end]) + 8;
      end++;
    }
    await batch.room(bytes);
    const piece = rows.slice(start, end).map((r) => r.map((v) => (isFormulaCell(v) ? '' : scalar(v))));
    ws.getRangeByIndexes(t.topRow + 1 + start, t.leftCol, end - start, width).values = piece;
    start = end;
  }

  // Formula cells (the template's derived columns): contiguous runs per column.
  for (let c = 0; c < width; c++) {
    let r = 0;
    while (r < rows.length) {
      if (!isFormulaCell(rows[r][c])) { r++; continue; }
      const from = r;
      const formulas: string[][] = [];
      while (r < rows.length && isFormulaCell(rows[r][c])) {
        const f = rows[r][c] as { formula: string };
        formulas.push(['=' + f.formula.replace(/^=/, '')]);
        r++;
      }
      await batch.room(bytesOf(formulas));
      ws.getRangeByIndexes(t.topRow + 1 + from, t.leftCol + c, formulas.length, 1).formulas = formulas;
    }
  }

  const all = ws.getRangeByIndexes(t.topRow, t.leftCol, rows.length + 1, width);
  const table = ws.tables.add(all, true);
  table.name = t.name;
  table.style = STYLE.tableStyle;

  for (const run of rowStyleRuns(t.rowStyles ?? [])) {
    ws.getRangeByIndexes(t.topRow + 1 + run.from, t.leftCol, run.to - run.from + 1, width).format.fill.color = '#' + STYLE.rows[run.style];
    batch.add(80);
  }

  // Highlights that follow the values. Excel puts each new format at the top priority; setting
  // the priority keeps the plan's order (first wins), as the .xlsx writer's priorities do.
  if (t.conditionalFormats?.length) {
    const data = ws.getRangeByIndexes(t.topRow + 1, t.leftCol, rows.length, width);
    t.conditionalFormats.forEach((rule, i) => {
      const cf = data.conditionalFormats.add('Custom');
      cf.custom.rule.formula = '=' + rowHighlightFormula(t, rule);
      cf.custom.format.fill.color = '#' + STYLE.rows[rule.style];
      cf.priority = priorityBase + i;
      batch.add(300);
    });
  }

  if (t.links?.length) {
    await batch.room(t.links.length * 160);
    for (const link of t.links) {
      const v = rows[link.row]?.[link.col];
      ws.getRangeByIndexes(t.topRow + 1 + link.row, t.leftCol + link.col, 1, 1).hyperlink = {
        documentReference: `${quoteSheet(link.sheet)}!${link.cell}`,
        textToDisplay: typeof v === 'string' || typeof v === 'number' ? String(v) : link.cell,
      };
    }
  }

  // Dropdowns and input messages over the table's rows and room for rows the user adds.
  const validationRows = Math.max(rows.length, VALIDATION_EXTRA_ROWS);
  t.columns.forEach((col, c) => {
    if (!col.list && !col.listSource && !col.prompt) return;
    const range = ws.getRangeByIndexes(t.topRow + 1, t.leftCol + c, validationRows, 1);
    if (col.list || col.listSource) {
      range.dataValidation.rule = {
        list: { inCellDropDown: true, source: col.listSource ?? col.list!.join(',') },
      };
    }
    if (col.prompt) {
      range.dataValidation.prompt = { showPrompt: true, title: col.header.slice(0, 32), message: col.prompt.slice(0, 255) };
    }
    batch.add(200 + (col.prompt?.length ?? 0) * 3);
  });
}

/**
 * Write one sheet from its plan, replacing the add-in's previous sheet of that name — never a
 * user's sheet. Queues the whole sheet and syncs once (more only past the request budget).
 */
export async function writeSheetPlan(
  ctx: Excel.RequestContext, plan: SheetPlan, state: SheetState, opts: { activate?: boolean; read?: WorkbookRead; batch?: Batch } = {},
): Promise<number> {
  if (state === 'user') {
    throw new UserError(
      `Sổ tính đã có sheet "${plan.name}" do người dùng tạo; phần bổ trợ không ghi đè. Hãy đổi tên sheet đó rồi chạy lại.`,
      `The workbook already has a sheet "${plan.name}" that the add-in did not make; it is not overwritten. Rename that sheet and run again.`,
    );
  }
  const batch = opts.batch ?? new Batch(ctx);
  const sheets = ctx.workbook.worksheets;
  let position: number | null = null;
  if (state === 'addin') {
    const real = opts.read?.grid.sheets.find((s) => matchKey(s.name) === matchKey(plan.name))?.name ?? plan.name;
    position = opts.read?.positions[real] ?? null;
    // A fresh sheet leaves no stale formats, tables or validations behind.
    sheets.getItem(real).delete();
  }
  const ws = sheets.add(plan.name);
  if (position !== null) ws.position = position;
  if (plan.marker && sheetPropertiesSupported()) ws.customProperties.add(ADDIN_PROPERTY_KEY, plan.marker.kind);

  const widths: number[] = [...(plan.columnWidths ?? [])];
  for (const t of plan.tables) t.columns.forEach((c, i) => { if (c.width) widths[t.leftCol + i] = c.width; });
  widths.forEach((w, c) => { if (w) ws.getRangeByIndexes(0, c, 1, 1).format.columnWidth = Math.round(w * POINTS_PER_CHAR * 10) / 10; });

  for (const cell of plan.cells) {
    if (cell.value === null) continue;
    const r = ws.getRangeByIndexes(cell.row, cell.col, 1, 1);
    if (typeof cell.value === 'string') r.numberFormat = [['@']];
    else if (cell.numFmt) r.numberFormat = [[cell.numFmt]];
    r.values = [[scalar(cell.value)]];
    if (cell.style) styleCells(r, cell.style);
    if (cell.mergeAcross) ws.getRangeByIndexes(cell.row, cell.col, 1, cell.mergeAcross + 1).merge(false);
    batch.add(bytesOf(cell.value) + 200);
  }
  // Conditional-format priorities are per sheet: each table's rules follow the previous tables'.
  let priorityBase = 0;
  for (const t of plan.tables) {
    await writeTable(batch, ws, t, priorityBase);
    priorityBase += t.conditionalFormats?.length ?? 0;
  }

  if (plan.freezeRows) ws.freezePanes.freezeRows(plan.freezeRows);
  if (plan.tabColor) ws.tabColor = '#' + plan.tabColor;
  await applyCellLayout(ws, plan, batch);
  if (plan.page) applyPageLayout(ws, plan.page);
  if (opts.activate) ws.activate();
  // A shared batch is flushed by its owner (writeSheetPlans), so several sheets go in one request.
  if (!opts.batch) await batch.flush();
  return batch.syncs;
}

/**
 * Write several sheets (the ranking with the award list and the certificates) in one request when
 * they fit the budget: every sheet's state is checked first, so a user's sheet of one of the names
 * stops the run before anything is written.
 */
export async function writeSheetPlans(
  ctx: Excel.RequestContext, plans: readonly SheetPlan[], read: WorkbookRead, opts: { activate?: number } = {},
): Promise<number> {
  const states = plans.map((p) => sheetState(read, p.name));
  const user = states.indexOf('user');
  if (user >= 0) await writeSheetPlan(ctx, plans[user], 'user', { read }); // throws, naming it
  const batch = new Batch(ctx);
  for (const [i, plan] of plans.entries()) await writeSheetPlan(ctx, plan, states[i], { read, batch, activate: opts.activate === i });
  await batch.flush();
  return batch.syncs;
}

/** Select a cell (an issue's), activating its sheet: one sync; false when the sheet is gone. */
export async function selectCell(ctx: Excel.RequestContext, sheet: string, cell: string): Promise<boolean> {
  const ws = ctx.workbook.worksheets.getItem(sheet);
  ws.activate();
  ws.getRange(cell).select();
  try {
    await ctx.sync();
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ItemNotFound') return false;
    throw e;
  }
}

/** One block of rows to (re)write on an input sheet, from `import`. */
export interface RowsWrite {
  readonly sheet: string;
  /** 0-based top-left of `values`. */
  readonly row: number;
  readonly col: number;
  /** Values; `{ formula }` cells become formulas, `null` leaves a cell as it is, `''` clears it. */
  readonly values: ReadonlyArray<ReadonlyArray<PlanCell | ''>>;
  /** Number format per cell (`null`: unchanged). Text cells must be `@`. */
  readonly formats: ReadonlyArray<ReadonlyArray<string | null>>;
  /** Resize this table to end at `tableLastRow` (0-based, inclusive). */
  readonly table?: { readonly name: string; readonly address: string };
}

type Scalar = string | number | boolean;

/**
 * Cells to write as Office.js takes them: values (`null` leaves a cell alone), formulas only where
 * there are any, number formats (sent as runs of one format per column, a few bytes each).
 */
interface CellBlock {
  readonly sheet: string;
  readonly row: number;
  readonly col: number;
  readonly width: number;
  readonly values: ReadonlyArray<ReadonlyArray<Scalar | null>>;
  readonly formulas: ReadonlyArray<ReadonlyArray<string | null>> | null;
  readonly formats: ReadonlyArray<ReadonlyArray<string | null>>;
  /** Bytes Excel sends back when the rows' current formulas and formats are loaded (import only). */
  readonly loadBytes?: (r: number) => number;
}

/** Rows [from, to) of one block: one range per request. */
export interface RowSlice {
  readonly block: number;
  readonly from: number;
  readonly to: number;
}

/** Request bytes of one number-format run or formula run (the action's framing, generously). */
const RUN_BYTES = 160;
/** Request bytes of a slice besides its rows (range lookups, the values action). */
const SLICE_BYTES = 400;
/** Response bytes per cell of a formulas + numberFormat load, on top of the cell's value ("" and "General"). */
const LOAD_BYTES_PER_CELL = 16;

/** UTF-8 length of a string without encoding it (surrogate pairs count 2 + 2). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return n;
}
const jsonBytes = (x: unknown): number => utf8Length(JSON.stringify(x ?? null));

/** Request bytes of each row of a block: its values, its formulas, and the format runs it starts. */
function rowBytes(b: CellBlock): number[] {
  return b.values.map((vals, r) => {
    let n = jsonBytes(vals) + 2;
    const f = b.formulas?.[r];
    if (f) for (let c = 0; c < b.width; c++) if (f[c] !== null) n += utf8Length(f[c] as string) + 8 + (r === 0 || b.formulas![r - 1][c] === null ? RUN_BYTES : 0);
    const fmt = b.formats[r];
    for (let c = 0; c < b.width; c++) if (fmt[c] !== null && (r === 0 || b.formats[r - 1][c] !== fmt[c])) n += RUN_BYTES;
    return n;
  });
}

/**
 * Cut blocks into requests: consecutive row slices, each request's writes (and, for an import,
 * the load of the rows' current content that rides along) within `budget` bytes. Row sizes are
 * measured from the data (JSON of every row), so a request never passes the limit however long
 * the texts are; a row alone over the budget still gets a request of its own.
 */
export function planSlices(blocks: readonly CellBlock[], budget = REQUEST_BUDGET_BYTES): RowSlice[][] {
  const requests: RowSlice[][] = [];
  let current: RowSlice[] = [];
  let sent = 0;
  let received = 0;
  const close = () => {
    if (current.length) requests.push(current);
    current = [];
    sent = 0;
    received = 0;
  };
  blocks.forEach((b, i) => {
    const bytes = rowBytes(b);
    // A slice starts format runs in every column again.
    const sliceBytes = SLICE_BYTES + b.width * RUN_BYTES;
    let from = 0;
    while (from < b.values.length) {
      if (sent + sliceBytes > budget) close();
      sent += sliceBytes;
      let to = from;
      while (to < b.values.length) {
        const load = b.loadBytes ? b.loadBytes(to) : 0;
        const fits = sent + bytes[to] <= budget && received + load <= budget;
        if (!fits && (to > from || current.length > 0)) break;
        sent += bytes[to];
        received += load;
        to++;
      }
      if (to === from) { // nothing fitted beside other slices: start a fresh request
        sent -= sliceBytes;
        close();
        continue;
      }
      current.push({ block: i, from, to });
      from = to;
      if (from < b.values.length) close();
    }
  });
  close();
  return requests;
}

/** Queue one slice's writes: formats first (a text cell must be text before its value arrives), values, formulas. */
function queueSlice(ctx: Excel.RequestContext, b: CellBlock, s: RowSlice): Excel.Range {
  const ws = ctx.workbook.worksheets.getItem(b.sheet);
  const n = s.to - s.from;
  for (let c = 0; c < b.width; c++) {
    let r = s.from;
    while (r < s.to) {
      const fmt = b.formats[r][c];
      if (fmt === null) { r++; continue; }
      const start = r;
      while (r < s.to && b.formats[r][c] === fmt) r++;
      // A single value applies to every cell of the range (Office.js).
      ws.getRangeByIndexes(b.row + start, b.col + c, r - start, 1).numberFormat = fmt as unknown as string[][];
    }
  }
  const range = ws.getRangeByIndexes(b.row + s.from, b.col, n, b.width);
  const values = b.values.slice(s.from, s.to);
  if (values.some((row) => row.some((v) => v !== null))) range.values = values as (string | number | boolean)[][];
  if (b.formulas) {
    for (let c = 0; c < b.width; c++) {
      let r = s.from;
      while (r < s.to) {
        if (b.formulas[r][c] === null) { r++; continue; }
        const start = r;
        const run: string[][] = [];
        while (r < s.to && b.formulas[r][c] !== null) run.push([b.formulas[r++][c] as string]);
        ws.getRangeByIndexes(b.row + start, b.col + c, run.length, 1).formulas = run;
      }
    }
  }
  return range;
}

/** The import's rows as cell blocks; `current` (the workbook as read) sizes the load of what they overwrite. */
function importBlocks(writes: readonly RowsWrite[], current?: WorkbookGrid): CellBlock[] {
  return writes.filter((w) => w.values.length).map((w) => {
    const width = w.values[0].length;
    const values = w.values.map((r) => r.map((v) => (isFormulaCell(v as PlanCell) ? null : (v as Scalar | null))));
    const hasFormulas = w.values.some((r) => r.some((v) => isFormulaCell(v as PlanCell)));
    const formulas = hasFormulas
      ? w.values.map((r) => r.map((v) => (isFormulaCell(v as PlanCell) ? '=' + (v as { formula: string }).formula.replace(/^=/, '') : null)))
      : null;
    const sheet = current?.sheets.find((s) => s.name === w.sheet);
    const loadBytes = (r: number): number => {
      let n = width * LOAD_BYTES_PER_CELL;
      const gr = sheet ? w.row + r - sheet.originRow : -1;
      const row = sheet && gr >= 0 ? sheet.rows[gr] : undefined;
      // What is there now comes back as formula text or value: the value's size, with room for formulas.
      if (row) for (let c = 0; c < width; c++) { const v = row[w.col + c - sheet!.originCol]; if (v !== null && v !== undefined) n += Math.ceil(jsonBytes(v) * 1.5) + 8; }
      return n;
    };
    return { sheet: w.sheet, row: w.row, col: w.col, width, values, formulas, formats: w.formats, loadBytes };
  });
}

/** Would Excel read this text as something else (a number, date, formula, error, boolean) when written back? */
const NOT_PLAIN_TEXT = /^\s*([=+\-@#'"]|[\d.,]|(true|false)\s*$)/i;

/**
 * What a slice of an import overwrote, as a block that writes it back: the formats as they were,
 * constants as values (text that Excel would read as something else keeps a leading `'`), formulas
 * as formulas. Formula cells are told from text by the value the read saw.
 */
function restoreBlock(b: CellBlock, s: RowSlice, formulas: unknown[][], formats: string[][], current?: WorkbookGrid): CellBlock {
  const sheet = current?.sheets.find((g) => g.name === b.sheet);
  const seen = (r: number, c: number): CellValue => (sheet ? cellAt(sheet, b.row + r, b.col + c) : null);
  let anyFormula = false;
  const values: (Scalar | null)[][] = [];
  const texts: (string | null)[][] = [];
  formulas.forEach((row, i) => {
    const vals: (Scalar | null)[] = [];
    const fs: (string | null)[] = [];
    row.forEach((f, c) => {
      const before = seen(s.from + i, c);
      if (typeof f === 'string' && f.startsWith('=') && f.length > 1 && before !== f) {
        vals.push(null);
        fs.push(f);
        anyFormula = true;
      } else if (typeof f === 'string' && typeof before === 'object' && before !== null && before.error === f) {
        vals.push(f); // an error constant: values turns the text back into the error
        fs.push(null);
      } else if (typeof f === 'string' && f !== '' && formats[i][c] !== '@' && NOT_PLAIN_TEXT.test(f)) {
        vals.push("'" + f);
        fs.push(null);
      } else {
        vals.push(f === null || f === undefined ? '' : (f as Scalar));
        fs.push(null);
      }
    });
    values.push(vals);
    texts.push(fs);
  });
  return { sheet: b.sheet, row: b.row + s.from, col: b.col, width: b.width, values, formulas: anyFormula ? texts : null, formats };
}

/** An import's write failed; `restored`: the master was written back as it was. */
export class ImportWriteError extends UserError {
  constructor(vi: string, en: string, readonly failure: unknown, readonly restored: boolean) {
    super(vi, en);
  }
}

const reasonOf = (e: unknown): string => normalizeReason(e instanceof Error ? e.message : String(e));
const normalizeReason = (s: string): string => s.replace(/\s+/g, ' ').trim().slice(0, 300);

/**
 * Write the rows of an import, all or nothing. Everything is queued for one sync; only past the
 * request budget are the rows cut into row slices, one request each. Each request first loads the
 * current formulas and formats of the rows it overwrites (so the originals cost no extra round
 * trip), and table resizes ride in the last request. When a request fails, the rows of the
 * requests already applied are written back from those originals (budget-sliced too), and the
 * failure is reported as an ImportWriteError: nothing changed — or, if even that fails, which
 * sheets may be half-written.
 */
export async function writeRows(ctx: Excel.RequestContext, writes: readonly RowsWrite[], current?: WorkbookGrid, budget = REQUEST_BUDGET_BYTES): Promise<number> {
  const blocks = importBlocks(writes, current);
  const requests = planSlices(blocks, budget);
  const tables = writes.filter((w) => w.table);
  if (!requests.length && tables.length) requests.push([]);
  const applied: { slice: RowSlice; range: Excel.Range }[] = [];
  let syncs = 0;
  for (const [i, request] of requests.entries()) {
    const loaded = request.map((slice) => {
      const b = blocks[slice.block];
      const range = ctx.workbook.worksheets.getItem(b.sheet).getRangeByIndexes(b.row + slice.from, b.col, slice.to - slice.from, b.width);
      range.load('formulas,numberFormat');
      return { slice, range };
    });
    for (const slice of request) queueSlice(ctx, blocks[slice.block], slice);
    if (i === requests.length - 1) for (const w of tables) ctx.workbook.tables.getItem(w.table!.name).resize(w.table!.address);
    try {
      await ctx.sync();
      syncs++;
    } catch (e) {
      syncs++;
      await rollBack(ctx, e, blocks, applied, current, budget);
    }
    applied.push(...loaded);
  }
  return syncs;
}

async function rollBack(
  ctx: Excel.RequestContext, cause: unknown, blocks: readonly CellBlock[], applied: readonly { slice: RowSlice; range: Excel.Range }[],
  current: WorkbookGrid | undefined, budget: number,
): Promise<never> {
  const why = reasonOf(cause);
  const restore = applied.map(({ slice, range }) => restoreBlock(blocks[slice.block], slice, range.formulas, range.numberFormat, current));
  try {
    for (const request of planSlices(restore, budget)) {
      for (const slice of request) queueSlice(ctx, restore[slice.block], slice);
      await ctx.sync();
    }
  } catch (e) {
    const sheets = [...new Set(applied.map(({ slice }) => blocks[slice.block].sheet))].map((n) => `"${n}"`).join(', ');
    throw new ImportWriteError(
      `Nhập dữ liệu thất bại khi ghi vào Excel (${why}) và không khôi phục lại được (${reasonOf(e)}): sheet ${sheets} có thể chỉ được ghi một phần. Hãy đóng sổ tính mà không lưu rồi mở lại trước khi nhập lại.`,
      `The import failed while writing to Excel (${why}) and could not be rolled back (${reasonOf(e)}): sheet(s) ${sheets} may be half-written. Close the workbook without saving and open it again before importing again.`,
      cause, false,
    );
  }
  throw new ImportWriteError(
    `Nhập dữ liệu thất bại khi ghi vào Excel (${why}); đã hoàn tác: bảng tổng hợp giữ nguyên như trước khi nhập, không có gì thay đổi. Hãy thử nhập lại.`,
    `The import failed while writing to Excel (${why}); it was rolled back: the master is as it was before the import, nothing changed. Try the import again.`,
    cause, true,
  );
}

/** A1 range of a 0-based box, without the sheet. */
export function boxAddress(r0: number, c0: number, r1: number, c1: number): string {
  return `${a1(r0, c0)}:${a1(r1, c1)}`;
}

export { columnLetters };
