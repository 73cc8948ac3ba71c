/**
 * .xlsx bytes → WorkbookGrid in the browser, for the task pane's import. Loaded only when the user
 * imports (a separate webpack chunk with ExcelJS's browser build and JSZip), so the pane opens fast.
 *
 * Same reading rules as src/node/xlsx-read.ts (cached formula results, rich text as text, dates
 * as serials, absolute relationship targets repaired before ExcelJS sees them); that module adds
 * the Node-side file checks and resource caps.
 */
import type { CellValue, SheetGrid, WorkbookGrid } from '../core/cells';

export class XlsxReadError extends Error {
  constructor(readonly vi: string, readonly en: string) {
    super(vi);
  }
}

/** Largest file the pane accepts (bytes). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** `a/b` relative to folder `base` (posix, no `..` in the inputs). */
function relativePath(base: string, target: string): string {
  const from = base ? base.split('/') : [];
  const to = target.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

/** Absolute internal targets of a .rels part made relative (ExcelJS 4.4 crashes on them). */
export function relativizeRels(relsPath: string, xml: string): string | null {
  const parts = relsPath.split('/');
  const base = parts.slice(0, -2).join('/'); // drop `_rels/name.rels`
  let changed = false;
  const out = xml.replace(/<Relationship\b[^>]*>/g, (tag) => {
    if (/TargetMode\s*=\s*["']External["']/i.test(tag)) return tag;
    return tag.replace(/\bTarget\s*=\s*(["'])\/([^"']*)\1/, (_m, q: string, abs: string) => {
      changed = true;
      return `Target=${q}${relativePath(base, abs)}${q}`;
    });
  });
  return changed ? out : null;
}

const EXCEL_EPOCH_OFFSET = 25569;

export function cellValueOf(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.getTime() / 86_400_000 + EXCEL_EPOCH_OFFSET;
  if (typeof v !== 'object') return String(v);
  const o = v as Record<string, unknown>;
  if (typeof o.error === 'string') return { error: o.error };
  if (Array.isArray(o.richText)) return (o.richText as { text?: unknown }[]).map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
  if ('formula' in o || 'sharedFormula' in o) return cellValueOf(o.result);
  if ('text' in o) return cellValueOf(o.text);
  return null;
}

interface MinimalCell { type: number; value: unknown; model: { result?: unknown } }
interface MinimalSheet {
  name: string;
  eachRow(opts: { includeEmpty: boolean }, fn: (row: { eachCell(o: { includeEmpty: boolean }, f: (c: MinimalCell, col: number) => void): void }, n: number) => void): void;
}

function sheetGrid(ws: MinimalSheet, valueType: { Merge: number; Formula: number }): SheetGrid {
  const found: { r: number; c: number; v: CellValue }[] = [];
  let minR = Infinity;
  let minC = Infinity;
  let maxR = -1;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
      if (cell.type === valueType.Merge) return;
      const v = cell.type === valueType.Formula ? cellValueOf(cell.model.result) : cellValueOf(cell.value);
      if (v === null) return;
      const r = rowNumber - 1;
      const c = colNumber - 1;
      found.push({ r, c, v });
      minR = Math.min(minR, r);
      maxR = Math.max(maxR, r);
      minC = Math.min(minC, c);
    });
  });
  if (!found.length) return { name: ws.name, originRow: 0, originCol: 0, rows: [] };
  const rows: CellValue[][] = Array.from({ length: maxR - minR + 1 }, () => []);
  for (const { r, c, v } of found) {
    const row = rows[r - minR];
    while (row.length < c - minC) row.push(null);
    row[c - minC] = v;
  }
  return { name: ws.name, originRow: minR, originCol: minC, rows };
}

/** Read one file's bytes. Throws XlsxReadError with a message naming the file. */
export async function readXlsxBytes(bytes: ArrayBuffer, file: string): Promise<WorkbookGrid> {
  const fail = (vi: string, en: string) => new XlsxReadError(`Không đọc được tệp "${file}": ${vi}`, `Cannot read file "${file}": ${en}`);
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw fail('tệp lớn hơn 50 MB.', 'the file is over 50 MB.');
  const head = new Uint8Array(bytes.slice(0, 4));
  if (head[0] === 0xd0 && head[1] === 0xcf) throw fail('đây là tệp .xls cũ hoặc có mật khẩu; hãy lưu lại dạng .xlsx.', 'this is an old .xls or a password-protected file; save it as .xlsx.');
  if (!(head[0] === 0x50 && head[1] === 0x4b)) throw fail('không phải tệp Excel .xlsx.', 'not an Excel .xlsx file.');
  const [{ default: JSZip }, excel] = await Promise.all([import(/* webpackChunkName: "xlsx" */ 'jszip'), import(/* webpackChunkName: "xlsx" */ 'exceljs')]);
  const ExcelJS = ((excel as unknown as { default?: unknown }).default ?? excel) as typeof import('exceljs');
  let data: ArrayBuffer | Uint8Array = bytes;
  try {
    const zip = await JSZip.loadAsync(bytes);
    if (!zip.file('xl/workbook.xml')) throw fail('không phải bảng tính Excel (thiếu xl/workbook.xml).', 'not an Excel workbook (no xl/workbook.xml).');
    let repaired = false;
    for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.rels'))) {
      const fixed = relativizeRels(name, await zip.file(name)!.async('string'));
      if (fixed !== null) { zip.file(name, fixed); repaired = true; }
    }
    if (repaired) data = await zip.generateAsync({ type: 'uint8array' });
  } catch (e) {
    if (e instanceof XlsxReadError) throw e;
    throw fail(`tệp nén bị hỏng (${(e as Error).message}).`, `the zip archive is corrupt (${(e as Error).message}).`);
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as ArrayBuffer);
  } catch (e) {
    throw fail(`nội dung bảng tính bị hỏng (${(e as Error).message}).`, `the workbook content is corrupt (${(e as Error).message}).`);
  }
  const vt = ExcelJS.ValueType as unknown as { Merge: number; Formula: number };
  return { file, sheets: wb.worksheets.map((ws) => sheetGrid(ws as unknown as MinimalSheet, vt)) };
}
