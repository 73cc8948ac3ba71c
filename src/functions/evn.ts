/**
 * The `EVN.*` custom functions as pure code (spec: functions.md).
 *
 * No globals here: the functions take the arguments exactly as Excel hands them to a custom
 * function and return a value or a described error. `functions.ts` turns the errors into
 * `CustomFunctions.Error`; tests and the engine comparison call these directly.
 *
 * What Excel passes:
 * - a scalar: number, string, boolean, `null` (blank on Excel on the web), `''` or `0` (blank on the
 *   desktop), `undefined` (an omitted optional argument);
 * - a matrix parameter: a 2-D array of those (a single value arrives as `[[x]]`);
 * - an error in an input cell: a `CustomFunctions.Error` object (`{ code: '#REF!', … }`) inside the
 *   array. For a scalar parameter Excel normally returns the error without calling the function;
 *   should one arrive anyway it is passed through the same way.
 *
 * Error precedence (first applicable wins): an input error (passed through), then `#VALUE!`
 * (ranges of different sizes, text that is not a number, unknown direction/level/category), then
 * `#NUM!` (negative kWh, weight or target ≤ 0, rank < 1 …), then `#DIV/0!` (commercial total 0),
 * then `#NUM!` for saved > commercial, then `#N/A` (`Thiếu chỉ tiêu`). Within one phase the
 * arguments are examined in order and a range in reading order (row by row).
 */
import { errorFromString, isBlank, matchKey } from '../core/cells';
import { Decimal, decimalOf, compareDecimal } from '../core/decimal';
import { DEFAULT_AWARDS, DIRECTION, LEVEL, AREA, AwardRecord } from '../core/format';
import { Direction, ScoreItem, exactSum, meetsThreshold, savingRateOf, savingRateValue, serviceScore } from '../core/measures';
import { parseTextNumber } from '../core/textnum';
import { vndTextOf } from '../core/vndtext';

/** The four errors these functions raise themselves. */
export type EvnErrorKind = 'div0' | 'num' | 'value' | 'na';

/** The Excel error code of each kind (`CustomFunctions.ErrorCode` values). */
export const ERROR_CODE: Readonly<Record<EvnErrorKind, string>> = {
  div0: '#DIV/0!',
  num: '#NUM!',
  value: '#VALUE!',
  na: '#N/A',
};

export interface EvnError {
  /** `passthrough`: an error value found in an input cell. */
  readonly error: EvnErrorKind | 'passthrough';
  /** The Excel error code shown in the cell (`#NUM!`; for a pass-through the input's code). */
  readonly code: string;
  /** Vietnamese / English, short. */
  readonly message: string;
  /** The error object found in the input, untouched (a `CustomFunctions.Error` in Excel). */
  readonly passthrough?: unknown;
}

export type EvnResult<T> = { readonly value: T } | EvnError;

export function isEvnError<T>(r: EvnResult<T>): r is EvnError {
  return (r as EvnError).error !== undefined;
}

/** Message of `#N/A` for a missing service criterion value (functions.md). */
export const MISSING_CRITERION = 'Thiếu chỉ tiêu';

const fail = (kind: EvnErrorKind, message: string): EvnError => ({ error: kind, code: ERROR_CODE[kind], message });

const argMsg = (arg: string, vi: string, en: string): string => `Đối số '${arg}': ${vi} / Argument '${arg}': ${en}`;

// --- Reading arguments ------------------------------------------------------------------------

/** An error value from an input cell: a `CustomFunctions.Error` (`code`), a grid `{error}`, or `#REF!` text. */
function inputError(v: unknown): EvnError | null {
  let code: string | null = null;
  if (typeof v === 'object' && v !== null) {
    const o = v as { code?: unknown; error?: unknown };
    if (typeof o.code === 'string') code = o.code;
    else if (typeof o.error === 'string') code = o.error;
    else code = '#VALUE!';
  } else if (typeof v === 'string') {
    code = errorFromString(v)?.error ?? null;
  }
  if (code === null) return null;
  const msg = typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string'
    ? ((v as { message: string }).message)
    : `Ô đầu vào có lỗi ${code} / An input cell holds ${code}`;
  return { error: 'passthrough', code, message: msg, passthrough: v };
}

type Cells = { readonly rows: number; readonly cols: number; readonly cells: readonly unknown[] };

