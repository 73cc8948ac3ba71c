/**
 * The engine: consolidate one or more read workbooks, validate across rows and files, rank.
 * Pure: the CLI, the task pane and the tests all call these same functions.
 */
import { WorkbookGrid, a1, foldInvisible, matchKey, parseA1 } from './cells';
import { compareRational, decimalOf, decimalToString, pow10, rationalOf, sumDecimals } from './decimal';
import {
  AREA, AWARD_FORM, CRITERIA, DECISIONS, DIRECTION, INDIVIDUAL, INFO, INPUT_SHEETS, LEVEL, MASTER_COMPANY_CODE, SAVING,
  SERVICE, criterionHeader,
} from './format';
import { DecisionsByCategory, Tie, decideTies, decisionsByCategory, entryKey, fingerprintWithDecisions } from './decisions';
import { fingerprintOf } from './fingerprint';
import { MSG } from './messages';
import { Direction, compareRates, meetsThresholdOf, savingRateOf, serviceScore } from './measures';
import type {
  Award, CategoryId, CategoryResult, CategoryTotals, CriteriaSet, Dataset, DecisionRecord, Entry, IndividualRecord, Issue,
  ParsedWorkbook, Ranking, SavingRecord, ServiceRecord,
} from './model';
import { IssueSink, findSheet, readCriteria, readDecisions, readWorkbook } from './reader';

const header = (block: { fields: readonly { key: string; header: string }[] }, key: string): string =>
  block.fields.find((f) => f.key === key)?.header ?? key;

const cellOf = (r: { origin: { row: number; cols: Readonly<Record<string, number>> } }, key: string): string =>
  r.origin.cols[key] === undefined ? '' : a1(r.origin.row, r.origin.cols[key]);

const sinkFor = (sinks: IssueSink[], fileIndex: number) => sinks[fileIndex];

// --- Consolidation and cross-row validation ------------------------------------------------------

export interface ConsolidateOptions {
  /** The workbook whose `Tiêu chí` applies (`--criteria`); by default the first. */
  readonly criteria?: ParsedWorkbook;
  /** Council decisions read from a separate file (`--decisions`), with that file's issues. */
  readonly decisions?: { readonly file: string; readonly fileIndex: number; readonly records: readonly DecisionRecord[]; readonly issues: readonly Issue[] };
}

function criteriaKey(c: CriteriaSet): string {
  return JSON.stringify([c.params, c.criteria, c.awards, c.ok]);
}

/** Arrays one after another; one array is itself (records are never added to after reading). */
function joined<T>(lists: readonly (readonly T[])[]): readonly T[] {
  if (lists.length === 1) return lists[0];
  const out: T[] = [];
  for (const l of lists) for (let i = 0; i < l.length; i++) out.push(l[i]);
  return out;
}

/** Several read workbooks → one validated dataset (rows keep their file). */
export function consolidate(books: readonly ParsedWorkbook[], opts: ConsolidateOptions = {}): Dataset {
  const reference = opts.criteria ?? books[0];
  const criteria = reference?.criteria ?? readCriteria({ sheets: [] }, new IssueSink(''));
  const sinks = books.map((b) => new IssueSink(b.file));
  const issues: Issue[] = books.flatMap((b) => b.issues);
  if (opts.criteria) issues.push(...opts.criteria.issues.filter((i) => i.sheet === CRITERIA.sheet));

  // Files ranked together must share the criteria.
  const refKey = criteriaKey(criteria);
  for (const b of books) {
    if (b === reference || criteriaKey(b.criteria) === refKey) continue;
    const anchor = b.criteria.anchors.TieuChi ?? b.criteria.anchors.ThamSo ?? '';
    sinkFor(sinks, b.fileIndex).add('warning', 'bad-config', CRITERIA.sheet, anchor, '', MSG.criteriaDiffer(b.file, reference?.file ?? ''));
  }

  // The year is the reference's; a file of another year is an error.
  const year = reference?.info.year ?? books.find((b) => b.info.year !== undefined)?.info.year ?? null;
  if (year !== null) {
    for (const b of books) {
      if (b.info.year !== undefined && b.info.year !== year) {
        sinkFor(sinks, b.fileIndex).add('error', 'out-of-range', INFO.sheet, b.info.cells.year ?? '', header(INFO, 'year'), MSG.yearMismatch(b.info.year, year));
      }
    }
  }

  const saving = joined(books.map((b) => b.saving));
  const service = joined(books.map((b) => b.service));
  const individuals = joined(books.map((b) => b.individuals));

  // Before cross-row validation: the fingerprint takes the reader's error cells, which depend on
  // the input alone (which of two duplicates is flagged depends on row order).
  const fingerprint = fingerprintOf(year, criteria, saving, service, individuals);
  // The first valid row of each unit code: every later one is flagged as a duplicate, so the
  // validator's map, less any first row flagged since, is that (no second 100,000-entry map).
  const units = validateSaving(books, saving, sinks);
  units.forEach((r, code) => { if (r.errorFields.has('unitCode')) units.delete(code); });
  validateService(books, service, units, sinks);
  validateIndividuals(individuals, units, sinks);

  // No spread: 150,000 issues as call arguments overflow the stack.
  for (const s of sinks) for (const i of s.issues) issues.push(i);
  const fileIndexOf = new Map(books.map((b) => [b.file, b.fileIndex]));
  if (opts.criteria && !fileIndexOf.has(opts.criteria.file)) fileIndexOf.set(opts.criteria.file, -1);
  const decisions = books.flatMap((b) => b.decisions ?? []);
  if (opts.decisions) {
    decisions.push(...opts.decisions.records);
    issues.push(...opts.decisions.issues);
    if (!fileIndexOf.has(opts.decisions.file)) fileIndexOf.set(opts.decisions.file, opts.decisions.fileIndex);
  }
  if (!decisions.length) return { year, criteria, saving, service, individuals, issues: sortIssues(issues, fileIndexOf), fingerprint };
  // Whether a decision names an entry of a tie is known only once ranked: the report lists those
  // issues too, so a bad decision shows in `Kiểm tra` as well as on the ranking.
  const ds: Dataset = { year, criteria, saving, service, individuals, issues: [], fingerprint: fingerprintWithDecisions(fingerprint, decisions), decisions };
  const ranked = rankAll(ds);
  issues.push(...ranked.decisionIssues);
  const done: Dataset = { ...ds, issues: sortIssues(issues, fileIndexOf) };
  // `rank` of this same dataset reuses the work (records are shared, never changed after this).
  rankedOnce.set(done, ranked.done);
  return done;
}

