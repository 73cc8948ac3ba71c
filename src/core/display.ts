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

function fits(sorted: readonly number[], digits: number, threshold: number | null | undefined): boolean {
  // Rounding is monotone: neighbours that stay apart keep every pair apart.
  let prev: bigint | null = null;
  for (const v of sorted) {
    const r = scaledRound(v, digits);
    if (prev !== null && r === prev) return false;
    prev = r;
  }
  if (threshold === null || threshold === undefined || !Number.isFinite(threshold)) return true;
  // Compare shown values with the threshold exactly: both scaled by 10^(digits + 6).
  const tScaled = scaledRound(threshold, digits + 6);
  const pad = 10n ** 6n;
  for (const v of sorted) {
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
