/**
 * .xlsx bytes → WorkbookGrid in the browser, for the task pane's import. Loaded only when the user
 * imports (a separate webpack chunk with ExcelJS's browser build and JSZip), so the pane opens fast.
 *
 * The reading rules are the command line's (src/core/xlsx-cells.ts: cached formula results, rich
 * text as text, dates as serials, absolute relationship targets repaired before ExcelJS sees
 * them), and so are the file checks and resource caps (src/core/xlsx-limits.ts: zip parts, each
 * part's and all parts' uncompressed size — measured while inflating —, rows per sheet, cells).
 */
import type { WorkbookGrid } from '../core/cells';
import { LoadedSheet, ValueTypeCodes, relativizeRels, sheetGrid } from '../core/xlsx-cells';
import {
  READ_LIMITS, ReadLimits, XlsxRefusal, checkFileHead, checkFileSize, checkXlsxZip, corruptWorkbook, corruptZip, unreadableMessage,
} from '../core/xlsx-limits';

export { relativizeRels };

export class XlsxReadError extends Error {
  constructor(readonly vi: string, readonly en: string) {
    super(vi);
  }
}

/** Largest file the pane accepts (bytes): the command line's cap. */
export const MAX_IMPORT_BYTES = READ_LIMITS.fileBytes;

/**
 * Read one file's bytes, under the command line's caps (READ_LIMITS; `limits` lowers them for
 * tests). Throws XlsxReadError with the command line's message naming the file.
 */
export async function readXlsxBytes(bytes: ArrayBuffer, file: string, opts: { limits?: Partial<ReadLimits> } = {}): Promise<WorkbookGrid> {
  const limits: ReadLimits = { ...READ_LIMITS, ...opts.limits };
  const fail = (r: XlsxRefusal) => new XlsxReadError(...unreadableMessage(file, r.whyVi, r.whyEn));
  const refusal = checkFileSize(bytes.byteLength, limits) ?? checkFileHead(new Uint8Array(bytes, 0, Math.min(8, bytes.byteLength)));
  if (refusal) throw fail(refusal);
  const [{ default: JSZip }, excel] = await Promise.all([import(/* webpackChunkName: "xlsx" */ 'jszip'), import(/* webpackChunkName: "xlsx" */ 'exceljs')]);
  const ExcelJS = ((excel as unknown as { default?: unknown }).default ?? excel) as typeof import('exceljs');
  let data: ArrayBuffer | Uint8Array = bytes;
  let zip: import('jszip');
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch (e) {
    throw fail(corruptZip(e));
  }
  try {
    if (await checkXlsxZip(zip, relativizeRels, limits)) data = await zip.generateAsync({ type: 'uint8array' });
  } catch (e) {
    if (e instanceof XlsxRefusal) throw fail(e);
    throw e;
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as ArrayBuffer);
  } catch (e) {
    throw fail(corruptWorkbook(e));
  }
  const vt = ExcelJS.ValueType as unknown as ValueTypeCodes;
  return { file, sheets: wb.worksheets.map((ws) => sheetGrid(ws as unknown as LoadedSheet, vt)) };
}