/**
 * Returns the first row of each unit code that was valid when it began. Each check is a function
 * of its own: a loop over 100,000 rows is compiled while it runs (on-stack replacement), and the
 * code after it, not yet run, would throw that away.
 */
function validateSaving(books: readonly ParsedWorkbook[], saving: readonly SavingRecord[], sinks: IssueSink[]): Map<string, SavingRecord> {
  const first = flagDuplicateUnits(saving, sinks);
  const companies = companyRows(saving, sinks);
  flagUnknownCompanies(books, saving, companies, sinks);
  flagWrongCompanies(books, sinks);
  checkCompanyTotals(saving, companies, sinks);
  return first;
}

/** Unique unit codes across the workbook(s): every occurrence after the first is flagged. */
function flagDuplicateUnits(saving: readonly SavingRecord[], sinks: IssueSink[]): Map<string, SavingRecord> {
  const first = new Map<string, SavingRecord>();
  for (let i = 0; i < saving.length; i++) {
    const r = saving[i];
    if (!r.unitCode || r.errorFields.has('unitCode')) continue;
    const f = first.get(r.unitCode);
    if (!f) { first.set(r.unitCode, r); continue; }
    sinkFor(sinks, r.origin.fileIndex).add('error', 'duplicate-key', r.origin.sheet, cellOf(r, 'unitCode'), header(SAVING, 'unitCode'),
      MSG.duplicate(header(SAVING, 'unitCode'), r.unitCode, where(f, 'unitCode', r)));
    r.errorFields.add('unitCode');
  }
  return first;
}

/** The company rows by code; one whose company code is not its own is flagged. */
function companyRows(saving: readonly SavingRecord[], sinks: IssueSink[]): Map<string, SavingRecord> {
  const companies = new Map<string, SavingRecord>();
  for (let i = 0; i < saving.length; i++) {
    const r = saving[i];
    if (r.level !== LEVEL.company || !r.unitCode || r.errorFields.has('unitCode')) continue;
    companies.set(r.unitCode, r);
    if (r.companyCode !== undefined && r.companyCode !== r.unitCode) {
      sinkFor(sinks, r.origin.fileIndex).add('error', 'unknown-reference', r.origin.sheet, cellOf(r, 'companyCode'), header(SAVING, 'companyCode'), MSG.companyCodeSelf(r.unitCode, r.companyCode));
      r.errorFields.add('companyCode');
    }
  }
  return companies;
}

/**
 * A unit naming a company without a row. In a submission a row naming another company is
 * `wrong-company` (flagWrongCompanies), whether or not that company has a row anywhere: the cause
 * is the row, not a missing company.
 */
function flagUnknownCompanies(books: readonly ParsedWorkbook[], saving: readonly SavingRecord[], companies: ReadonlyMap<string, SavingRecord>, sinks: IssueSink[]): void {
  const ownCompany = new Map(books.map((b) => [b.fileIndex, b.info.companyCode]));
  const foreign = (r: SavingRecord) => {
    const own = ownCompany.get(r.origin.fileIndex);
    return !!own && own !== MASTER_COMPANY_CODE && r.companyCode !== own;
  };
  for (let i = 0; i < saving.length; i++) {
    const r = saving[i];
    if (r.level !== LEVEL.unit || r.companyCode === undefined || companies.has(r.companyCode) || foreign(r)) continue;
    sinkFor(sinks, r.origin.fileIndex).add('error', 'unknown-reference', r.origin.sheet, cellOf(r, 'companyCode'), header(SAVING, 'companyCode'), MSG.unknownCompany(r.companyCode));
    r.errorFields.add('companyCode');
  }
}

/** A submission speaks for one company (the master, `EVNCPC`, for all). */
function flagWrongCompanies(books: readonly ParsedWorkbook[], sinks: IssueSink[]): void {
  for (const b of books) {
    const own = b.info.companyCode;
    if (!own || own === MASTER_COMPANY_CODE) continue;
    for (let i = 0; i < b.saving.length; i++) {
      const r = b.saving[i];
      if (r.companyCode === undefined || r.companyCode === own || r.errorFields.has('companyCode')) continue;
      sinkFor(sinks, b.fileIndex).add('error', 'wrong-company', r.origin.sheet, cellOf(r, 'companyCode'), header(SAVING, 'companyCode'), MSG.wrongCompany(r.companyCode, own));
      r.errorFields.add('companyCode');
    }
  }
}

/**
 * The units of a company must not exceed its own figures by more than 0.1 %. Only units without
 * any error count: an invalid row must never change how the valid ones rank.
 */
function checkCompanyTotals(saving: readonly SavingRecord[], companies: ReadonlyMap<string, SavingRecord>, sinks: IssueSink[]): void {
  for (const [code, units] of unitsByCompany(saving)) {
    const company = companies.get(code);
    if (!company) continue;
    for (const key of ['commercial', 'saved'] as const) {
      const own = company[key];
      if (own === undefined || company.errorFields.has(key)) continue;
      const figures: number[] = [];
      for (let i = 0; i < units.length; i++) {
        const u = units[i];
        const x = key === 'commercial' ? u.commercial : u.saved; // named loads: records differ in shape
        if (x !== undefined && !u.errorFields.has(key)) figures.push(x);
      }
      if (!figures.length) continue;
      if (!exceedsByMoreThanPerMille(figures, own)) continue;
      const sum = sumDecimals(figures.map(decimalOf));
      sinkFor(sinks, company.origin.fileIndex).add('error', 'inconsistent-total', company.origin.sheet, cellOf(company, key), header(SAVING, key),
        MSG.inconsistentTotal(header(SAVING, key), code, decimalToString(sum), String(own)));
      company.errorFields.add(key);
    }
  }
}

