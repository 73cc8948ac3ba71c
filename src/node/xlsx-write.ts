/**
 * Renders sheet plans (src/core/plan.ts) to an .xlsx file with ExcelJS: real Excel tables, number
 * formats, widths, dropdowns, frozen headers, page setup, formulas with cached results.
 *
 * A plain string is always written as text, never as a formula (ExcelJS only makes a formula of a
 * `{ formula }` value; test/xlsx-roundtrip.test.ts checks the raw XML). Files are written to a
 * temporary file beside the target and renamed, so a failed run leaves nothing half-written.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { columnLetters } from '../core/cells';
import { leanWorkbookBuffer } from './xlsx-lean-write';
import { VALIDATION_EXTRA_ROWS } from '../core/template';
import {
  CellStyle, DefinedNamePlan, FONT, FormulaCell, HAlign, PageSetup, PlanCell, PlanScalar, RowStyle, STYLE, SheetPlan, StyleDef, TablePlan,
  headerFooterString, isFormulaCell, rowHighlightFormula,
} from '../core/plan';

export interface WriteOptions {
  /**
   * Creation date recorded in the file (document properties and zip entries). Given, the bytes
   * are reproducible: the same plans and date always give the same file.
   */
  readonly date?: Date;
}

const CREATOR = 'Thi đua EVNCPC';
/** Excel's limit of characters in one cell. */
const MAX_CELL_CHARS = 32767;
// Characters XML 1.0 cannot carry; a submission's text may hold them (pasted from old systems).
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string as a cell can hold it: characters XML cannot carry removed, cut to Excel's cell limit. */
export function cellText(s: string): string {
  const t = s.replace(XML_INVALID, '');
  return t.length > MAX_CELL_CHARS ? t.slice(0, MAX_CELL_CHARS) : t;
}

/**
 * Text as Excel escapes it in a string (`<si>`, `<is>`): a carriage return as `_x000D_` (written as
 * is, XML reads it as a line feed, so it would come back changed) and a literal `_xHHHH_` with its
 * `_` as `_x005F_`, so that readers, which decode those escapes, give the text back as it was.
 */
export function excelEscapes(t: string): string {
  return t.indexOf('\r') === -1 && t.indexOf('_x') === -1 ? t : t.replace(/_(x[0-9A-F]{4}_)/g, '_x005F_$1').replace(/\r/g, '_x000D_');
}

/** A string value for ExcelJS, which writes it as a shared string: cleaned, then escaped. */
export function safeText(s: string): string {
  return excelEscapes(cellText(s));
}

function argb(rgb: string): string {
  return 'FF' + rgb.toUpperCase();
}

function scalarValue(v: PlanScalar): ExcelJS.CellValue {
  if (typeof v === 'string') return safeText(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

function cellValue(c: PlanCell): ExcelJS.CellValue {
  if (isFormulaCell(c)) return formulaValue(c);
  return scalarValue(c);
}

function formulaValue(c: FormulaCell): ExcelJS.CellValue {
  const formula = c.formula.replace(/^=/, '');
  // A formula's cached text is a `<v>`, where readers decode no `_xHHHH_` escapes.
  const result = typeof c.result === 'string' ? cellText(c.result) : c.result;
  return (result === undefined ? { formula } : { formula, result }) as ExcelJS.CellValue;
}

function applyCellStyle(cell: ExcelJS.Cell, style: CellStyle): void {
  const s = STYLE[style] as StyleDef;
  cell.font = { name: FONT, bold: s.bold, italic: s.italic, underline: s.underline, size: s.size, color: { argb: argb(s.color) } };
  if (s.fill) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(s.fill) } };
  if (s.align) cell.alignment = { ...cell.alignment, horizontal: s.align, vertical: 'middle' };
}

function align(cell: ExcelJS.Cell, horizontal: HAlign | undefined, wrap: boolean | undefined, always = false): void {
  if (!horizontal && !wrap && !always) return;
  cell.alignment = { ...cell.alignment, ...(horizontal ? { horizontal } : {}), ...(wrap ? { wrapText: true } : {}), vertical: 'middle' };
}

const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF808080' } };

/**
 * Page setup for print (issue 10): paper, orientation, fit-to-width or a fixed zoom, margins, the
 * printed area, repeated rows, header/footer and manual page breaks.
 */
