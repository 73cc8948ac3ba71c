/**
 * The grid model every adapter produces: what a spreadsheet cell holds, as Excel gives it.
 * Office.js, ExcelJS and the test stand-in all turn a sheet into a `SheetGrid`; the engine reads
 * nothing else, so the same rules apply whichever program wrote the file.
 */

/** An Excel error value such as `#REF!` or `#DIV/0!`. */
export interface CellError {
  readonly error: string;
  /**
   * Set by the .xlsx reader when a stored value is not what its cell type says (a `<v>` that is
   * not a number by the XML grammar, such as `2,900,000` or `NaN`): the raw text, so the reader
   * reports a type-error quoting it instead of a number silently changed.
   */
  readonly raw?: string;
}

/** Dates arrive as Excel serial numbers (Office.js does so; the ExcelJS adapter converts). */
export type CellValue = null | number | string | boolean | CellError;

export interface SheetGrid {
  /** The sheet's name exactly as the workbook has it (may carry stray spaces). */
  readonly name: string;
  /** 0-based row and column of `rows[0][0]` on the sheet (the used range's top-left). */
  readonly originRow: number;
  readonly originCol: number;
  /** Row-major values of the used range; rows may be ragged (missing cells are blank). */
  readonly rows: ReadonlyArray<ReadonlyArray<CellValue>>;
}

export interface WorkbookGrid {
  /** File name (no folder) when the grid came from a file; shown in issues. */
  readonly file?: string;
  readonly sheets: ReadonlyArray<SheetGrid>;
}

export const ERROR_VALUES = [
  '#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA',
  '#SPILL!', '#CALC!', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!', '#UNKNOWN!', '#PYTHON!',
] as const;

export function isCellError(v: unknown): v is CellError {
  return typeof v === 'object' && v !== null && typeof (v as CellError).error === 'string';
}

/** Office.js returns error values as strings like `#REF!`; recognise them. */
export function errorFromString(s: string): CellError | null {
  const t = s.trim().toUpperCase();
  return (ERROR_VALUES as readonly string[]).includes(t) ? { error: t } : null;
}

export function isBlank(v: CellValue | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && isBlankText(v));
}

/** 0-based column index → letters (0 → A, 26 → AA). */
export function columnLetters(col: number): string {
  let n = col + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** 0-based row and column → A1 address. */
export function a1(row: number, col: number): string {
  return columnLetters(col) + String(row + 1);
}

/**
 * s[from, to) as a whole number when it is 1 to `most` plain digits (15 at most: exact in a
 * double), else -1. The one digit loop of addresses and the .xlsx reader (values, references, styles).
 */
export function digitsAt(s: string, from: number, to: number, most = 15): number {
  if (to <= from || to - from > most) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const ch = s.charCodeAt(i);
    if (ch < 48 || ch > 57) return -1;
    v = v * 10 + (ch - 48);
  }
  return v;
}

/** A1 address → 0-based row and column; throws on garbage (internal use only). */
export function parseA1(addr: string): { row: number; col: number } {
  // By hand: issues are sorted by cell, 100,000 of them (no regular expression, no upper-casing).
  const n = addr.length;
  let i = addr.charCodeAt(0) === 36 ? 1 : 0; // $
  let col = 0;
  const from = i;
  for (; i < n && i - from < 4; i++) {
    const c = addr.charCodeAt(i) & ~32; // a–z as A–Z
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  const letters = i - from;
  if (i < n && addr.charCodeAt(i) === 36) i++;
  const row = digitsAt(addr, i, n, Infinity);
  if (letters < 1 || letters > 3 || row < 0) throw new Error(`not an A1 address: ${addr}`);
  return { row: row - 1, col: col - 1 };
}

/** Cell value at an absolute 0-based position of a grid. */
export function cellAt(sheet: SheetGrid, row: number, col: number): CellValue {
  const r = sheet.rows[row - sheet.originRow];
  if (!r) return null;
  const v = r[col - sheet.originCol];
  return v === undefined ? null : v;
}

const SPACES = /[\s\u00A0\u2007\u202F\uFEFF\u200B]+/g;
const BLANK = /^[\s\u00A0\u2007\u202F\uFEFF\u200B]*$/;
/**
 * Text that is already normal: words of characters that NFC leaves alone in any context, one plain
 * space between them, none at either end. The characters are printable ASCII, Latin-1 and Latin
 * Extended A/B letters and signs below the combining marks (U+00A1–U+02FF), and Latin Extended
 * Additional (U+1E00–U+1EFF), where precomposed Vietnamese lives; none is white space, none
 * decomposes, none composes with a neighbour (test/fingerprint.test.ts checks every character and
 * every pair). Codes, numbers and Vietnamese typed in Unicode pass; anything else (combining marks,
 * NBSP, doubled spaces) takes the full path.
 */
const ALREADY_NORMAL = /^[\x21-\x7E\u00A1-\u02FF\u1E00-\u1EFF]+(?: [\x21-\x7E\u00A1-\u02FF\u1E00-\u1EFF]+)*$/;
export const ALREADY_NORMAL_RANGES: readonly (readonly [number, number])[] = [[0x21, 0x7e], [0xa1, 0x2ff], [0x1e00, 0x1eff]];

/** Trim, NFC, collapse inner white space (the non-breaking space included). */
export function normalizeSpace(s: string): string {
  if (ALREADY_NORMAL.test(s)) return s;
  return s.normalize('NFC').replace(SPACES, ' ').trim();
}

// Invisible format characters (word joiner, zero-width space and joiners, BOM): no width, no meaning.
const INVISIBLE = /\u2060|\u200B|\u200C|\u200D|\uFEFF/g;

/**
 * A text with invisible format characters removed, for comparing names: `Nguyễn\u2060 Văn A`
 * and `Nguyễn Văn A` are the same person.
 */
export function foldInvisible(s: string): string {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(s) ? s.replace(INVISIBLE, '') : s;
}

/** Is a string empty once white space (the non-breaking space included) is removed? */
export function isBlankText(s: string): boolean {
  // Most cells start with a character that is plainly not white space: no regular expression then.
  const c = s.length ? s.charCodeAt(0) : 0x20;
  if ((c > 0x20 && c < 0x7f) || (c > 0xa0 && c < 0x1680)) return false;
  return BLANK.test(s);
}

/**
 * The matching key for headers, sheet names, enumerated values and names. Vietnamese has no
 * locale-specific case rules, so plain `toLowerCase` (much faster than `toLocaleLowerCase`) is right.
 */
export function matchKey(s: string): string {
  return normalizeSpace(s).toLowerCase().normalize('NFC');
}

/** Excel's serial date (1900 system) → ISO date `YYYY-MM-DD`. */
export function serialToIsoDate(serial: number): string {
  const ms = Math.round((serial - 25569) * 86400000);
  return new Date(ms).toISOString().slice(0, 10);
}

/** ISO date → Excel serial (1900 system). */
export function isoDateToSerial(iso: string): number {
  return Date.parse(iso + 'T00:00:00Z') / 86400000 + 25569;
}