/** The valid unit rows of each company code. */
function unitsByCompany(saving: readonly SavingRecord[]): Map<string, SavingRecord[]> {
  const byCompany = new Map<string, SavingRecord[]>();
  // A company's units mostly follow one another: its list is looked up only when the code changes.
  let lastCode: string | undefined;
  let lastList: SavingRecord[] = [];
  for (let i = 0; i < saving.length; i++) {
    const r = saving[i];
    if (r.level !== LEVEL.unit || !r.companyCode || r.errorFields.size) continue;
    if (r.companyCode !== lastCode) {
      lastCode = r.companyCode;
      let list = byCompany.get(lastCode);
      if (!list) { list = []; byCompany.set(lastCode, list); }
      lastList = list;
    }
    lastList.push(r);
  }
  return byCompany;
}

function where(first: { origin: { file: string; sheet: string; row: number; cols: Readonly<Record<string, number>> } }, key: string, now: { origin: { file: string } }): string {
  const cell = first.origin.cols[key] === undefined ? '' : a1(first.origin.row, first.origin.cols[key]);
  const place = `${first.origin.sheet}!${cell}`;
  return first.origin.file && first.origin.file !== now.origin.file ? `${first.origin.file}: ${place}` : place;
}

/**
 * The first valid service row of each unit, by unit code: the duplicate check builds it and the
 * ranking's service categories look units up in it (no second 100,000-entry map); `rank` drops
 * rows flagged since and forgets it when done, so another `rank` of the same data rebuilds it.
 */
const serviceMaps = new WeakMap<readonly ServiceRecord[], Map<string, ServiceRecord>>();

function validateService(books: readonly ParsedWorkbook[], service: readonly ServiceRecord[], units: ReadonlyMap<string, SavingRecord>, sinks: IssueSink[]): void {
  const first = new Map<string, ServiceRecord>();
  // Every later row of a unit is flagged, so this map is the ranking's service index too.
  serviceMaps.set(service, first);
  const field = header(SERVICE, 'unitCode');
  for (let i = 0; i < service.length; i++) {
    const r = service[i];
    if (!r.unitCode || r.errorFields.has('unitCode')) continue;
    if (!units.has(r.unitCode)) {
      sinkFor(sinks, r.origin.fileIndex).add('error', 'unknown-reference', r.origin.sheet, cellOf(r, 'unitCode'), field, MSG.unknownUnit(field, r.unitCode, SAVING.sheet));
      r.errorFields.add('unitCode');
      continue;
    }
    const f = first.get(r.unitCode);
    if (f) {
      sinkFor(sinks, r.origin.fileIndex).add('error', 'duplicate-key', r.origin.sheet, cellOf(r, 'unitCode'), field, MSG.duplicate(field, r.unitCode, where(f, 'unitCode', r)));
      r.errorFields.add('unitCode');
    } else first.set(r.unitCode, r);
  }
  // Every unit should have a service row (reported where the service sheet exists at all).
  const withSheet = new Set(books.filter((b) => b.hasServiceSheet).map((b) => b.fileIndex));
  if (!withSheet.size) return;
  // `first` holds units' codes only: as many as `units`, none is missing; none at all, every one.
  if (first.size === units.size) return;
  const none = first.size === 0;
  units.forEach((r) => {
    if ((!none && first.has(r.unitCode as string)) || !withSheet.has(r.origin.fileIndex)) return;
    sinkFor(sinks, r.origin.fileIndex).add('warning', 'missing-row', r.origin.sheet, cellOf(r, 'unitCode'), header(SAVING, 'unitCode'), MSG.missingServiceRow(r.unitCode as string));
  });
}

/** A person's name as compared: case-folded, invisible format characters dropped (names are already trimmed and NFC). */
function personKey(name: string): string {
  const folded = foldInvisible(name);
  return (folded === name ? folded : folded.replace(/ {2,}/g, ' ').trim()).toLowerCase();
}

function validateIndividuals(individuals: readonly IndividualRecord[], units: ReadonlyMap<string, SavingRecord>, sinks: IssueSink[]): void {
  // People by unit, then by name ignoring case: keyed by the unit code as read (no joined key
  // string per person); a unit's name map is made when its second person comes.
  const byUnit = new Map<string, IndividualRecord | Map<string, IndividualRecord>>();
  const unitField = header(INDIVIDUAL, 'unitCode');
  const nameField = header(INDIVIDUAL, 'name');
  for (let i = 0; i < individuals.length; i++) {
    const r = individuals[i];
    if (r.unitCode && !r.errorFields.has('unitCode') && !units.has(r.unitCode)) {
      sinkFor(sinks, r.origin.fileIndex).add('error', 'unknown-reference', r.origin.sheet, cellOf(r, 'unitCode'), unitField, MSG.unknownUnit(unitField, r.unitCode, SAVING.sheet));
      r.errorFields.add('unitCode');
    }
    if (!r.name || !r.unitCode || r.errorFields.has('name')) continue;
    const there = byUnit.get(r.unitCode);
    if (there === undefined) { byUnit.set(r.unitCode, r); continue; }
    let names: Map<string, IndividualRecord>;
    if (there instanceof Map) names = there;
    else {
      names = new Map([[personKey(there.name as string), there]]);
      byUnit.set(r.unitCode, names);
    }
    const key = personKey(r.name);
    const f = names.get(key);
    if (f) {
      sinkFor(sinks, r.origin.fileIndex).add('error', 'duplicate-key', r.origin.sheet, cellOf(r, 'name'), nameField, MSG.duplicatePerson(r.name, r.unitCode, where(f, 'name', r)));
      r.errorFields.add('name');
    } else names.set(key, r);
  }
}

// Issues name a sheet as the workbook spells it (stray spaces, case), so that links reach it.
/**
 * Σ figures > own × 1.001, exactly. A double sum of n figures is within n·2⁻⁵³ of the exact one,
 * so only a near tie needs exact decimals.
 */