function applyPageSetup(ws: ExcelJS.Worksheet, page: PageSetup): void {
  const m = page.margins ?? { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 };
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9, // A4
    orientation: page.orientation,
    fitToPage: page.fitToWidth,
    fitToWidth: 1,
    fitToHeight: 0,
    scale: page.fitToWidth ? 100 : page.zoom ?? 100,
    margins: { ...m },
    horizontalCentered: !!page.centerHorizontally,
  };
  if (page.printTitleRows) ws.pageSetup.printTitlesRow = `${page.printTitleRows[0] + 1}:${page.printTitleRows[1] + 1}`;
  if (page.printArea) {
    const a = page.printArea;
    // ExcelJS prefixes each corner with `$`: give it `A$7` to get `$A$7`.
    ws.pageSetup.printArea = `${columnLetters(a.c0)}$${a.r0 + 1}:${columnLetters(a.c1)}$${a.r1 + 1}`;
  }
  const header = headerFooterString(page.header);
  const footer = headerFooterString(page.footer);
  if (header || footer) ws.headerFooter = { ...(header ? { oddHeader: header } : {}), ...(footer ? { oddFooter: footer } : {}) };
  // ExcelJS's break after 1-based row r is a break above 0-based row r.
  for (const r of page.rowBreaks ?? []) if (r > 0) ws.getRow(r).addPageBreak();
}

function rowFill(style: RowStyle): ExcelJS.FillPattern {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(STYLE.rows[style]) } };
}

/**
 * A conditional format's fill. Excel takes a solid differential fill's colour from `bgColor`
 * (what it writes itself); the same colour in `fgColor` too, for readers that look there.
 */
function highlightFill(style: RowStyle): ExcelJS.FillPattern {
  return { ...rowFill(style), bgColor: { argb: argb(STYLE.rows[style]) } };
}

export function listFormula(values: readonly string[]): string {
  return `"${values.map((v) => v.replace(/"/g, '""')).join(',')}"`;
}

/** Unique, Excel-valid table names: a table name must be unique in the workbook. */
export function tableName(name: string, used: Set<string>): string {
  let base = name.replace(/[^\p{L}\p{N}_.]/gu, '_');
  if (!/^[\p{L}_]/u.test(base)) base = '_' + base;
  let n = base;
  // Start from the last number given for this base (a ranking has thousands of page tables of
  // one name): the set only grows, so every smaller number is still taken. Linear, not quadratic.
  let next = nextSuffix.get(used);
  if (!next) { next = new Map(); nextSuffix.set(used, next); }
  const key = base.toLowerCase();
  let i = next.get(key) ?? 2;
  if (used.has(n.toLowerCase())) {
    for (n = `${base}${i}`; used.has(n.toLowerCase()); i++) n = `${base}${i + 1}`;
    next.set(key, i + 1);
  }
  used.add(n.toLowerCase());
  return n;
}

const nextSuffix = new WeakMap<Set<string>, Map<string, number>>();

/** Conditional-format priorities are per sheet: 1 is the highest. */
interface Priorities {
  next: number;
}

/** Calculated columns by the table name written: column index → formula of the first data row. */
type CalculatedColumns = Map<string, Map<number, string>>;

/** A calculated column's formula: the first data row's, when every data row holds a formula. */
export function calculatedFormulas(t: TablePlan): Map<number, string> {
  const out = new Map<number, string>();
  t.columns.forEach((c, i) => {
    if (!c.calculated || !t.rows.length) return;
    const first = t.rows[0][i];
    if (t.rows.every((r) => isFormulaCell(r[i] ?? null)) && isFormulaCell(first)) out.set(i, first.formula.replace(/^=/, ''));
  });
  return out;
}

