/**
 * Display decimals (src/core/display.ts) decide with doubles where doubles cannot be wrong and
 * exactly elsewhere. Checked against the exact rule written out here with BigInt only, on values
 * made to sit on and beside rounding boundaries (x.xx5), near the threshold, tied, negative,
 * large, and at sizes where the threshold is looked at only near itself.
 */
import fc from 'fast-check';
import { displayDecimals, scaledRound } from '../src/core/display';

function exactDecimals(values: readonly (number | null)[], percent: boolean, threshold: number | null): number {
  const extra = percent ? 2 : 0;
  const sorted = [...new Set(values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)))].sort((a, b) => a - b);
  const ok = (digits: number) => {
    for (let i = 1; i < sorted.length; i++) if (scaledRound(sorted[i], digits) === scaledRound(sorted[i - 1], digits)) return false;
    if (threshold === null) return true;
    const t = scaledRound(threshold, digits + 6);
    return sorted.every((v) => {
      const shown = scaledRound(v, digits) * 10n ** 6n;
      return v < threshold ? shown < t : shown >= t;
    });
  };
  for (let d = 2; d < 12; d++) if (ok(d + extra)) return d;
  return 12;
}

// Decimals of few digits land on boundaries: 0.0125 at 3 decimals is 0.013 (half away from zero).
const nearBoundary = fc.tuple(fc.integer({ min: -200_000, max: 200_000 }), fc.integer({ min: 3, max: 8 }), fc.constantFrom(0, 1, -1, 1e-15, -1e-15, 3e-13))
  .map(([k, scale, nudge]) => (k + 0.5) / 10 ** scale + nudge);
const THRESHOLDS = [0.01, 0.0125, 0.0121, 0.03333, 1, 0.5];
// Just above and below a threshold, where a shown value could cross it.
const nearThreshold = fc.tuple(fc.constantFrom(...THRESHOLDS), fc.integer({ min: -30, max: 30 }), fc.constantFrom(1e-5, 1e-4, 3e-6)).map(([t, k, u]) => t + k * u);
const anyValue = fc.oneof(nearBoundary, nearThreshold, nearThreshold, fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 100 }).map((p) => p / 2),
  fc.constantFrom(0, -0, 0.01, 0.0099999, 0.0100001, 0.00995, 0.01005, 1e17, 123456789.125));

test('display decimals equal the exact rule, doubles or not', () => {
  fc.assert(fc.property(fc.array(fc.option(anyValue, { nil: null }), { maxLength: 40 }), fc.boolean(), fc.option(fc.constantFrom(...THRESHOLDS), { nil: null }),
    (values, percent, threshold) => {
      expect(displayDecimals(values, { percent, threshold })).toBe(exactDecimals(values, percent, threshold));
    }), { numRuns: 400 });
});

test('100,000 rates around a 1 % threshold: the same decimals as the exact rule', () => {
  let s = 7;
  const rand = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const rates = Array.from({ length: 100_000 }, () => Math.round((0.005 + rand() * 0.02) * 1e7) / 1e7);
  rates.push(0.0099995, 0.00999949, 0.01);
  expect(displayDecimals(rates, { percent: true, threshold: 0.01 })).toBe(exactDecimals(rates, true, 0.01));
});