function exceedsByMoreThanPerMille(figures: readonly number[], own: number): boolean {
  let approx = 0;
  for (const f of figures) approx += f;
  const gap = approx * 1000 - own * 1001;
  if (Math.abs(gap) > 1e-9 * Math.max(Math.abs(approx * 1000), Math.abs(own * 1001))) return gap > 0;
  const sum = sumDecimals(figures.map(decimalOf));
  const o = decimalOf(own);
  return compareRational({ num: sum.n * 1000n, den: pow10(sum.scale) }, { num: o.n * 1001n, den: pow10(o.scale) }) > 0;
}

const SHEET_ORDER = new Map(INPUT_SHEETS.map((s, i) => [matchKey(s), i]));

/** The sort keys of issues as columns, no object per issue: file, sheet, row, column. */
function issueKeys(issues: readonly Issue[], fileIndexOf: ReadonlyMap<string, number>): Int32Array[] {
  // A sheet's place by its name as spelled (a handful of spellings for 100,000 issues).
  const sheetOrder = new Map<string, number>();
  const orderOf = (sheet: string) => {
    let o = sheetOrder.get(sheet);
    if (o === undefined) { o = SHEET_ORDER.get(matchKey(sheet)) ?? 99; sheetOrder.set(sheet, o); }
    return o;
  };
  const n = issues.length;
  const file = new Int32Array(n);
  const sheet = new Int32Array(n);
  const row = new Int32Array(n);
  const col = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const issue = issues[i];
    file[i] = fileIndexOf.get(issue.file) ?? 0;
    sheet[i] = orderOf(issue.sheet);
    if (issue.cell) { const a = parseA1(issue.cell); row[i] = a.row; col[i] = a.col; } else { row[i] = -1; col[i] = -1; }
  }
  return [file, sheet, row, col];
}

function sortIssues(issues: Issue[], fileIndexOf: ReadonlyMap<string, number>): Issue[] {
  // Issues mostly come in order already (sheet by sheet, row by row), and then they stay as they are.
  const [file, sheet, row, col] = issueKeys(issues, fileIndexOf);
  const compare = (a: number, b: number) => file[a] - file[b] || sheet[a] - sheet[b] || row[a] - row[b] || col[a] - col[b] || a - b;
  const n = issues.length;
  if (inOrder(n, compare)) return issues.slice();
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort(compare);
  return order.map((i) => issues[i]);
}

function inOrder(n: number, compare: (a: number, b: number) => number): boolean {
  for (let i = 1; i < n; i++) if (compare(i - 1, i) >= 0) return false;
  return true;
}

// --- Ranking ---------------------------------------------------------------------------------------

export const CATEGORIES: readonly { id: CategoryId; area: string; level: string }[] = [
  { id: 'company-service', area: AREA.service, level: LEVEL.company },
  { id: 'company-saving', area: AREA.saving, level: LEVEL.company },
  { id: 'unit-service', area: AREA.service, level: LEVEL.unit },
  { id: 'unit-saving', area: AREA.saving, level: LEVEL.unit },
  { id: 'individual', area: AREA.individual, level: LEVEL.individual },
];

export const PENDING_NOTE = 'Đồng hạng – trình Hội đồng Thi đua quyết định';

// A code ([A-Z0-9_-]) of up to 10 characters packs into one base-39 number, 0 past the end, so
// comparing numbers is comparing the strings (39¹⁰ < 2⁵³: exact). Longer codes pack their first
// 10 characters (equal numbers then compare as strings); other characters give -1.
const CODE_DIGIT = new Int8Array(128).fill(-1);
for (const [i, ch] of [...'-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_'].entries()) CODE_DIGIT[ch.charCodeAt(0)] = i + 1;
const PACKED = 10;

function packCode(code: string): number {
  let k = 0;
  for (let i = 0; i < PACKED; i++) {
    let d = 0;
    if (i < code.length) {
      const c = code.charCodeAt(i);
      d = c < 128 ? CODE_DIGIT[c] : -1;
      if (d < 0) return -1;
    }
    k = k * 39 + d;
  }
  return k;
}

/**
 * A category's rows, column by column: a candidate or not, with what it is ranked by. 100,000
 * units are sorted through these arrays and get an object only as the entry each becomes.
 */
class CategoryRows {
  n = 0;
  // Made at their final length (grown one by one, 100,000 rows copy them over and over).
  readonly code: string[];
  readonly name: string[];
  readonly note: string[];
  /** The value shown (NaN: none). */
  readonly value: Float64Array;
  readonly eligible: Uint8Array;
  /** The measure (rate as a double, score in hundredths, points); higher ranks first. */
  readonly primary: Float64Array;
  /** The tie-break (saved kWh for saving, 0 elsewhere). */
  readonly secondary: Float64Array;
  /** Saving figures for the exact comparison of rates whose doubles are too close to call. */
  readonly saved: Float64Array;
  readonly commercial: Float64Array;
  /** The code as one exact number for a fast tie-break in code order (-1 when it does not fit). */
  readonly k: Float64Array;

  constructor(capacity: number) {
    this.code = new Array<string>(capacity);
    this.name = new Array<string>(capacity);
    this.note = new Array<string>(capacity);
    this.value = new Float64Array(capacity);
    this.eligible = new Uint8Array(capacity);
    this.primary = new Float64Array(capacity);
    this.secondary = new Float64Array(capacity);
    this.saved = new Float64Array(capacity);
    this.commercial = new Float64Array(capacity);
    this.k = new Float64Array(capacity);
  }

  private row(code: string, name: string, value: number | null): number {
    const i = this.n++;
    this.code[i] = code;
    this.name[i] = name;
    this.value[i] = value === null ? NaN : value;
    this.k[i] = packCode(code);
    return i;
  }

  excluded(code: string, name: string, value: number | null, note: string): void {
    this.note[this.row(code, name, value)] = note;
  }

