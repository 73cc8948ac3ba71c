/**
 * EVN.* functions against functions.md: the table, every error row, blanks, ranges, text numbers,
 * exact comparisons. The pure implementations of src/functions/evn.ts are called with arguments
 * shaped as Excel passes them (2-D arrays for matrix parameters).
 */
import {
  DEFAULT_THRESHOLD, EvnResult, MISSING_CRITERION, isEvnError, prize, savingEligible, savingPct, serviceScoreFn,
} from '../src/functions/evn';
import { DEFAULT_AWARDS, DEFAULT_CRITERIA, DIRECTION } from '../src/core/format';

/** The value of a result, failing the test with the error otherwise. */
function ok<T>(r: EvnResult<T>): T {
  if (isEvnError(r)) throw new Error(`expected a value, got ${r.code} ${r.message}`);
  return r.value;
}

/** The Excel error code of a result ('' when it is a value). */
function code<T>(r: EvnResult<T>): string {
  return isEvnError(r) ? r.code : '';
}

function message<T>(r: EvnResult<T>): string {
  return isEvnError(r) ? r.message : '';
}

/** A stand-in for a CustomFunctions.Error found in an input cell. */
const inputError = (c: string) => ({ code: c, message: '' });

const col = (...xs: unknown[]) => xs.map((x) => [x]);
const row = (...xs: unknown[]) => [xs];

const CRIT_TARGETS = col(...DEFAULT_CRITERIA.map((c) => c.target));
const CRIT_WEIGHTS = col(...DEFAULT_CRITERIA.map((c) => c.weight));
const CRIT_DIRS = col(...DEFAULT_CRITERIA.map((c) => c.direction));

describe('SAVINGPCT', () => {
  test('a single pair is saved / commercial (the ranking value)', () => {
    expect(ok(savingPct([[1430]], [[100000]]))).toBe(1430 / 100000);
    expect(ok(savingPct(5, 200))).toBe(0.025); // a bare scalar is accepted too
  });

  test('ranges are summed exactly (monthly columns)', () => {
    expect(ok(savingPct(row(0.7, 0.1), row(40, 40)))).toBe(0.01);
    expect(ok(savingPct([[1, 2], [3, 4]], [[100, 100], [100, 100]]))).toBe(10 / 400);
  });

  test('blanks as null, as 0 and as "" give the same answer', () => {
    const web = ok(savingPct(row(10, null, 20), row(1000, null, 1000)));
    const desktop0 = ok(savingPct(row(10, 0, 20), row(1000, 0, 1000)));
    const desktopEmpty = ok(savingPct(row(10, '', 20), row(1000, '', 1000)));
    expect(web).toBe(0.015);
    expect(desktop0).toBe(web);
    expect(desktopEmpty).toBe(web);
  });

  test('numbers held as text follow workbook.md (vi-VN and en-US)', () => {
    expect(ok(savingPct([['12.345,6']], [['1.234.567']]))).toBe(12345.6 / 1234567);
    expect(ok(savingPct([['12,345.6']], [['1,234,567']]))).toBe(12345.6 / 1234567);
    expect(ok(savingPct([['1,5']], [[150]]))).toBe(0.01);
  });

  test("ambiguous text '1.234' is #VALUE! naming the argument", () => {
    const r = savingPct([['1.234']], [[1000000]]);
    expect(code(r)).toBe('#VALUE!');
    expect(message(r)).toMatch(/Đối số 'saved'.*Argument 'saved'/);
    expect(code(savingPct([[1]], [['1,234']]))).toBe('#VALUE!');
    expect(message(savingPct([[1]], [['1,234']]))).toContain("'commercial'");
  });
});

