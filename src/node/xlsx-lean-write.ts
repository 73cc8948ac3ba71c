/**
 * A lean .xlsx writer for large outputs (issue 14): renders the same sheet plans as the ExcelJS
 * writer (xlsx-write.ts) straight to XML text — no object model per cell — and packs the parts
 * with Node's native zlib. ExcelJS holds a model of every cell, its style objects and the whole
 * XML before zipping: 100,000 ranked units took minutes and over 3 GB; this takes seconds.
 *
 * It writes what the plans need and nothing else: values (strings always as text, never formulas:
 * inline strings in table bodies, where a shared-strings lookup per cell cost more than the
 * repeated bytes; shared strings elsewhere), formulas with cached results, fonts/fills/borders/alignment/number formats,
 * tables (with calculated columns), conditional formats, dropdowns, merges, widths, heights,
 * frozen header, tab colour, page setup, print titles and area, header/footer, page breaks,
 * internal hyperlinks and defined names. test/xlsx-lean-write.test.ts reads both writers' files
 * back and compares them.
 */
import * as zlib from 'zlib';
import { columnLetters } from '../core/cells';
import {
  CellStyle, ColumnPlan, FONT, FormulaCell, FreeCell, HAlign, PageSetup, PlanCell, RowStyle, STYLE, SheetPlan, StyleDef, TablePlan,
  headerFooterString, isFormulaCell, rowHighlightFormula,
} from '../core/plan';
import { VALIDATION_EXTRA_ROWS } from '../core/template';
import { calculatedFormulas, cellText, excelEscapes, listFormula, tableName } from './xlsx-write';

const CREATOR = 'Thi đua EVNCPC';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const NEEDS_ESC = /[&<>"]/;

function esc(s: string): string {
  if (!NEEDS_ESC.test(s)) return s; // most texts: one scan instead of four replaces
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Excel's limit of characters in one cell (cellText cuts there). */
const MAX_CELL_CHARS = 32767;

/**
 * Is `s` already what cellText makes of it? True when it holds no control character XML cannot
 * carry, no surrogate at all and no U+FFFE/U+FFFF, within the cell limit: then cellText(s) === s
 * and the regex is skipped (the common case: names, codes, notes).
 */
function isPlainText(s: string): boolean {
  if (s.length > MAX_CELL_CHARS) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 ? c !== 0x09 && c !== 0x0a && c !== 0x0d : c >= 0xd800 && (c <= 0xdfff || c >= 0xfffe)) return false;
  }
  return true;
}

/** Text that needs `xml:space="preserve"` to keep its spaces. */
const EDGE_SPACE = /^\s|\s$/;

/** Text a cell can hold (cellText); strings get Excel's escapes where they are written (excelEscapes). */
function xmlText(s: string): string {
  return isPlainText(s) ? s : cellText(s);
}

// ---- styles -------------------------------------------------------------------------------

interface FontSpec { readonly bold?: boolean; readonly italic?: boolean; readonly underline?: boolean; readonly size: number; readonly color?: string }
interface AlignSpec { horizontal?: HAlign; vertical?: 'middle'; wrapText?: boolean }
interface CellFormat {
  font?: FontSpec;
  fill?: string; // RGB
  align?: AlignSpec;
  border?: boolean;
  numFmt?: string;
}