  candidate(code: string, name: string, value: number | null, primary: number, secondary: number, saved: number, commercial: number): void {
    const i = this.row(code, name, value);
    this.note[i] = '';
    this.eligible[i] = 1;
    this.primary[i] = primary;
    this.secondary[i] = secondary;
    this.saved[i] = saved;
    this.commercial[i] = commercial;
  }

  valueAt(i: number): number | null {
    const v = this.value[i];
    return v === v ? v : null;
  }
}

/** The comparisons of a category's rows, by row index. Comparators return -1, 0 or 1 (no boxed fractions). */
function orderOf(rs: CategoryRows) {
  const { primary, secondary, saved, commercial, k, code, name } = rs;
  /** > 0 when row `a` ranks above row `b`; 0 when they share a rank. */
  const measure = (a: number, b: number): number => {
    let d = primary[a] - primary[b];
    if (commercial[a] !== 0 && Math.abs(d) <= 1e-14 * Math.max(primary[a], primary[b])) {
      // Rates too close for doubles: decide exactly on the decimals (see compareRates).
      d = compareRates(saved[a], commercial[a], saved[b], commercial[b]);
    }
    return d !== 0 ? d : secondary[a] - secondary[b];
  };
  const byCodeThenName = (a: number, b: number): number => {
    const ka = k[a];
    const kb = k[b];
    if (ka !== kb && ka >= 0 && kb >= 0) return ka < kb ? -1 : 1;
    const ca = code[a];
    const cb = code[b];
    if (ca !== cb) return ca < cb ? -1 : 1;
    const na = name[a];
    const nb = name[b];
    return na < nb ? -1 : na > nb ? 1 : 0;
  };
  /** The ranking order. */
  const rankOrder = (a: number, b: number): number => {
    const d = measure(b, a);
    return d > 0 ? 1 : d < 0 ? -1 : byCodeThenName(a, b);
  };
  return { measure, byCodeThenName, rankOrder };
}

// --- Sorting 100,000 rows -----------------------------------------------------------------------
//
// The order is `rankOrder` (candidates) or `byCodeThenName` (the rest), and the last step is always
// that comparator sort, so it alone decides. Before it, stable radix passes over numeric keys (the
// code's packed number, then the tie-break, then the measure, as 64-bit order-preserving words)
// put the rows almost in that order in a few linear passes; the comparator sort then finds one
// ascending run in n - 1 comparisons, and repairs only what the keys cannot see (names after
// equal codes, codes past 10 characters, rates too close for doubles).

const RADIX_FROM = 64;
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** A double as two words whose unsigned order is the numbers' descending order. */
function descendingWords(x: number, hi: Uint32Array, lo: Uint32Array, p: number): void {
  F64[0] = x === 0 ? 0 : x; // -0 and 0 are one value
  let h = U32[HI];
  let l = U32[1 - HI];
  if (h & 0x80000000) { h = ~h; l = ~l; } else h |= 0x80000000;
  hi[p] = ~h >>> 0;
  lo[p] = ~l >>> 0;
}

/** One stable counting pass of `perm` by a 16-bit digit of `word`; false when every digit is equal. */
function radixPass(perm: Uint32Array, out: Uint32Array, word: Uint32Array, shift: number, count: Uint32Array): boolean {
  const n = perm.length;
  count.fill(0);
  for (let p = 0; p < n; p++) count[(word[perm[p]] >>> shift) & 0xffff]++;
  if (count[(word[perm[0]] >>> shift) & 0xffff] === n) return false;
  let sum = 0;
  for (let d = 0; d < 65536; d++) { const c = count[d]; count[d] = sum; sum += c; }
  for (let p = 0; p < n; p++) { const i = perm[p]; out[count[(word[i] >>> shift) & 0xffff]++] = i; }
  return true;
}

/**
 * A permutation sorted by stable radix passes, 16 bits at a time. Each loop over 100,000 rows is a
 * function of its own: compiled while it runs (on-stack replacement), the code after it, not yet
 * run, would throw that away.
 */
class RadixOrder {
  perm: Uint32Array;
  private spare: Uint32Array;
  private readonly count = new Uint32Array(65536);
  constructor(n: number) {
    this.perm = identity(n);
    this.spare = new Uint32Array(n);
  }
  /** By the 64-bit keys hi:lo (by position), stably. */
  byWords(hi: Uint32Array, lo: Uint32Array): void {
    this.pass(lo, 0);
    this.pass(lo, 16);
    this.pass(hi, 0);
    this.pass(hi, 16);
  }
  private pass(word: Uint32Array, shift: number): void {
    if (!radixPass(this.perm, this.spare, word, shift, this.count)) return;
    const p = this.perm;
    this.perm = this.spare;
    this.spare = p;
  }
}

function identity(n: number): Uint32Array {
  const perm = new Uint32Array(n);
  for (let p = 0; p < n; p++) perm[p] = p;
  return perm;
}

/** The codes packed into numbers (rs.k) as words, by position in `rows`. */
function codeWords(rows: readonly number[], k: Float64Array, hi: Uint32Array, lo: Uint32Array): void {
  for (let p = 0; p < rows.length; p++) { const x = k[rows[p]] > 0 ? k[rows[p]] : 0; hi[p] = Math.floor(x / 4294967296); lo[p] = x >>> 0; }
}

function descendingWordsOf(rows: readonly number[], xs: Float64Array, hi: Uint32Array, lo: Uint32Array): void {
  for (let p = 0; p < rows.length; p++) descendingWords(xs[rows[p]], hi, lo, p);
}

function permuted(rows: readonly number[], perm: Uint32Array): number[] {
  const out = new Array<number>(rows.length);
  for (let p = 0; p < rows.length; p++) out[p] = rows[perm[p]];
  return out;
}

/** Row indices in the order of `compare` (rankOrder for candidates, else byCodeThenName). */
function sortIndices(rows: number[], rs: CategoryRows, candidates: boolean, compare: (a: number, b: number) => number): number[] {
  const n = rows.length;
  if (n < RADIX_FROM) return rows.sort(compare);
  const order = new RadixOrder(n);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  // Least significant key first: the code, then (candidates) the tie-break, then the measure.
  codeWords(rows, rs.k, hi, lo);
  order.byWords(hi, lo);
  if (candidates) {
    descendingWordsOf(rows, rs.secondary, hi, lo);
    order.byWords(hi, lo);
    descendingWordsOf(rows, rs.primary, hi, lo);
    order.byWords(hi, lo);
  }
  return permuted(rows, order.perm).sort(compare);
}

