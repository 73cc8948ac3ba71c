/** Exact decimals, text numbers in vi-VN and en-US, legacy-font detection. */
import fc from 'fast-check';
import { compareDecimal, decimalOf, decimalToString, ratio, rationalToNumber, roundHalfUpScaled, sumDecimals } from '../src/core/decimal';
import { looksLegacyEncoded } from '../src/core/legacy';
import { compareRates, meetsThreshold, serviceScore } from '../src/core/measures';
import { parseTextNumber } from '../src/core/textnum';

describe('decimalOf: the shortest decimal of a double, exactly', () => {
  test.each([
    [0.01, '0.01'], [1234567.89, '1234567.89'], [1e-7, '0.0000001'], [1e21, '1000000000000000000000'], [-2.5, '-2.5'], [0, '0'], [12345678901.23, '12345678901.23'],
  ])('%p → %s', (x, s) => expect(decimalToString(decimalOf(x))).toBe(s));

  test('round-trips every finite double through its decimal', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      expect(Number(decimalToString(decimalOf(x)))).toBe(x === 0 ? 0 : x);
    }));
  });

  test('0.1 + 0.2 is exactly 0.3 as decimals', () => {
    expect(compareDecimal(sumDecimals([decimalOf(0.1), decimalOf(0.2)]), decimalOf(0.3))).toBe(0);
  });

  test('half-up rounding of rationals', () => {
    expect(roundHalfUpScaled({ num: 50625n, den: 1000n }, 2)).toBe(5063n);
    expect(roundHalfUpScaled({ num: 50624n, den: 1000n }, 2)).toBe(5062n);
    expect(rationalToNumber(ratio(decimalOf(1), decimalOf(3)))).toBe(1 / 3);
  });
});

describe('measures', () => {
  test('threshold comparison is exact at the boundary', () => {
    expect(meetsThreshold(decimalOf(2.03), decimalOf(203), decimalOf(0.01))).toBe(true);
    expect(meetsThreshold(decimalOf(2.0299999), decimalOf(203), decimalOf(0.01))).toBe(false);
  });
  test('compareRates agrees with exact comparison on random kWh up to 10^10 with decimals', () => {
    const kwh = fc.integer({ min: 1, max: 1_000_000_000_000 }).map((n) => n / 100);
    fc.assert(fc.property(kwh, kwh, kwh, kwh, (s1, c1, s2, c2) => {
      const exact = Math.sign(Number(decimalOf(s1).n * decimalOf(c2).n * 10n ** BigInt(decimalOf(c1).scale + decimalOf(s2).scale)
        - decimalOf(s2).n * decimalOf(c1).n * 10n ** BigInt(decimalOf(c2).scale + decimalOf(s1).scale)));
      expect(compareRates(s1, c1, s2, c2)).toBe(exact);
    }), { numRuns: 2000 });
  });
  test('service score: weights × capped ratios, half-up', () => {
    expect(serviceScore([{ value: 0.1, target: 8, weight: 50, direction: 'higher' }, { value: 0, target: 3, weight: 50, direction: 'lower' }]).score).toBe(50.63);
  });
});

describe('text numbers', () => {
  test.each([
    ['1.234.567', 1234567], ['1.234,5', 1234.5], ['12,5%', 0.125], ['1,234,567.5', 1234567.5], ['12.5%', 0.125],
    ['1,5', 1.5], ['1,5%', 0.015], ['1e6', 1e6], [' 42 ', 42], ['\u00A042\u00A0', 42], ['-3,25', -3.25], ['1 234 567', 1234567], ['0.123', 0.123], ['1234.567', 1234.567],
  ])('%p reads as %p', (s, v) => expect(parseTextNumber(s)).toEqual({ kind: 'number', value: v }));

  test.each(['1.234', '1,234', '12.345%', '-1.000'])('%p is ambiguous', (s) => expect(parseTextNumber(s).kind).toBe('ambiguous'));
  test.each(['abc', '1.2.3', '1,23,4', '', '12kWh', '1..2', '--1', '.'])('%p is not a number', (s) => expect(parseTextNumber(s).kind).toBe('invalid'));
  test('never throws', () => fc.assert(fc.property(fc.string(), (s) => { parseTextNumber(s); })));
});

describe('legacy fonts', () => {
  test.each(['§iÖn lùc', 'Ñieän löïc', 'C«ng ty §iÖn lùc Qu¶ng Nam', 'Coâng ty'])('%p looks TCVN3/VNI', (s) => expect(looksLegacyEncoded(s)).toBe(true));
  test.each(['Điện lực', 'Công ty Điện lực Quảng Nam', 'Nguyễn Thị Ánh Tuyết', 'Thừa Thiên Huế', 'Đắk Lắk', 'Khánh Hòa', 'ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý'])('%p is Unicode Vietnamese', (s) =>
    expect(looksLegacyEncoded(s)).toBe(false));
});

describe('service score fast path', () => {
  test('agrees with exact rational arithmetic on random inputs, boundaries included', () => {
    const { exactServiceScore } = require('../src/core/measures');
    const item = fc.record({
      value: fc.oneof(fc.integer({ min: 0, max: 100000 }).map((n) => n / 1000), fc.constantFrom(0, 1, 2.5, 0.125, 7)),
      target: fc.oneof(fc.integer({ min: 1, max: 100000 }).map((n) => n / 1000), fc.constantFrom(8, 4000, 0.2, 1)),
      weight: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(12.5, 0.5, 33.33)),
      direction: fc.constantFrom('higher' as const, 'lower' as const),
    });
    fc.assert(fc.property(fc.array(item, { minLength: 1, maxLength: 8 }), (items) => {
      expect(serviceScore(items)).toEqual(exactServiceScore(items));
    }), { numRuns: 5000 });
  });
});
