/**
 * The measures of ranking.md, shared by the ranking, the task pane and the `EVN.*` functions so
 * that a cell and the ranking sheet can never disagree.
 */
import {
  Decimal, Rational, addRational, compareRational, decimalOf, minRational, mulRational, ratio,
  rationalOf, rationalToNumber, roundHalfUpScaled, sumDecimals,
} from './decimal';

export type Direction = 'higher' | 'lower';

/** Saving rate saved / commercial, exactly. `commercial` must be non-zero. */
export function savingRate(saved: Decimal, commercial: Decimal): Rational {
  return ratio(saved, commercial);
}

/** A double's shortest decimal as a safe-integer mantissa and a scale, when it fits (the usual kWh). */
function smallDecimal(x: number): readonly [number, number] | null {
  if (Number.isSafeInteger(x)) return [x, 0];
  const s = String(x);
  if (s.includes('e')) return null;
  const point = s.indexOf('.');
  const m = Number(s.slice(0, point) + s.slice(point + 1));
  return Number.isSafeInteger(m) ? [m, s.length - point - 1] : null;
}

/** Quotient of two decimals aligned to one scale as safe integers: one correctly rounded division. */
function alignedQuotient(a: number, as: number, b: number, bs: number): number | null {
  const sa = as < bs ? a * 10 ** (bs - as) : a;
  const sb = bs < as ? b * 10 ** (as - bs) : b;
  return Number.isSafeInteger(sa) && Number.isSafeInteger(sb) ? sa / sb : null;
}

/**
 * The saving rate as the double nearest the exact quotient: what a cell (`EVN.SAVINGPCT`) and the
 * ranking both show. When both decimals fit safe integers at one scale, a double division of those
 * integers is already the correctly rounded exact quotient; otherwise BigInt arithmetic decides.
 */
export function savingRateValue(saved: Decimal, commercial: Decimal): number {
  const sn = Number(saved.n);
  const cn = Number(commercial.n);
  if (Number.isSafeInteger(sn) && Number.isSafeInteger(cn)) {
    const q = alignedQuotient(sn, saved.scale, cn, commercial.scale);
    if (q !== null) return q;
  }
  return rationalToNumber(savingRate(saved, commercial));
}

export function savingRateOf(saved: number, commercial: number): number {
  const a = smallDecimal(saved);
  const b = smallDecimal(commercial);
  if (a && b) {
    const q = alignedQuotient(a[0], a[1], b[0], b[1]);
    if (q !== null) return q;
  }
  return savingRateValue(decimalOf(saved), decimalOf(commercial));
}

/** rate ≥ threshold, in exact decimal arithmetic (exactly 1 % is eligible). */
export function meetsThreshold(saved: Decimal, commercial: Decimal, threshold: Decimal): boolean {
  return compareRational(savingRate(saved, commercial), rationalOf(threshold)) >= 0;
}

/** The same for numbers from cells: doubles decide far from the threshold, exact arithmetic near it. */
export function meetsThresholdOf(saved: number, commercial: number, threshold: number): boolean {
  const gap = saved / commercial - threshold;
  if (Math.abs(gap) > 1e-12 * Math.abs(threshold) && threshold !== 0) return gap > 0;
  return meetsThreshold(decimalOf(saved), decimalOf(commercial), decimalOf(threshold));
}

/** Sum of numbers as exact decimals (monthly columns of a range). */
export function exactSum(values: Iterable<number>): Decimal {
  const ds: Decimal[] = [];
  for (const v of values) ds.push(decimalOf(v));
  return sumDecimals(ds);
}

// Relative error of a double quotient of two doubles against the exact quotient of their shortest
// decimals is below 4·2⁻⁵³; a gap wider than this is decided by the doubles alone.
const SAFE_GAP = 1e-14;

/**
 * Order two units by saving rate (descending-ready comparator result: a<b → -1), exactly:
 * doubles decide when far apart, exact rationals when close.
 */
export function compareRates(aSaved: number, aCommercial: number, bSaved: number, bCommercial: number): -1 | 0 | 1 {
  const a = aSaved / aCommercial;
  const b = bSaved / bCommercial;
  if (Math.abs(a - b) > SAFE_GAP * Math.max(Math.abs(a), Math.abs(b))) return a < b ? -1 : 1;
  return compareRational(
    savingRate(decimalOf(aSaved), decimalOf(aCommercial)),
    savingRate(decimalOf(bSaved), decimalOf(bCommercial)),
  );
}

export interface ScoreItem {
  readonly value: number;
  readonly target: number;
  readonly weight: number;
  readonly direction: Direction;
}

/**
 * Service score 0–100: Σ wᵢ·min(rᵢ, 1), rᵢ = v/t (higher is better) or t/v (lower is better,
 * 1 when v = 0), rounded half-up to 2 decimals. Returns the score ×100 as an integer (what is
 * ranked) and as a number. Inputs must be valid: value ≥ 0, target > 0, weight > 0.
 */
export function serviceScore(items: readonly ScoreItem[]): { readonly hundredths: number; readonly score: number } {
  // Doubles decide unless the score ×100 lies within a hair of a rounding boundary (…,5): the
  // double sum is off by far less than 1e-9 there, so only near-ties need exact rationals.
  let approx = 0;
  for (const it of items) {
    const r = it.direction === 'higher' ? it.value / it.target : it.value === 0 ? 1 : it.target / it.value;
    approx += it.weight * Math.min(r, 1);
  }
  const scaled = approx * 100;
  const frac = scaled - Math.floor(scaled);
  if (Number.isFinite(scaled) && Math.abs(frac - 0.5) > 1e-6) {
    const hundredths = Math.round(scaled);
    return { hundredths, score: hundredths / 100 };
  }
  return exactServiceScore(items);
}

/** The same score in exact rational arithmetic. */
export function exactServiceScore(items: readonly ScoreItem[]): { readonly hundredths: number; readonly score: number } {
  const one: Rational = { num: 1n, den: 1n };
  let sum: Rational = { num: 0n, den: 1n };
  for (const it of items) {
    const v = decimalOf(it.value);
    const t = decimalOf(it.target);
    let r: Rational;
    if (it.direction === 'higher') r = ratio(v, t);
    else r = v.n === 0n ? one : ratio(t, v);
    sum = addRational(sum, mulRational(rationalOf(decimalOf(it.weight)), minRational(r, one)));
    sum = reduce(sum);
  }
  const hundredths = Number(roundHalfUpScaled(sum, 2));
  return { hundredths, score: hundredths / 100 };
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  while (b) [a, b] = [b, a % b];
  return a;
}

function reduce(x: Rational): Rational {
  const g = gcd(x.num, x.den);
  return g > 1n ? { num: x.num / g, den: x.den / g } : x;
}