const SAVING_FIELDS = ['unitCode', 'unitName', 'level', 'companyCode', 'commercial', 'saved'] as const;
const IDENTITY_FIELDS = ['unitCode', 'unitName', 'level', 'companyCode'] as const;

function errorNote(headers: readonly string[]): string {
  return `Dữ liệu lỗi: ${headers.join(', ')}`;
}

function thresholdText(t: number): string {
  return `${decimalToString(decimalOf(t * 100 > 0 ? Number((t * 100).toPrecision(12)) : 0)).replace('.', ',')} %`;
}

// The row builders below run once per unit or person (100,000s): they fill the columns directly,
// take the error-free path without allocating, and compute constant notes once per category.

function savingRows(ds: Dataset, level: string): CategoryRows {
  const c = ds.criteria;
  const isCompany = level === LEVEL.company;
  const threshold = isCompany ? c.params.companyThreshold : c.params.unitThreshold;
  const thresholdOk = isCompany ? c.ok.companyThreshold : c.ok.unitThreshold;
  let belowNote: string | undefined;
  const rows = new CategoryRows(ds.saving.length);
  for (let i = 0; i < ds.saving.length; i++) {
    const r = ds.saving[i];
    if (r.level !== level || !r.unitCode) continue;
    const errs = r.errorFields;
    const figuresOk = r.saved !== undefined && r.commercial !== undefined && (errs.size === 0 || (!errs.has('saved') && !errs.has('commercial')));
    const value = figuresOk ? savingRateOf(r.saved as number, r.commercial as number) : null;
    const code = r.unitCode;
    const name = r.unitName ?? '';
    const bad = errs.size ? SAVING_FIELDS.filter((k) => errs.has(k)) : [];
    if (bad.length || !figuresOk) rows.excluded(code, name, value, errorNote(bad.map((k) => header(SAVING, k))));
    else if (!thresholdOk) rows.excluded(code, name, value, errorNote([CRITERIA.sheet]));
    else if (!meetsThresholdOf(r.saved as number, r.commercial as number, threshold)) {
      rows.excluded(code, name, value, (belowNote ??= `Không đạt ngưỡng ${thresholdText(threshold)}`));
    } else {
      const saved = r.saved as number;
      const commercial = r.commercial as number;
      rows.candidate(code, name, value, saved / commercial, saved, saved, commercial);
    }
  }
  return rows;
}

/** The least score in hundredths that reaches `minScore`: h/100 ≥ minScore ⇔ h ≥ ⌈100·minScore⌉, exactly. */
function minHundredths(minScore: number): number {
  const m = rationalOf(decimalOf(minScore));
  const a = m.num * 100n;
  const q = a >= 0n ? (a + m.den - 1n) / m.den : -(-a / m.den);
  return Number(q);
}

function serviceByUnit(ds: Dataset): Map<string, ServiceRecord> {
  let byUnit = serviceMaps.get(ds.service);
  if (!byUnit) {
    byUnit = new Map<string, ServiceRecord>();
    for (let i = 0; i < ds.service.length; i++) { const s = ds.service[i]; if (s.unitCode && !s.errorFields.has('unitCode') && !byUnit.has(s.unitCode)) byUnit.set(s.unitCode, s); }
    serviceMaps.set(ds.service, byUnit);
  }
  return byUnit;
}

function serviceRows(ds: Dataset, level: string): CategoryRows {
  const c = ds.criteria;
  const byUnit = serviceByUnit(ds);
  const headers = new Map(c.criteria.map((k) => [k.code, criterionHeader(k)]));
  const criteriaOk = c.ok.criteria && c.ok.minScore;
  const least = criteriaOk ? minHundredths(c.params.minScore) : 0;
  const codes = c.criteria.map((k) => k.code);
  // One set of score items, refilled per unit (serviceScore reads them and keeps nothing).
  const items = c.criteria.map((k) => ({ value: 0, target: k.target, weight: k.weight, direction: (k.direction === DIRECTION.higher ? 'higher' : 'lower') as Direction }));
  const criteriaNote = errorNote([CRITERIA.sheet]);
  const noRowNote = `Thiếu chỉ tiêu: chưa có dòng ở sheet ${SERVICE.sheet}`;
  const belowNote = `Không đạt điểm dịch vụ tối thiểu ${c.params.minScore}`;
  const rows = new CategoryRows(ds.saving.length);
  for (let i = 0; i < ds.saving.length; i++) {
    const r = ds.saving[i];
    if (r.level !== level || !r.unitCode) continue;
    const code = r.unitCode;
    const name = r.unitName ?? '';
    if (r.errorFields.size) {
      const bad = IDENTITY_FIELDS.filter((k) => r.errorFields.has(k)).map((k) => header(SAVING, k));
      if (bad.length) { rows.excluded(code, name, null, errorNote(bad)); continue; }
    }
    if (!criteriaOk) { rows.excluded(code, name, null, criteriaNote); continue; }
    const s = byUnit.get(code);
    if (!s) { rows.excluded(code, name, null, noRowNote); continue; }
    if (s.errorFields.size) {
      const badValues = c.criteria.filter((k) => s.errorFields.has(k.code)).map((k) => headers.get(k.code) as string);
      if (badValues.length) { rows.excluded(code, name, null, errorNote(badValues)); continue; }
    }
    let complete = true;
    for (let i = 0; i < codes.length; i++) {
      const v = s.values[codes[i]];
      if (v === undefined) { complete = false; break; }
      items[i].value = v;
    }
    if (!complete) {
      const missing = codes.filter((k) => s.values[k] === undefined);
      rows.excluded(code, name, null, `Thiếu chỉ tiêu: ${missing.join(', ')}`);
      continue;
    }
    const { hundredths, score } = serviceScore(items);
    if (hundredths < least) rows.excluded(code, name, score, belowNote);
    else rows.candidate(code, name, score, hundredths, 0, 0, 0);
  }
  return rows;
}

