/**
 * The reader before issue 12 (kept for the benchmark's same-grids check only): ExcelJS's whole
 * object model, after the pre-flight of that time. Reads an .xlsx file into the grid model (src/core/cells.ts) with ExcelJS: what each cell holds,
 * as Excel shows it — cached formula results, rich text as plain text, dates as serial numbers
 * (the rules shared with the task pane's reader, src/core/xlsx-cells.ts).
 *
 * Hardening, before ExcelJS sees the file:
 * - bounded resources: the file size, the number of zip entries, each entry's and all entries'
 *   uncompressed size (measured while inflating, so a lying zip header does not help), the rows
 *   of each sheet and the cells of the workbook are capped (src/core/xlsx-limits.ts, shared with
 *   the task pane's reader; `limits` lowers them for tests);
 * - absolute relationship targets (`/xl/tables/table1.xml`, as openpyxl writes them) are made
 *   relative: ExcelJS 4.4 crashes on them in a sheet's relationships and silently drops sheets
 *   whose workbook relationship is absolute.
 * Anything that cannot be read becomes one `UnreadableFileError` naming the file.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { WorkbookGrid } from '../../src/core/cells';
import { LoadedSheet, relativizeRels, sheetGrid } from './exceljs-cells';
import {
  READ_LIMITS, ReadLimits, XlsxRefusal, checkFileHead, checkFileSize, checkXlsxZip, corruptWorkbook, corruptZip, unreadableMessage,
} from '../../src/core/xlsx-limits';


/** A file that is not a readable .xlsx (missing, too big, not a zip, corrupt, not a workbook). */
class UnreadableFileError extends Error {
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

// --- The zip, checked and repaired ---------------------------------------------------------------

async function checkedZip(buf: Buffer, file: string, limits: ReadLimits): Promise<Buffer> {
  const notZip = checkFileHead(buf.subarray(0, 8));
  if (notZip) throw refused(file, notZip);
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buf, { checkCRC32: false });
  } catch (e) {
    throw refused(file, corruptZip(e));
  }
  let repaired: boolean;
  try {
    repaired = await checkXlsxZip(zip, relativizeRels, limits);
  } catch (e) {
    if (e instanceof XlsxRefusal) throw refused(file, e);
    throw e;
  }
  if (!repaired) return buf;
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } });
}

// --- Entry point -----------------------------------------------------------------------------------

/**
 * Read an .xlsx file (a path, or its bytes with `fileName`) into a WorkbookGrid; every sheet,
 * hidden ones and hidden rows included. Throws only UnreadableFileError.
 */
export async function readXlsxGridExcelJS(input: string | Buffer, fileName?: string, opts: { limits?: Partial<ReadLimits> } = {}): Promise<WorkbookGrid> {
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
  const zipped = await checkedZip(buf, file, limits);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(zipped as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw refused(file, corruptWorkbook(e));
  }
  return { file, sheets: wb.worksheets.map((ws) => sheetGrid(ws as unknown as LoadedSheet, ExcelJS.ValueType)) };
}