const BUILTIN_FORMATS: Record<string, number> = { 'General': 0, '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4, '0%': 9, '0.00%': 10 };

function fontKey(f: FontSpec): string {
  return `${f.bold ? 1 : 0}${f.italic ? 1 : 0}${f.underline ? 1 : 0}${f.size}${f.color ?? ''}`;
}

class Styles {
  private readonly fonts: string[] = [`<font><sz val="11"/><color theme="1"/><name val="${FONT}"/><family val="2"/><scheme val="minor"/></font>`];
  private readonly fontIds = new Map<string, number>();
  private readonly fills: string[] = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>'];
  private readonly fillIds = new Map<string, number>();
  private readonly borders: string[] = ['<border><left/><right/><top/><bottom/><diagonal/></border>',
    '<border><left style="thin"><color rgb="FF808080"/></left><right style="thin"><color rgb="FF808080"/></right><top style="thin"><color rgb="FF808080"/></top><bottom style="thin"><color rgb="FF808080"/></bottom><diagonal/></border>'];
  private readonly numFmts = new Map<string, number>();
  private readonly xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly xfIds = new Map<string, number>([['', 0]]);
  readonly dxfs: string[] = [];
  private readonly dxfIds = new Map<string, number>();

  private font(f: FontSpec): number {
    const xml = `<font>${f.bold ? '<b/>' : ''}${f.italic ? '<i/>' : ''}${f.underline ? '<u/>' : ''}<sz val="${f.size}"/>${f.color ? `<color rgb="FF${f.color.toUpperCase()}"/>` : '<color theme="1"/>'}<name val="${FONT}"/><family val="2"/></font>`;
    let id = this.fontIds.get(xml);
    if (id === undefined) { id = this.fonts.length; this.fonts.push(xml); this.fontIds.set(xml, id); }
    return id;
  }

  private fill(rgb: string): number {
    let id = this.fillIds.get(rgb);
    if (id === undefined) {
      id = this.fills.length;
      this.fills.push(`<fill><patternFill patternType="solid"><fgColor rgb="FF${rgb.toUpperCase()}"/><bgColor indexed="64"/></patternFill></fill>`);
      this.fillIds.set(rgb, id);
    }
    return id;
  }

  private numFmt(code: string): number {
    if (code in BUILTIN_FORMATS) return BUILTIN_FORMATS[code];
    let id = this.numFmts.get(code);
    if (id === undefined) { id = 164 + this.numFmts.size; this.numFmts.set(code, id); }
    return id;
  }

  /** The cellXfs index of a format (0 for none). */
  xf(f: CellFormat): number {
    const a0 = f.align;
    const key = `${f.font ? fontKey(f.font) : ''}|${f.fill ?? ''}|${f.border ? 1 : 0}|${f.numFmt ?? ''}|${a0 ? `${a0.horizontal ?? ''}.${a0.vertical ?? ''}.${a0.wrapText ? 1 : 0}` : '-'}`;
    const known = this.xfIds.get(key);
    if (known !== undefined) return known;
    const fontId = f.font ? this.font(f.font) : 0;
    const fillId = f.fill ? this.fill(f.fill) : 0;
    const borderId = f.border ? 1 : 0;
    const numFmtId = f.numFmt ? this.numFmt(f.numFmt) : 0;
    const a = f.align;
    const alignXml = a ? `<alignment${a.horizontal ? ` horizontal="${a.horizontal}"` : ''}${a.vertical ? ' vertical="center"' : ''}${a.wrapText ? ' wrapText="1"' : ''}/>` : '';
    const attrs = `numFmtId="${numFmtId}" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0"`
      + `${numFmtId ? ' applyNumberFormat="1"' : ''}${fontId ? ' applyFont="1"' : ''}${fillId ? ' applyFill="1"' : ''}${borderId ? ' applyBorder="1"' : ''}${a ? ' applyAlignment="1"' : ''}`;
    const id = this.xfs.length;
    this.xfs.push(alignXml ? `<xf ${attrs}>${alignXml}</xf>` : `<xf ${attrs}/>`);
    this.xfIds.set(key, id);
    return id;
  }

  /** A differential format (conditional formatting): a solid fill. */
  dxf(rgb: string): number {
    let id = this.dxfIds.get(rgb);
    if (id === undefined) {
      id = this.dxfs.length;
      const c = `FF${rgb.toUpperCase()}`;
      this.dxfs.push(`<dxf><fill><patternFill patternType="solid"><fgColor rgb="${c}"/><bgColor rgb="${c}"/></patternFill></fill></dxf>`);
      this.dxfIds.set(rgb, id);
    }
    return id;
  }

  xml(): string {
    const fmts = [...this.numFmts].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${esc(code)}"/>`).join('');
    return `${HEAD}<styleSheet xmlns="${NS}">`
      + (this.numFmts.size ? `<numFmts count="${this.numFmts.size}">${fmts}</numFmts>` : '')
      + `<fonts count="${this.fonts.length}">${this.fonts.join('')}</fonts>`
      + `<fills count="${this.fills.length}">${this.fills.join('')}</fills>`
      + `<borders count="${this.borders.length}">${this.borders.join('')}</borders>`
      + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
      + `<cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs>`
      + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
      + `<dxfs count="${this.dxfs.length}">${this.dxfs.join('')}</dxfs>`
      + '<tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>';
  }
}

function styleFont(style: CellStyle): FontSpec {
  const s = STYLE[style] as StyleDef;
  return { bold: s.bold, italic: s.italic, underline: s.underline, size: s.size, color: s.color };
}

/** What applyCellStyle in xlsx-write.ts sets: font, fill, and alignment when the style has one. */
function withStyle(f: CellFormat, style: CellStyle): void {
  const s = STYLE[style] as StyleDef;
  f.font = styleFont(style);
  if (s.fill) f.fill = s.fill;
  if (s.align) f.align = { ...f.align, horizontal: s.align, vertical: 'middle' };
}

function withAlign(f: CellFormat, horizontal: HAlign | undefined, wrap: boolean | undefined, always = false): void {
  if (!horizontal && !wrap && !always) return;
  f.align = { ...f.align, ...(horizontal ? { horizontal } : {}), ...(wrap ? { wrapText: true } : {}), vertical: 'middle' };
}

// ---- cells --------------------------------------------------------------------------------

/** One cell as written: the value as XML (attributes + children) and its style index. */
interface Cell { v: PlanCell; s: number; text?: boolean }

class SharedStrings {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];
  count = 0;
  id(s: string): number {
    this.count++;
    let id = this.ids.get(s);
    if (id === undefined) { id = this.list.length; this.list.push(s); this.ids.set(s, id); }
    return id;
  }
  write(out: Sink): void {
    out.push(`${HEAD}<sst xmlns="${NS}" count="${this.count}" uniqueCount="${this.list.length}">`);
    for (const s of this.list) {
      const t = esc(excelEscapes(s));
      out.push(/^\s|\s$/.test(s) ? `<si><t xml:space="preserve">${t}</t></si>` : `<si><t>${t}</t></si>`);
    }
    out.push('</sst>');
    out.end();
  }
}

function numText(n: number): string {
  return String(n);
}

function cellXml(ref: string, cell: Cell, sst: SharedStrings): string {
  const s = cell.s ? ` s="${cell.s}"` : '';
  const v = cell.v;
  if (v === null || v === undefined) return `<c r="${ref}"${s}/>`;
  if (typeof v === 'string') return `<c r="${ref}"${s} t="s"><v>${sst.id(xmlText(v))}</v></c>`;
  if (typeof v === 'number') return Number.isFinite(v) ? `<c r="${ref}"${s}><v>${numText(v)}</v></c>` : `<c r="${ref}"${s}/>`;
  if (typeof v === 'boolean') return `<c r="${ref}"${s} t="b"><v>${v ? 1 : 0}</v></c>`;
  const f = v as FormulaCell;
  const formula = `<f>${esc(f.formula.replace(/^=/, ''))}</f>`;
  const r = f.result;
  if (r === undefined) return `<c r="${ref}"${s}>${formula}</c>`;
  if (typeof r === 'string') return `<c r="${ref}"${s} t="str">${formula}<v>${esc(xmlText(r))}</v></c>`;
  if (typeof r === 'boolean') return `<c r="${ref}"${s} t="b">${formula}<v>${r ? 1 : 0}</v></c>`;
  return Number.isFinite(r) ? `<c r="${ref}"${s}>${formula}<v>${numText(r)}</v></c>` : `<c r="${ref}"${s}>${formula}</c>`;
}

