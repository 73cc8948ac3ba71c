/**
 * The workbook behind the test Excel host: plain data (sheets, cells, tables, validations, …) that
 * the RichApi executor (richapi.ts) reads and changes when Microsoft's Excel client library
 * (`@microsoft/office-js`) sends it requests. Tests build workbooks from grids and inspect them
 * here; nothing in this file talks Office.js.
 */
import type { CellValue, SheetGrid, WorkbookGrid } from '../../../src/core/cells';
import { a1, columnLetters, parseA1 } from '../../../src/core/cells';

/** Excel on the web refuses a request, or a response, whose JSON is over 5 MB. */
export const REQUEST_LIMIT_BYTES = 5 * 1024 * 1024;
export const RESPONSE_LIMIT_BYTES = 5 * 1024 * 1024;
export const MAX_ROWS = 1048576;
export const MAX_COLS = 16384;

/** An error as Excel reports it: `code` is the Office.js error code. */
export class StandinError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'RichApi.Error';
  }
}

// --- The workbook model --------------------------------------------------------------------------

export interface CellModel {
  v: CellValue;
  /** Formula text with the leading `=`. */
  f?: string;
  fmt?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: string;
  color?: string;
  size?: number;
  font?: string;
  fill?: string;
  wrap?: boolean;
  align?: string;
  valign?: string;
  link?: string;
  /** Borders by edge (`EdgeTop`, …): style, color, weight. */
  borders?: Record<string, Record<string, unknown>>;
}

export interface TableModel {
  name: string;
  id: string;
  sheet: SheetModel;
  r0: number; c0: number; r1: number; c1: number;
  style?: string;
  showBandedRows?: boolean;
  showFilterButton?: boolean;
  showTotals?: boolean;
  /** Calculated column formulas (the first data row's, with `=`) by column offset. */
  calculated: Map<number, string>;
}

export interface ValidationModel {
  r0: number; c0: number; r1: number; c1: number;
  rule: unknown;
  prompt?: unknown;
  errorAlert?: unknown;
  ignoreBlanks?: boolean;
}

/** A conditional format as Excel keeps it; a sheet's list is in priority order (first wins). */
export interface ConditionalFormatModel {
  r0: number; c0: number; r1: number; c1: number;
  type: string;
  /** Custom rule formula, with the leading `=`. */
  formula?: string;
  fill?: string;
  fontColor?: string;
  bold?: boolean;
  stopIfTrue?: boolean;
}

export interface NamedItemModel {
  name: string;
  /** `=Sheet!$A$1` as given. */
  formula: string;
  comment?: string;
  visible: boolean;
  /** Sheet-scoped names belong to a sheet. */
  sheet?: SheetModel;
}

let nextSheetId = 1;

export class SheetModel {
  readonly id = `{00000000-0001-0000-${String(nextSheetId).padStart(4, '0')}-${String(nextSheetId++).padStart(12, '0')}}`;
  readonly cells = new Map<string, CellModel>();
  readonly conditionalFormats: ConditionalFormatModel[] = [];
  readonly colWidths = new Map<number, number>();
  readonly rowHeights = new Map<number, number>();
  readonly validations: ValidationModel[] = [];
  readonly merges: string[] = [];
  /** Worksheet custom properties by key as written (Excel finds keys case-insensitively). */
  readonly customProperties = new Map<string, string>();
  readonly names: NamedItemModel[] = [];
  frozenRows = 0;
  frozenCols = 0;
  tabColor = '';
  visibility = 'Visible';
  /** Worksheet protection: while on, cells, formats, tables and validations refuse writes. */
  protected = false;
  protectionOptions: Record<string, unknown> = {};
  protectionPassword: string | undefined;
  /** Page layout properties as set (`orientation`, `paperSize`, `zoom`, `leftMargin`, …). */
  page: Record<string, unknown> = {};
  /** `headersFooters.defaultForAllPages.centerFooter` etc. by `<which>.<part>` */
  readonly headerFooter: Record<string, string> = {};
  /** Row indexes (0-based) before which a manual page break is set. */
  readonly rowBreaks: number[] = [];
  readonly columnBreaks: number[] = [];
  constructor(public name: string) {}

