/**
 * The Office.js adapter: Excel ⇄ the grid model and sheet plans. Nothing else in the add-in talks
 * to Excel. Round trips are the cost (each one crosses to Excel's process, or to a server on the
 * web), so: one `sync()` reads every block the engine needs, one `sync()` writes a sheet — split
 * only when a request would pass Excel on the web's 5 MB limit — and no sync runs in a loop over
 * rows or cells.
 */
import { APPROVAL_CELLS } from '../core/approval';
import { CellValue, SheetGrid, WorkbookGrid, a1, cellAt, columnLetters, errorFromString, matchKey } from '../core/cells';
import { DECISIONS, INPUT_SHEETS, OUTPUT_SHEETS, INFO, SAVING, SERVICE, INDIVIDUAL } from '../core/format';
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
export const INPUT_TABLES: readonly string[] = [INFO.id, SAVING.id, SERVICE.id, INDIVIDUAL.id, DECISIONS.id];

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
  /** Input sheets that are protected (an import refuses before writing). */
  readonly protectedSheets: readonly string[];
  /** With `originals`: what each input sheet held (formulas, formats), by real name. */
  readonly originals?: Readonly<Record<string, SheetOriginals>>;
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

/** Rows (from the top of the sheet) of each input sheet that the first read asks for: the campaign scale fits whole. */
export const FIRST_READ_ROWS = 1200;
/**
 * What the add-in needs of its own output sheets: the marker, time stamp and fingerprint at the top,
 * and the approval's row (its fingerprint lies past the eighth column), so derived from APPROVAL_CELLS.
 */
const OUTPUT_HEAD = {
  rows: Math.max(8, ...Object.values(APPROVAL_CELLS).map((c) => c.row + 1)),
  cols: Math.max(8, ...Object.values(APPROVAL_CELLS).map((c) => c.col + 1)),
} as const;
/** Bytes of JSON we let one response carry: under Excel on the web's 5 MB with room for framing. */
export const RESPONSE_BUDGET_BYTES = 4_000_000;
/** Response bytes per cell assumed before anything was read (a number and its type, with room). */
const CELL_READ_BYTES = 48;

export interface ReadOptions {
  /** Also read each input sheet's formulas and number formats (the import restores from them). */
  readonly originals?: boolean;
  /** Response budget (tests lower it). */
  readonly budget?: number;
  readonly firstRows?: number;
}

/** What an input sheet held before an import: formulas (constants as values) and number formats of its used range. */
export interface SheetOriginals {
  readonly originRow: number;
  readonly originCol: number;
  readonly formulas: ReadonlyArray<ReadonlyArray<unknown>>;
  readonly formats: ReadonlyArray<ReadonlyArray<string>>;
}

const isCode = (e: unknown, code: string): boolean => (e as { code?: string } | null)?.code === code;

interface Probe {
  readonly ws: Excel.Worksheet;
  readonly input: boolean;
  readonly used: Excel.Range | null;
  readonly head: Excel.Range;
  readonly mark: Excel.WorksheetCustomProperty | null;
  readonly protection: Excel.WorksheetProtection | null;
}

/** Rows of a range read: values as cells, plus formulas and formats when asked. */
interface RowsRead { values: CellValue[][]; formulas?: unknown[][]; formats?: string[][] }

function rowsOf(r: Excel.Range, originals: boolean): RowsRead {
  const types = r.valueTypes as unknown as string[][];
  return {
    values: (r.values as unknown[][]).map((row, i) => row.map((v, j) => toCell(v, types[i]?.[j]))),
    ...(originals ? { formulas: r.formulas as unknown[][], formats: r.numberFormat as string[][] } : {}),
  };
}

/**
 * Read the known sheets (values and their types) and the input tables' ranges. One sync at the
 * campaign scale: the first request asks for each input sheet's rows down to FIRST_READ_ROWS and
 * the top of the output sheets (all the add-in needs of them). Rows below are read in row blocks,
 * several per request, each request's answer sized from the bytes per row the first answer
 * measured so that no response passes the budget (a block that still does is split and asked
 * again). When even the first answer would be too large, it is asked again without the rows.
 * A further sync happens only when a sheet's name differs from the standard one by case or stray
 * spaces (Excel finds sheets by exact name; the format matches names loosely).
 */