/** A sheet's cells by 0-based row then column; formats kept as specs until the sheet is done. */
class Grid {
  readonly rows = new Map<number, Map<number, { v: PlanCell; f: CellFormat }>>();
  get(r: number, c: number): { v: PlanCell; f: CellFormat } {
    let row = this.rows.get(r);
    if (!row) { row = new Map(); this.rows.set(r, row); }
    let cell = row.get(c);
    if (!cell) { cell = { v: null, f: {} }; row.set(c, cell); }
    return cell;
  }
}

// ---- sheets -------------------------------------------------------------------------------

function isBlank(f: CellFormat): boolean {
  return f.font === undefined && f.fill === undefined && f.align === undefined && f.border === undefined && f.numFmt === undefined;
}

interface TablePart { readonly id: number; readonly name: string; readonly ref: string; readonly xml: string }

/** The format of a table's body cell (data row `r`, column `i`), as the ExcelJS writer sets it. */
function bodyFormat(t: TablePlan, r: number, i: number): CellFormat {
  const col = t.columns[i];
  const f: CellFormat = {};
  const fmt = t.cellFormats?.[r]?.[i] ?? col.numFmt;
  if (fmt) f.numFmt = fmt;
  const rowStyle: RowStyle | undefined = t.rowStyles?.[r];
  if (rowStyle) f.fill = STYLE.rows[rowStyle];
  withAlign(f, col.align, col.wrap, true);
  if (t.borders) f.border = BORDER_ALL;
  return f;
}

/** A table body row, rendered only when its sheet row is written. */
interface BodySource { readonly t: TablePlan; readonly rows: ReadonlyArray<ReadonlyArray<PlanCell>>; readonly r: number }

/** Row style → index in ColumnStyles (0: none). */
const ROW_STYLE_INDEX: Readonly<Record<RowStyle, number>> = { award: 1, pending: 2, excluded: 3, section: 4 };
const ROW_STYLES = 5;

/** A table's body cell styles, by column × row style: xf ids and their ` s="…"` attributes. */
interface ColumnStyles {
  readonly ids: Int32Array;
  /** What follows a cell's reference: `"` + its style + the empty end, a shared string's or a number's start. */
  readonly empty: string[];
  readonly str: string[];
  readonly inl: string[];
  readonly num: string[];
}

/** The heights of a plan's rows as an array by row (a plan may give a sparse array or a record). */
function heightsByRow(h: SheetPlan['rowHeights']): ReadonlyArray<number | undefined> {
  if (!h) return [];
  if (Array.isArray(h)) return h as ReadonlyArray<number | undefined>;
  const out: (number | undefined)[] = [];
  for (const k of Object.keys(h)) out[Number(k)] = (h as Record<string, number>)[k];
  return out;
}

interface SheetOut {
  readonly tables: TablePart[];
  readonly definedNames: string[];
}

const BORDER_ALL = true;

function rowHighlightRef(t: TablePlan, rows: number): string {
  const top = t.topRow + 1;
  return `${columnLetters(t.leftCol)}${top + 1}:${columnLetters(t.leftCol + t.columns.length - 1)}${top + rows}`;
}

