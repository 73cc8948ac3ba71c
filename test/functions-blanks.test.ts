/**
 * Blank cells reach a custom function as `null` on Excel on the web and as `0` on the desktop
 * (office-js#4702, #5262); an omitted optional argument is `null` everywhere. Where 0 is not a value
 * the user means (a threshold, a category, a direction, a level), both must give the same result.
 * Where 0 is a real value (kWh, a criterion value) the function cannot tell, and does what the
 * README's function section says.
 */
import { isEvnError, EvnResult, prize, savingEligible, savingPct, serviceScoreFn } from '../src/functions/evn';
import { DEFAULT_CRITERIA } from '../src/core/format';

const BLANKS = [null, 0, '', undefined] as const;
const res = <T>(r: EvnResult<T>) => (isEvnError(r) ? r.code : r.value);
const same = <T>(f: (blank: unknown) => EvnResult<T>) => BLANKS.map((b) => res(f(b)));

test('SAVINGELIGIBLE: a blank threshold (null, 0, empty, omitted) is the default 1 % on every platform', () => {
  // 0.5 %: below the default, above a threshold of 0.
  expect(same((b) => savingEligible(5, 1000, b))).toEqual([false, false, false, false]);
  expect(same((b) => savingEligible(10, 1000, b))).toEqual([true, true, true, true]);
  expect(same((b) => savingEligible([[b]], [[1000]], 0.01))).toEqual([false, false, false, false]);
  // A blank threshold inside a 1×1 range (how a cell reference arrives) behaves the same.
  expect(same((b) => savingEligible(5, 1000, [[b]]))).toEqual([false, false, false, false]);
});

test('PRIZE: a blank category (null, 0, empty, omitted) gives one answer, and never a category-specific guess', () => {
  expect(same((b) => prize('Công ty', 1, b))).toEqual([7_000_000, 7_000_000, 7_000_000, 7_000_000]);
  expect(same((b) => prize('Điện lực', 6, b))).toEqual([0, 0, 0, 0]);
  expect(same((b) => prize('Cá nhân', 30, [[b]]))).toEqual([500_000, 500_000, 500_000, 500_000]);
  // Before: 0 (the desktop's blank) was an unknown category, #VALUE!, while null paid.
  expect(res(prize('Công ty', 1, 0))).toBe(7_000_000);
  // A blank rank or level is an error on both platforms.
  expect(same((b) => prize('Công ty', b))).toEqual(['#NUM!', '#NUM!', '#NUM!', '#NUM!']);
  expect(same((b) => prize(b, 1))).toEqual(['#VALUE!', '#VALUE!', '#VALUE!', '#VALUE!']);
});

test('SERVICESCORE: a blank direction, target or weight is the same error on both platforms', () => {
  const n = DEFAULT_CRITERIA.length;
  const values = [DEFAULT_CRITERIA.map((c) => c.target)];
  const targets = DEFAULT_CRITERIA.map((c) => [c.target]);
  const weights = DEFAULT_CRITERIA.map((c) => [c.weight]);
  const dirs = DEFAULT_CRITERIA.map((c) => [c.direction]);
  const withBlank = (m: unknown[][], b: unknown) => m.map((r, i) => (i === n - 1 ? [b] : r));
  expect(same((b) => serviceScoreFn(values, targets, weights, withBlank(dirs, b)))).toEqual(['#VALUE!', '#VALUE!', '#VALUE!', '#VALUE!']);
  expect(same((b) => serviceScoreFn(values, withBlank(targets, b), weights, dirs))).toEqual(['#NUM!', '#NUM!', '#NUM!', '#NUM!']);
  expect(same((b) => serviceScoreFn(values, targets, withBlank(weights, b), dirs))).toEqual(['#NUM!', '#NUM!', '#NUM!', '#NUM!']);
  // Values as a row against criteria as a column: counts match, cells pair in reading order.
  expect(res(serviceScoreFn(values, targets, weights, dirs))).toBe(100);
});

test('SERVICESCORE: a blank value cannot be told from 0 on the desktop (0 is a real value): documented, and the template guards it', () => {
  const targets = [[5], [7]];
  const weights = [[50], [50]];
  const dirs = [['Thấp hơn tốt hơn'], ['Cao hơn tốt hơn']];
  // Web: a blank value is missing (#N/A Thiếu chỉ tiêu); desktop: 0, full marks when lower is better.
  expect(res(serviceScoreFn([[null, 7]], targets, weights, dirs))).toBe('#N/A');
  expect(res(serviceScoreFn([[0, 7]], targets, weights, dirs))).toBe(100);
  expect(res(serviceScoreFn([[5, null]], targets, weights, dirs))).toBe('#N/A');
  expect(res(serviceScoreFn([[5, 0]], targets, weights, dirs))).toBe(50);
});

test('SAVINGPCT: blank kWh count as 0 inside a summed range on both platforms', () => {
  expect(res(savingPct([[10, null]], [[1000, null]]))).toBe(res(savingPct([[10, 0]], [[1000, 0]])));
  expect(same((b) => savingPct(b, 1000))).toEqual([0, 0, 0, 0]);
  expect(same((b) => savingPct(10, b))).toEqual(['#DIV/0!', '#DIV/0!', '#DIV/0!', '#DIV/0!']);
});
