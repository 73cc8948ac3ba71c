/**
 * A lean .xlsx writer for large outputs (issue 14): renders the same sheet plans as the ExcelJS
 * writer (xlsx-write.ts) straight to XML text — no object model per cell — and packs the parts
 * with Node's native zlib. ExcelJS holds a model of every cell, its style objects and the whole
 * XML before zipping: 100,000 ranked units took minutes and over 3 GB; this takes seconds.
 *
 * It writes what the plans need and nothing else: values (strings always as shared-string text,
 * never formulas), formulas with cached results, fonts/fills/borders/alignment/number formats,
 * tables (with calculated columns), conditional formats, dropdowns, merges, widths, heights,
 * frozen header, tab colour, page setup, print titles and area, header/footer, page breaks,
 * internal hyperlinks and defined names. test/xlsx-lean-write.test.ts reads both writers' files
 * back and compares them.
 */
import * as zlib from 'zlib';
import { columnLetters } from '../core/cells';
import {
  CellStyle, FONT, FormulaCell, FreeCell, HAlign, PageSetup, PlanCell, RowStyle, STYLE, SheetPlan, StyleDef, TablePlan,
  headerFooterString, isFormulaCell, rowHighlightFormula,
} from '../core/plan';
import { VALIDATION_EXTRA_ROWS } from '../core/template';
import { calculatedFormulas, listFormula, safeText, tableName } from './xlsx-write';

const CREATOR = 'Thi đua EVNCPC';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
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
  xml(): string[] {
    const out = [`${HEAD}<sst xmlns="${NS}" count="${this.count}" uniqueCount="${this.list.length}">`];
    for (const s of this.list) out.push(/^\s|\s$/.test(s) ? `<si><t xml:space="preserve">${esc(s)}</t></si>` : `<si><t>${esc(s)}</t></si>`);
    out.push('</sst>');
    return out;
  }
}

function numText(n: number): string {
  return String(n);
}