/** A scalar or a 2-D (or, leniently, 1-D) array → cells in reading order with the shape. */
function cellsOf(arg: unknown): Cells {
  if (!Array.isArray(arg)) return { rows: 1, cols: 1, cells: [arg] };
  if (arg.length === 0) return { rows: 0, cols: 0, cells: [] };
  const rows: unknown[][] = arg.every((r) => Array.isArray(r)) ? (arg as unknown[][]) : [arg as unknown[]];
  const cols = Math.max(...rows.map((r) => r.length));
  const cells: unknown[] = [];
  for (const r of rows) for (let c = 0; c < cols; c++) cells.push(c < r.length ? r[c] : null);
  return { rows: rows.length, cols, cells };
}

function firstInputError(...args: Cells[]): EvnError | null {
  for (const a of args) {
    for (const v of a.cells) {
      const e = inputError(v);
      if (e) return e;
    }
  }
  return null;
}

/** A blank cell: `null`, `undefined`, or text that is empty after trimming. */
function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && isBlank(v));
}

function show(v: unknown): string {
  const s = String(v);
  return s.length > 30 ? s.slice(0, 27) + '…' : s;
}

/**
 * A cell as a number by the rules of workbook.md: numbers are numbers, text numbers parse in
 * vi-VN or en-US when unambiguous. Blank → `null`. Errors in the input are handled before.
 */
function readNumber(v: unknown, arg: string): number | null | EvnError {
  if (blank(v)) return null;
  if (typeof v === 'number') {
    return Number.isFinite(v) ? v : fail('num', argMsg(arg, 'số không hợp lệ', 'not a finite number'));
  }
  if (typeof v === 'string') {
    const t = parseTextNumber(v);
    if (t.kind === 'number') return t.value;
    if (t.kind === 'ambiguous') {
      return fail('value', argMsg(arg, `'${show(v)}' không rõ nghĩa (${t.readings.join(' hay ')})`,
        `'${show(v)}' is ambiguous (${t.readings.join(' or ')})`));
    }
    return fail('value', argMsg(arg, `'${show(v)}' không phải là số`, `'${show(v)}' is not a number`));
  }
  return fail('value', argMsg(arg, `${show(v)} không phải là số`, `${show(v)} is not a number`));
}

function isErr(x: unknown): x is EvnError {
  return typeof x === 'object' && x !== null && typeof (x as EvnError).error === 'string' && typeof (x as EvnError).code === 'string';
}

/** Every cell of a range as a number (blank → 0), or the first #VALUE!. */
function readNumbers(a: Cells, arg: string): { nums: number[]; blanks: boolean[] } | EvnError {
  const nums: number[] = [];
  const blanks: boolean[] = [];
  for (const v of a.cells) {
    const n = readNumber(v, arg);
    if (isErr(n)) return n;
    nums.push(n ?? 0);
    blanks.push(n === null);
  }
  return { nums, blanks };
}

// --- SAVINGPCT / SAVINGELIGIBLE ---------------------------------------------------------------