/** Renders one sheet into `parts` (deflated chunk by chunk as it fills). */
function renderSheet(parts: Sink, plan: SheetPlan, index: number, styles: Styles, sst: SharedStrings, usedNames: Set<string>, nextTableId: { n: number }): SheetOut {
  const grid = new Grid();
  const merges: string[] = [];
  const conditional: string[] = [];
  const validations: string[] = [];
  const links: string[] = [];
  const tables: TablePart[] = [];
  // Table body rows by sheet row: the table's index where one table has the row (the common
  // case, no object per row), -2 where several do (listed in `shared`), -1 where none does.
  const bodyEnd = plan.tables.reduce((m, t) => Math.max(m, t.topRow + 1 + Math.max(1, t.rows.length)), 0);
  const bodyOf = new Int32Array(bodyEnd).fill(-1);
  const shared = new Map<number, BodySource[]>();
  const tableRows: ReadonlyArray<ReadonlyArray<PlanCell>>[] = [];
  const linkTexts = new Map<string, string>();
  const linkRows = new Set<number>();
  const bodyStyles = new Map<TablePlan, Map<string, number>>();
  // Formats shared by many cells (a ranking's ~10,000 page headers, the cells a title's merge
  // covers) with their xf id once known (-1 before): never changed, copied where a cell changes.
  const sharedXf = new Map<CellFormat, number>();
  const share = (f: CellFormat): CellFormat => { sharedXf.set(f, -1); return f; };
  const headerFormats = new Map<string, CellFormat>();
  const headerFormat = (t: TablePlan): CellFormat => {
    const key = `${t.wrapHeader ? 1 : 0}${t.borders ? 1 : 0}`;
    let f = headerFormats.get(key);
    if (!f) {
      f = {};
      withStyle(f, 'header');
      if (t.wrapHeader) f.align = { horizontal: 'center', vertical: 'middle', wrapText: true };
      if (t.borders) f.border = BORDER_ALL;
      headerFormats.set(key, share(f));
    }
    return f;
  };
  // Body cell styles by the tables' column list (the pages of one ranking category share it):
  // per border flag, column and row style, the xf id and its ` s="…"` attribute.
  const columnStyles = new Map<readonly ColumnPlan[], [ColumnStyles | undefined, ColumnStyles | undefined]>();
  const validationRows = plan.tables.length === 1 && !plan.marker ? VALIDATION_EXTRA_ROWS : 0;
  let priority = 1;

  for (let ti = 0; ti < plan.tables.length; ti++) {
    const t = plan.tables[ti];
    const top = t.topRow; // 0-based header row
    const left = t.leftCol;
    const width = t.columns.length;
    if (t.caption) {
      const c = grid.get(top - 1, left);
      c.v = xmlText(t.caption);
      c.f = { ...c.f }; // formats may be shared (below): copied before a change
      withStyle(c.f, 'label');
    }
    const rows = t.rows.length ? t.rows : [t.columns.map(() => null)];
    t.columns.forEach((col, i) => {
      const h = grid.get(top, left + i);
      h.v = xmlText(col.header);
      if (isBlank(h.f)) { h.f = headerFormat(t); return; }
      h.f = { ...h.f };
      withStyle(h.f, 'header');
      if (t.wrapHeader) h.f.align = { horizontal: 'center', vertical: 'middle', wrapText: true };
      if (t.borders) h.f.border = BORDER_ALL;
    });
    tableRows.push(rows);
    for (let r = 0; r < rows.length; r++) {
      const at = top + 1 + r;
      const was = bodyOf[at];
      if (was === -1) { bodyOf[at] = ti; continue; }
      const list = was === -2 ? shared.get(at) as BodySource[] : [{ t: plan.tables[was], rows: tableRows[was], r: at - plan.tables[was].topRow - 1 }];
      list.push({ t, rows, r });
      shared.set(at, list);
      bodyOf[at] = -2;
    }
    for (let r = 0; t.borders && r < (t.formRows ?? 0); r++) {
      for (let i = 0; i < width; i++) {
        const c = grid.get(top + 1 + rows.length + r, left + i);
        c.f = { ...c.f, border: BORDER_ALL };
      }
    }
    if (t.conditionalFormats?.length) {
      const rules = t.conditionalFormats.map((rule) =>
        `<cfRule type="expression" dxfId="${styles.dxf(STYLE.rows[rule.style])}" priority="${priority++}"><formula>${esc(rowHighlightFormula(t, rule))}</formula></cfRule>`);
      conditional.push(`<conditionalFormatting sqref="${rowHighlightRef(t, rows.length)}">${rules.join('')}</conditionalFormatting>`);
    }
    for (const link of t.links ?? []) {
      const body = rows[link.row]?.[link.col] ?? null;
      const text = body === null ? link.cell : isFormulaCell(body) ? String(body.result ?? '') : String(body);
      linkTexts.set(`${top + 1 + link.row},${left + link.col}`, xmlText(text));
      linkRows.add(top + 1 + link.row);
      const location = `'${link.sheet.replace(/'/g, "''")}'!${link.cell}`;
      links.push(`<hyperlink ref="${columnLetters(left + link.col)}${top + 2 + link.row}" location="${esc(location)}" display="${esc(xmlText(text))}"/>`);
    }
    const lastRow = top + 1 + Math.max(rows.length, validationRows);
    t.columns.forEach((c, i) => {
      if (!c.list && !c.listSource) return;
      const letters = columnLetters(left + i);
      const strict = !!c.list;
      const formula = c.list ? listFormula(c.list) : (c.listSource as string).replace(/^=/, '');
      const attrs = [`type="list"`, `allowBlank="1"`, `showErrorMessage="1"`, strict ? `errorStyle="stop"` : `errorStyle="warning"`,
        `errorTitle="${esc(xmlText(c.header).slice(0, 32))}"`,
        `error="${esc(strict ? `Chọn một trong: ${c.list?.join(', ')}`.slice(0, 255) : 'Giá trị không có trong danh sách; vẫn giữ?')}"`];
      if (c.prompt) attrs.push('showInputMessage="1"', `promptTitle="${esc(xmlText(c.header).slice(0, 32))}"`, `prompt="${esc(xmlText(c.prompt).slice(0, 255))}"`);
      validations.push(`<dataValidation ${attrs.join(' ')} sqref="${letters}${top + 2}:${letters}${lastRow}"><formula1>${esc(formula)}</formula1></dataValidation>`);
    });
    const id = nextTableId.n++;
    const name = tableName(t.name, usedNames);
    const ref = `${columnLetters(left)}${top + 1}:${columnLetters(left + width - 1)}${top + 1 + rows.length}`;
    const calc = calculatedFormulas(t);
    const cols = t.columns.map((c, i) => {
      const f = calc.get(i);
      const n = esc(xmlText(c.header));
      return f === undefined ? `<tableColumn id="${i + 1}" name="${n}"/>` : `<tableColumn id="${i + 1}" name="${n}"><calculatedColumnFormula>${esc(f)}</calculatedColumnFormula></tableColumn>`;
    }).join('');
    tables.push({
      id, name, ref,
      xml: `${HEAD}<table xmlns="${NS}" id="${id}" name="${esc(name)}" displayName="${esc(name)}" ref="${ref}" headerRowCount="1" totalsRowShown="0">`
        // A filter button per column, as ExcelJS writes them (its own reader expects them).
        + `<autoFilter ref="${ref}">${t.columns.map((_, i) => `<filterColumn colId="${i}" hiddenButton="0"/>`).join('')}</autoFilter><tableColumns count="${width}">${cols}</tableColumns>`
        + `<tableStyleInfo name="${STYLE.tableStyle}" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`,
    });
  }

  const free = new Map<number, FreeCell[]>();
  for (const c of plan.cells) {
    const list = free.get(c.row);
    if (list) list.push(c); else free.set(c.row, [c]);
    if (c.mergeAcross && c.mergeAcross > 0) merges.push(`${columnLetters(c.col)}${c.row + 1}:${columnLetters(c.col + c.mergeAcross)}${c.row + 1}`);
  }

  // Widths: the widest that any table or the plan asks for.
  const widths: number[] = [...(plan.columnWidths ?? [])];
  for (const t of plan.tables) t.columns.forEach((c, i) => {
    if (c.width) widths[t.leftCol + i] = Math.max(widths[t.leftCol + i] ?? 0, c.width);
  });
  const heights = heightsByRow(plan.rowHeights);
  const page = plan.page;
  const sheetPr = (plan.tabColor ? `<tabColor rgb="FF${plan.tabColor.toUpperCase()}"/>` : '') + (page?.fitToWidth ? '<pageSetUpPr fitToPage="1"/>' : '');
  parts.push(`${HEAD}<worksheet xmlns="${NS}" xmlns:r="${NS_R}">`);
  if (sheetPr) parts.push(`<sheetPr>${sheetPr}</sheetPr>`);
  const pane = plan.freezeRows
    ? `<pane ySplit="${plan.freezeRows}" topLeftCell="A${plan.freezeRows + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A${plan.freezeRows + 1}" sqref="A${plan.freezeRows + 1}"/>`
    : '';
  if (pane) parts.push(`<sheetViews><sheetView workbookViewId="0"${index === 0 ? ' tabSelected="1"' : ''}>${pane}</sheetView></sheetViews>`);
  parts.push('<sheetFormatPr defaultRowHeight="15"/>');
  const colXml = widths.map((w, i) => (w ? `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>` : '')).join('');
  if (colXml) parts.push(`<cols>${colXml}</cols>`);
  parts.push('<sheetData>');
  const markerRow = plan.marker ? plan.marker.cell.row : -1;
  let end = Math.max(bodyEnd, heights.length, markerRow + 1);
  for (const r of grid.rows.keys()) end = Math.max(end, r + 1);
  for (const r of free.keys()) end = Math.max(end, r + 1);
  const letters: string[] = [];
  const letter = (c: number) => letters[c] ?? (letters[c] = columnLetters(c));
  const starts: string[] = [];
  const cellStart = (c: number) => starts[c] ?? (starts[c] = `<c r="${letter(c)}`);
  // Per table column: the last text written and its cell body (after the style part).
  const lastText: (string | undefined)[] = [];
  const lastBody: (string | undefined)[] = [];
  for (let r = 0; r < end; r++) {
    const one = r < bodyEnd ? bodyOf[r] : -1;
    const h = heights[r];
    const inGrid = grid.rows.has(r);
    const isFree = free.has(r);
    if (one === -1 && h === undefined && !inGrid && !isFree && r !== markerRow) continue;
    // The row's cells in the order the ExcelJS writer sets them: headers and captions, table
    // bodies (and their links), free cells, the marker.
    const rowNum = String(r + 1);
    const attrs = h !== undefined ? `r="${rowNum}" ht="${h}" customHeight="1"` : `r="${rowNum}"`;
    // The common row — one table's body row and nothing else — written straight, its styles
    // looked up once per table column (no per-cell objects).
    if (one >= 0 && !inGrid && !isFree && r !== markerRow) {
      const t = plan.tables[one];
      const k = r - t.topRow - 1;
      const values = tableRows[one][k];
      const rowStyle = t.rowStyles?.[k];
      const si = rowStyle ? ROW_STYLE_INDEX[rowStyle] : 0;
      const formats = t.cellFormats?.[k];
      let byBorder = columnStyles.get(t.columns);
      if (!byBorder) { byBorder = [undefined, undefined]; columnStyles.set(t.columns, byBorder); }
      const b = t.borders ? 1 : 0;
      let cs = byBorder[b];
      if (!cs) { cs = { ids: new Int32Array(t.columns.length * ROW_STYLES).fill(-1), empty: [], str: [], inl: [], num: [] }; byBorder[b] = cs; }
      const withLinks = linkRows.has(r);
      let xml = `<row ${attrs}>`;
      for (let i = 0; i < t.columns.length; i++) {
        let sid: number;
        const at = i * ROW_STYLES + si;
        let sa: string | undefined;
        if (formats?.[i] !== undefined) {
          // A cell's own number format (mixed measures in one column): looked up by its text.
          let cache = bodyStyles.get(t);
          if (!cache) { cache = new Map(); bodyStyles.set(t, cache); }
          const key = `${i}|${rowStyle ?? ''}|${formats[i]}`;
          let id = cache.get(key);
          if (id === undefined) { id = styles.xf(bodyFormat(t, k, i)); cache.set(key, id); }
          sid = id;
          sa = '';
        } else {
          sid = cs.ids[at];
          if (sid === -1) {
            sid = styles.xf(bodyFormat(t, k, i));
            const a = sid ? ` s="${sid}"` : '';
            cs.ids[at] = sid; cs.empty[at] = `"${a}/>`; cs.str[at] = `"${a} t="s"><v>`; cs.inl[at] = `"${a} t="inlineStr"><is><t`; cs.num[at] = `"${a}><v>`;
          }
        }
        const link = withLinks ? linkTexts.get(`${r},${t.leftCol + i}`) : undefined;
        if (link !== undefined) {
          const f = bodyFormat(t, k, i);
          f.font = { underline: true, size: 11, color: '0563C1' };
          xml += cellXml(letter(t.leftCol + i) + rowNum, { v: link, s: styles.xf(f) }, sst);
          continue;
        }
        const v = values[i] ?? null;
        if (sa !== undefined || (v !== null && typeof v === 'object')) {
          xml += cellXml(letter(t.leftCol + i) + rowNum, { v: isFormulaCell(v) || typeof v !== 'number' || Number.isFinite(v) ? v : null, s: sid }, sst);
        } else if (v === null || (typeof v === 'number' && !Number.isFinite(v))) {
          xml += cellStart(t.leftCol + i) + rowNum + cs.empty[at];
        } else if (typeof v === 'string') {
          // Written in the cell (an inline string): no shared-strings lookup per cell. A column's
          // text repeats row after row (Lỗi, a sheet, a code): cleaned and escaped once.
          let body = lastText[i] === v ? lastBody[i] : undefined;
          if (body === undefined) {
            const text = xmlText(v);
            body = (EDGE_SPACE.test(text) ? ' xml:space="preserve">' : '>') + esc(excelEscapes(text)) + '</t></is></c>';
            lastText[i] = v;
            lastBody[i] = body;
          }
          xml += cellStart(t.leftCol + i) + rowNum + cs.inl[at] + body;
        } else if (typeof v === 'number') {
          xml += cellStart(t.leftCol + i) + rowNum + cs.num[at] + v + '</v></c>';
        } else {
          xml += cellXml(letter(t.leftCol + i) + rowNum, { v, s: sid }, sst);
        }
      }
      parts.push(xml + '</row>');
      continue;
    }
    const srcs = one >= 0 ? [{ t: plan.tables[one], rows: tableRows[one], r: r - plan.tables[one].topRow - 1 }] : shared.get(r);
    const row = grid.rows.get(r) ?? new Map<number, { v: PlanCell; f: CellFormat }>();
    for (const src of srcs ?? []) {
      const t = src.t;
      const data = src.rows[src.r];
      for (let i = 0; i < t.columns.length; i++) {
        const v = data[i] ?? null;
        const f = bodyFormat(t, src.r, i);
        const c = t.leftCol + i;
        const link = linkTexts.size ? linkTexts.get(`${r},${c}`) : undefined;
        if (link !== undefined) {
          f.font = { underline: true, size: 11, color: '0563C1' };
          row.set(c, { v: link, f });
        } else {
          row.set(c, { v: isFormulaCell(v) || typeof v !== 'number' || Number.isFinite(v) ? v : null, f });
        }
      }
    }
    for (const fc of free.get(r) ?? []) {
      let cell = row.get(fc.col);
      if (!cell) { cell = { v: null, f: {} }; row.set(fc.col, cell); }
      cell.v = typeof fc.value === 'string' ? xmlText(fc.value) : fc.value;
      cell.f = { ...cell.f };
      if (fc.style) withStyle(cell.f, fc.style);
      withAlign(cell.f, fc.align, fc.wrap);
      if (fc.numFmt) cell.f.numFmt = fc.numFmt;
      // Cells a merge covers carry the first cell's style, as ExcelJS (and Excel) write them.
      if (fc.mergeAcross) {
        const covered = share({ ...cell.f });
        for (let k = 1; k <= fc.mergeAcross; k++) row.set(fc.col + k, { v: null, f: covered });
      }
    }
    if (plan.marker && plan.marker.cell.row === r) {
      let cell = row.get(plan.marker.cell.col);
      if (!cell) { cell = { v: null, f: {} }; row.set(plan.marker.cell.col, cell); }
      if (cell.v === null || cell.v === undefined) cell.v = xmlText(plan.marker.text);
    }
    if (!row.size) { parts.push(`<row ${attrs}/>`); continue; }
    const cols = [...row.keys()].sort((a, b) => a - b);
    let xml = `<row ${attrs}>`;
    for (const c of cols) {
      const cell = row.get(c)!;
      let sid = sharedXf.get(cell.f);
      if (sid === undefined) sid = styles.xf(cell.f);
      else if (sid === -1) { sid = styles.xf(cell.f); sharedXf.set(cell.f, sid); }
      xml += cellXml(`${letter(c)}${r + 1}`, { v: cell.v, s: sid }, sst);
    }
    parts.push(xml + '</row>');
    grid.rows.delete(r); // free the row once written
  }
  parts.push('</sheetData>');
  if (merges.length) parts.push(`<mergeCells count="${merges.length}">${merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>`);
  parts.push(...conditional);
  if (validations.length) parts.push(`<dataValidations count="${validations.length}">${validations.join('')}</dataValidations>`);
  if (links.length) parts.push(`<hyperlinks>${links.join('')}</hyperlinks>`);
  const definedNames: string[] = [];
  const quoted = `'${plan.name.replace(/'/g, "''")}'`;
  if (page) {
    parts.push(...pageSetupXml(page));
    if (page.printArea) {
      const a = page.printArea;
      definedNames.push(`<definedName name="_xlnm.Print_Area" localSheetId="${index}">${esc(`${quoted}!$${columnLetters(a.c0)}$${a.r0 + 1}:$${columnLetters(a.c1)}$${a.r1 + 1}`)}</definedName>`);
    }
    if (page.printTitleRows) {
      definedNames.push(`<definedName name="_xlnm.Print_Titles" localSheetId="${index}">${esc(`${quoted}!$${page.printTitleRows[0] + 1}:$${page.printTitleRows[1] + 1}`)}</definedName>`);
    }
  } else {
    parts.push('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>');
  }
  if (tables.length) parts.push(`<tableParts count="${tables.length}">${tables.map((_, i) => `<tablePart r:id="rId${i + 1}"/>`).join('')}</tableParts>`);
  parts.push('</worksheet>');
  parts.end();
  return { tables, definedNames };
}