export async function readWorkbookGrid(ctx: Excel.RequestContext, opts: ReadOptions = {}): Promise<WorkbookRead> {
  const budget = opts.budget ?? RESPONSE_BUDGET_BYTES;
  const originals = !!opts.originals;
  const props = originals ? 'values,valueTypes,formulas,numberFormat' : 'values,valueTypes';
  const withProperties = sheetPropertiesSupported();
  const first = async (firstRows: number) => {
    const sheets = ctx.workbook.worksheets;
    sheets.load('items/name');
    const probe = (name: string, input: boolean): Probe => {
      const ws = sheets.getItemOrNullObject(name);
      ws.load('name,position');
      const mark = withProperties ? ws.customProperties.getItemOrNullObject(ADDIN_PROPERTY_KEY) : null;
      mark?.load('value');
      if (!input) {
        const head = ws.getRangeByIndexes(0, 0, OUTPUT_HEAD.rows, OUTPUT_HEAD.cols);
        head.load('values,valueTypes');
        return { ws, input, used: null, head, mark, protection: null };
      }
      const used = ws.getUsedRangeOrNullObject(true);
      used.load('rowIndex,columnIndex,rowCount,columnCount');
      const head = used.getIntersectionOrNullObject(ws.getRangeByIndexes(0, 0, Math.max(1, firstRows), 16384));
      if (firstRows > 0) head.load(props);
      // eslint-disable-next-line office-addins/call-sync-before-read -- a navigation object, not a loaded value
      const protection = ws.protection;
      protection.load('protected');
      return { ws, input, used, head, mark, protection };
    };
    const probes = KNOWN_SHEETS.map((n) => probe(n, INPUT_SHEETS.includes(n)));
    const tables = INPUT_TABLES.map((name) => {
      const t = ctx.workbook.tables.getItemOrNullObject(name);
      t.load('name');
      const range = t.getRange();
      range.load('address');
      return { t, range };
    });
    await ctx.sync();
    return { sheets, probe, probes, tables };
  };
  let firstRows = opts.firstRows ?? FIRST_READ_ROWS;
  let r: Awaited<ReturnType<typeof first>>;
  try {
    r = await first(firstRows);
  } catch (e) {
    if (!isCode(e, 'ResponsePayloadSizeLimitExceeded')) throw e;
    firstRows = 0; // too much at once: the rows come in blocks
    r = await first(0);
  }
  const { sheets, probe, probes, tables } = r;

  const sheetNames = sheets.items.map((s) => s.name);
  // Known sheets missing by exact name but present under a loosely equal one.
  const found = new Set(probes.filter((p) => !p.ws.isNullObject).map((p) => p.ws.name));
  const loose = KNOWN_SHEETS.filter((_, i) => probes[i].ws.isNullObject)
    .map((k) => ({ k, n: sheetNames.find((n) => !found.has(n) && matchKey(n) === matchKey(k)) }))
    .filter((x): x is { k: string; n: string } => x.n !== undefined);
  const extra = loose.map(({ k, n }) => probe(n, INPUT_SHEETS.includes(k)));
  if (extra.length) await ctx.sync();

  // What each input sheet still needs below its head: row blocks.
  interface Pending { probe: Probe; rows: RowsRead; from: number; end: number; perRow: number }
  const pending: Pending[] = [];
  const heads = new Map<Probe, RowsRead>();
  for (const p of [...probes, ...extra]) {
    if (p.ws.isNullObject) continue;
    if (!p.input) { heads.set(p, rowsOf(p.head, false)); continue; }
    if (!p.used || p.used.isNullObject) continue;
    const headRows = firstRows > 0 && !p.head.isNullObject ? rowsOf(p.head, originals) : { values: [], ...(originals ? { formulas: [], formats: [] } : {}) };
    heads.set(p, headRows);
    const start = p.used.rowIndex + headRows.values.length;
    const end = p.used.rowIndex + p.used.rowCount;
    if (start >= end) continue;
    const measured = headRows.values.length ? jsonBytes(headRows) / headRows.values.length : 0;
    const perRow = Math.max(measured * 1.25, p.used.columnCount * CELL_READ_BYTES * (originals ? 2 : 1));
    pending.push({ probe: p, rows: headRows, from: start, end, perRow });
  }
  // Blocks, packed into requests under the budget; a request answered over the limit is split.
  type Block = { pending: Pending; from: number; count: number };
  const blocks: Block[] = [];
  for (const q of pending) {
    const rowsPerBlock = Math.max(1, Math.floor(budget / q.perRow));
    for (let r0 = q.from; r0 < q.end; r0 += rowsPerBlock) blocks.push({ pending: q, from: r0, count: Math.min(rowsPerBlock, q.end - r0) });
  }
  const requests: Block[][] = [];
  let cur: Block[] = [];
  let bytes = 0;
  for (const b of blocks) {
    const est = b.count * b.pending.perRow;
    if (cur.length && bytes + est > budget) { requests.push(cur); cur = []; bytes = 0; }
    cur.push(b);
    bytes += est;
  }
  if (cur.length) requests.push(cur);
  const done = new Map<Block, RowsRead>();
  while (requests.length) {
    const request = requests.shift()!;
    const ranges = request.map((b) => {
      const u = b.pending.probe.used!;
      const range = b.pending.probe.ws.getRangeByIndexes(b.from, u.columnIndex, b.count, u.columnCount);
      range.load(props);
      return range;
    });
    try {
      await ctx.sync();
    } catch (e) {
      if (!isCode(e, 'ResponsePayloadSizeLimitExceeded') || (request.length === 1 && request[0].count === 1)) throw e;
      // Split the request (or its one block) in two and ask again.
      const halves = request.length > 1
        ? [request.slice(0, request.length / 2), request.slice(request.length / 2)]
        : [[{ ...request[0], count: Math.ceil(request[0].count / 2) }], [{ ...request[0], from: request[0].from + Math.ceil(request[0].count / 2), count: Math.floor(request[0].count / 2) }]];
      if (request.length === 1) {
        // Keep the blocks in row order for assembly.
        const at = blocks.indexOf(request[0]);
        blocks.splice(at, 1, halves[0][0], halves[1][0]);
      }
      requests.unshift(...halves);
      continue;
    }
    request.forEach((b, i) => done.set(b, rowsOf(ranges[i], originals)));
  }
  for (const b of blocks) {
    const got = done.get(b)!;
    const rows = b.pending.rows;
    rows.values.push(...got.values);
    if (originals) { rows.formulas!.push(...got.formulas!); rows.formats!.push(...got.formats!); }
  }

  const grids: SheetGrid[] = [];
  const positions: Record<string, number> = {};
  const addinProperties: Record<string, string> = {};
  const protectedSheets: string[] = [];
  const originalsOf: Record<string, SheetOriginals> = {};
  for (const p of [...probes, ...extra]) {
    if (p.ws.isNullObject) continue;
    positions[p.ws.name] = p.ws.position;
    if (p.mark && !p.mark.isNullObject) addinProperties[p.ws.name] = p.mark.value;
    if (p.protection?.protected) protectedSheets.push(p.ws.name);
    const rows = heads.get(p);
    if (!rows || (p.input && (!p.used || p.used.isNullObject))) {
      grids.push({ name: p.ws.name, originRow: 0, originCol: 0, rows: [] });
      continue;
    }
    const originRow = p.input ? p.used!.rowIndex : 0;
    const originCol = p.input ? p.used!.columnIndex : 0;
    grids.push({ name: p.ws.name, originRow, originCol, rows: rows.values });
    if (originals && p.input) originalsOf[p.ws.name] = { originRow, originCol, formulas: rows.formulas!, formats: rows.formats! };
  }
  // Workbook order, so the reader sees what the user sees.
  grids.sort((a, b) => sheetNames.indexOf(a.name) - sheetNames.indexOf(b.name));
  const tableInfo: Record<string, TableInfo> = {};
  for (const { t, range } of tables) {
    if (t.isNullObject) continue;
    const box = parseRangeAddress(range.address);
    tableInfo[t.name] = { name: t.name, ...box };
  }
  return {
    grid: { sheets: grids }, sheetNames, tables: tableInfo, positions, addinProperties, protectedSheets,
    ...(originals ? { originals: originalsOf } : {}),
  };
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

/**
 * Request bytes of what the writer queues, as bounds on what Microsoft's client serializes for it
 * (each object path and action is JSON with ids; Excel.run tracks every range it hands out, and
 * the client cuts an array over 1,500 cells into chunks of rows, each a few more paths). The bounds
 * are checked against the real client's requests in test/excel-payload.test.ts.
 */
export const COST = {
  /** A range (getRangeByIndexes, its tracking and instantiation) with its first property. */
  range: 420,
  /** A navigation object: format, font, fill, dataValidation, a conditional format's parts. */
  nav: 170,
  /** A further property set or method call (its value counted apart). */
  prop: 130,
  /** Each chunk of a large array (at least 1,000 cells each, so at most one per 1,000). */
  chunk: 900,
  /** A sheet: delete, add, position, custom property, freeze panes, tab colour, page layout, activate. */
  sheet: 5000,
} as const;

/** Bytes of a 2-D array of `cells` cells whose JSON is `json` bytes, with the client's chunks. */
export function arrayCost(json: number, cells: number): number {
  return json + (cells > 1500 ? COST.prop + (Math.ceil(cells / 1000) + 1) * COST.chunk : 0);
}

/** Queues writes and syncs only when the next piece would pass the request budget. */
export class Batch {
  /** Test hook: the estimated bytes of each request when it is sent. */
  static onFlush: ((estimate: number) => void) | null = null;
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
    Batch.onFlush?.(this.bytes);
    await this.ctx.sync();
    this.syncs++;
    this.bytes = 0;
  }
}

