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
import { isTablePart, tableWithoutColumnChildren } from './exceljs-tables';
import {
  READ_LIMITS, ReadLimits, XlsxRefusal, checkFileHead, checkFileSize, corruptZip, unreadableMessage,
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

// --- The pre-flight of that time (moved here from src/core/xlsx-limits.ts) --------------------------

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
const partName = (name: string) => {
  const clean = name.replace(/[^\x20-\x7E\u00A0-\u024F\u1E00-\u1EFF]/g, '?');
  return clean.length > 80 ? clean.slice(0, 80) + '…' : clean;
};
const thousands = (n: number) => n.toLocaleString('en-US');

/** The refusal of a workbook ExcelJS could not load. */
export function corruptWorkbook(e: unknown): XlsxRefusal {
  const why = (e as Error)?.message ?? String(e);
  return new XlsxRefusal(`nội dung bảng tính bị hỏng (${why}).`, `the workbook content is corrupt (${why}).`);
}

// --- The opened zip, checked and repaired ---------------------------------------------------------

/** JSZip's streaming API (the same in its Node and browser builds; typed loosely in its .d.ts). */
interface ZipStream {
  on(ev: 'data', f: (chunk: Uint8Array) => void): ZipStream;
  on(ev: 'error', f: (e: Error) => void): ZipStream;
  on(ev: 'end', f: () => void): ZipStream;
  pause(): ZipStream;
  resume(): ZipStream;
}
/** The part of a JSZip archive the checks need. */
export interface ZipEntryLike {
  readonly name: string;
  readonly dir: boolean;
}
export interface ZipLike {
  readonly files: { readonly [name: string]: ZipEntryLike };
  file(name: string, data: string): unknown;
}

/** Inflate one entry, stopping as soon as it passes `cap` bytes (null then). */
function inflateCapped(entry: ZipEntryLike, cap: number): Promise<Uint8Array[] | null> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let done = false;
    const stream = (entry as unknown as { internalStream(t: 'uint8array'): ZipStream }).internalStream('uint8array');
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
        chunks.push(chunk);
      })
      .on('error', (e: Error) => { if (!done) { done = true; reject(e); } })
      .on('end', () => { if (!done) { done = true; resolve(chunks); } });
    stream.resume();
  });
}

const isNameByte = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x5f || b === 0x2e || b === 0x2d;
const isTagEnd = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x2f || b === 0x3e;

/**
 * Count start tags `<tag` or `<prefix:tag` (followed by space, `/` or `>`) in XML bytes, across
 * chunk boundaries, without decoding the text (the XML may be large).
 */
function countTags(chunks: Uint8Array[], tag: string): number {
  const want = Array.from(tag, (ch) => ch.charCodeAt(0));
  const size = chunks.reduce((s, c) => s + c.length, 0);
  const bytes = chunks.length === 1 ? chunks[0] : new Uint8Array(size);
  if (chunks.length !== 1) {
    let at = 0;
    for (const c of chunks) { bytes.set(c, at); at += c.length; }
  }
  let n = 0;
  for (let i = bytes.indexOf(0x3c); i !== -1; i = bytes.indexOf(0x3c, i + 1)) {
    let j = i + 1;
    // An optional namespace prefix: a name then `:`.
    let k = j;
    while (k < bytes.length && isNameByte(bytes[k])) k++;
    if (bytes[k] === 0x3a && k > j) j = k + 1;
    let m = 0;
    while (m < want.length && bytes[j + m] === want[m]) m++;
    if (m === want.length && isTagEnd(bytes[j + m])) n++;
  }
  return n;
}

function utf8(chunks: Uint8Array[]): string {
  const decoder = new TextDecoder('utf-8');
  return chunks.map((c) => decoder.decode(c, { stream: true })).join('') + decoder.decode();
}

function tooBig(part: string, size: number, limits: ReadLimits): XlsxRefusal {
  return new XlsxRefusal(`phần ${partName(part)} khi giải nén lớn hơn ${mb(limits.entryBytes)} (${mb(size)}).`,
    `part ${partName(part)} is over ${mb(limits.entryBytes)} uncompressed (${mb(size)}).`);
}