function pageSetupXml(page: PageSetup): string[] {
  const m = page.margins ?? { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 };
  const out: string[] = [];
  if (page.centerHorizontally) out.push('<printOptions horizontalCentered="1"/>');
  out.push(`<pageMargins left="${m.left}" right="${m.right}" top="${m.top}" bottom="${m.bottom}" header="${m.header}" footer="${m.footer}"/>`);
  const scale = page.fitToWidth ? 100 : page.zoom ?? 100;
  out.push(`<pageSetup paperSize="9" scale="${scale}" fitToWidth="1" fitToHeight="0" orientation="${page.orientation}"/>`);
  const header = headerFooterString(page.header);
  const footer = headerFooterString(page.footer);
  if (header || footer) out.push(`<headerFooter>${header ? `<oddHeader>${esc(header)}</oddHeader>` : ''}${footer ? `<oddFooter>${esc(footer)}</oddFooter>` : ''}</headerFooter>`);
  const breaks = (page.rowBreaks ?? []).filter((r) => r > 0);
  if (breaks.length) out.push(`<rowBreaks count="${breaks.length}" manualBreakCount="${breaks.length}">${breaks.map((r) => `<brk id="${r}" max="16383" man="1"/>`).join('')}</rowBreaks>`);
  return out;
}

// ---- the package --------------------------------------------------------------------------

