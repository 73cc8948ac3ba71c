/**
 * The resource caps and file checks both .xlsx readers enforce — the command line's
 * (src/node/xlsx-read.ts) and the task pane's (src/excel/xlsx-grid.ts) — with the same vi/en
 * messages. Pure: it works on bytes and on an already opened JSZip archive (typed structurally
 * here, so core does not depend on JSZip); the readers do the I/O and wrap a refusal in their
 * own error type.
 */
import { MSG } from './messages';

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
/**
 * Most grid slots in the whole workbook: the cells of each sheet's used box as the reader holds
 * it (every row of the box, each row out to its last cell), so scattered cells cannot make a
 * small file expand into a huge grid.
 */
export const MAX_GRID_SLOTS = 6_000_000;

export const READ_LIMITS = {
  fileBytes: MAX_FILE_BYTES, unzippedBytes: MAX_UNZIPPED_BYTES, entryBytes: MAX_ENTRY_BYTES,
  zipEntries: MAX_ZIP_ENTRIES, sheetRows: MAX_SHEET_ROWS, cells: MAX_CELLS, gridSlots: MAX_GRID_SLOTS,
} as const;

export type ReadLimits = { readonly [K in keyof typeof READ_LIMITS]: number };

/** Why a file is refused (vi, en); the reader names the file (see unreadableMessage). */
export class XlsxRefusal extends Error {
  constructor(readonly whyVi: string, readonly whyEn: string) {
    super(whyEn);
    this.name = 'XlsxRefusal';
  }
}

/** The full one-line message (vi, en) for an unreadable file. */
export function unreadableMessage(file: string, whyVi: string, whyEn: string): [string, string] {
  // One line: library errors (XML parsers) carry newlines, and a message is shown in one line.
  const line = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ');
  return [MSG.unreadable(file, line(whyVi))[0], MSG.unreadable(file, line(whyEn))[1]];
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
/** A zip part's name as shown in a message: a corrupt zip's names may hold any bytes (newlines too). */
const partName = (name: string) => {
  const clean = name.replace(/[^\x20-\x7E\u00A0-\u024F\u1E00-\u1EFF]/g, '?');
  return clean.length > 80 ? clean.slice(0, 80) + '…' : clean;
};
const thousands = (n: number) => n.toLocaleString('en-US');

/** The refusal of a file of `size` bytes, or null when it is within the cap. */
export function checkFileSize(size: number, limits: ReadLimits = READ_LIMITS): XlsxRefusal | null {
  if (size <= limits.fileBytes) return null;
  return new XlsxRefusal(`tệp lớn ${mb(size)}, quá giới hạn ${mb(limits.fileBytes)}.`, `the file is ${mb(size)}, over the limit of ${mb(limits.fileBytes)}.`);
}

/** The refusal of a file whose first bytes are not a zip (an old .xls, a text file), or null. */
export function checkFileHead(head: Uint8Array): XlsxRefusal | null {
  if (head.length >= 8 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    return new XlsxRefusal('đây là tệp Excel 97–2003 (.xls) hoặc tệp có đặt mật khẩu; hãy mở bằng Excel và lưu lại dạng .xlsx, không đặt mật khẩu.',
      'this is an Excel 97–2003 (.xls) or a password-protected file; open it in Excel and save it as .xlsx without a password.');
  }
  if (head.length < 4 || head[0] !== 0x50 || head[1] !== 0x4b || head[2] !== 0x03 || head[3] !== 0x04) {
    return new XlsxRefusal('không phải tệp Excel .xlsx (không phải tệp nén zip).', 'not an Excel .xlsx file (not a zip archive).');
  }
  return null;
}

/** The refusal of an archive JSZip could not open. */
export function corruptZip(e: unknown): XlsxRefusal {
  const why = (e as Error)?.message ?? String(e);
  return new XlsxRefusal(`tệp nén bị hỏng (${why}).`, `the zip archive is corrupt (${why}).`);
}

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
  }

  let repaired = false;
  for (const { name, xml } of rels) {
    const fixed = relativize(name, xml);
    if (fixed !== null) {
      zip.file(name, fixed);
      repaired = true;
    }
  }
  return repaired;
}
