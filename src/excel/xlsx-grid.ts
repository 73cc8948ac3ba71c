/**
 * .xlsx bytes → WorkbookGrid in the browser, for the task pane's import. Loaded only when the user
 * imports (a separate webpack chunk with JSZip and the lean reader), so the pane opens fast.
 *
 * The reader is the command line's (src/core/xlsx-lean.ts: the pre-flight over the package, every
 * sheet read as a stream of cells, cached formula results, rich text as text, dates as serials),
 * and so are the file checks and resource caps (src/core/xlsx-limits.ts) and their messages.
 */
import type { WorkbookGrid } from '../core/cells';
import {
  READ_LIMITS, ReadLimits, XlsxRefusal, checkFileHead, checkFileSize, corruptZip, unreadableMessage,
} from '../core/xlsx-limits';

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
  const [{ default: JSZip }, { readLeanWorkbook }] = await Promise.all([
    import(/* webpackChunkName: "xlsx" */ 'jszip'),
    import(/* webpackChunkName: "xlsx" */ '../core/xlsx-lean'),
  ]);
  let zip: import('jszip');
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch (e) {
    throw fail(corruptZip(e));
  }
  try {
    return { file, sheets: (await readLeanWorkbook(zip, limits, new Uint8Array(bytes))).sheets };
  } catch (e) {
    if (e instanceof XlsxRefusal) throw fail(e);
    const why = (e as Error)?.message ?? String(e);
    throw fail(new XlsxRefusal(`nội dung bảng tính bị hỏng (${why}).`, `the workbook content is corrupt (${why}).`));
  }
}
