/**
 * How many decimals a category's measures are shown with, so that no shown number contradicts the
 * ranking (issue 10): two entries whose measures differ never show the same text, and a rate
 * below the threshold never shows as the threshold or above it (nor one at or above it below).
 * The fewest decimals that keep every shown comparison true, at least two.
 *
 * Display rounding is Excel's: the double's 15 significant digits, then half away from zero; the
 * comparisons are on those rounded decimals (BigInt), not on doubles.
 */

export interface DisplayOptions {
  /** Shown as a percentage (`0.00%`): the value is a fraction, two more digits are shown. */
  readonly percent: boolean;
  /** The eligibility threshold in the value's own unit (a fraction for rates), when there is one. */
  readonly threshold?: number | null;
  readonly min?: number;
  /** Digits beyond this cannot separate doubles' 15 significant digits anyway. */
  readonly max?: number;
}

export const MIN_DECIMALS = 2;
const MAX_DECIMALS = 12;

/** |v| × 10^digits rounded half away from zero from v's 15 significant digits, signed. */
export function scaledRound(v: number, digits: number): bigint {
  if (v === 0) return 0n;
  const [mant, expText] = Math.abs(v).toExponential(14).split('e');
  const n = BigInt(mant.replace('.', ''));
  const shift = Number(expText) - 14 + digits;
  let r: bigint;
  if (shift >= 0) r = n * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    r = n / div + ((n % div) * 2n >= div ? 1n : 0n);
  }
  return v < 0 ? -r : r;
}

/** The fewest decimals (≥ min) that keep the shown values as ordered as the values themselves. */
export function displayDecimals(values: ReadonlyArray<number | null>, opts: DisplayOptions): number {
  const min = opts.min ?? MIN_DECIMALS;
  const max = Math.max(min, opts.max ?? MAX_DECIMALS);
  const extra = opts.percent ? 2 : 0;
  const distinct = [...new Set(values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)))].sort((a, b) => a - b);
  const t = opts.threshold;
  for (let d = min; d < max; d++) {
    if (fits(distinct, d + extra, t)) return d;
  }
  return max;
}

/**
 * scaledRound as a number, with doubles where they cannot be wrong: |v|·10^digits is within
 * 6·10⁻¹⁵ of itself from v's 15 significant digits, so unless its fraction lies that close to
 * one half, both round alike (near a whole number both round to it). Otherwise, exactly.
 * Undefined past 2⁵² (the caller then compares exactly).
 */
function scaledKey(v: number, digits: number): number | undefined {
  if (v === 0) return 0;
  const x = Math.abs(v) * 10 ** digits;
  if (!(x < 2 ** 52)) return undefined;
  const f = Math.floor(x);
  const frac = x - f;
  let r: number;
  if (Math.abs(frac - 0.5) > 1e-14 * x + 1e-300) r = frac > 0.5 ? f + 1 : f;
  else r = Number(scaledRound(Math.abs(v), digits));
  return v < 0 ? -r : r;
}

function fits(sorted: readonly number[], digits: number, threshold: number | null | undefined): boolean {
  // Rounding is monotone: neighbours that stay apart keep every pair apart.
  let prev = NaN;
  for (const v of sorted) {
    const r = scaledKey(v, digits);
    if (r === undefined) return fitsExactly(sorted, digits, threshold);
    if (r === prev) return false;
    prev = r;
  }
  return fitsThreshold(sorted, digits, threshold, true);
}

function fitsExactly(sorted: readonly number[], digits: number, threshold: number | null | undefined): boolean {
  let prev: bigint | null = null;
  for (const v of sorted) {
    const r = scaledRound(v, digits);
    if (prev !== null && r === prev) return false;
    prev = r;
  }
  return fitsThreshold(sorted, digits, threshold, false);
}

function fitsThreshold(sorted: readonly number[], digits: number, threshold: number | null | undefined, near: boolean): boolean {
  if (threshold === null || threshold === undefined || !Number.isFinite(threshold)) return true;
  // Compare shown values with the threshold exactly: both scaled by 10^(digits + 6). Rounding
  // moves a value by half a unit of its last digit: only values that close to the threshold
  // can show on its other side (with `near`, only they are looked at).
  const tScaled = scaledRound(threshold, digits + 6);
  const pad = 10n ** 6n;
  const margin = 2 * 10 ** -digits;
  let i = 0;
  if (near) {
    let hi = sorted.length;
    while (i < hi) { const mid = (i + hi) >> 1; if (sorted[mid] < threshold - margin) i = mid + 1; else hi = mid; }
  }
  for (; i < sorted.length; i++) {
    const v = sorted[i];
    if (near && v > threshold + margin) break;
    const shown = scaledRound(v, digits) * pad;
    if (v < threshold && shown >= tScaled) return false;
    if (v >= threshold && shown < tScaled) return false;
  }
  return true;
}

/** The number format for that many decimals: `0.000%` or `0.000`. */
export function decimalsFormat(decimals: number, percent: boolean): string {
  const body = decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0';
  return percent ? `${body}%` : body;
}
