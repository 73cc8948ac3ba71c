/**
 * The reading rules both .xlsx readers share — the command line's (src/node/xlsx-read.ts) and the
 * task pane's (src/excel/xlsx-grid.ts): what a cell holds as Excel shows it (cached formula
 * results, rich text as plain text, dates as serial numbers), a sheet as a grid, and the repair of
 * absolute relationship targets. Pure: it works on objects already loaded (ExcelJS-shaped, typed
 * structurally here so core does not depend on ExcelJS) and on XML text; the readers do the I/O.
 */
import type { CellValue, SheetGrid } from '../../src/core/cells';

const MS_PER_DAY = 86_400_000;
const EXCEL_EPOCH_OFFSET = 25569; // serial of 1970-01-01 in the 1900 date system

/** An ExcelJS cell value → the grid's CellValue. */
export function toCellValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.getTime() / MS_PER_DAY + EXCEL_EPOCH_OFFSET;
  if (typeof v !== 'object') return String(v);
  const o = v as Record<string, unknown>;
  if (typeof o.error === 'string') return { error: o.error };
  if (Array.isArray(o.richText)) return (o.richText as { text?: unknown }[]).map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
  // Formulas (plain, shared, array): what Excel shows is the cached result.
  if ('formula' in o || 'sharedFormula' in o) return toCellValue(o.result);
  // Hyperlinks and other text-bearing values: the text shown.
  if ('text' in o) return toCellValue(o.text);
  return null;
}

/** The part of an ExcelJS worksheet that reading needs (the browser and Node builds alike). */
export interface LoadedCell {
  readonly type: number;
  readonly value: unknown;
  readonly model: { readonly result?: unknown };
}
export interface LoadedSheet {
  readonly name: string;
  eachRow(opts: { includeEmpty: boolean }, fn: (row: { eachCell(o: { includeEmpty: boolean }, f: (c: LoadedCell, col: number) => void): void }, rowNumber: number) => void): void;
}
/** ExcelJS's `ValueType` codes the reader tells apart (passed in: core does not import ExcelJS). */
export interface ValueTypeCodes {
  readonly Merge: number;
  readonly Formula: number;
}

/** A loaded worksheet → its grid: the box of non-empty cells, values as Excel shows them. */
export function sheetGrid(ws: LoadedSheet, valueType: ValueTypeCodes): SheetGrid {
  const found: { r: number; c: number; v: CellValue }[] = [];
  let minR = Infinity;
  let minC = Infinity;
  let maxR = -1;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
      // A merged area holds its value at the master cell only (as Excel's used range shows it).
      if (cell.type === valueType.Merge) return;
      // ExcelJS's `value` getter drops falsy cached results (0, FALSE, ''); its model keeps them.
      const v = cell.type === valueType.Formula ? toCellValue(cell.model.result) : toCellValue(cell.value);
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

/** `target` relative to folder `base` (posix paths inside a zip, no `..` in the inputs). */
function relativePath(base: string, target: string): string {
  const from = base ? base.split('/') : [];
  const to = target.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

/**
 * Absolute internal targets of a .rels part (`/xl/tables/table1.xml`, as openpyxl writes them)
 * made relative to the part's folder: ExcelJS 4.4 crashes on them in a sheet's relationships and
 * silently drops sheets whose workbook relationship is absolute. Null when nothing changed.
 */
export function relativizeRels(relsPath: string, xml: string): string | null {
  const base = relsPath.split('/').slice(0, -2).join('/'); // drop `_rels/name.rels`
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
