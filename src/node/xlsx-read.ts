/**
 * Reads an .xlsx file into the grid model (src/core/cells.ts) with ExcelJS: what each cell holds,
 * as Excel shows it — cached formula results, rich text as plain text, dates as serial numbers
 * (the rules shared with the task pane's reader, src/core/xlsx-cells.ts).
 *
 * Hardening, before ExcelJS sees the file:
 * - bounded resources: the file size, the number of zip entries, each entry's and all entries'
 *   uncompressed size (measured while inflating, so a lying zip header does not help), the rows
 *   of each sheet and the cells of the workbook are capped;
 * - absolute relationship targets (`/xl/tables/table1.xml`, as openpyxl writes them) are made
 *   relative: ExcelJS 4.4 crashes on them in a sheet's relationships and silently drops sheets
 *   whose workbook relationship is absolute.
 * Anything that cannot be read becomes one `UnreadableFileError` naming the file.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { WorkbookGrid } from '../core/cells';
import { LoadedSheet, relativizeRels, sheetGrid } from '../core/xlsx-cells';
import { MSG } from '../core/messages';

/** Largest .xlsx file accepted (bytes). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Largest total of the zip's uncompressed entries (bytes). */
export const MAX_UNZIPPED_BYTES = 300 * 1024 * 1024;
/** Largest single uncompressed zip entry (bytes). */
export const MAX_ENTRY_BYTES = 150 * 1024 * 1024;
/** Most zip entries (parts) in one file. */
export const MAX_ZIP_ENTRIES = 10_000;
/** Most rows in one sheet (row elements present in the sheet's XML). */
export const MAX_SHEET_ROWS = 200_000;
/** Most cells in the whole workbook (cell elements present in the sheets' XML). */
export const MAX_CELLS = 3_000_000;

export const READ_LIMITS = {
  fileBytes: MAX_FILE_BYTES, unzippedBytes: MAX_UNZIPPED_BYTES, entryBytes: MAX_ENTRY_BYTES,
  zipEntries: MAX_ZIP_ENTRIES, sheetRows: MAX_SHEET_ROWS, cells: MAX_CELLS,
} as const;

/** A file that is not a readable .xlsx (missing, too big, not a zip, corrupt, not a workbook). */
export class UnreadableFileError extends Error {
  readonly code = 'unreadable-file' as const;
  /** English text of the message (the message itself is Vietnamese). */
  readonly messageEn: string;
  constructor(readonly file: string, whyVi: string, whyEn: string) {
    // One line: library errors (XML parsers) carry newlines, and a message is shown in one line.
    const line = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ');
    super(MSG.unreadable(file, line(whyVi))[0]);
    this.name = 'UnreadableFileError';
    this.messageEn = MSG.unreadable(file, line(whyEn))[1];
  }
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
/** A zip part's name as shown in a message: a corrupt zip's names may hold any bytes (newlines too). */
const partName = (name: string) => {
  const clean = name.replace(/[^\x20-\x7E\u00A0-\u024F\u1E00-\u1EFF]/g, '?');
  return clean.length > 80 ? clean.slice(0, 80) + '…' : clean;
};
const thousands = (n: number) => n.toLocaleString('en-US');

// --- The zip, checked and repaired ---------------------------------------------------------------

interface ZipEntryData {
  readonly name: string;
  readonly data: Buffer;
}

/** Inflate one entry, stopping as soon as it passes `cap` bytes. */
function inflateCapped(entry: JSZip.JSZipObject, cap: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    // internalStream is JSZip's streaming API (typed loosely in its .d.ts).
    const stream = (entry as unknown as { internalStream(t: 'uint8array'): JSZipStream }).internalStream('uint8array');
    stream
      .on('data', (chunk: Uint8Array) => {
        if (done) return;
        total += chunk.length;
        if (total > cap) {
          done = true;
          stream.pause();
          resolve(null);
          return;
        }
        chunks.push(Buffer.from(chunk));
      })
      .on('error', (e: Error) => { if (!done) { done = true; reject(e); } })
      .on('end', () => { if (!done) { done = true; resolve(Buffer.concat(chunks)); } });
    stream.resume();
  });
}

interface JSZipStream {
  on(ev: 'data', f: (chunk: Uint8Array) => void): JSZipStream;
  on(ev: 'error', f: (e: Error) => void): JSZipStream;
  on(ev: 'end', f: () => void): JSZipStream;
  pause(): JSZipStream;
  resume(): JSZipStream;
}