describe('SAVINGELIGIBLE', () => {
  test('threshold defaults to 0.01 and exactly 1 % is eligible', () => {
    expect(DEFAULT_THRESHOLD).toBe(0.01);
    expect(ok(savingEligible([[1]], [[100]]))).toBe(true);
    expect(ok(savingEligible([[0.99]], [[100]]))).toBe(false);
    expect(ok(savingEligible([[0.01]], [[1]]))).toBe(true);
    expect(ok(savingEligible([[0.01]], [[1]], 0.01))).toBe(true);
    expect(ok(savingEligible([[0.01]], [[1]], null))).toBe(true);
  });

  test('an explicit threshold, as a number or as text', () => {
    expect(ok(savingEligible([[2]], [[100]], 0.02))).toBe(true);
    expect(ok(savingEligible([[2]], [[100]], 0.025))).toBe(false);
    expect(ok(savingEligible([[2]], [[100]], '2%'))).toBe(true);
    expect(ok(savingEligible([[2]], [[100]], '2,5%'))).toBe(false);
  });

  test('large kWh: compared exactly where doubles are off', () => {
    const saved = 123456789.0128;
    const commercial = 12345678901.28; // exactly 100 × saved
    expect(saved / commercial).toBeLessThan(0.01); // the double quotient misses
    expect(ok(savingEligible([[saved]], [[commercial]]))).toBe(true);
    expect(ok(savingEligible([[12345678901.23 / 100]], [[12345678901.23]]))).toBe(true);
    expect(ok(savingEligible([[123456789.0127]], [[12345678901.28]]))).toBe(false);
  });

  test('summed ranges are exact: 0.7 + 0.1 of 80 is exactly 1 %', () => {
    expect((0.7 + 0.1) / 80).toBeLessThan(0.01); // doubles would refuse it
    expect(ok(savingEligible(row(0.7, 0.1), row(40, 40)))).toBe(true);
  });

  test('blanks as null, 0 or "" give the same answer', () => {
    const a = ok(savingEligible(row(1, null), row(100, null)));
    expect(ok(savingEligible(row(1, 0), row(100, 0)))).toBe(a);
    expect(ok(savingEligible(row(1, ''), row(100, ''))).valueOf()).toBe(a);
  });

  test('a threshold outside 0–1 is #NUM!', () => {
    expect(code(savingEligible([[1]], [[100]], -0.01))).toBe('#NUM!');
    expect(code(savingEligible([[1]], [[100]], 2))).toBe('#NUM!');
  });
});

describe('SERVICESCORE', () => {
  const values = row(4, 5000, 25, 6.3, 0.95, 0.15); // a unit's row of Dịch vụ khách hàng

  test('the default criteria: Σ wᵢ·min(rᵢ, 1)', () => {
    // 25·1 + 15·0.8 + 10·1 + 25·0.9 + 15·0.95 + 10·0.75 = 91.25
    expect(ok(serviceScoreFn(values, CRIT_TARGETS, CRIT_WEIGHTS, CRIT_DIRS))).toBe(91.25);
  });

  test('a row of values against the criteria columns (equal size, any orientation)', () => {
    const asColumn = col(4, 5000, 25, 6.3, 0.95, 0.15);
    expect(ok(serviceScoreFn(asColumn, CRIT_TARGETS, CRIT_WEIGHTS, CRIT_DIRS))).toBe(91.25);
  });

  test('rounded half-up to 2 decimals, exactly', () => {
    // 100 · 0.08575 = 8.575 → 8.58 (rounding the double 8.575 gives 8.57)
    expect(Math.round(8.575 * 100) / 100).toBe(8.57);
    expect(ok(serviceScoreFn([[0.08575]], [[1]], [[100]], [['higher']]))).toBe(8.58);
    expect(ok(serviceScoreFn([[0.08574]], [[1]], [[100]], [['higher']]))).toBe(8.57);
    // 10 · 0.1005 = 1.005 → 1.01
    expect(ok(serviceScoreFn([[0.1005]], [[1]], [[10]], [['higher']]))).toBe(1.01);
    // 1/3 · 100 = 33.333… → 33.33; 2/3 · 100 → 66.67
    expect(ok(serviceScoreFn([[1]], [[3]], [[100]], [[DIRECTION.higher]]))).toBe(33.33);
    expect(ok(serviceScoreFn([[2]], [[3]], [[100]], [[DIRECTION.higher]]))).toBe(66.67);
  });

  test('lower is better: t / v, and 1 when v = 0', () => {
    expect(ok(serviceScoreFn([[8]], [[4]], [[100]], [[DIRECTION.lower]]))).toBe(50);
    expect(ok(serviceScoreFn([[0]], [[4]], [[100]], [[DIRECTION.lower]]))).toBe(100);
  });

  test('directions: Vietnamese, English, 1 / -1, as text or numbers, any case and spacing', () => {
    const v = row(8, 8);
    const t = row(4, 4);
    const w = row(50, 50);
    const expected = 50 + 50 * 0.5; // higher: min(2,1)=1; lower: 4/8
    for (const d of [
      [DIRECTION.higher, DIRECTION.lower], ['higher', 'lower'], [1, -1], ['1', '-1'],
      ['  cao hơn  TỐT hơn ', 'thấp\u00A0hơn tốt hơn'], ['HIGHER', 'Lower'],
    ]) {
      expect(ok(serviceScoreFn(v, t, w, row(...d)))).toBe(expected);
    }
  });

  test('numbers held as text', () => {
    expect(ok(serviceScoreFn(row('6,3'), row('7'), row('100'), row('higher')))).toBe(90);
  });
});