const STYLE_COST = 3 * COST.nav + 5 * COST.prop + 60;
const FILL_COST = 2 * COST.nav + COST.prop + 20;

/** One value per cell of an n×1 range. */
function column<T>(v: T, n: number): T[][] {
  return Array.from({ length: n }, () => [v]);
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
    await batch.room(COST.range + COST.nav + 2 * COST.prop);
    const r = ws.getRangeByIndexes(cell.row, cell.col, 1, (cell.mergeAcross ?? 0) + 1);
    if (cell.align) r.format.horizontalAlignment = ALIGN[cell.align];
    if (cell.wrap) r.format.wrapText = true;
  }
  for (const t of plan.tables) {
    const n = Math.max(t.rows.length, 1);
    await batch.room(COST.range + COST.nav + COST.prop);
    ws.getRangeByIndexes(t.topRow + 1, t.leftCol, n, t.columns.length).format.verticalAlignment = 'Center';
    if (t.wrapHeader) {
      await batch.room(COST.range + COST.nav + 3 * COST.prop);
      const h = ws.getRangeByIndexes(t.topRow, t.leftCol, 1, t.columns.length);
      h.format.wrapText = true;
      h.format.horizontalAlignment = 'Center';
      h.format.verticalAlignment = 'Center';
    }
    for (const [i, c] of t.columns.entries()) {
      if (!c.align && !c.wrap) continue;
      await batch.room(COST.range + COST.nav + 3 * COST.prop);
      const r = ws.getRangeByIndexes(t.topRow + 1, t.leftCol + i, n, 1);
      if (c.align) r.format.horizontalAlignment = ALIGN[c.align];
      if (c.wrap) { r.format.wrapText = true; r.format.verticalAlignment = 'Center'; }
    }
    if (t.borders) {
      await batch.room(COST.range + 2 * COST.nav + 6 * (COST.nav + 3 * COST.prop));
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
    await batch.room(COST.range + COST.nav + COST.prop);
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
/** A bound on the request bytes of `applyPageLayout(page)` (properties, texts, one range per break). */
export function pageLayoutCost(page: PageSetup): number {
  const texts = [page.header?.left, page.header?.center, page.header?.right, page.footer?.left, page.footer?.center, page.footer?.right];
  return 20 * COST.prop + 3 * COST.nav + 2 * COST.range + texts.reduce((n, x) => n + (x ? bytesOf(x) + COST.prop : 0), 0)
    + (page.rowBreaks?.length ?? 0) * (COST.range + COST.prop);
}

/** Queue the page setup (ExcelApi 1.9, within the manifest's 1.13). */
export function applyPageLayout(ws: Excel.Worksheet, page: PageSetup): void {
  if (typeof Office !== 'undefined' && Office.context?.requirements && !Office.context.requirements.isSetSupported('ExcelApi', '1.9')) return;
  const layout = ws.pageLayout;
  layout.orientation = page.orientation === 'landscape' ? 'Landscape' : 'Portrait';
  layout.paperSize = 'A4';
  // One page wide, as many tall as needed: the unconstrained dimension is null (the docs), not 0.
  layout.zoom = page.fitToWidth ? { horizontalFitToPages: 1, verticalFitToPages: null as unknown as number } : { scale: page.zoom ?? 100 };
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

/**
 * Rows (0-based, exclusive end) a table's dropdowns may cover: its rows and room for rows the user
 * adds, but never into another table (or its caption) below it on the sheet — a `TieuChi` rule must
 * not reach the `GiaiThuong` table.
 */
export function validationEnd(plan: SheetPlan, t: TablePlan): number {
  const first = t.topRow + 1;
  const rows = Math.max(t.rows.length, 1);
  let end = first + Math.max(rows, VALIDATION_EXTRA_ROWS);
  for (const o of plan.tables) {
    if (o === t || o.topRow <= t.topRow) continue;
    const overlapsCols = o.leftCol <= t.leftCol + t.columns.length - 1 && t.leftCol <= o.leftCol + o.columns.length - 1;
    if (overlapsCols) end = Math.min(end, o.topRow - (o.caption ? 1 : 0));
  }
  return Math.max(end, first + rows);
}

async function writeTable(batch: Batch, ws: Excel.Worksheet, t: TablePlan, plan?: SheetPlan, priorityBase = 0): Promise<void> {
  const width = t.columns.length;
  const rows: PlanCell[][] = (t.rows.length ? t.rows : [t.columns.map(() => null)]).map((r) => Array.from({ length: width }, (_, i) => r[i] ?? null));
  if (t.caption) {
    await batch.room(COST.range + COST.prop + bytesOf(t.caption) + STYLE_COST + 40);
    const cap = ws.getRangeByIndexes(t.topRow - 1, t.leftCol, 1, 1);
    cap.numberFormat = [['@']];
    cap.values = [[t.caption]];
    styleCells(cap, 'label');
  }
  const headers = t.columns.map((c) => c.header);
  await batch.room(COST.range + COST.prop + bytesOf(headers) + width * 6 + STYLE_COST);
  const header = ws.getRangeByIndexes(t.topRow, t.leftCol, 1, width);
  header.numberFormat = [t.columns.map(() => '@')];
  header.values = [headers];
  styleCells(header, 'header');

  // Number formats first: a text cell must be text before its value arrives.
  for (let c = 0; c < width; c++) {
    for (const run of formatRuns(t, rows, c)) {
      // Office.js documents numberFormat as a 2-D array of the range's shape (no single value for many cells).
      const n = run.to - run.from + 1;
      const formats = column(run.fmt, n);
      await batch.room(COST.range + arrayCost(bytesOf(formats), n));
      ws.getRangeByIndexes(t.topRow + 1 + run.from, t.leftCol + c, n, 1).numberFormat = formats;
    }
  }

  // Values, in pieces that each fit a request.
  let start = 0;
  while (start < rows.length) {
    let end = start;
    let bytes = 0;
    while (end < rows.length && (bytes < PIECE_BYTES || end === start)) {
      bytes += bytesOf(rows[end].map((v) => (isFormulaCell(v) ? '' : scalar(v)))) + 1;
      end++;
    }
    await batch.room(COST.range + arrayCost(bytes, (end - start) * width));
    const piece = rows.slice(start, end).map((r) => r.map((v) => (isFormulaCell(v) ? '' : scalar(v))));
    ws.getRangeByIndexes(t.topRow + 1 + start, t.leftCol, end - start, width).values = piece;
    start = end;
  }

  await batch.room(COST.range + COST.nav + 3 * COST.prop + bytesOf(t.name) + bytesOf(STYLE.tableStyle));
  const all = ws.getRangeByIndexes(t.topRow, t.leftCol, rows.length + 1, width);
  const table = ws.tables.add(all, true);
  table.name = t.name;
  table.style = STYLE.tableStyle;

  // The derived columns of the format (`EVN.*` formulas), after the table exists: the formula
  // filled down the column's data rows in one go, so Excel makes it a calculated column — a row
  // an accountant adds in Excel gets the formulas, also when the add-in is gone.
  const calculated = calculatedColumns(t);
  for (const [c, formula] of calculated) {
    const formulas = rows.map((_, r) => ['=' + formula(t.topRow + 2 + r).replace(/^=/, '')]);
    await batch.room(COST.range + arrayCost(bytesOf(formulas), formulas.length));
    ws.getRangeByIndexes(t.topRow + 1, t.leftCol + c, rows.length, 1).formulas = formulas;
  }
  // Other formula cells: contiguous runs per column.
  for (let c = 0; c < width; c++) {
    if (calculated.has(c)) continue;
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
      await batch.room(COST.range + arrayCost(bytesOf(formulas), formulas.length));
      ws.getRangeByIndexes(t.topRow + 1 + from, t.leftCol + c, formulas.length, 1).formulas = formulas;
    }
  }

  for (const run of rowStyleRuns(t.rowStyles ?? [])) {
    await batch.room(COST.range + FILL_COST);
    ws.getRangeByIndexes(t.topRow + 1 + run.from, t.leftCol, run.to - run.from + 1, width).format.fill.color = '#' + STYLE.rows[run.style];
  }

  // Highlights that follow the values. Excel puts each new format at the top priority; setting
  // the priority keeps the plan's order (first wins), as the .xlsx writer's priorities do.
  if (t.conditionalFormats?.length) {
    const formulas = t.conditionalFormats.map((rule) => '=' + rowHighlightFormula(t, rule));
    await batch.room(COST.range + formulas.reduce((n, f) => n + 6 * COST.nav + 4 * COST.prop + bytesOf(f), 0));
    const data = ws.getRangeByIndexes(t.topRow + 1, t.leftCol, rows.length, width);
    t.conditionalFormats.forEach((rule, i) => {
      const cf = data.conditionalFormats.add('Custom');
      cf.custom.rule.formula = formulas[i];
      cf.custom.format.fill.color = '#' + STYLE.rows[rule.style];
      cf.priority = priorityBase + i;
    });
  }

  for (const link of t.links ?? []) {
    const v = rows[link.row]?.[link.col];
    const hyperlink = {
      documentReference: `${quoteSheet(link.sheet)}!${link.cell}`,
      textToDisplay: typeof v === 'string' || typeof v === 'number' ? String(v) : link.cell,
    };
    await batch.room(COST.range + COST.prop + bytesOf(hyperlink));
    ws.getRangeByIndexes(t.topRow + 1 + link.row, t.leftCol + link.col, 1, 1).hyperlink = hyperlink;
  }

  // Dropdowns and input messages over the table's rows and room for rows the user adds; a value
  // off the list warns (the design, and what the .xlsx writer writes) rather than stops.
  const validationRows = plan ? validationEnd(plan, t) - (t.topRow + 1) : Math.max(rows.length, VALIDATION_EXTRA_ROWS);
  for (const [c, col] of t.columns.entries()) {
    if (!col.list && !col.listSource && !col.prompt) continue;
    const rule = col.list || col.listSource ? { list: { inCellDropDown: true, source: col.listSource ?? col.list!.join(',') } } : null;
    const alert = rule ? { showAlert: true, style: 'Warning', title: col.header.slice(0, 32), message: LIST_ALERT } : null;
    const prompt = col.prompt ? { showPrompt: true, title: col.header.slice(0, 32), message: col.prompt.slice(0, 255) } : null;
    await batch.room(COST.range + COST.nav + 3 * COST.prop + bytesOf(rule) + bytesOf(alert) + bytesOf(prompt));
    const range = ws.getRangeByIndexes(t.topRow + 1, t.leftCol + c, validationRows, 1);
    // The rule before the prompt: a prompt first, then a rule on the same cells, is what Excel on the web rejects (office-js#2594).
    if (rule) range.dataValidation.rule = rule;
    if (alert) range.dataValidation.errorAlert = alert as Excel.DataValidationErrorAlert;
    if (prompt) range.dataValidation.prompt = prompt;
  }
}

/** The format's derived columns of a table plan (by table name and headers): column → formula for a 1-based Excel row. */
function calculatedColumns(t: TablePlan): Map<number, (excelRow: number) => string> {
  const out = new Map<number, (excelRow: number) => string>();
  const def = [SAVING, SERVICE, INDIVIDUAL, INFO].find((d) => d.id === t.name);
  if (!def || t.leftCol !== 0) return out;
  const letters: Record<string, string> = {};
  def.fields.forEach((f, i) => { letters[f.key] = columnLetters(i); });
  def.fields.forEach((f, i) => {
    const formula = (f as { formula?: (l: Record<string, string>, row: number) => string }).formula;
    if (f.type === 'derived' && formula && t.columns[i]?.header === f.header) out.set(i, (row) => formula(letters, row));
  });
  return out;
}

/** The warning a value off a dropdown's list gets (Vietnamese first: users read it in Excel). */
const LIST_ALERT = 'Giá trị không có trong danh sách. / The value is not in the list.';

/**
 * Write one sheet from its plan, replacing the add-in's previous sheet of that name — never a
 * user's sheet. Queues the whole sheet and syncs once (more only past the request budget).
 */
export async function writeSheetPlan(
  ctx: Excel.RequestContext, plan: SheetPlan, state: SheetState,
  opts: { activate?: boolean; read?: WorkbookRead; /** Queued last, in the sheet's last request. */ before?: () => void; /** Shared with other sheets (writeSheetPlans flushes it). */ batch?: Batch } = {},
): Promise<number> {
  if (state === 'user') {
    throw new UserError(
      `Sổ tính đã có sheet "${plan.name}" do người dùng tạo; phần bổ trợ không ghi đè. Hãy đổi tên sheet đó rồi chạy lại.`,
      `The workbook already has a sheet "${plan.name}" that the add-in did not make; it is not overwritten. Rename that sheet and run again.`,
    );
  }
  const batch = opts.batch ?? new Batch(ctx);
  batch.add(COST.sheet);
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
  for (const [c, w] of widths.entries()) {
    if (!w) continue;
    await batch.room(COST.range + COST.nav + 20);
    ws.getRangeByIndexes(0, c, 1, 1).format.columnWidth = Math.round(w * POINTS_PER_CHAR * 10) / 10;
  }

  for (const cell of plan.cells) {
    if (cell.value === null) continue;
    await batch.room(COST.range + 2 * COST.prop + 2 * bytesOf(cell.value) + 60 + (cell.style ? STYLE_COST : 0) + (cell.mergeAcross ? COST.range + COST.prop : 0));
    const r = ws.getRangeByIndexes(cell.row, cell.col, 1, 1);
    if (typeof cell.value === 'string') r.numberFormat = [['@']];
    else if (cell.numFmt) r.numberFormat = [[cell.numFmt]];
    r.values = [[scalar(cell.value)]];
    if (cell.style) styleCells(r, cell.style);
    if (cell.mergeAcross) ws.getRangeByIndexes(cell.row, cell.col, 1, cell.mergeAcross + 1).merge(false);
  }
  // Conditional-format priorities are per sheet: each table's rules follow the previous tables'.
  let priorityBase = 0;
  for (const t of plan.tables) {
    await writeTable(batch, ws, t, plan, priorityBase);
    priorityBase += t.conditionalFormats?.length ?? 0;
  }

  if (plan.freezeRows) ws.freezePanes.freezeRows(plan.freezeRows);
  if (plan.tabColor) ws.tabColor = '#' + plan.tabColor;
  await applyCellLayout(ws, plan, batch);
  if (plan.page) {
    await batch.room(pageLayoutCost(plan.page));
    applyPageLayout(ws, plan.page);
  }
  // Defined names (the template's Tiêu chí): added once their sheet exists, in this sheet's
  // request; formulas written earlier that use them resolve when the name appears.
  for (const n of plan.names ?? []) {
    ctx.workbook.names.add(n.name, '=' + n.ref);
    batch.add(bytesOf(n.ref) + 200);
  }
  if (opts.activate) ws.activate();
  opts.before?.();
  // A shared batch is flushed by its owner (writeSheetPlans), so several sheets go in one request.
  if (opts.batch) return batch.syncs;
  await batch.flush();
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

/** Request bytes of one number-format run or formula run: its range, the property, a chunk's rounding. */
const RUN_BYTES = COST.range + 2 * COST.prop + COST.chunk;
/** Request bytes of a slice besides its rows: the values range, the array check, a chunk's rounding. */
const SLICE_BYTES = COST.range + 2 * COST.prop + COST.chunk;
/** Chunk bytes per cell of a large array (a chunk per 1,000 cells at most). */
const CHUNK_PER_CELL = COST.chunk / 1000;

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
    let n = jsonBytes(vals) + 2 + b.width * CHUNK_PER_CELL;
    const f = b.formulas?.[r];
    if (f) for (let c = 0; c < b.width; c++) if (f[c] !== null) n += jsonBytes(f[c]) + 4 + CHUNK_PER_CELL + (r === 0 || b.formulas![r - 1][c] === null ? RUN_BYTES : 0);
    const fmt = b.formats[r];
    for (let c = 0; c < b.width; c++) {
      if (fmt[c] === null) continue;
      // Each cell's format is in the run's 2-D array; a new run is a range of its own.
      n += jsonBytes(fmt[c]) + 4 + CHUNK_PER_CELL + (r === 0 || b.formats[r - 1][c] !== fmt[c] ? RUN_BYTES : 0);
    }
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
      ws.getRangeByIndexes(b.row + start, b.col + c, r - start, 1).numberFormat = column(fmt, r - start);
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

/** The import's rows as cell blocks. */
function importBlocks(writes: readonly RowsWrite[]): CellBlock[] {
  return writes.filter((w) => w.values.length).map((w) => {
    const width = w.values[0].length;
    const values = w.values.map((r) => r.map((v) => (isFormulaCell(v as PlanCell) ? null : (v as Scalar | null))));
    const hasFormulas = w.values.some((r) => r.some((v) => isFormulaCell(v as PlanCell)));
    const formulas = hasFormulas
      ? w.values.map((r) => r.map((v) => (isFormulaCell(v as PlanCell) ? '=' + (v as { formula: string }).formula.replace(/^=/, '') : null)))
      : null;
    return { sheet: w.sheet, row: w.row, col: w.col, width, values, formulas, formats: w.formats };
  });
}

/** Would Excel read this text as something else (a number, date, formula, error, boolean) when written back? */
const NOT_PLAIN_TEXT = /^\s*([=+\-@#'"]|[\d.,]|(true|false)\s*$)/i;

/**
 * What rows of a block held before the import, as a block that writes it back: the formats as
 * they were, constants as values (text that Excel would read as something else keeps a leading
 * `'`), formulas as formulas. Cells outside what was read (below the data) were blank: they get
 * `''` and the General format back. Formula cells are told from text by the value the read saw.
 */
function restoreBlock(b: CellBlock, s: RowSlice, originals: SheetOriginals | undefined, current: SheetGrid | undefined): CellBlock {
  const seen = (r: number, c: number): CellValue => (current ? cellAt(current, b.row + r, b.col + c) : null);
  const original = (r: number, c: number): { f: unknown; fmt: string } => {
    const i = b.row + r - (originals?.originRow ?? 0);
    const j = b.col + c - (originals?.originCol ?? 0);
    const f = originals?.formulas[i]?.[j];
    return f === undefined ? { f: '', fmt: 'General' } : { f, fmt: originals!.formats[i][j] };
  };
  let anyFormula = false;
  const values: (Scalar | null)[][] = [];
  const texts: (string | null)[][] = [];
  const formats: string[][] = [];
  for (let r = s.from; r < s.to; r++) {
    const vals: (Scalar | null)[] = [];
    const fs: (string | null)[] = [];
    const fmts: string[] = [];
    for (let c = 0; c < b.width; c++) {
      const { f, fmt } = original(r, c);
      const before = seen(r, c);
      fmts.push(fmt);
      if (typeof f === 'string' && f.startsWith('=') && f.length > 1 && before !== f) {
        vals.push(null);
        fs.push(f);
        anyFormula = true;
      } else if (typeof f === 'string' && typeof before === 'object' && before !== null && before.error === f) {
        vals.push(f); // an error constant: values turns the text back into the error
        fs.push(null);
      } else if (typeof f === 'string' && f !== '' && fmt !== '@' && NOT_PLAIN_TEXT.test(f)) {
        vals.push("'" + f);
        fs.push(null);
      } else {
        vals.push(f === null || f === undefined ? '' : (f as Scalar));
        fs.push(null);
      }
    }
    values.push(vals);
    texts.push(fs);
    formats.push(fmts);
  }
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

/** `Tiết kiệm điện` rows 12–40, `Cá nhân` rows 8–9: what a list of slices covers, in Excel's row numbers. */
function rowsText(blocks: readonly CellBlock[], slices: readonly RowSlice[], lang: 'vi' | 'en'): string {
  const bySheet = new Map<string, { from: number; to: number }>();
  for (const s of slices) {
    const b = blocks[s.block];
    const x = bySheet.get(b.sheet);
    const from = b.row + s.from + 1;
    const to = b.row + s.to;
    bySheet.set(b.sheet, x ? { from: Math.min(x.from, from), to: Math.max(x.to, to) } : { from, to });
  }
  return [...bySheet].map(([n, r]) => `"${n}" ${lang === 'vi' ? 'dòng' : 'rows'} ${r.from}–${r.to}`).join(', ');
}

/**
 * Refuse an import before anything is written when a sheet it writes is protected, or when it must
 * resize a table and Excel lacks `Table.resize` (ExcelApi 1.13).
 */
export function checkImportable(read: WorkbookRead, writes: readonly RowsWrite[]): void {
  const targets = [...new Set(writes.map((w) => w.sheet))];
  const locked = targets.filter((n) => read.protectedSheets.includes(n));
  if (locked.length) {
    const names = locked.map((n) => `"${n}"`).join(', ');
    throw new UserError(
      `Sheet ${names} đang được bảo vệ (Protect Sheet); không nhập gì. Hãy bỏ bảo vệ sheet (Xem lại › Bỏ bảo vệ trang tính) rồi nhập lại.`,
      `Sheet(s) ${names} are protected (Protect Sheet); nothing was imported. Unprotect them (Review › Unprotect Sheet) and import again.`,
    );
  }
  if (writes.some((w) => w.table) && !(typeof Office !== 'undefined' && Office.context?.requirements?.isSetSupported('ExcelApi', '1.13'))) {
    throw new UserError(
      'Phiên bản Excel này không mở rộng được bảng (cần ExcelApi 1.13, có trong Microsoft 365 và Excel trên web); không nhập gì. Hãy cập nhật Excel hoặc dùng Excel trên web.',
      'This Excel cannot resize tables (it needs ExcelApi 1.13: Microsoft 365, Excel on the web); nothing was imported. Update Excel or use Excel on the web.',
    );
  }
}

/**
 * Write the rows of an import, all or nothing. Everything is queued for one sync; only past the
 * request budget are the rows cut into row slices, one request each, and the table resizes lead
 * the last request (if one fails, Excel stops there, before that request's rows). What the rows
 * held before is known from the read (`read.originals`: formulas and formats of the used range),
 * so when a request fails — part-way or whole — the rows of every request up to and including
 * it are written back, the tables resized back, and an ImportWriteError says that nothing changed;
 * if even that fails, which sheets and rows may be half-written.
 */
export async function writeRows(ctx: Excel.RequestContext, writes: readonly RowsWrite[], read: WorkbookRead, budget = REQUEST_BUDGET_BYTES): Promise<number> {
  checkImportable(read, writes);
  const blocks = importBlocks(writes);
  const requests = planSlices(blocks, budget);
  const tables = writes.filter((w) => w.table);
  if (!requests.length && tables.length) requests.push([]);
  let syncs = 0;
  for (const [i, request] of requests.entries()) {
    if (i === requests.length - 1) for (const w of tables) ctx.workbook.tables.getItem(w.table!.name).resize(w.table!.address);
    for (const slice of request) queueSlice(ctx, blocks[slice.block], slice);
    try {
      await ctx.sync();
      syncs++;
    } catch (e) {
      syncs++;
      const resized = i === requests.length - 1 ? tables.map((w) => w.table!.name) : [];
      await rollBack(ctx, e, blocks, requests.slice(0, i + 1).flat(), read, resized, budget);
    }
  }
  return syncs;
}

async function rollBack(
  ctx: Excel.RequestContext, cause: unknown, blocks: readonly CellBlock[], touched: readonly RowSlice[], read: WorkbookRead,
  resized: readonly string[], budget: number,
): Promise<never> {
  const resizeBack = () => {
    for (const t of Object.values(read.tables)) {
      if (resized.includes(t.name)) ctx.workbook.tables.getItem(t.name).resize(`${quoteSheet(t.sheet)}!${boxAddress(t.r0, t.c0, t.r1, t.c1)}`);
    }
  };
  const why = reasonOf(cause);
  const restore = touched.map((slice) => {
    const b = blocks[slice.block];
    return restoreBlock(b, slice, read.originals?.[b.sheet], read.grid.sheets.find((g) => g.name === b.sheet));
  });
  try {
    const plan = planSlices(restore, budget);
    for (const [i, request] of plan.entries()) {
      // The tables back to their size before the import, first (the resize may or may not have run).
      if (i === 0) resizeBack();
      for (const slice of request) queueSlice(ctx, restore[slice.block], slice);
      await ctx.sync();
    }
    if (!plan.length && resized.length) {
      resizeBack();
      await ctx.sync();
    }
  } catch (e) {
    throw new ImportWriteError(
      `Nhập dữ liệu thất bại khi ghi vào Excel (${why}) và không khôi phục lại được (${reasonOf(e)}): ${rowsText(blocks, touched, 'vi')} có thể chỉ được ghi một phần. Hãy đóng sổ tính mà không lưu rồi mở lại trước khi nhập lại.`,
      `The import failed while writing to Excel (${why}) and could not be rolled back (${reasonOf(e)}): ${rowsText(blocks, touched, 'en')} may be half-written. Close the workbook without saving and open it again before importing again.`,
      cause, false,
    );
  }
  throw new ImportWriteError(
    `Nhập dữ liệu thất bại khi ghi vào Excel (${why}); đã hoàn tác: bảng tổng hợp giữ nguyên như trước khi nhập, không có gì thay đổi. Hãy thử nhập lại.`,
    `The import failed while writing to Excel (${why}); it was rolled back: the master is as it was before the import, nothing changed. Try the import again.`,
    cause, true,
  );
}

/**
 * Queue Excel sheet protection (no password: against accidental edits, not an attacker) on or off
 * for the named sheets; the caller's next sync applies it. Sheets must exist.
 */
export function queueProtection(ctx: Excel.RequestContext, sheets: readonly string[], on: boolean): void {
  for (const name of sheets) {
    const protection = ctx.workbook.worksheets.getItem(name).protection;
    if (on) protection.protect();
    else protection.unprotect();
  }
}

/** A1 range of a 0-based box, without the sheet. */
export function boxAddress(r0: number, c0: number, r1: number, c1: number): string {
  return `${a1(r0, c0)}:${a1(r1, c1)}`;
}

export { columnLetters };