// ExcelJS's default Office theme (the table style's colours come from it).
const THEME: string = require('exceljs/lib/xlsx/xml/theme1.js');

function isoDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Plans → .xlsx bytes with the lean writer; with `date` the bytes are reproducible. */
export function leanWorkbookBuffer(plans: readonly SheetPlan[], opts: { readonly date?: Date } = {}): Buffer {
  const date = opts.date ?? new Date();
  const zip = new ZipWriter(date);
  writeParts(zip, plans, date);
  return zip.finish();
}

function writeParts(zip: ZipWriter, plans: readonly SheetPlan[], date: Date): void {
  const styles = new Styles();
  const sst = new SharedStrings();
  const used = new Set<string>();
  const tableId = { n: 1 };
  const sheetNames: string[] = [];
  const localNames: string[] = [];
  let tableFile = 1;
  const tableOverrides: string[] = [];
  for (let i = 0; i < plans.length; i++) {
    const p = plans[i];
    const out = renderSheet(zip.open(`xl/worksheets/sheet${i + 1}.xml`), p, i, styles, sst, used, tableId);
    sheetNames.push(p.name);
    localNames.push(...out.definedNames);
    if (out.tables.length) {
      const rels = out.tables.map((t, k) => {
        const file = `table${tableFile++}.xml`;
        zip.add(`xl/tables/${file}`, [t.xml]);
        tableOverrides.push(`<Override PartName="/xl/tables/${file}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/>`);
        return `<Relationship Id="rId${k + 1}" Type="${NS_R}/table" Target="../tables/${file}"/>`;
      });
      zip.add(`xl/worksheets/_rels/sheet${i + 1}.xml.rels`, [`${HEAD}<Relationships xmlns="${NS_PKG_REL}">`, ...rels, '</Relationships>']);
    }
  }
  const names = [...localNames, ...plans.flatMap((p) => p.names ?? []).map((n) => `<definedName name="${esc(n.name)}">${esc(n.ref)}</definedName>`)];
  zip.add('xl/workbook.xml', [`${HEAD}<workbook xmlns="${NS}" xmlns:r="${NS_R}"><workbookPr defaultThemeVersion="164011"/>`
    + '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="12000" windowHeight="24000" activeTab="0"/></bookViews><sheets>'
    + sheetNames.map((n, i) => `<sheet name="${esc(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') + '</sheets>'
    + (names.length ? `<definedNames>${names.join('')}</definedNames>` : '')
    + '<calcPr calcId="171027" fullCalcOnLoad="1"/></workbook>']);
  const n = plans.length;
  zip.add('xl/_rels/workbook.xml.rels', [`${HEAD}<Relationships xmlns="${NS_PKG_REL}">`
    + plans.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${NS_R}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')
    + `<Relationship Id="rId${n + 1}" Type="${NS_R}/theme" Target="theme/theme1.xml"/>`
    + `<Relationship Id="rId${n + 2}" Type="${NS_R}/styles" Target="styles.xml"/>`
    + `<Relationship Id="rId${n + 3}" Type="${NS_R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`]);
  sst.write(zip.open('xl/sharedStrings.xml'));
  zip.add('xl/styles.xml', [styles.xml()]);
  zip.add('xl/theme/theme1.xml', [THEME]);
  zip.add('docProps/core.xml', [`${HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`
    + `<dc:creator>${esc(CREATOR)}</dc:creator><cp:lastModifiedBy>${esc(CREATOR)}</cp:lastModifiedBy>`
    + `<dcterms:created xsi:type="dcterms:W3CDTF">${isoDate(date)}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${isoDate(date)}</dcterms:modified></cp:coreProperties>`]);
  zip.add('docProps/app.xml', [`${HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>`]);
  zip.add('_rels/.rels', [`${HEAD}<Relationships xmlns="${NS_PKG_REL}">`
    + `<Relationship Id="rId1" Type="${NS_R}/officeDocument" Target="xl/workbook.xml"/>`
    + `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>`
    + `<Relationship Id="rId3" Type="${NS_R}/extended-properties" Target="docProps/app.xml"/></Relationships>`]);
  zip.add('[Content_Types].xml', [`${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
    + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    + plans.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')
    + '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
    + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    + tableOverrides.join('')
    + '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    + '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>']);
}

/** Bytes of XML gathered per chunk before they are deflated. */
const CHUNK = 1 << 20;

/**
 * A part's XML text written as it is made: UTF-8 into a buffer, each full chunk handed on to be
 * deflated, so that a large sheet is never one huge string, nor its bytes all at once.
 */
class Sink {
  private cur = '';
  private buf: Buffer | null = null;
  private pos = 0;
  constructor(private readonly emit: (chunk: Buffer, last: boolean) => void) {}
  push(...s: string[]): void {
    for (const x of s) {
      this.cur += x;
      if (this.cur.length > 1 << 15) this.write();
    }
  }
  /** The pending text into the buffer (at most 3 bytes a UTF-16 unit). */
  private write(): void {
    const s = this.cur;
    this.cur = '';
    if (this.pos + 3 * s.length > CHUNK) this.flush(false);
    if (3 * s.length > CHUNK) { this.emit(Buffer.from(s, 'utf8'), false); return; }
    if (!this.buf) this.buf = Buffer.allocUnsafe(CHUNK);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }
  private flush(last: boolean): void {
    // The chunk is deflated before emit returns: the buffer is reused (no 1 MB allocation per
    // chunk, whose external memory would force full collections of the whole heap).
    if (this.pos || last) this.emit(this.buf ? this.buf.subarray(0, this.pos) : Buffer.alloc(0), last);
    this.pos = 0;
    if (last) this.buf = null;
  }
  end(): void {
    this.write();
    this.flush(true);
  }
}

interface ZipEntry { readonly packed: Buffer[]; crc: number; size: number }

/**
 * A minimal zip writer (deflate by native zlib, entries in name order so the same content gives
 * the same bytes). No zip64: the caps keep every part and the file far below 4 GB.
 *
 * Each chunk of a part is deflated on its own, ended with a sync flush (the last with the final
 * block), and the pieces are laid end to end: a valid deflate stream (as pigz makes them), so a
 * sheet's text never waits whole for its deflate. (Deflating on libuv's pool instead cost more
 * CPU than it saved on this 2-core machine.)
 */
class ZipWriter {
  private readonly entries = new Map<string, ZipEntry>();
  private readonly dosTime: number;
  private readonly dosDate: number;
  constructor(date: Date) {
    this.dosTime = (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1);
    this.dosDate = ((Math.max(1980, date.getFullYear()) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate();
  }
  /** A part written through a Sink, deflated chunk by chunk as it fills. */
  open(name: string): Sink {
    const entry = this.entry(name);
    return new Sink((chunk, last) => this.deflate(entry, chunk, last));
  }
  /** Adds a small part whole. */
  add(name: string, parts: readonly string[]): void {
    this.deflate(this.entry(name), Buffer.from(parts.join(''), 'utf8'), true);
  }
  private entry(name: string): ZipEntry {
    const entry: ZipEntry = { packed: [], crc: 0, size: 0 };
    this.entries.set(name, entry);
    return entry;
  }
  private deflate(entry: ZipEntry, chunk: Buffer, last: boolean): void {
    entry.crc = zlib.crc32(chunk, entry.crc);
    entry.size += chunk.length;
    // Level 1: several times faster than 6 on the bulk XML, the file about a third larger.
    const opts: zlib.ZlibOptions = { level: 1, finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH };
    // An output buffer about the size of what comes out: one pass, no pieces to join.
    opts.chunkSize = Math.max(64, chunk.length < 1 << 14 ? chunk.length + 128 : chunk.length >> 2);
    if (chunk.length < 1 << 14) {
      // A small part (a ranking has one table part per printed page, ~10,000 of them): a window
      // just over its size and a matching hash; zlib's default state (~270 KB, set up per part)
      // made these cost more than the sheet's own deflate. The same stream, as far as it reaches.
      const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(chunk.length + 262))));
      opts.windowBits = windowBits;
      opts.memLevel = Math.min(8, Math.max(1, windowBits - 6));
    }
    entry.packed.push(zlib.deflateRawSync(chunk, opts));
  }
  /** The zip file, laid out at once into one buffer (no copy per entry or header). */
  finish(): Buffer {
    const names = [...this.entries.keys()].sort();
    const nameBytes = names.map((n) => Buffer.from(n, 'utf8'));
    const packedSize = (e: ZipEntry) => e.packed.reduce((n, b) => n + b.length, 0);
    let total = 22;
    names.forEach((n, i) => { total += 30 + 46 + 2 * nameBytes[i].length + packedSize(this.entries.get(n) as ZipEntry); });
    const out = Buffer.alloc(total); // zeros: the fields left unset (extra, comment, attributes)
    const dir: { name: Buffer; crc: number; packed: number; size: number; offset: number }[] = [];
    let pos = 0;
    names.forEach((name, i) => {
      const e = this.entries.get(name) as ZipEntry;
      this.entries.delete(name);
      const fname = nameBytes[i];
      const packed = packedSize(e);
      out.writeUInt32LE(0x04034b50, pos);
      out.writeUInt16LE(20, pos + 4);
      out.writeUInt16LE(0x0800, pos + 6); // UTF-8 names
      out.writeUInt16LE(8, pos + 8);
      out.writeUInt16LE(this.dosTime, pos + 10);
      out.writeUInt16LE(this.dosDate, pos + 12);
      out.writeUInt32LE(e.crc >>> 0, pos + 14);
      out.writeUInt32LE(packed, pos + 18);
      out.writeUInt32LE(e.size, pos + 22);
      out.writeUInt16LE(fname.length, pos + 26);
      dir.push({ name: fname, crc: e.crc, packed, size: e.size, offset: pos });
      pos += 30;
      pos += fname.copy(out, pos);
      for (const b of e.packed) pos += b.copy(out, pos);
    });
    const dirStart = pos;
    for (const d of dir) {
      out.writeUInt32LE(0x02014b50, pos);
      out.writeUInt16LE(20, pos + 4);
      out.writeUInt16LE(20, pos + 6);
      out.writeUInt16LE(0x0800, pos + 8);
      out.writeUInt16LE(8, pos + 10);
      out.writeUInt16LE(this.dosTime, pos + 12);
      out.writeUInt16LE(this.dosDate, pos + 14);
      out.writeUInt32LE(d.crc >>> 0, pos + 16);
      out.writeUInt32LE(d.packed, pos + 20);
      out.writeUInt32LE(d.size, pos + 24);
      out.writeUInt16LE(d.name.length, pos + 28);
      out.writeUInt32LE(d.offset, pos + 42);
      pos += 46;
      pos += d.name.copy(out, pos);
    }
    out.writeUInt32LE(0x06054b50, pos);
    out.writeUInt16LE(dir.length, pos + 8);
    out.writeUInt16LE(dir.length, pos + 10);
    out.writeUInt32LE(pos - dirStart, pos + 12);
    out.writeUInt32LE(dirStart, pos + 16);
    return out;
  }
}
