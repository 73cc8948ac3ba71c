/**
 * A VND amount in Vietnamese words, the way financial documents write it ("Bằng chữ: …"):
 * `59000000` → `Năm mươi chín triệu đồng`, `1015000` → `Một triệu không trăm mười lăm nghìn đồng`.
 *
 * Rules (northern/official usage, as on invoices and award decisions):
 * - groups of three digits named nghìn, triệu, tỷ; above tỷ the groups repeat: nghìn tỷ (10^12);
 * - a group after a non-empty higher part is read in full: `không trăm` for a zero hundreds digit,
 *   `linh` for a zero tens digit before a non-zero unit (`một trăm linh năm`);
 * - tens: `mười` for 1x, `mươi` otherwise; unit 1 after mươi (≥ 2x) is `mốt`, unit 5 after any
 *   tens is `lăm`, unit 4 after mươi is `tư` (`hai mươi tư`; but `mười bốn`, `linh bốn`);
 * - whole groups of zeros are skipped (`một triệu đồng`, `một tỷ không trăm linh năm đồng`).
 *
 * Pure: no locale data, no rounding. Amounts are whole numbers 0 ≤ n ≤ 10^15.
 */

export const VND_TEXT_MAX = 1e15;

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;
/** Names of the 3-digit groups below a tỷ, from the lowest. */
const GROUP_NAMES = ['', 'nghìn', 'triệu'] as const;
const TY = 1e9;

/** One group 0–999 in words; `full` when a higher group precedes it (read hundreds and `linh`). */
function groupWords(n: number, full: boolean): string[] {
  const h = Math.floor(n / 100);
  const t = Math.floor(n / 10) % 10;
  const u = n % 10;
  const w: string[] = [];
  if (h > 0 || full) w.push(DIGITS[h], 'trăm');
  if (t === 0) {
    if (u > 0 && (h > 0 || full)) w.push('linh');
    if (u > 0) w.push(DIGITS[u]);
    return w;
  }
  if (t === 1) {
    w.push('mười');
    if (u === 5) w.push('lăm');
    else if (u > 0) w.push(DIGITS[u]);
    return w;
  }
  w.push(DIGITS[t], 'mươi');
  if (u === 1) w.push('mốt');
  else if (u === 4) w.push('tư');
  else if (u === 5) w.push('lăm');
  else if (u > 0) w.push(DIGITS[u]);
  return w;
}

export type VndTextResult = { readonly text: string } | { readonly error: 'num' | 'value' };

/** Words for a whole amount 0 ≤ n ≤ 10^15, without the capital and `đồng`. */
export function numberWords(n: number): string {
  if (!Number.isSafeInteger(n) && n !== VND_TEXT_MAX) throw new RangeError(`not a whole amount: ${n}`);
  if (n < 0 || n > VND_TEXT_MAX) throw new RangeError(`out of range: ${n}`);
  if (n === 0) return DIGITS[0];
  return belowWords(n, false).join(' ');
}

/**
 * Words of n > 0, recursing on tỷ: the part above a tỷ is itself read with nghìn/triệu, so 10^12
 * is `một nghìn tỷ` and 1,005 × 10^9 `một nghìn không trăm linh năm tỷ`.
 */
function belowWords(n: number, full: boolean): string[] {
  const words: string[] = [];
  const high = Math.floor(n / TY);
  let rest = n % TY;
  if (high > 0) {
    words.push(...belowWords(high, full), 'tỷ');
  }
  const groups: number[] = [];
  for (let g = 0; g < 3; g++, rest = Math.floor(rest / 1000)) groups.push(rest % 1000);
  for (let g = 2; g >= 0; g--) {
    if (groups[g] === 0) continue;
    words.push(...groupWords(groups[g], full || words.length > 0));
    if (GROUP_NAMES[g]) words.push(GROUP_NAMES[g]);
  }
  return words;
}

/** `Năm mươi chín triệu đồng`: first letter capital, ending `đồng`. */
export function vndText(n: number): string {
  const w = numberWords(n);
  return `${w.charAt(0).toUpperCase()}${w.slice(1)} đồng`;
}

/**
 * `EVN.VNDTEXT` semantics over an already-read number: a fraction, a negative amount or one over
 * 10^15 is `#NUM!`; non-finite is `#VALUE!`.
 */
export function vndTextOf(n: number): VndTextResult {
  if (!Number.isFinite(n)) return { error: 'value' };
  if (n < 0 || n > VND_TEXT_MAX || !Number.isInteger(n)) return { error: 'num' };
  return { text: vndText(n) };
}