describe('PRIZE', () => {
  test('the seed award table (7,000,000 / 5,000,000; 2,000,000 ranks 1–5; 500,000 ranks 1–30)', () => {
    for (const level of ['Công ty', 'company']) {
      expect(ok(prize(level, 1))).toBe(7_000_000);
      expect(ok(prize(level, 2))).toBe(5_000_000);
      expect(ok(prize(level, 3))).toBe(0);
      for (const cat of ['Dịch vụ khách hàng', 'Tiết kiệm điện', 'service', 'saving']) {
        expect(ok(prize(level, 1, cat))).toBe(7_000_000);
        expect(ok(prize(level, 2, cat))).toBe(5_000_000);
      }
    }
    for (const level of ['Điện lực', 'unit']) {
      for (let rank = 1; rank <= 5; rank++) expect(ok(prize(level, rank))).toBe(2_000_000);
      expect(ok(prize(level, 6))).toBe(0);
      expect(ok(prize(level, 5, 'Tiết kiệm điện'))).toBe(2_000_000);
    }
    for (const level of ['Cá nhân', 'individual']) {
      expect(ok(prize(level, 1))).toBe(500_000);
      expect(ok(prize(level, 30))).toBe(500_000);
      expect(ok(prize(level, 31))).toBe(0);
      expect(ok(prize(level, 30, 'Cá nhân'))).toBe(500_000);
    }
    expect(ok(prize('  điện   LỰC ', 1000))).toBe(0);
  });

  test('the table is the format definition (DEFAULT_AWARDS), not re-typed', () => {
    const total = DEFAULT_AWARDS.reduce((s, a) => s + a.count * a.prize, 0);
    const byFunction = [1, 2].reduce((s, r) => s + ok(prize('company', r, 'service')) + ok(prize('company', r, 'saving')), 0)
      + [1, 2, 3, 4, 5].reduce((s, r) => s + ok(prize('unit', r, 'service')) + ok(prize('unit', r, 'saving')), 0)
      + Array.from({ length: 30 }, (_, i) => i + 1).reduce((s, r) => s + ok(prize('individual', r)), 0);
    expect(byFunction).toBe(total);
    expect(total).toBe(59_000_000);
  });

  test('rank as text or from a cell; an omitted category is a blank', () => {
    expect(ok(prize('unit', '3'))).toBe(2_000_000);
    expect(ok(prize('unit', 3, null))).toBe(2_000_000);
    expect(ok(prize('unit', 3, ''))).toBe(2_000_000);
    expect(ok(prize([['unit']], [[3]]))).toBe(2_000_000);
  });
});