const INDIVIDUAL_FIELDS = ['name', 'unitCode', 'area', 'achievement', 'points'] as const;

function individualRows(ds: Dataset): CategoryRows {
  const rows = new CategoryRows(ds.individuals.length);
  for (let i = 0; i < ds.individuals.length; i++) {
    const r = ds.individuals[i];
    if (!r.name && !r.unitCode) continue;
    const code = r.unitCode ?? '';
    const name = r.name ?? '';
    if (r.errorFields.size) {
      const errs = r.errorFields;
      const bad = INDIVIDUAL_FIELDS.filter((k) => errs.has(k)).map((k) => header(INDIVIDUAL, k));
      const value = r.points !== undefined && !errs.has('points') ? r.points : null;
      if (bad.length) { rows.excluded(code, name, value, errorNote(bad)); continue; }
    }
    rows.candidate(code, name, r.points ?? null, r.points as number, 0, 0, 0);
  }
  return rows;
}

/** Award places of a category: the GiaiThuong rows in order, each covering the next places. */
function awardSlots(ds: Dataset, area: string, level: string): { from: number; to: number; award: Award; form: string }[] {
  let next = 1;
  return ds.criteria.awards.filter((a) => a.area === area && a.level === level).map((a) => {
    const slot = { from: next, to: next + a.count - 1, award: { title: a.title, form: a.form, prize: a.prize }, form: a.form };
    next += a.count;
    return slot;
  });
}

/** The rows eligible to rank and the others, each in row order. */
function splitEligible(rs: CategoryRows): [number[], number[]] {
  let eligible = 0;
  for (let x = 0; x < rs.n; x++) eligible += rs.eligible[x];
  const candidates = new Array<number>(eligible);
  const rest = new Array<number>(rs.n - eligible);
  for (let x = 0, c = 0, o = 0; x < rs.n; x++) { if (rs.eligible[x]) candidates[c++] = x; else rest[o++] = x; }
  return [candidates, rest];
}

/**
 * Tied groups of the ranked rows; a group is decided by the program only when all of its places
 * fall in one award row (or in none), otherwise the council decides the places it straddles. A
 * group is ranked[i, ends[i]) for each i where one starts (no object per group: 100,000 of them).
 */
function tiedGroups(ranked: readonly number[], measure: (a: number, b: number) => number, lastPlace: number, slotOf: (place: number) => unknown) {
  const ends = new Int32Array(ranked.length);
  const straddling = new Uint8Array(ranked.length);
  const starts: number[] = [];
  for (let i = 0; i < ranked.length;) {
    let j = i + 1;
    while (j < ranked.length && measure(ranked[i], ranked[j]) === 0) j++;
    ends[i] = j;
    if (i < lastPlace && slotOf(i + 1) !== slotOf(j)) { straddling[i] = 1; starts.push(i); }
    i = j;
  }
  return { ends, straddling, starts };
}

/** The rows not ranked, after the ranked ones in `entries`. */
function otherEntries(rs: CategoryRows, others: readonly number[], entries: Entry[], from: number): void {
  for (let k = 0; k < others.length; k++) {
    const x = others[k];
    entries[from + k] = { rank: null, code: rs.code[x], name: rs.name[x], value: rs.valueAt(x), eligible: false, award: null, pending: false, note: rs.note[x] };
  }
}

function rankCategory(ds: Dataset, cat: (typeof CATEGORIES)[number], council?: DecisionsByCategory): { result: CategoryResult; totals: CategoryTotals; issues: Issue[] } {
  const rs = cat.id === 'individual' ? individualRows(ds)
    : cat.area === AREA.saving ? savingRows(ds, cat.level) : serviceRows(ds, cat.level);
  const { measure, byCodeThenName, rankOrder } = orderOf(rs);
  // Each loop over the rows is a function of its own (see RadixOrder).
  const [candidates, rest] = splitEligible(rs);
  const ranked = sortIndices(candidates, rs, true, rankOrder);
  const others = sortIndices(rest, rs, false, byCodeThenName);
  const slots = awardSlots(ds, cat.area, cat.level);
  const lastPlace = slots.length ? slots[slots.length - 1].to : 0;
  // The award row of each place, by index up to the number of entries (a count in GiaiThuong can
  // be any size); places past the last award have none.
  const tabled = Math.min(lastPlace, ranked.length + 1);
  const slotAtPlace: (typeof slots)[number][] = [];
  for (const s of slots) for (let p = s.from; p <= Math.min(s.to, tabled); p++) slotAtPlace[p] = s;
  const slotOf = (place: number) => (place <= tabled ? slotAtPlace[place] : place <= lastPlace ? slots.find((s) => place >= s.from && place <= s.to) : undefined);

  const { ends, straddling, starts } = tiedGroups(ranked, measure, lastPlace, slotOf);
  const rowsOfCouncil = council?.byCategory.get(cat.id) ?? [];
  const individual = cat.id === 'individual';
  const council_ = rowsOfCouncil.length ? decideTies(cat.id, rowsOfCouncil,
    starts.map((i): Tie => ({
      start: i, members: ranked.slice(i, ends[i]).map((x) => ({ code: rs.code[x], name: rs.name[x] })), places: Math.min(ends[i], lastPlace) - i,
    })),
    new Set(rs.code.slice(0, rs.n).map((c, x) => entryKey(individual, c, rs.name[x]))),
    (place) => slotOf(place)?.award ?? null, council?.blocked.has(cat.id)) : undefined;

  const entries = new Array<Entry>(ranked.length + others.length);
  let prize = 0;
  let flags = 0;
  let certificates = 0;
  let pending = 0;
  for (let i = 0; i < ranked.length; i = ends[i]) {
    const j = ends[i];
    const straddles = straddling[i] === 1;
    const rank = i + 1;
    const first = slotOf(rank);
    const decided = straddles ? council_?.decided.get(i) : undefined;
    for (let k = i; k < j; k++) {
      const x = ranked[k];
      const award = decided ? decided.awards[k - i] : straddles ? null : first?.award ?? null;
      if (award) {
        prize += award.prize;
        if (matchKey(award.form) === matchKey(AWARD_FORM.flag)) flags++;
        else if (matchKey(award.form) === matchKey(AWARD_FORM.certificate)) certificates++;
      }
      const open = straddles && !decided;
      entries[k] = { rank, code: rs.code[x], name: rs.name[x], value: rs.valueAt(x), eligible: true, award, pending: open, note: decided ? decided.note : open ? PENDING_NOTE : rs.note[x] };
    }
    if (straddles && !decided) pending += Math.min(j, lastPlace) - rank + 1;
  }
  otherEntries(rs, others, entries, ranked.length);
  return { result: { id: cat.id, entries }, totals: { id: cat.id, prize, flags, certificates, pending }, issues: council_?.issues ?? [] };
}