/** A scalar or 1×1 matrix argument holding a finite number, else undefined (take the general path). */
function singleNumber(arg: unknown): number | undefined {
  const v = Array.isArray(arg) ? (arg.length === 1 && Array.isArray(arg[0]) && arg[0].length === 1 ? arg[0][0] : undefined) : arg;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

interface SavingTotals {
  readonly saved: Decimal;
  readonly commercial: Decimal;
}

function savingTotals(saved: unknown, commercial: unknown): SavingTotals | EvnError {
  const s = cellsOf(saved);
  const c = cellsOf(commercial);
  const inErr = firstInputError(s, c);
  if (inErr) return inErr;
  if (s.rows !== c.rows || s.cols !== c.cols) {
    return fail('value', argMsg('commercial', `vùng ${c.rows}×${c.cols} khác kích thước với 'saved' (${s.rows}×${s.cols})`,
      `range ${c.rows}×${c.cols} differs in shape from 'saved' (${s.rows}×${s.cols})`));
  }
  const sn = readNumbers(s, 'saved');
  if (isErr(sn)) return sn;
  const cn = readNumbers(c, 'commercial');
  if (isErr(cn)) return cn;
  for (const [nums, arg] of [[sn.nums, 'saved'], [cn.nums, 'commercial']] as const) {
    if (nums.some((x) => x < 0)) return fail('num', argMsg(arg, 'số kWh âm', 'negative kWh'));
  }
  const savedSum = exactSum(sn.nums);
  const commercialSum = exactSum(cn.nums);
  if (commercialSum.n === 0n) {
    return fail('div0', argMsg('commercial', 'tổng điện thương phẩm bằng 0 hoặc trống', 'commercial total is 0 or blank'));
  }
  if (compareDecimal(savedSum, commercialSum) > 0) {
    return fail('num', argMsg('saved', 'điện tiết kiệm lớn hơn điện thương phẩm', 'saved exceeds commercial'));
  }
  return { saved: savedSum, commercial: commercialSum };
}

/**
 * `EVN.SAVINGPCT(saved, commercial)`: Σsaved / Σcommercial as a fraction. The sums are exact
 * decimals and the quotient is the double nearest the exact one, computed by the ranking's own
 * `savingRateValue`, so a cell equals the ranking's `value`.
 */
export function savingPct(saved: unknown, commercial: unknown): EvnResult<number> {
  // The usual call, one cell each holding a valid number: the same value, without range handling.
  const s = singleNumber(saved);
  const c = singleNumber(commercial);
  if (s !== undefined && c !== undefined && s >= 0 && c > 0 && s <= c) return { value: savingRateOf(s, c) };
  const t = savingTotals(saved, commercial);
  if (isErr(t)) return t;
  return { value: savingRateValue(t.saved, t.commercial) };
}

/** The default threshold of `SAVINGELIGIBLE` (1 %, the seed's section 2.2). */
export const DEFAULT_THRESHOLD = 0.01;

/**
 * An argument that Excel may hand over for a blank cell: `null` on the web (and for an omitted
 * optional argument everywhere), `0` on the desktop, `''`. Only for arguments where 0 is not a
 * value the user means (a threshold, a category): there the three must give one answer.
 */
function blankOrZero(v: unknown): boolean {
  return blank(v) || v === 0;
}

/**
 * `EVN.SAVINGELIGIBLE(saved, commercial, [threshold])`: rate ≥ threshold, exactly (ranking.md).
 * An omitted or blank threshold is 0.01. A threshold of 0 is also 0.01: the desktop passes a blank
 * cell as 0, so 0 cannot be told from blank (the template's formula handles a ThamSo of 0 itself).
 * A threshold outside 0–1 is `#NUM!` (ThamSo's rule).
 */
export function savingEligible(saved: unknown, commercial: unknown, threshold?: unknown): EvnResult<boolean> {
  const thr = cellsOf(threshold);
  const s = cellsOf(saved);
  const c = cellsOf(commercial);
  const inErr = firstInputError(s, c, thr);
  if (inErr) return inErr;
  if (thr.cells.length !== 1) {
    return fail('value', argMsg('threshold', 'phải là một giá trị', 'must be a single value'));
  }
  const tn = blankOrZero(thr.cells[0]) ? null : readNumber(thr.cells[0], 'threshold');
  if (isErr(tn)) return tn;
  const t = savingTotals(saved, commercial);
  if (isErr(t)) return t;
  const th = tn ?? DEFAULT_THRESHOLD;
  if (th < 0 || th > 1) return fail('num', argMsg('threshold', 'phải trong khoảng 0–1', 'must be within 0–1'));
  return { value: meetsThreshold(t.saved, t.commercial, decimalOf(th)) };
}

// --- SERVICESCORE -----------------------------------------------------------------------------

const DIRECTION_KEYS: ReadonlyMap<string, Direction> = new Map([
  [matchKey(DIRECTION.higher), 'higher'],
  [matchKey(DIRECTION.lower), 'lower'],
  ['higher', 'higher'],
  ['lower', 'lower'],
  ['1', 'higher'],
  ['-1', 'lower'],
]);

function readDirection(v: unknown): Direction | null {
  if (typeof v === 'number') return v === 1 ? 'higher' : v === -1 ? 'lower' : null;
  if (typeof v === 'string') return DIRECTION_KEYS.get(matchKey(v).replace(/^\+/, '')) ?? null;
  return null;
}

/**
 * `EVN.SERVICESCORE(values, targets, weights, directions)`: Σ wᵢ·min(rᵢ, 1) rounded half-up to
 * 2 decimals (ranking.md), computed by the ranking's own `serviceScore`. The four ranges must hold
 * the same number of cells; their orientation may differ (a unit's row of values against the
 * criteria table's columns), cells are paired in reading order.
 */
export function serviceScoreFn(values: unknown, targets: unknown, weights: unknown, directions: unknown): EvnResult<number> {
  const v = cellsOf(values);
  const t = cellsOf(targets);
  const w = cellsOf(weights);
  const d = cellsOf(directions);
  const inErr = firstInputError(v, t, w, d);
  if (inErr) return inErr;
  for (const [a, arg] of [[t, 'targets'], [w, 'weights'], [d, 'directions']] as const) {
    if (a.cells.length !== v.cells.length) {
      return fail('value', argMsg(arg, `${a.cells.length} ô, khác 'values' (${v.cells.length} ô)`,
        `${a.cells.length} cells, 'values' has ${v.cells.length}`));
    }
  }
  const vn = readNumbers(v, 'values');
  if (isErr(vn)) return vn;
  const tn = readNumbers(t, 'targets');
  if (isErr(tn)) return tn;
  const wn = readNumbers(w, 'weights');
  if (isErr(wn)) return wn;
  const dirs: Direction[] = [];
  for (const x of d.cells) {
    const dir = readDirection(x);
    if (dir === null) {
      return fail('value', argMsg('directions', `chiều '${show(x ?? '')}' không hợp lệ (${DIRECTION.higher} / ${DIRECTION.lower})`,
        `unknown direction '${show(x ?? '')}' (higher / lower)`));
    }
    dirs.push(dir);
  }
  if (vn.nums.some((x) => x < 0)) return fail('num', argMsg('values', 'giá trị âm', 'negative value'));
  if (tn.nums.some((x) => x <= 0)) return fail('num', argMsg('targets', 'mục tiêu phải > 0', 'a target must be > 0'));
  if (wn.nums.some((x) => x <= 0)) return fail('num', argMsg('weights', 'trọng số phải > 0', 'a weight must be > 0'));
  if (vn.blanks.some((b) => b)) return fail('na', MISSING_CRITERION);
  if (vn.nums.length === 0) return fail('na', MISSING_CRITERION);
  const items: ScoreItem[] = vn.nums.map((value, i) => ({ value, target: tn.nums[i], weight: wn.nums[i], direction: dirs[i] }));
  return { value: serviceScore(items).score };
}

// --- PRIZE ------------------------------------------------------------------------------------

type Level = (typeof LEVEL)[keyof typeof LEVEL];
type Area = (typeof AREA)[keyof typeof AREA];

const LEVEL_KEYS: ReadonlyMap<string, Level> = new Map([
  [matchKey(LEVEL.company), LEVEL.company],
  [matchKey(LEVEL.unit), LEVEL.unit],
  [matchKey(LEVEL.individual), LEVEL.individual],
  ['company', LEVEL.company],
  ['unit', LEVEL.unit],
  ['individual', LEVEL.individual],
]);

const AREA_KEYS: ReadonlyMap<string, Area> = new Map([
  [matchKey(AREA.service), AREA.service],
  [matchKey(AREA.saving), AREA.saving],
  [matchKey(AREA.individual), AREA.individual],
  ['service', AREA.service],
  ['saving', AREA.saving],
  ['individual', AREA.individual],
]);

/**
 * The award rows that apply to (level, category), in table order. Individuals have one award
 * row (`Cá nhân`) whatever their field, so for them any category (their `Lĩnh vực`) is accepted.
 * Without a category, a company or unit takes the first category of the table for its level
 * (`prize` checks that the categories agree on the rank asked).
 */
export function prizeRows(level: Level, category: Area | null, awards: readonly AwardRecord[] = DEFAULT_AWARDS): AwardRecord[] {
  const forLevel = awards.filter((a) => a.level === level);
  if (level === LEVEL.individual) return forLevel;
  const area = category ?? forLevel[0]?.area;
  return forLevel.filter((a) => a.area === area);
}

/** The prize of the k-th place among award rows of one (category, level), 0 past the last. */
function prizeOfRank(rows: readonly AwardRecord[], k: number): number {
  let last = 0;
  for (const row of rows) {
    last += row.count;
    if (k <= last) return row.prize;
  }
  return 0;
}

/**
 * `EVN.PRIZE(level, rank, [category])`: prize in VND for a rank, from the award table
 * (`DEFAULT_AWARDS`, the seed's section III): rows of one (category, level) hand out places in order.
 */
export function prize(level: unknown, rank: unknown, category?: unknown): EvnResult<number> {
  const l = cellsOf(level);
  const r = cellsOf(rank);
  const c = cellsOf(category);
  const inErr = firstInputError(l, r, c);
  if (inErr) return inErr;
  for (const [a, arg] of [[l, 'level'], [r, 'rank'], [c, 'category']] as const) {
    if (a.cells.length !== 1) return fail('value', argMsg(arg, 'phải là một giá trị', 'must be a single value'));
  }
  const lv = typeof l.cells[0] === 'string' ? LEVEL_KEYS.get(matchKey(l.cells[0])) : undefined;
  if (!lv) {
    return fail('value', argMsg('level', `cấp '${show(l.cells[0] ?? '')}' không hợp lệ (${LEVEL.company} / ${LEVEL.unit} / ${LEVEL.individual})`,
      `unknown level '${show(l.cells[0] ?? '')}' (company / unit / individual)`));
  }
  const rn = readNumber(r.cells[0], 'rank');
  if (isErr(rn)) return rn;
  let area: Area | null = null;
  const cv = c.cells[0];
  // A blank category cell is null on the web and 0 on the desktop; 0 is no category either.
  if (!blankOrZero(cv)) {
    area = (typeof cv === 'string' ? AREA_KEYS.get(matchKey(cv)) : undefined) ?? null;
    if (!area) {
      return fail('value', argMsg('category', `hạng mục '${show(cv)}' không hợp lệ (${AREA.service} / ${AREA.saving} / ${AREA.individual})`,
        `unknown category '${show(cv)}' (service / saving / individual)`));
    }
  }
  const rows = prizeRows(lv, area);
  if (rows.length === 0) {
    return fail('value', argMsg('category', `không có giải '${area}' cho cấp '${lv}'`, `no '${area}' award for level '${lv}'`));
  }
  const k = rn ?? 0;
  if (k < 1 || !Number.isInteger(k)) return fail('num', argMsg('rank', 'hạng phải là số nguyên ≥ 1', 'rank must be a whole number ≥ 1'));
  const value = prizeOfRank(rows, k);
  if (area === null && lv !== LEVEL.individual) {
    // No category: the answer must not depend on which one was meant.
    const areas = [...new Set(DEFAULT_AWARDS.filter((a) => a.level === lv).map((a) => a.area))];
    if (areas.some((a) => prizeOfRank(prizeRows(lv, a), k) !== value)) {
      return fail('value', argMsg('category', `cần hạng mục: giải của cấp '${lv}' khác nhau theo hạng mục`,
        `a category is needed: the prizes of level '${lv}' differ by category`));
    }
  }
  return { value };
}

// --- VNDTEXT (issue 11: the award list's amount in words) --------------------------------------

/**
 * `EVN.VNDTEXT(amount)`: a whole VND amount 0 ≤ amount ≤ 10^15 in Vietnamese words
 * (`src/core/vndtext.ts`, the code the award list uses). A fraction or a negative amount is
 * `#NUM!`, text that is not a number `#VALUE!`; a blank cell is 0.
 */
export function vndTextFn(amount: unknown): EvnResult<string> {
  const a = cellsOf(amount);
  const inErr = firstInputError(a);
  if (inErr) return inErr;
  if (a.cells.length !== 1) return fail('value', argMsg('amount', 'phải là một giá trị', 'must be a single value'));
  const v = a.cells[0];
  if (typeof v === 'boolean') return fail('value', argMsg('amount', `${show(v)} không phải là số`, `${show(v)} is not a number`));
  const n = readNumber(v, 'amount');
  if (isErr(n)) return n;
  const r = vndTextOf(n ?? 0);
  if ('text' in r) return { value: r.text };
  return r.error === 'num'
    ? fail('num', argMsg('amount', 'số tiền phải là số nguyên từ 0 đến 10^15', 'the amount must be a whole number from 0 to 10^15'))
    : fail('value', argMsg('amount', 'không phải là số', 'not a number'));
}