describe('the error table of functions.md', () => {
  test('commercial total is 0 or blank → #DIV/0!', () => {
    expect(code(savingPct([[0]], [[0]]))).toBe('#DIV/0!');
    expect(code(savingPct(row(0, 0), row(0, 0)))).toBe('#DIV/0!');
    expect(code(savingPct([[5]], [[null]]))).toBe('#DIV/0!');
    expect(code(savingPct([[5]], [['']]))).toBe('#DIV/0!');
    expect(code(savingPct(row(null, null), row(null, null)))).toBe('#DIV/0!');
    expect(code(savingEligible([[0]], [[0]]))).toBe('#DIV/0!');
  });

  test('a negative kWh → #NUM!', () => {
    expect(code(savingPct([[-1]], [[100]]))).toBe('#NUM!');
    expect(code(savingPct([[1]], [[-100]]))).toBe('#NUM!');
    expect(code(savingPct(row(5, -1), row(100, 100)))).toBe('#NUM!'); // any cell, even if the total is fine
    expect(code(savingEligible([[-1]], [[100]]))).toBe('#NUM!');
  });

  test('saved > commercial → #NUM!', () => {
    expect(code(savingPct([[101]], [[100]]))).toBe('#NUM!');
    expect(code(savingEligible(row(60, 60), row(100, 10)))).toBe('#NUM!');
    expect(ok(savingPct([[100]], [[100]]))).toBe(1); // equal is allowed
  });

  test('a weight or target ≤ 0 → #NUM!', () => {
    expect(code(serviceScoreFn([[1]], [[0]], [[100]], [['higher']]))).toBe('#NUM!');
    expect(code(serviceScoreFn([[1]], [[-2]], [[100]], [['higher']]))).toBe('#NUM!');
    expect(code(serviceScoreFn([[1]], [[2]], [[0]], [['higher']]))).toBe('#NUM!');
    expect(code(serviceScoreFn([[1]], [[2]], [[-5]], [['lower']]))).toBe('#NUM!');
    expect(code(serviceScoreFn([[1]], [[null]], [[100]], [['lower']]))).toBe('#NUM!'); // a blank target is 0
  });

  test('rank < 1 → #NUM!', () => {
    expect(code(prize('company', 0))).toBe('#NUM!');
    expect(code(prize('company', -1))).toBe('#NUM!');
    expect(code(prize('company', null))).toBe('#NUM!');
    expect(code(prize('company', 1.5))).toBe('#NUM!');
  });

  test('text that is not a number → #VALUE! saying which argument', () => {
    const cases: Array<[EvnResult<unknown>, string]> = [
      [savingPct([['abc']], [[100]]), 'saved'],
      [savingPct([[1]], [['một trăm']]), 'commercial'],
      [savingEligible([[1]], [[100]], 'x'), 'threshold'],
      [serviceScoreFn([['n/a']], [[1]], [[100]], [['higher']]), 'values'],
      [serviceScoreFn([[1]], [['?']], [[100]], [['higher']]), 'targets'],
      [serviceScoreFn([[1]], [[1]], [['nhiều']], [['higher']]), 'weights'],
      [prize('company', 'first'), 'rank'],
      [savingPct([[true]], [[100]]), 'saved'],
    ];
    for (const [r, arg] of cases) {
      expect(code(r)).toBe('#VALUE!');
      expect(message(r)).toContain(`Đối số '${arg}'`);
      expect(message(r)).toContain(`Argument '${arg}'`);
    }
  });

  test('an unknown direction or level (or category) → #VALUE!', () => {
    const dir = serviceScoreFn([[1]], [[1]], [[100]], [['better']]);
    expect(code(dir)).toBe('#VALUE!');
    expect(message(dir)).toContain("'directions'");
    expect(code(serviceScoreFn([[1]], [[1]], [[100]], [[2]]))).toBe('#VALUE!');
    expect(code(serviceScoreFn([[1]], [[1]], [[100]], [[null]]))).toBe('#VALUE!');
    const lvl = prize('Tổng công ty', 1);
    expect(code(lvl)).toBe('#VALUE!');
    expect(message(lvl)).toContain("'level'");
    expect(code(prize(1, 1))).toBe('#VALUE!');
    expect(code(prize(null, 1))).toBe('#VALUE!');
    const cat = prize('company', 1, 'Khác');
    expect(code(cat)).toBe('#VALUE!');
    expect(message(cat)).toContain("'category'");
    expect(code(prize('company', 1, 'Cá nhân'))).toBe('#VALUE!'); // no individual award for a company
  });

  test('ranges of different sizes → #VALUE!', () => {
    const s = savingPct(row(1, 2), row(100, 100, 100));
    expect(code(s)).toBe('#VALUE!');
    expect(message(s)).toContain("'commercial'");
    expect(code(savingPct(row(1, 2), col(100, 100)))).toBe('#VALUE!'); // same count, different shape
    expect(code(savingEligible(row(1, 2), [[100]]))).toBe('#VALUE!');
    const v = serviceScoreFn(row(1, 2, 3), CRIT_TARGETS, CRIT_WEIGHTS, CRIT_DIRS);
    expect(code(v)).toBe('#VALUE!');
    expect(message(v)).toContain("'targets'");
    expect(code(serviceScoreFn(row(1, 2), row(1, 1), row(50, 50), row('higher')))).toBe('#VALUE!');
  });

  test(`a service criterion value missing → #N/A '${MISSING_CRITERION}'`, () => {
    expect(MISSING_CRITERION).toBe('Thiếu chỉ tiêu');
    for (const blank of [null, '', '   ']) {
      const r = serviceScoreFn(row(4, blank, 25, 6.3, 0.95, 0.15), CRIT_TARGETS, CRIT_WEIGHTS, CRIT_DIRS);
      expect(code(r)).toBe('#N/A');
      expect(message(r)).toBe('Thiếu chỉ tiêu');
    }
  });

  test('an error value in an input cell is passed through', () => {
    const ref = inputError('#REF!');
    const r1 = savingPct(row(1, ref), row(100, 100));
    expect(code(r1)).toBe('#REF!');
    expect(isEvnError(r1) && r1.passthrough).toBe(ref);
    expect(code(savingPct([[1]], [[inputError('#DIV/0!')]]))).toBe('#DIV/0!');
    expect(code(savingEligible([[1]], [[100]], inputError('#N/A')))).toBe('#N/A');
    expect(code(serviceScoreFn([[1]], [[1]], [[100]], [[inputError('#NAME?')]]))).toBe('#NAME?');
    expect(code(prize(inputError('#VALUE!'), 1))).toBe('#VALUE!');
    expect(code(prize('unit', inputError('#NUM!')))).toBe('#NUM!');
    // The first error in argument order, reading order within a range, wins; before any other check.
    expect(code(savingPct(row(inputError('#NULL!'), 'abc'), row(inputError('#REF!'))))).toBe('#NULL!');
    // Error values from an Office.js-style grid, too.
    expect(code(savingPct([[{ error: '#N/A' }]], [[1]]))).toBe('#N/A');
    expect(code(savingPct([['#REF!']], [[1]]))).toBe('#REF!');
  });
});