function tooBigTotal(size: number, limits: ReadLimits): XlsxRefusal {
  return new XlsxRefusal(`nội dung giải nén lớn hơn ${mb(limits.unzippedBytes)} (${mb(size)}).`,
    `the uncompressed content is over ${mb(limits.unzippedBytes)} (${mb(size)}).`);
}

/**
 * Check an opened .xlsx zip against the caps — the number of parts, each part's and all parts'
 * uncompressed size (as declared, then measured while inflating, so a lying header does not help),
 * the rows of each sheet and the cells of the workbook — and that it is a workbook; then make
 * absolute relationship targets relative with `relativize` (written back into the zip).
 * Throws XlsxRefusal; returns whether the zip was changed.
 */
export async function checkXlsxZip(zip: ZipLike, relativize: (relsPath: string, xml: string) => string | null, limits: ReadLimits = READ_LIMITS): Promise<boolean> {
  const entries = Object.values(zip.files).filter((f) => !f.dir);
  if (entries.length > limits.zipEntries) {
    throw new XlsxRefusal(`tệp có ${thousands(entries.length)} phần, quá giới hạn ${thousands(limits.zipEntries)}.`,
      `the file has ${thousands(entries.length)} parts, over the limit of ${thousands(limits.zipEntries)}.`);
  }
  if (zip.files.mimetype && !zip.files['xl/workbook.xml']) {
    throw new XlsxRefusal('đây là tệp OpenDocument (.ods); hãy lưu lại dạng .xlsx.', 'this is an OpenDocument file (.ods); save it as .xlsx.');
  }
  if (!zip.files['xl/workbook.xml'] || !zip.files['[Content_Types].xml']) {
    throw new XlsxRefusal('không phải bảng tính Excel .xlsx (thiếu xl/workbook.xml).', 'not an Excel .xlsx workbook (no xl/workbook.xml).');
  }
  // Declared sizes first (cheap), then the real sizes while inflating.
  let declared = 0;
  for (const e of entries) {
    const size = (e as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0;
    if (size > limits.entryBytes) throw tooBig(e.name, size, limits);
    declared += size;
  }
  if (declared > limits.unzippedBytes) throw tooBigTotal(declared, limits);

  const rels: { name: string; xml: string }[] = [];
  const tables: { name: string; xml: string }[] = [];
  let total = 0;
  let cells = 0;
  for (const e of entries) {
    let data: Uint8Array[] | null;
    try {
      data = await inflateCapped(e, limits.entryBytes);
    } catch (err) {
      throw new XlsxRefusal(`phần ${partName(e.name)} của tệp nén bị hỏng (${(err as Error).message}).`, `part ${partName(e.name)} of the zip is corrupt (${(err as Error).message}).`);
    }
    if (!data) throw tooBig(e.name, limits.entryBytes + 1, limits);
    total += data.reduce((s, c) => s + c.length, 0);
    if (total > limits.unzippedBytes) throw tooBigTotal(total, limits);
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) {
      const rows = countTags(data, 'row');
      if (rows > limits.sheetRows) {
        throw new XlsxRefusal(`một sheet (${partName(e.name)}) có ${thousands(rows)} dòng, quá giới hạn ${thousands(limits.sheetRows)} dòng.`,
          `a sheet (${partName(e.name)}) has ${thousands(rows)} rows, over the limit of ${thousands(limits.sheetRows)} rows.`);
      }
      cells += countTags(data, 'c');
      if (cells > limits.cells) {
        throw new XlsxRefusal(`tệp có hơn ${thousands(limits.cells)} ô dữ liệu, quá giới hạn.`, `the file has more than ${thousands(limits.cells)} cells, over the limit.`);
      }
    }
    if (e.name.endsWith('.rels')) rels.push({ name: e.name, xml: utf8(data) });
    if (isTablePart(e.name)) tables.push({ name: e.name, xml: utf8(data) });
  }

  let repaired = false;
  // Calculated columns (Excel's, and the template's) would stop ExcelJS: see exceljs-tables.ts.
  for (const { name, xml } of tables) {
    const fixed = tableWithoutColumnChildren(xml);
    if (fixed !== null) {
      zip.file(name, fixed);
      repaired = true;
    }
  }
  for (const { name, xml } of rels) {
    const fixed = relativize(name, xml);
    if (fixed !== null) {
      zip.file(name, fixed);
      repaired = true;
    }
  }
  return repaired;
}
