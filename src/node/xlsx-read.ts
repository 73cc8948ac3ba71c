/**
 * Reads an .xlsx file into the grid model (src/core/cells.ts): the lean streaming reader of
 * src/core/xlsx-lean.ts over JSZip — what each cell holds as Excel shows it (cached formula
 * results, rich text as plain text, dates as serial numbers), the same reader the task pane's
 * import uses.
 *
 * Hardening, before and while reading: the file size is checked before the file is read; the
 * zip's parts, each part's and all parts' uncompressed size (measured while inflating), the rows
 * of each sheet, the cells and grid slots of the workbook are capped (src/core/xlsx-limits.ts;
 * `limits` lowers them for tests); part names are compared as a reader matches them, only parts
 * reachable from the workbook are read, every reference is checked against Excel's grid.
 * Anything that cannot be read becomes one `UnreadableFileError` naming the file.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import JSZip from 'jszip';
import type { WorkbookGrid } from '../core/cells';
import { readLeanWorkbook } from '../core/xlsx-lean';
import {
  READ_LIMITS, ReadLimits, XlsxRefusal, checkFileHead, checkFileSize, corruptZip, unreadableMessage,
} from '../core/xlsx-limits';

// The caps live in src/core/xlsx-limits.ts, shared with the task pane's reader.
export {
  MAX_CELLS, MAX_ENTRY_BYTES, MAX_GRID_SLOTS, MAX_FILE_BYTES, MAX_SHEET_ROWS, MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES, READ_LIMITS,
} from '../core/xlsx-limits';
export type { ReadLimits } from '../core/xlsx-limits';

/** A file that is not a readable .xlsx (missing, too big, not a zip, corrupt, not a workbook). */
export class UnreadableFileError extends Error {
  readonly code = 'unreadable-file' as const;
  /** English text of the message (the message itself is Vietnamese). */
  readonly messageEn: string;
  constructor(readonly file: string, whyVi: string, whyEn: string) {
    const [vi, en] = unreadableMessage(file, whyVi, whyEn);
    super(vi);
    this.name = 'UnreadableFileError';
    this.messageEn = en;
  }
}

const refused = (file: string, r: XlsxRefusal) => new UnreadableFileError(file, r.whyVi, r.whyEn);

// --- The zip, read -----------------------------------------------------------------------------------

async function readZip(buf: Buffer, file: string, limits: ReadLimits): Promise<WorkbookGrid> {
  const notZip = checkFileHead(buf.subarray(0, 8));
  if (notZip) throw refused(file, notZip);
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buf, { checkCRC32: false });
  } catch (e) {
    throw refused(file, corruptZip(e));
  }
  try {
    const wb = await readLeanWorkbook(zip, limits, buf);
    return { file, sheets: wb.sheets };
  } catch (e) {
    if (e instanceof XlsxRefusal) throw refused(file, e);
    throw new UnreadableFileError(file, `nội dung bảng tính bị hỏng (${(e as Error)?.message ?? String(e)}).`, `the workbook content is corrupt (${(e as Error)?.message ?? String(e)}).`);
  }
}

// --- Entry point -----------------------------------------------------------------------------------

/**
 * Read an .xlsx file (a path, or its bytes with `fileName`) into a WorkbookGrid; every sheet,
 * hidden ones and hidden rows included. Throws only UnreadableFileError.
 */
export async function readXlsxGrid(input: string | Buffer, fileName?: string, opts: { limits?: Partial<ReadLimits> } = {}): Promise<WorkbookGrid> {
  const limits: ReadLimits = { ...READ_LIMITS, ...opts.limits };
  const file = fileName ?? (typeof input === 'string' ? path.basename(input) : '');
  let buf: Buffer;
  if (typeof input === 'string') {
    let size: number;
    try {
      const st = await fs.stat(input);
      if (!st.isFile()) throw new UnreadableFileError(file, 'đây không phải là một tệp.', 'this is not a file.');
      size = st.size;
    } catch (e) {
      if (e instanceof UnreadableFileError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new UnreadableFileError(file, 'không tìm thấy tệp.', 'file not found.');
      throw new UnreadableFileError(file, `không mở được tệp (${code ?? (e as Error).message}).`, `cannot open the file (${code ?? (e as Error).message}).`);
    }
    const tooBig = checkFileSize(size, limits);
    if (tooBig) throw refused(file, tooBig);
    try {
      buf = await fs.readFile(input);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new UnreadableFileError(file, `không mở được tệp (${code}).`, `cannot open the file (${code}).`);
    }
  } else {
    buf = input;
  }
  const over = checkFileSize(buf.length, limits);
  if (over) throw refused(file, over);
  return readZip(buf, file, limits);
}
