/**
 * The resource caps and file checks both .xlsx readers enforce — the command line's
 * (src/node/xlsx-read.ts) and the task pane's (src/excel/xlsx-grid.ts) — with the same vi/en
 * messages; the caps inside the package are counted by the lean reader (src/core/xlsx-lean.ts)
 * while it inflates and scans. Pure; the readers do the I/O and wrap a refusal in their own error
 * type.
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
/**
 * The caps are chosen by what a file under them costs the command line, measured on a 2-core
 * machine (README, "Measured bound"): every file they admit is answered by `validate`, `rank
 * --json` and `rank --out` within 10 s and 1 GB (`npm run bench`, scripts/bench/caps.ts: the most
 * units under the cell cap, and a master whose every unit and service cell is wrong). At 700,000
 * cells `rank --out` of either took 9–11 s: the cap is a little above a 100,000-row submission.
 */
/** Most rows in one sheet (row elements present in the sheet's XML): a 100,000-row submission and room. */
export const MAX_SHEET_ROWS = 120_000;
/**
 * Most cells in the whole workbook (cell elements present in the sheets' XML); a 100,000-row
 * submission is 600,000 cells. The command line applies it to all the files of one run together.
 */
export const MAX_CELLS = 620_000;
/**
 * Most grid slots in the whole workbook: the cells of each sheet's used box as the reader holds
 * it (every row of the box, each row out to its last cell), so scattered cells cannot make a
 * small file expand into a huge grid.
 */
export const MAX_GRID_SLOTS = 3_000_000;

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
  return [MSG.unreadable(file, line(whyVi)).vi, MSG.unreadable(file, line(whyEn)).en];
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

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
  // The library's own text ("Corrupted zip: can't find end of central directory") says nothing
  // to an accountant and is English: one sentence in the user's words instead.
  void e;
  return new XlsxRefusal('tệp bị hỏng hoặc không trọn vẹn (có thể bị cắt khi tải về hay gửi qua thư); hãy xin công ty gửi lại tệp.',
    'the file is corrupt or incomplete (perhaps cut short while downloading or mailing); ask the company to send it again.');
}
