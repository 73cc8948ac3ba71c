/**
 * .xlsx bytes → WorkbookGrid in the browser, for the task pane's import. Loaded only when the user
 * imports (a separate webpack chunk with ExcelJS's browser build and JSZip), so the pane opens fast.
 *
 * The reading rules are the command line's (src/core/xlsx-cells.ts: cached formula results, rich
 * text as text, dates as serials, absolute relationship targets repaired before ExcelJS sees
 * them); src/node/xlsx-read.ts adds the Node-side file checks and resource caps.
 */
import type { WorkbookGrid } from '../core/cells';
import { LoadedSheet, ValueTypeCodes, relativizeRels, sheetGrid } from '../core/xlsx-cells';

export { relativizeRels };

export class XlsxReadError extends Error {
  constructor(readonly vi: string, readonly en: string) {
    super(vi);
  }
}

/** Largest file the pane accepts (bytes). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

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
  const vt = ExcelJS.ValueType as unknown as ValueTypeCodes;
  return { file, sheets: wb.worksheets.map((ws) => sheetGrid(ws as unknown as LoadedSheet, vt)) };
}