  static key(r: number, c: number): string {
    return `${r},${c}`;
  }
  cell(r: number, c: number): CellModel | undefined {
    return this.cells.get(SheetModel.key(r, c));
  }
  touch(r: number, c: number): CellModel {
    const k = SheetModel.key(r, c);
    let m = this.cells.get(k);
    if (!m) {
      m = { v: null };
      this.cells.set(k, m);
    }
    return m;
  }
  /** Bounding box of cells with a value or formula (`valuesOnly`) or anything at all. */
  usedBox(valuesOnly: boolean): Box | null {
    let box: Box | null = null;
    for (const [k, m] of this.cells) {
      if (valuesOnly && m.v === null && m.f === undefined) continue;
      const [r, c] = k.split(',').map(Number);
      if (!box) box = { r0: r, c0: c, r1: r, c1: c };
      else {
        box.r0 = Math.min(box.r0, r); box.c0 = Math.min(box.c0, c);
        box.r1 = Math.max(box.r1, r); box.c1 = Math.max(box.c1, c);
      }
    }
    return box;
  }
  /** Nothing at all in it (a new workbook's `Sheet1`). */
  isEmpty(): boolean {
    return this.cells.size === 0 && this.validations.length === 0 && this.conditionalFormats.length === 0 && this.merges.length === 0;
  }
}

export interface StandinOptions {
  /** How a blank cell reads back in `Range.values`: `""` (Excel desktop) or `null`. */
  readonly blanks?: 'empty' | 'null';
  readonly displayLanguage?: string;
  /** The ExcelApi requirement set the host supports (default 1.13), as `1.12` or `'1.12'`; newer APIs fail with ApiNotFound. */
  readonly excelApi?: number | string;
  /** Which Excel: `web` enforces the 5 MB request and response limits (default), `desktop` does not. */
  readonly platform?: 'web' | 'desktop';
}

export class StandinWorkbook {
  readonly sheets: SheetModel[] = [];
  readonly tables: TableModel[] = [];
  readonly names: NamedItemModel[] = [];
  /** Document custom properties (`workbook.properties.custom`). */
  readonly customProperties = new Map<string, unknown>();
  /** Requests answered (one per `context.sync()` that had something to send). */
  syncCount = 0;
  /** Serialized bytes of each request, in order (what the client put on the wire). */
  readonly requestSizes: number[] = [];
  /** Requests in which Excel.run released the objects it had tracked (not counted in syncCount). */
  cleanupRequests = 0;
  /** Serialized bytes of each response, in order. */
  readonly responseSizes: number[] = [];
  activeSheet: SheetModel | null = null;
  selection: { sheet: string; address: string } | null = null;
  blanks: 'empty' | 'null';
  displayLanguage: string;
  excelApi: number | string;
  platform: 'web' | 'desktop';
  /** Test hook: called before each action runs; throw to make that request fail there. */
  beforeAction: ((info: { request: number; action: number; type: string; member: string }) => void) | null = null;

  constructor(opts: StandinOptions = {}) {
    this.blanks = opts.blanks ?? 'empty';
    this.displayLanguage = opts.displayLanguage ?? 'vi-VN';
    this.excelApi = opts.excelApi ?? 1.13;
    this.platform = opts.platform ?? 'web';
  }

  static fromGrid(grid: WorkbookGrid, opts: StandinOptions = {}): StandinWorkbook {
    const wb = new StandinWorkbook(opts);
    for (const s of grid.sheets) {
      const sheet = wb.addSheet(s.name);
      s.rows.forEach((row, i) => row.forEach((v, j) => {
        if (v === null || v === undefined || v === '') return;
        sheet.touch(s.originRow + i, s.originCol + j).v = v;
      }));
    }
    return wb;
  }