/**
 * Units and companies by code (the first row of a code wins), for the award list's names: only
 * those of awarded or pending entries and their companies (a few hundred, not 100,000 keys).
 */
function unitDirectory(ds: Dataset, categories: readonly CategoryResult[]): Record<string, { name: string; companyCode?: string }> {
  // Indexed loops: for…of made an iterator result per element here, 500,000 of them.
  const wanted = new Set<string>();
  for (const c of categories) {
    const entries = c.entries;
    for (let k = 0; k < entries.length; k++) { const e = entries[k]; if (e.award || e.pending) wanted.add(e.code); }
  }
  const out: Record<string, { name: string; companyCode?: string }> = {};
  const saving = ds.saving;
  const collect = () => {
    for (let k = 0; k < saving.length; k++) {
      const s = saving[k];
      if (!s.unitCode || !wanted.has(s.unitCode) || out[s.unitCode]) continue;
      out[s.unitCode] = { name: s.unitName ?? s.unitCode, companyCode: s.companyCode };
    }
  };
  if (!wanted.size) return out;
  collect();
  // Then the companies of those units, for "Điện lực …  – Công ty Điện lực …".
  let more = false;
  for (const code of Object.keys(out)) {
    const company = out[code].companyCode;
    if (company && !out[company] && !wanted.has(company)) { wanted.add(company); more = true; }
  }
  if (more) collect();
  return out;
}

/** Every category ranked, with the council's decisions applied, and the decisions' issues. */
function rankAll(ds: Dataset): { done: ReturnType<typeof rankCategory>[]; decisionIssues: Issue[] } {
  serviceMaps.get(ds.service)?.forEach((r, code, map) => { if (r.errorFields.has('unitCode')) map.delete(code); });
  const council = ds.decisions?.length ? decisionsByCategory(ds.decisions) : undefined;
  const done = CATEGORIES.map((c) => rankCategory(ds, c, council));
  serviceMaps.delete(ds.service);
  return { done, decisionIssues: [...(council?.issues ?? []), ...done.flatMap((d) => d.issues)] };
}

const rankedOnce = new WeakMap<Dataset, ReturnType<typeof rankCategory>[]>();

/** Rank a dataset. The decisions' issues are already in `ds.issues` (consolidate puts them there). */
export function rank(ds: Dataset): Ranking {
  const done = rankedOnce.get(ds) ?? rankAll(ds).done;
  const categories = done.map((d) => d.result);
  const categoryTotals = done.map((d) => d.totals);
  const sum = (k: 'prize' | 'flags' | 'certificates' | 'pending') => categoryTotals.reduce((s, t) => s + t[k], 0);
  return {
    year: ds.year, fingerprint: ds.fingerprint, categories, categoryTotals,
    totals: { prize: sum('prize'), flags: sum('flags'), certificates: sum('certificates'), pending: sum('pending') },
    issues: ds.issues,
    params: ds.criteria.params, units: unitDirectory(ds, categories),
  };
}

// --- Convenience over grids ---------------------------------------------------------------------

export interface GridOptions {
  readonly criteriaGrid?: WorkbookGrid;
  /** A file whose `Quyết định Hội đồng` sheet holds the council's decisions (`--decisions`). */
  readonly decisionsGrid?: WorkbookGrid;
  /**
   * Empty `grids` once they are read into records, so that the cells (100,000 rows of them) can go
   * before the records are validated: the command line's, which keeps nothing else of them.
   */
  readonly release?: boolean;
}

/** Read, consolidate and validate grids; the criteria are the `criteriaGrid`'s, else the first's. */
export function validateGrids(grids: readonly WorkbookGrid[], opts: GridOptions = {}): Dataset {
  const criteriaBook = opts.criteriaGrid ? readWorkbook(opts.criteriaGrid, { fileIndex: grids.length }) : undefined;
  const firstCriteria = criteriaBook?.criteria ?? (grids[0] ? readCriteria(grids[0], new IssueSink('')) : undefined);
  const books = grids.map((g, i) => readWorkbook(g, { fileIndex: i, criteria: firstCriteria }));
  if (opts.release) (grids as WorkbookGrid[]).length = 0;
  return consolidate(books, { criteria: criteriaBook, decisions: opts.decisionsGrid ? decisionsFile(opts.decisionsGrid, grids.length + 1) : undefined });
}

/** The decisions of a `--decisions` file: that sheet only (the file's other sheets are not read). */
function decisionsFile(grid: WorkbookGrid, fileIndex: number): NonNullable<ConsolidateOptions['decisions']> {
  const file = grid.file ?? '';
  const sink = new IssueSink(file);
  if (!findSheet(grid, DECISIONS.sheet)) sink.add('error', 'missing-sheet', DECISIONS.sheet, '', '', MSG.decisionSheetMissing(file));
  const records = readDecisions(grid, sink, fileIndex);
  return { file, fileIndex, records, issues: sink.issues };
}

export function rankGrids(grids: readonly WorkbookGrid[], opts: GridOptions = {}): Ranking {
  return rank(validateGrids(grids, opts));
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