function cellXml(ref: string, cell: Cell, sst: SharedStrings): string {
  const s = cell.s ? ` s="${cell.s}"` : '';
  const v = cell.v;
  if (v === null || v === undefined) return `<c r="${ref}"${s}/>`;
  if (typeof v === 'string') return `<c r="${ref}"${s} t="s"><v>${sst.id(safeText(v))}</v></c>`;
  if (typeof v === 'number') return Number.isFinite(v) ? `<c r="${ref}"${s}><v>${numText(v)}</v></c>` : `<c r="${ref}"${s}/>`;
  if (typeof v === 'boolean') return `<c r="${ref}"${s} t="b"><v>${v ? 1 : 0}</v></c>`;
  const f = v as FormulaCell;
  const formula = `<f>${esc(f.formula.replace(/^=/, ''))}</f>`;
  const r = f.result;
  if (r === undefined) return `<c r="${ref}"${s}>${formula}</c>`;
  if (typeof r === 'string') return `<c r="${ref}"${s} t="str">${formula}<v>${esc(safeText(r))}</v></c>`;
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

function addSource(map: Map<number, BodySource[]>, row: number, src: BodySource): void {
  const list = map.get(row);
  if (list) list.push(src); else map.set(row, [src]);
}

interface SheetOut {
  readonly parts: Sink;
  readonly tables: TablePart[];
  readonly definedNames: string[];
}

const BORDER_ALL = true;

function rowHighlightRef(t: TablePlan, rows: number): string {
  const top = t.topRow + 1;
  return `${columnLetters(t.leftCol)}${top + 1}:${columnLetters(t.leftCol + t.columns.length - 1)}${top + rows}`;
}

function renderSheet(plan: SheetPlan, index: number, styles: Styles, sst: SharedStrings, usedNames: Set<string>, nextTableId: { n: number }): SheetOut {
  const grid = new Grid();
  const merges: string[] = [];
  const conditional: string[] = [];
  const validations: string[] = [];
  const links: string[] = [];
  const tables: TablePart[] = [];
  const bodies = new Map<number, BodySource[]>();
  const linkTexts = new Map<string, string>();
  const linkRows = new Set<number>();
  const bodyStyles = new Map<TablePlan, Map<string, number>>();
  const validationRows = plan.tables.length === 1 && !plan.marker ? VALIDATION_EXTRA_ROWS : 0;
  let priority = 1;

  for (const t of plan.tables) {
    const top = t.topRow; // 0-based header row
    const left = t.leftCol;
    const width = t.columns.length;
    if (t.caption) {
      const c = grid.get(top - 1, left);
      c.v = safeText(t.caption);
      withStyle(c.f, 'label');
    }
    const rows = t.rows.length ? t.rows : [t.columns.map(() => null)];
    t.columns.forEach((col, i) => {
      const h = grid.get(top, left + i);
      h.v = safeText(col.header);
      withStyle(h.f, 'header');
      if (t.wrapHeader) h.f.align = { horizontal: 'center', vertical: 'middle', wrapText: true };
      if (t.borders) h.f.border = BORDER_ALL;
    });
    for (let r = 0; r < rows.length; r++) addSource(bodies, top + 1 + r, { t, rows, r });
    for (let r = 0; t.borders && r < (t.formRows ?? 0); r++) {
      for (let i = 0; i < width; i++) grid.get(top + 1 + rows.length + r, left + i).f.border = BORDER_ALL;
    }
    if (t.conditionalFormats?.length) {
      const rules = t.conditionalFormats.map((rule) =>
        `<cfRule type="expression" dxfId="${styles.dxf(STYLE.rows[rule.style])}" priority="${priority++}"><formula>${esc(rowHighlightFormula(t, rule))}</formula></cfRule>`);
      conditional.push(`<conditionalFormatting sqref="${rowHighlightRef(t, rows.length)}">${rules.join('')}</conditionalFormatting>`);
    }
    for (const link of t.links ?? []) {
      const body = rows[link.row]?.[link.col] ?? null;
      const text = body === null ? link.cell : isFormulaCell(body) ? String(body.result ?? '') : String(body);
      linkTexts.set(`${top + 1 + link.row},${left + link.col}`, safeText(text));
      linkRows.add(top + 1 + link.row);
      const location = `'${link.sheet.replace(/'/g, "''")}'!${link.cell}`;
      links.push(`<hyperlink ref="${columnLetters(left + link.col)}${top + 2 + link.row}" location="${esc(location)}" display="${esc(safeText(text))}"/>`);
    }
    const lastRow = top + 1 + Math.max(rows.length, validationRows);
    t.columns.forEach((c, i) => {
      if (!c.list && !c.listSource) return;
      const letters = columnLetters(left + i);
      const strict = !!c.list;
      const formula = c.list ? listFormula(c.list) : (c.listSource as string).replace(/^=/, '');
      const attrs = [`type="list"`, `allowBlank="1"`, `showErrorMessage="1"`, strict ? `errorStyle="stop"` : `errorStyle="warning"`,
        `errorTitle="${esc(safeText(c.header).slice(0, 32))}"`,
        `error="${esc(strict ? `Chọn một trong: ${c.list?.join(', ')}`.slice(0, 255) : 'Giá trị không có trong danh sách; vẫn giữ?')}"`];
      if (c.prompt) attrs.push('showInputMessage="1"', `promptTitle="${esc(safeText(c.header).slice(0, 32))}"`, `prompt="${esc(safeText(c.prompt).slice(0, 255))}"`);
      validations.push(`<dataValidation ${attrs.join(' ')} sqref="${letters}${top + 2}:${letters}${lastRow}"><formula1>${esc(formula)}</formula1></dataValidation>`);
    });
    const id = nextTableId.n++;
    const name = tableName(t.name, usedNames);
    const ref = `${columnLetters(left)}${top + 1}:${columnLetters(left + width - 1)}${top + 1 + rows.length}`;
    const calc = calculatedFormulas(t);
    const cols = t.columns.map((c, i) => {
      const f = calc.get(i);
      const n = esc(safeText(c.header));
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
  const heights = new Map<number, number>(Object.entries(plan.rowHeights ?? {}).map(([r, h]) => [Number(r), h]));

  const parts = new Sink();
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
  const rowSet = new Set<number>([...grid.rows.keys(), ...bodies.keys(), ...free.keys(), ...heights.keys()]);
  if (plan.marker) rowSet.add(plan.marker.cell.row);
  const rowNumbers = [...rowSet].sort((a, b) => a - b);
  const letters: string[] = [];
  const letter = (c: number) => letters[c] ?? (letters[c] = columnLetters(c));
  for (const r of rowNumbers) {
    // The row's cells in the order the ExcelJS writer sets them: headers and captions, table
    // bodies (and their links), free cells, the marker.
    const h = heights.get(r);
    const attrs = `r="${r + 1}"${h !== undefined ? ` ht="${h}" customHeight="1"` : ''}`;
    const srcs = bodies.get(r);
    // The common row — one table's body row and nothing else — written straight, its styles
    // looked up once per table column (no per-cell objects).
    if (srcs && srcs.length === 1 && !grid.rows.has(r) && !free.has(r) && plan.marker?.cell.row !== r) {
      const { t, rows: data, r: k } = srcs[0];
      const values = data[k];
      const rowStyle = t.rowStyles?.[k];
      const formats = t.cellFormats?.[k];
      let cache = bodyStyles.get(t);
      if (!cache) { cache = new Map(); bodyStyles.set(t, cache); }
      let xml = `<row ${attrs}>`;
      for (let i = 0; i < t.columns.length; i++) {
        const fmt = formats?.[i] ?? t.columns[i].numFmt;
        const key = `${i}|${rowStyle ?? ''}|${fmt ?? ''}`;
        let sid = cache.get(key);
        if (sid === undefined) { sid = styles.xf(bodyFormat(t, k, i)); cache.set(key, sid); }
        const v = values[i] ?? null;
        const link = linkRows.has(r) ? linkTexts.get(`${r},${t.leftCol + i}`) : undefined;
        if (link !== undefined) {
          const f = bodyFormat(t, k, i);
          f.font = { underline: true, size: 11, color: '0563C1' };
          xml += cellXml(`${letter(t.leftCol + i)}${r + 1}`, { v: link, s: styles.xf(f) }, sst);
          continue;
        }
        xml += cellXml(`${letter(t.leftCol + i)}${r + 1}`, { v: isFormulaCell(v) || typeof v !== 'number' || Number.isFinite(v) ? v : null, s: sid }, sst);
      }
      parts.push(xml + '</row>');
      continue;
    }
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
      cell.v = typeof fc.value === 'string' ? safeText(fc.value) : fc.value;
      if (fc.style) withStyle(cell.f, fc.style);
      withAlign(cell.f, fc.align, fc.wrap);
      if (fc.numFmt) cell.f.numFmt = fc.numFmt;
      // Cells a merge covers carry the first cell's style, as ExcelJS (and Excel) write them.
      for (let k = 1; k <= (fc.mergeAcross ?? 0); k++) row.set(fc.col + k, { v: null, f: { ...cell.f } });
    }
    if (plan.marker && plan.marker.cell.row === r) {
      let cell = row.get(plan.marker.cell.col);
      if (!cell) { cell = { v: null, f: {} }; row.set(plan.marker.cell.col, cell); }
      if (cell.v === null || cell.v === undefined) cell.v = safeText(plan.marker.text);
    }
    if (!row.size) { parts.push(`<row ${attrs}/>`); continue; }
    const cols = [...row.keys()].sort((a, b) => a - b);
    let xml = `<row ${attrs}>`;
    for (const c of cols) {
      const cell = row.get(c)!;
      xml += cellXml(`${letter(c)}${r + 1}`, { v: cell.v, s: styles.xf(cell.f) }, sst);
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
  return { parts, tables, definedNames };
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
  const styles = new Styles();
  const sst = new SharedStrings();
  const used = new Set<string>();
  const tableId = { n: 1 };
  const zip = new ZipWriter(date);
  const sheetNames: string[] = [];
  const localNames: string[] = [];
  let tableFile = 1;
  const tableOverrides: string[] = [];
  plans.forEach((p, i) => {
    const out = renderSheet(p, i, styles, sst, used, tableId);
    zip.add(`xl/worksheets/sheet${i + 1}.xml`, out.parts);
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
  });
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
  zip.add('xl/sharedStrings.xml', sst.xml());
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
  return zip.finish();
}

/** XML text gathered as UTF-8 chunks: a large sheet is never one huge string plus its copy. */
class Sink {
  private cur = '';
  private readonly chunks: Buffer[] = [];
  push(...s: string[]): void {
    for (const x of s) this.cur += x;
    if (this.cur.length > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.cur) this.chunks.push(Buffer.from(this.cur, 'utf8'));
    this.cur = '';
  }
  buffer(): Buffer {
    this.flush();
    const out = Buffer.concat(this.chunks);
    this.chunks.length = 0;
    return out;
  }
}

/**
 * A minimal zip writer (deflate by native zlib, entries in name order so the same content gives
 * the same bytes). No zip64: the caps keep every part and the file far below 4 GB.
 */
class ZipWriter {
  private readonly entries = new Map<string, { packed: Buffer; crc: number; size: number }>();
  private readonly dosTime: number;
  private readonly dosDate: number;
  constructor(date: Date) {
    this.dosTime = (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1);
    this.dosDate = ((Math.max(1980, date.getFullYear()) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate();
  }
  /** Adds a part, compressed at once so that its text can be freed. */
  add(name: string, parts: readonly string[] | Sink): void {
    const data = parts instanceof Sink ? parts.buffer() : Buffer.from(parts.join(''), 'utf8');
    // Level 1: several times faster than 6 on the bulk XML, the file about a third larger.
    this.entries.set(name, { packed: zlib.deflateRawSync(data, { level: 1 }), crc: zlib.crc32(data), size: data.length });
  }
  finish(): Buffer {
    const chunks: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    for (const name of [...this.entries.keys()].sort()) {
      const { packed, crc, size } = this.entries.get(name)!;
      this.entries.delete(name);
      const fname = Buffer.from(name, 'utf8');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(8, 8);
      local.writeUInt16LE(this.dosTime, 10);
      local.writeUInt16LE(this.dosDate, 12);
      local.writeUInt32LE(crc >>> 0, 14);
      local.writeUInt32LE(packed.length, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(fname.length, 26);
      local.writeUInt16LE(0, 28);
      const dir = Buffer.alloc(46);
      dir.writeUInt32LE(0x02014b50, 0);
      dir.writeUInt16LE(20, 4);
      dir.writeUInt16LE(20, 6);
      dir.writeUInt16LE(0x0800, 8);
      dir.writeUInt16LE(8, 10);
      dir.writeUInt16LE(this.dosTime, 12);
      dir.writeUInt16LE(this.dosDate, 14);
      dir.writeUInt32LE(crc >>> 0, 16);
      dir.writeUInt32LE(packed.length, 20);
      dir.writeUInt32LE(size, 24);
      dir.writeUInt16LE(fname.length, 28);
      dir.writeUInt32LE(offset, 42);
      chunks.push(local, fname, packed);
      central.push(dir, fname);
      offset += 30 + fname.length + packed.length;
    }
    const dirSize = central.reduce((s, b) => s + b.length, 0);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(central.length / 2, 8);
    end.writeUInt16LE(central.length / 2, 10);
    end.writeUInt32LE(dirSize, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...chunks, ...central, end]);
  }
}