function renderTable(ws: ExcelJS.Worksheet, t: TablePlan, usedNames: Set<string>, validationRows: number, priorities: Priorities): void {
  const top = t.topRow + 1; // 1-based header row
  const left = t.leftCol + 1;
  if (t.caption) {
    const c = ws.getCell(top - 1, left);
    c.value = safeText(t.caption);
    applyCellStyle(c, 'label');
  }
  const width = t.columns.length;
  const rows = (t.rows.length ? t.rows : [t.columns.map(() => null)]).map((r) =>
    Array.from({ length: width }, (_, i) => cellValue(r[i] ?? null)));
  ws.addTable({
    name: tableName(t.name, usedNames),
    ref: `${columnLetters(t.leftCol)}${top}`,
    headerRow: true,
    totalsRow: false,
    style: { theme: STYLE.tableStyle as ExcelJS.TableStyleProperties['theme'], showRowStripes: true },
    columns: t.columns.map((c) => ({ name: safeText(c.header), filterButton: true })),
    rows,
  });
  // Header cells: the shared header style; headers are always text.
  t.columns.forEach((_, i) => {
    const h = ws.getCell(top, left + i);
    applyCellStyle(h, 'header');
    if (t.wrapHeader) h.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    if (t.borders) h.border = { top: THIN, left: THIN, bottom: THIN, right: THIN };
  });
  rows.forEach((_, r) => {
    const excelRow = top + 1 + r;
    const rowStyle = t.rowStyles?.[r];
    for (let i = 0; i < width; i++) {
      const cell = ws.getCell(excelRow, left + i);
      const fmt = t.cellFormats?.[r]?.[i] ?? t.columns[i].numFmt;
      if (fmt) cell.numFmt = fmt;
      if (rowStyle) cell.fill = rowFill(rowStyle);
      // Every body cell centred vertically, so wrapped rows read as one line of the table.
      align(cell, t.columns[i].align, t.columns[i].wrap, true);
      if (t.borders) cell.border = { top: THIN, left: THIN, bottom: THIN, right: THIN };
    }
  });
  for (let r = 0; t.borders && r < (t.formRows ?? 0); r++) {
    for (let i = 0; i < width; i++) ws.getCell(top + 1 + rows.length + r, left + i).border = { top: THIN, left: THIN, bottom: THIN, right: THIN };
  }
  if (t.conditionalFormats?.length) {
    ws.addConditionalFormatting({
      ref: `${columnLetters(t.leftCol)}${top + 1}:${columnLetters(t.leftCol + width - 1)}${top + rows.length}`,
      rules: t.conditionalFormats.map((rule) => ({
        type: 'expression', priority: priorities.next++, formulae: [rowHighlightFormula(t, rule)], style: { fill: highlightFill(rule.style) },
      })),
    });
  }
  for (const link of t.links ?? []) {
    const cell = ws.getCell(top + 1 + link.row, left + link.col);
    const text = cell.value === null || cell.value === undefined ? link.cell : String(cell.value);
    // `Sheet!A1` without `#`: ExcelJS then writes an in-workbook `location` (see internalLinks).
    const target = `'${link.sheet.replace(/'/g, "''")}'!${link.cell}`;
    cell.value = { text: safeText(text), hyperlink: target } as ExcelJS.CellValue;
    cell.font = { color: { argb: 'FF0563C1' }, underline: true };
  }
  // Dropdowns cover the table's rows and rows a user may add below.
  const lastRow = top + Math.max(rows.length, validationRows);
  t.columns.forEach((c, i) => {
    if (!c.list && !c.listSource) return;
    const letters = columnLetters(t.leftCol + i);
    const range = `${letters}${top + 1}:${letters}${lastRow}`;
    const strict = !!c.list;
    (ws as unknown as { dataValidations: { add(a: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(range, {
      type: 'list',
      allowBlank: true,
      formulae: [c.list ? listFormula(c.list) : (c.listSource as string).replace(/^=/, '')],
      showErrorMessage: true,
      errorStyle: strict ? 'stop' : 'warning',
      errorTitle: safeText(c.header).slice(0, 32),
      error: strict ? `Chọn một trong: ${c.list?.join(', ')}`.slice(0, 255) : 'Giá trị không có trong danh sách; vẫn giữ?',
      showInputMessage: !!c.prompt,
      promptTitle: c.prompt ? safeText(c.header).slice(0, 32) : undefined,
      prompt: c.prompt ? safeText(c.prompt).slice(0, 255) : undefined,
    } as ExcelJS.DataValidation);
  });
}

function renderSheet(wb: ExcelJS.Workbook, plan: SheetPlan, usedNames: Set<string>): void {
  const ws = wb.addWorksheet(plan.name, {
    views: plan.freezeRows ? [{ state: 'frozen', xSplit: 0, ySplit: plan.freezeRows, topLeftCell: `A${plan.freezeRows + 1}` }] : [],
    properties: plan.tabColor ? { tabColor: { argb: argb(plan.tabColor) } } : {},
  });
  if (plan.page) applyPageSetup(ws, plan.page);
  for (const [r, h] of Object.entries(plan.rowHeights ?? {})) ws.getRow(Number(r) + 1).height = h;
  // Widths: the widest that any table or the plan asks for.
  const widths: number[] = [...(plan.columnWidths ?? [])];
  for (const t of plan.tables) t.columns.forEach((c, i) => {
    if (c.width) widths[t.leftCol + i] = Math.max(widths[t.leftCol + i] ?? 0, c.width);
  });
  widths.forEach((w, i) => { if (w) ws.getColumn(i + 1).width = w; });

  // Input sheets (one table) keep their dropdowns for added rows; output sheets need none.
  const validationRows = plan.tables.length === 1 && !plan.marker ? VALIDATION_EXTRA_ROWS : 0;
  const priorities: Priorities = { next: 1 };
  for (const t of plan.tables) renderTable(ws, t, usedNames, validationRows, priorities);

  for (const c of plan.cells) {
    const cell = ws.getCell(c.row + 1, c.col + 1);
    cell.value = scalarValue(c.value);
    if (c.style) applyCellStyle(cell, c.style);
    align(cell, c.align, c.wrap);
    if (c.numFmt) cell.numFmt = c.numFmt;
    if (c.mergeAcross && c.mergeAcross > 0) ws.mergeCells(c.row + 1, c.col + 1, c.row + 1, c.col + 1 + c.mergeAcross);
  }
  if (plan.marker) {
    const cell = ws.getCell(plan.marker.cell.row + 1, plan.marker.cell.col + 1);
    if (cell.value === null || cell.value === undefined) cell.value = safeText(plan.marker.text);
  }
}

/** Plans → an ExcelJS workbook (not yet written). */
export function buildWorkbook(plans: readonly SheetPlan[], opts: WriteOptions = {}): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const date = opts.date ?? new Date();
  wb.creator = CREATOR;
  wb.lastModifiedBy = CREATOR;
  wb.created = date;
  wb.modified = date;
  wb.calcProperties.fullCalcOnLoad = true;
  const used = new Set<string>();
  for (const p of plans) renderSheet(wb, p, used);
  return wb;
}

/** Plans → .xlsx bytes. With `opts.date` the bytes are reproducible. */
export async function workbookBuffer(plans: readonly SheetPlan[], opts: WriteOptions = {}): Promise<Buffer> {
  // Large outputs (a ranking of thousands of units) go through the lean writer: ExcelJS's model
  // of every cell took minutes and over 3 GB for 100,000 units (issue 14).
  if (planRows(plans) > LEAN_ROWS) return leanWorkbookBuffer(plans, opts);
  return excelJsWorkbookBuffer(plans, opts);
}

/** Above this many table rows in all plans, the lean writer renders the file. */
export const LEAN_ROWS = 5_000;

function planRows(plans: readonly SheetPlan[]): number {
  let n = 0;
  for (const p of plans) for (const t of p.tables) n += t.rows.length;
  return n;
}

/** Plans → .xlsx bytes with ExcelJS, whatever their size (the reference the lean writer matches). */
export async function excelJsWorkbookBuffer(plans: readonly SheetPlan[], opts: WriteOptions = {}): Promise<Buffer> {
  const wb = buildWorkbook(plans, opts);
  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  const hasLinks = plans.some((p) => p.tables.some((t) => t.links?.length));
  const hasParts = plans.some((p) => p.names?.length || p.tables.some((t) => t.columns.some((c) => c.calculated)));
  if (!opts.date && !hasLinks && !hasParts) return raw;
  const zip = await JSZip.loadAsync(raw);
  if (hasLinks) await internalLinks(zip);
  await addPlanParts(zip, plans);
  // ExcelJS stamps each zip entry with the current time; re-pack with the fixed date.
  return repackZip(zip, opts.date ?? new Date());
}

/** Zip entries re-packed in name order with one date: the same content gives the same bytes. */
export async function repackZip(zip: JSZip, date: Date): Promise<Buffer> {
  const out = new JSZip();
  for (const name of Object.keys(zip.files).sort()) {
    const entry = zip.files[name];
    if (entry.dir) continue;
    out.file(name, await entry.async('nodebuffer'), { date, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

/**
 * ExcelJS writes an in-workbook link as `location` plus a needless external relationship whose
 * target is the location text; Excel would follow that as a file path. Drop the relationship.
 */
async function internalLinks(zip: JSZip): Promise<void> {
  for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n))) {
    const xml = await zip.file(name)!.async('string');
    const ids: string[] = [];
    const fixed = xml.replace(/<hyperlink\b[^>]*\blocation="[^"]*"[^>]*\/>/g, (tag) =>
      tag.replace(/\s+r:id="([^"]+)"/, (_m, id: string) => { ids.push(id); return ''; }));
    if (!ids.length) continue;
    zip.file(name, fixed);
    const relsName = name.replace(/([^/]+)$/, '_rels/$1.rels');
    const rels = zip.file(relsName);
    if (!rels) continue;
    const drop = new Set(ids);
    zip.file(relsName, (await rels.async('string')).replace(/<Relationship\b[^>]*\/>/g, (tag) => {
      const id = /\bId="([^"]+)"/.exec(tag)?.[1];
      return id && drop.has(id) ? '' : tag;
    }));
  }
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmlUnescape(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * What ExcelJS cannot write, added to the zip it wrote from `plans` (buildWorkbook): the tables'
 * calculated columns and the workbook's defined names. Exported for writers that edit the ExcelJS
 * workbook before packing it (the corpus generator).
 */
export async function addPlanParts(zip: JSZip, plans: readonly SheetPlan[]): Promise<void> {
  // Table names as renderSheet gave them: same order, same de-duplication.
  const used = new Set<string>();
  const calculated: CalculatedColumns = new Map();
  for (const p of plans) {
    for (const t of p.tables) {
      const name = tableName(t.name, used);
      const calc = calculatedFormulas(t);
      if (calc.size) calculated.set(name, calc);
    }
  }
  const names = plans.flatMap((p) => p.names ?? []);
  if (calculated.size) await calculatedColumns(zip, calculated);
  if (names.length) await definedNames(zip, names);
}

/**
 * Each derived column's `<tableColumn>` gets its `<calculatedColumnFormula>` (the formula of the
 * first data row, relative references as Excel itself stores them), so Excel fills the formula
 * into a row the user adds to the table.
 */
async function calculatedColumns(zip: JSZip, calculated: CalculatedColumns): Promise<void> {
  for (const name of Object.keys(zip.files).filter((n) => /^xl\/tables\/[^/]+\.xml$/.test(n))) {
    const xml = await zip.file(name)!.async('string');
    const tableName = /<table\b[^>]*\bname="([^"]*)"/.exec(xml)?.[1];
    const calc = tableName === undefined ? undefined : calculated.get(xmlUnescape(tableName));
    if (!calc) continue;
    let index = 0;
    const fixed = xml.replace(/<tableColumn\b([^>]*?)(\/>|>([\s\S]*?)<\/tableColumn>)/g, (tag, attrs: string, _end: string, inner?: string) => {
      const formula = calc.get(index++);
      if (formula === undefined) return tag;
      return `<tableColumn${attrs}><calculatedColumnFormula>${xmlEscape(formula)}</calculatedColumnFormula>${inner ?? ''}</tableColumn>`;
    });
    zip.file(name, fixed);
  }
}

/** Workbook-scoped `<definedName>`s, added to the ones ExcelJS wrote (print titles). */
async function definedNames(zip: JSZip, names: readonly DefinedNamePlan[]): Promise<void> {
  const file = zip.file('xl/workbook.xml');
  if (!file) throw new Error('xl/workbook.xml missing from the written workbook');
  const xml = await file.async('string');
  const add = names.map((n) => `<definedName name="${xmlEscape(n.name)}">${xmlEscape(n.ref)}</definedName>`).join('');
  let fixed: string;
  if (/<definedNames\s*\/>/.test(xml)) fixed = xml.replace(/<definedNames\s*\/>/, `<definedNames>${add}</definedNames>`);
  else if (xml.includes('</definedNames>')) fixed = xml.replace('</definedNames>', `${add}</definedNames>`);
  else if (xml.includes('</sheets>')) fixed = xml.replace('</sheets>', `</sheets><definedNames>${add}</definedNames>`);
  else throw new Error('xl/workbook.xml without <sheets>');
  zip.file('xl/workbook.xml', fixed);
}

/** Write bytes to `target` atomically: a temporary file beside it, then a rename. */
export async function writeFileAtomic(target: string, data: Buffer): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    await fs.writeFile(tmp, data, { flag: 'wx' });
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Render plans and write them to `target` atomically. */
export async function writeWorkbook(plans: readonly SheetPlan[], target: string, opts: WriteOptions = {}): Promise<void> {
  await writeFileAtomic(target, await workbookBuffer(plans, opts));
}