  sheet(name: string): SheetModel | undefined {
    const k = name.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === k);
  }

  addSheet(name: string): SheetModel {
    if (this.sheet(name)) throw new StandinError('ItemAlreadyExists', `sheet ${name} exists`);
    if (!name || name.length > 31 || /[\\/?*[\]:]/.test(name)) throw new StandinError('InvalidArgument', `bad sheet name ${JSON.stringify(name)}`);
    const s = new SheetModel(name);
    this.sheets.push(s);
    if (!this.activeSheet) this.activeSheet = s;
    return s;
  }

  deleteSheet(s: SheetModel): void {
    const i = this.sheets.indexOf(s);
    if (i < 0) throw new StandinError('ItemNotFound', 'sheet already deleted');
    if (this.sheets.filter((x) => x.visibility === 'Visible').length === 1 && s.visibility === 'Visible') {
      throw new StandinError('InvalidOperation', 'a workbook must keep one visible sheet');
    }
    this.sheets.splice(i, 1);
    for (let t = this.tables.length - 1; t >= 0; t--) if (this.tables[t].sheet === s) this.tables.splice(t, 1);
    for (let n = this.names.length - 1; n >= 0; n--) if (this.names[n].sheet === s) this.names.splice(n, 1);
    if (this.activeSheet === s) this.activeSheet = this.sheets[Math.max(0, i - 1)];
    if (this.selection?.sheet === s.name) this.selection = null;
  }

  /** A sheet as the engine sees it (values of its used range). */
  toSheetGrid(s: SheetModel): SheetGrid {
    const box = s.usedBox(true);
    if (!box) return { name: s.name, originRow: 0, originCol: 0, rows: [] };
    const rows: CellValue[][] = [];
    for (let r = box.r0; r <= box.r1; r++) {
      const row: CellValue[] = [];
      for (let c = box.c0; c <= box.c1; c++) row.push(s.cell(r, c)?.v ?? null);
      rows.push(row);
    }
    return { name: s.name, originRow: box.r0, originCol: box.c0, rows };
  }

  toGrid(file?: string): WorkbookGrid {
    return { file, sheets: this.sheets.map((s) => this.toSheetGrid(s)) };
  }

  /**
   * Everything stored in a sheet, in a stable text form, for byte-for-byte comparisons. Object keys
   * are written sorted: the order in which the host happened to set a cell's properties (a formula
   * cleared by a value and set again by a rollback lands after the borders) is not workbook state.
   * Arrays keep their order (rule priority is state).
   */
  snapshot(name: string): string {
    const s = this.sheet(name);
    if (!s) return '<missing>';
    const keys = [...s.cells.keys()].sort((x, y) => {
      const [a, b] = x.split(',').map(Number);
      const [c, d] = y.split(',').map(Number);
      return a - c || b - d;
    });
    return canonicalJson({
      name: s.name,
      cells: keys.map((k) => [k, s.cells.get(k)]),
      widths: [...s.colWidths.entries()].sort((x, y) => x[0] - y[0]),
      validations: s.validations,
      conditionalFormats: s.conditionalFormats,
      customProperties: [...s.customProperties.entries()],
      tables: this.tables.filter((t) => t.sheet === s).map((t) => ({
        name: t.name, r0: t.r0, c0: t.c0, r1: t.r1, c1: t.c1, style: t.style, calculated: [...t.calculated.entries()].sort((x, y) => x[0] - y[0]),
      })),
    });
  }
}

/** JSON with every object's keys in sorted order (same content, same text, whatever the insertion order). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  });
}

// --- Addresses -----------------------------------------------------------------------------------

export interface Box { r0: number; c0: number; r1: number; c1: number }

export function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

export function boxAddress(b: Box): string {
  const tl = a1(b.r0, b.c0);
  return b.r0 === b.r1 && b.c0 === b.c1 ? tl : `${tl}:${a1(b.r1, b.c1)}`;
}

function parseLetters(s: string): number {
  let col = 0;
  for (const ch of s.toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return col - 1;
}

/** The sheet part of `'My sheet'!A1` (unquoted), or null. */
export function sheetOfAddress(address: string): string | null {
  const bang = address.lastIndexOf('!');
  if (bang < 0) return null;
  const s = address.slice(0, bang).replace(/^=/, '');
  return s.startsWith("'") ? s.slice(1, -1).replace(/''/g, "'") : s;
}

/** `A1`, `A1:C3`, `A:C`, `2:5`, with optional `$` and an optional `Sheet!` prefix (ignored). */
export function parseAddress(address: string): Box {
  const bare = address.includes('!') ? address.slice(address.lastIndexOf('!') + 1) : address;
  const parts = bare.replace(/\$/g, '').split(':');
  if (parts.length > 2 || !parts[0]) throw new StandinError('InvalidArgument', `bad address ${address}`);
  const one = parts[0];
  const two = parts[1] ?? parts[0];
  if (/^[A-Z]+$/i.test(one) && /^[A-Z]+$/i.test(two)) return { r0: 0, c0: parseLetters(one), r1: MAX_ROWS - 1, c1: parseLetters(two) };
  if (/^\d+$/.test(one) && /^\d+$/.test(two)) return { r0: Number(one) - 1, c0: 0, r1: Number(two) - 1, c1: MAX_COLS - 1 };
  try {
    const p = parseA1(one);
    const q = parseA1(two);
    return { r0: Math.min(p.row, q.row), c0: Math.min(p.col, q.col), r1: Math.max(p.row, q.row), c1: Math.max(p.col, q.col) };
  } catch {
    throw new StandinError('InvalidArgument', `bad address ${address}`);
  }
}

export { columnLetters };