/** Count matches of a tag (any namespace prefix) in XML bytes, without decoding to UTF-16. */
function countTags(xml: Buffer, tag: string): number {
  const s = xml.toString('latin1');
  const re = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${tag}[\\s/>]`, 'g');
  let n = 0;
  while (re.exec(s)) n++;
  return n;
}

async function checkedZip(buf: Buffer, file: string): Promise<Buffer> {
  const fail = (vi: string, en: string) => new UnreadableFileError(file, vi, en);
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0) {
    throw fail('đây là tệp Excel 97–2003 (.xls) hoặc tệp có đặt mật khẩu; hãy mở bằng Excel và lưu lại dạng .xlsx, không đặt mật khẩu.',
      'this is an Excel 97–2003 (.xls) or a password-protected file; open it in Excel and save it as .xlsx without a password.');
  }
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) {
    throw fail('không phải tệp Excel .xlsx (không phải tệp nén zip).', 'not an Excel .xlsx file (not a zip archive).');
  }
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buf, { checkCRC32: false });
  } catch (e) {
    throw fail(`tệp nén bị hỏng (${(e as Error).message}).`, `the zip archive is corrupt (${(e as Error).message}).`);
  }
  const entries = Object.values(zip.files).filter((f) => !f.dir);
  if (entries.length > MAX_ZIP_ENTRIES) {
    throw fail(`tệp có ${thousands(entries.length)} phần, quá giới hạn ${thousands(MAX_ZIP_ENTRIES)}.`,
      `the file has ${thousands(entries.length)} parts, over the limit of ${thousands(MAX_ZIP_ENTRIES)}.`);
  }
  if (zip.files.mimetype && !zip.files['xl/workbook.xml']) {
    throw fail('đây là tệp OpenDocument (.ods); hãy lưu lại dạng .xlsx.', 'this is an OpenDocument file (.ods); save it as .xlsx.');
  }
  if (!zip.files['xl/workbook.xml'] || !zip.files['[Content_Types].xml']) {
    throw fail('không phải bảng tính Excel .xlsx (thiếu xl/workbook.xml).', 'not an Excel .xlsx workbook (no xl/workbook.xml).');
  }
  // Declared sizes first (cheap), then the real sizes while inflating.
  let declared = 0;
  for (const e of entries) {
    const size = (e as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0;
    if (size > MAX_ENTRY_BYTES) throw tooBig(file, e.name, size);
    declared += size;
  }
  if (declared > MAX_UNZIPPED_BYTES) throw tooBigTotal(file, declared);

  const inflated: ZipEntryData[] = [];
  let total = 0;
  let cells = 0;
  for (const e of entries) {
    let data: Buffer | null;
    try {
      data = await inflateCapped(e, MAX_ENTRY_BYTES);
    } catch (err) {
      throw fail(`phần ${partName(e.name)} của tệp nén bị hỏng (${(err as Error).message}).`, `part ${partName(e.name)} of the zip is corrupt (${(err as Error).message}).`);
    }
    if (!data) throw tooBig(file, e.name, MAX_ENTRY_BYTES + 1);
    total += data.length;
    if (total > MAX_UNZIPPED_BYTES) throw tooBigTotal(file, total);
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) {
      const rows = countTags(data, 'row');
      if (rows > MAX_SHEET_ROWS) {
        throw fail(`một sheet (${partName(e.name)}) có ${thousands(rows)} dòng, quá giới hạn ${thousands(MAX_SHEET_ROWS)} dòng.`,
          `a sheet (${partName(e.name)}) has ${thousands(rows)} rows, over the limit of ${thousands(MAX_SHEET_ROWS)} rows.`);
      }
      cells += countTags(data, 'c');
      if (cells > MAX_CELLS) {
        throw fail(`tệp có hơn ${thousands(MAX_CELLS)} ô dữ liệu, quá giới hạn.`, `the file has more than ${thousands(MAX_CELLS)} cells, over the limit.`);
      }
    }
    inflated.push({ name: e.name, data });
  }

  // Absolute relationship targets → relative.
  let repaired = false;
  for (const entry of inflated) {
    if (!entry.name.endsWith('.rels')) continue;
    const fixed = relativizeRels(entry.name, entry.data.toString('utf8'));
    if (fixed !== null) {
      zip.file(entry.name, fixed);
      repaired = true;
    }
  }
  if (!repaired) return buf;
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } });
}

function tooBig(file: string, part: string, size: number): UnreadableFileError {
  return new UnreadableFileError(file, `phần ${partName(part)} khi giải nén lớn hơn ${mb(MAX_ENTRY_BYTES)} (${mb(size)}).`,
    `part ${partName(part)} is over ${mb(MAX_ENTRY_BYTES)} uncompressed (${mb(size)}).`);
}

function tooBigTotal(file: string, size: number): UnreadableFileError {
  return new UnreadableFileError(file, `nội dung giải nén lớn hơn ${mb(MAX_UNZIPPED_BYTES)} (${mb(size)}).`,
    `the uncompressed content is over ${mb(MAX_UNZIPPED_BYTES)} (${mb(size)}).`);
}

// --- Entry point -----------------------------------------------------------------------------------

/**
 * Read an .xlsx file (a path, or its bytes with `fileName`) into a WorkbookGrid; every sheet,
 * hidden ones and hidden rows included. Throws only UnreadableFileError.
 */
export async function readXlsxGrid(input: string | Buffer, fileName?: string): Promise<WorkbookGrid> {
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
    if (size > MAX_FILE_BYTES) throw fileTooBig(file, size);
    try {
      buf = await fs.readFile(input);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new UnreadableFileError(file, `không mở được tệp (${code}).`, `cannot open the file (${code}).`);
    }
  } else {
    buf = input;
  }
  if (buf.length > MAX_FILE_BYTES) throw fileTooBig(file, buf.length);
  const zipped = await checkedZip(buf, file);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(zipped as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new UnreadableFileError(file, `nội dung bảng tính bị hỏng (${(e as Error).message}).`, `the workbook content is corrupt (${(e as Error).message}).`);
  }
  return { file, sheets: wb.worksheets.map((ws) => sheetGrid(ws as unknown as LoadedSheet, ExcelJS.ValueType)) };
}

function fileTooBig(file: string, size: number): UnreadableFileError {
  return new UnreadableFileError(file, `tệp lớn ${mb(size)}, quá giới hạn ${mb(MAX_FILE_BYTES)}.`, `the file is ${mb(size)}, over the limit of ${mb(MAX_FILE_BYTES)}.`);
}
