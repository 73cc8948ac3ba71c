/**
 * The engine: consolidate one or more read workbooks, validate across rows and files, rank.
 * Pure: the CLI, the task pane and the tests all call these same functions.
 */
import { WorkbookGrid, a1, matchKey, parseA1 } from './cells';
import { compareRational, decimalOf, decimalToString, pow10, rationalOf, sumDecimals } from './decimal';
import {
  AREA, AWARD_FORM, CRITERIA, DIRECTION, INDIVIDUAL, INFO, INPUT_SHEETS, LEVEL, MASTER_COMPANY_CODE, SAVING,
  SERVICE, criterionHeader,
} from './format';
import { fingerprintOf } from './fingerprint';
import { MSG } from './messages';
import { compareRates, meetsThresholdOf, savingRateOf, serviceScore } from './measures';
import type {
  Award, CategoryId, CategoryResult, CategoryTotals, CriteriaSet, Dataset, Entry, IndividualRecord, Issue,
  ParsedWorkbook, Ranking, SavingRecord, ServiceRecord,
} from './model';
import { IssueSink, readCriteria, readWorkbook } from './reader';

const header = (block: { fields: readonly { key: string; header: string }[] }, key: string): string =>
  block.fields.find((f) => f.key === key)?.header ?? key;

const cellOf = (r: { origin: { row: number; cols: Readonly<Record<string, number>> } }, key: string): string =>
  r.origin.cols[key] === undefined ? '' : a1(r.origin.row, r.origin.cols[key]);

const sinkFor = (sinks: IssueSink[], fileIndex: number) => sinks[fileIndex];

// --- Consolidation and cross-row validation ------------------------------------------------------

export interface ConsolidateOptions {
  /** The workbook whose `Tiêu chí` applies (`--criteria`); by default the first. */
  readonly criteria?: ParsedWorkbook;
}

function criteriaKey(c: CriteriaSet): string {
  return JSON.stringify([c.params, c.criteria, c.awards, c.ok]);
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

  const saving = books.flatMap((b) => b.saving);
  const service = books.flatMap((b) => b.service);
  const individuals = books.flatMap((b) => b.individuals);

  validateSaving(books, saving, sinks);
  const units = new Map<string, SavingRecord>();
  for (const r of saving) if (r.unitCode && !r.errorFields.has('unitCode') && !units.has(r.unitCode)) units.set(r.unitCode, r);
  validateService(books, service, units, sinks);
  validateIndividuals(individuals, units, sinks);

  issues.push(...sinks.flatMap((s) => s.issues));
  const fileIndexOf = new Map(books.map((b) => [b.file, b.fileIndex]));
  if (opts.criteria && !fileIndexOf.has(opts.criteria.file)) fileIndexOf.set(opts.criteria.file, -1);
  const sorted = sortIssues(issues, fileIndexOf);
  return { year, criteria, saving, service, individuals, issues: sorted, fingerprint: fingerprintOf(year, criteria, saving, service, individuals) };
}

function validateSaving(books: readonly ParsedWorkbook[], saving: readonly SavingRecord[], sinks: IssueSink[]): void {
  // Unique unit codes across the workbook(s): every occurrence after the first.
  const first = new Map<string, SavingRecord>();
  for (const r of saving) {
    if (!r.unitCode || r.errorFields.has('unitCode')) continue;
    const f = first.get(r.unitCode);
    if (!f) { first.set(r.unitCode, r); continue; }
    sinkFor(sinks, r.origin.fileIndex).add('error', 'duplicate-key', r.origin.sheet, cellOf(r, 'unitCode'), header(SAVING, 'unitCode'),
      MSG.duplicate(header(SAVING, 'unitCode'), r.unitCode, where(f, 'unitCode', r)));
    r.errorFields.add('unitCode');
  }
  const companies = new Map<string, SavingRecord>();
  for (const r of saving) {
    if (r.level !== LEVEL.company || !r.unitCode || r.errorFields.has('unitCode')) continue;
    companies.set(r.unitCode, r);
    if (r.companyCode !== undefined && r.companyCode !== r.unitCode) {
      sinkFor(sinks, r.origin.fileIndex).add('error', 'unknown-reference', r.origin.sheet, cellOf(r, 'companyCode'), header(SAVING, 'companyCode'), MSG.companyCodeSelf(r.unitCode, r.companyCode));
      r.errorFields.add('companyCode');
    }
  }
  for (const r of saving) {
    if (r.level !== LEVEL.unit || r.companyCode === undefined || companies.has(r.companyCode)) continue;
    sinkFor(sinks, r.origin.fileIndex).add('error', 'unknown-reference', r.origin.sheet, cellOf(r, 'companyCode'), header(SAVING, 'companyCode'), MSG.unknownCompany(r.companyCode));
    r.errorFields.add('companyCode');
  }
  // A submission speaks for one company (the master, `EVNCPC`, for all).
  for (const b of books) {
    const own = b.info.companyCode;
    if (!own || own === MASTER_COMPANY_CODE) continue;
    for (const r of b.saving) {
      if (r.companyCode === undefined || r.companyCode === own || r.errorFields.has('companyCode')) continue;
      sinkFor(sinks, b.fileIndex).add('error', 'wrong-company', r.origin.sheet, cellOf(r, 'companyCode'), header(SAVING, 'companyCode'), MSG.wrongCompany(r.companyCode, own));
      r.errorFields.add('companyCode');
    }
  }
  // The units of a company must not exceed its own figures by more than 0.1 %. Only units without
  // any error count: an invalid row must never change how the valid ones rank.
  const byCompany = new Map<string, SavingRecord[]>();
  for (const r of saving) {
    if (r.level !== LEVEL.unit || !r.companyCode || r.errorFields.size) continue;
    const list = byCompany.get(r.companyCode) ?? [];
    list.push(r);
    byCompany.set(r.companyCode, list);
  }
  for (const [code, units] of byCompany) {
    const company = companies.get(code);
    if (!company) continue;
    for (const key of ['commercial', 'saved'] as const) {
      const own = company[key];
      if (own === undefined || company.errorFields.has(key)) continue;
      const figures = units.filter((u) => u[key] !== undefined && !u.errorFields.has(key)).map((u) => u[key] as number);
      if (!figures.length) continue;
      if (!exceedsByMoreThanPerMille(figures, own)) continue;
      {
        const sum = sumDecimals(figures.map(decimalOf));
        sinkFor(sinks, company.origin.fileIndex).add('error', 'inconsistent-total', company.origin.sheet, cellOf(company, key), header(SAVING, key),
          MSG.inconsistentTotal(header(SAVING, key), code, formatKwh(decimalToString(sum)), formatKwh(String(own))));
        company.errorFields.add(key);
      }
    }
  }
}

function where(first: { origin: { file: string; sheet: string; row: number; cols: Readonly<Record<string, number>> } }, key: string, now: { origin: { file: string } }): string {
  const cell = first.origin.cols[key] === undefined ? '' : a1(first.origin.row, first.origin.cols[key]);
  const place = `${first.origin.sheet}!${cell}`;
  return first.origin.file && first.origin.file !== now.origin.file ? `${first.origin.file}: ${place}` : place;
}

function validateService(books: readonly ParsedWorkbook[], service: readonly ServiceRecord[], units: ReadonlyMap<string, SavingRecord>, sinks: IssueSink[]): void {
  const first = new Map<string, ServiceRecord>();
  const field = header(SERVICE, 'unitCode');
  for (const r of service) {
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
  for (const r of units.values()) {
    if (first.has(r.unitCode as string) || !withSheet.has(r.origin.fileIndex)) continue;
    sinkFor(sinks, r.origin.fileIndex).add('warning', 'missing-row', r.origin.sheet, cellOf(r, 'unitCode'), header(SAVING, 'unitCode'), MSG.missingServiceRow(r.unitCode as string));
  }
}

function validateIndividuals(individuals: readonly IndividualRecord[], units: ReadonlyMap<string, SavingRecord>, sinks: IssueSink[]): void {
  const first = new Map<string, IndividualRecord>();
  const unitField = header(INDIVIDUAL, 'unitCode');
  const nameField = header(INDIVIDUAL, 'name');
  for (const r of individuals) {
    if (r.unitCode && !r.errorFields.has('unitCode') && !units.has(r.unitCode)) {
      sinkFor(sinks, r.origin.fileIndex).add('error', 'unknown-reference', r.origin.sheet, cellOf(r, 'unitCode'), unitField, MSG.unknownUnit(unitField, r.unitCode, SAVING.sheet));
      r.errorFields.add('unitCode');
    }
    if (!r.name || !r.unitCode || r.errorFields.has('name')) continue;
    const key = `${r.name.toLowerCase()}\u0000${r.unitCode}`; // names are already trimmed and NFC
    const f = first.get(key);
    if (f) {
      sinkFor(sinks, r.origin.fileIndex).add('error', 'duplicate-key', r.origin.sheet, cellOf(r, 'name'), nameField, MSG.duplicatePerson(r.name, r.unitCode, where(f, 'name', r)));
      r.errorFields.add('name');
    } else first.set(key, r);
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

function sortIssues(issues: Issue[], fileIndexOf: ReadonlyMap<string, number>): Issue[] {
  const keyed = issues.map((issue, i) => {
    let row = -1;
    let col = -1;
    if (issue.cell) ({ row, col } = parseA1(issue.cell));
    return { issue, file: fileIndexOf.get(issue.file) ?? 0, sheet: SHEET_ORDER.get(matchKey(issue.sheet)) ?? 99, row, col, i };
  });
  keyed.sort((a, b) => a.file - b.file || a.sheet - b.sheet || a.row - b.row || a.col - b.col || a.i - b.i);
  return keyed.map((k) => k.issue);
}

function formatKwh(s: string): string {
  const [i, f] = s.split('.');
  return i.replace(/\B(?=(\d{3})+(?!\d))/g, '.') + (f ? ',' + f : '');
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

/**
 * A candidate or not, with what it is ranked by. Every row has the same shape and numeric keys
 * so that sorting 100,000 of them stays monomorphic and fast.
 */
interface Row {
  readonly code: string;
  readonly name: string;
  readonly value: number | null;
  readonly eligible: boolean;
  readonly note: string;
  /** The measure (rate as a double, score in hundredths, points); higher ranks first. */
  readonly primary: number;
  /** The tie-break (saved kWh for saving, 0 elsewhere). */
  readonly secondary: number;
  /** Saving figures for the exact comparison of rates whose doubles are too close to call. */
  readonly saved: number;
  readonly commercial: number;
}

interface Base { readonly code: string; readonly name: string; readonly value: number | null }

function excluded(b: Base, note: string): Row {
  return { code: b.code, name: b.name, value: b.value, eligible: false, note, primary: 0, secondary: 0, saved: 0, commercial: 0 };
}

function candidate(b: Base, primary: number, secondary: number, saved = 0, commercial = 0): Row {
  return { code: b.code, name: b.name, value: b.value, eligible: true, note: '', primary, secondary, saved, commercial };
}

/** > 0 when `a` ranks above `b`; 0 when they share a rank. */
function compareMeasure(a: Row, b: Row): number {
  let d = a.primary - b.primary;
  if (a.commercial !== 0 && Math.abs(d) <= 1e-14 * Math.max(a.primary, b.primary)) {
    // Rates too close for doubles: decide exactly on the decimals (see compareRates).
    d = compareRates(a.saved, a.commercial, b.saved, b.commercial);
  }
  return d !== 0 ? d : a.secondary - b.secondary;
}

const SAVING_FIELDS = ['unitCode', 'unitName', 'level', 'companyCode', 'commercial', 'saved'] as const;
const IDENTITY_FIELDS = ['unitCode', 'unitName', 'level', 'companyCode'] as const;

function errorNote(headers: readonly string[]): string {
  return `Dữ liệu lỗi: ${headers.join(', ')}`;
}

function thresholdText(t: number): string {
  return `${decimalToString(decimalOf(t * 100 > 0 ? Number((t * 100).toPrecision(12)) : 0)).replace('.', ',')} %`;
}

function savingRows(ds: Dataset, level: string): Row[] {
  const c = ds.criteria;
  const isCompany = level === LEVEL.company;
  const threshold = isCompany ? c.params.companyThreshold : c.params.unitThreshold;
  const thresholdOk = isCompany ? c.ok.companyThreshold : c.ok.unitThreshold;
  return ds.saving.filter((r) => r.level === level && r.unitCode).map((r) => {
    const bad = SAVING_FIELDS.filter((k) => r.errorFields.has(k));
    const figuresOk = r.saved !== undefined && r.commercial !== undefined && !r.errorFields.has('saved') && !r.errorFields.has('commercial');
    const value = figuresOk ? savingRateOf(r.saved as number, r.commercial as number) : null;
    const base = { code: r.unitCode as string, name: r.unitName ?? '', value };
    if (bad.length || !figuresOk) return excluded(base, errorNote(bad.map((k) => header(SAVING, k))));
    if (!thresholdOk) return excluded(base, errorNote([CRITERIA.sheet]));
    if (!meetsThresholdOf(r.saved as number, r.commercial as number, threshold)) {
      return excluded(base, `Không đạt ngưỡng ${thresholdText(threshold)}`);
    }
    const saved = r.saved as number;
    const commercial = r.commercial as number;
    return candidate(base, saved / commercial, saved, saved, commercial);
  });
}

function serviceRows(ds: Dataset, level: string): Row[] {
  const c = ds.criteria;
  const byUnit = new Map<string, ServiceRecord>();
  for (const s of ds.service) if (s.unitCode && !s.errorFields.has('unitCode') && !byUnit.has(s.unitCode)) byUnit.set(s.unitCode, s);
  const headers = new Map(c.criteria.map((k) => [k.code, criterionHeader(k)]));
  return ds.saving.filter((r) => r.level === level && r.unitCode).map((r) => {
    const base = { code: r.unitCode as string, name: r.unitName ?? '' };
    const bad = IDENTITY_FIELDS.filter((k) => r.errorFields.has(k)).map((k) => header(SAVING, k));
    const s = byUnit.get(r.unitCode as string);
    if (bad.length || r.errorFields.has('unitCode')) return excluded({ ...base, value: null }, errorNote(bad));
    if (!c.ok.criteria || !c.ok.minScore) return excluded({ ...base, value: null }, errorNote([CRITERIA.sheet]));
    if (!s) return excluded({ ...base, value: null }, `Thiếu chỉ tiêu: chưa có dòng ở sheet ${SERVICE.sheet}`);
    const badValues = c.criteria.filter((k) => s.errorFields.has(k.code)).map((k) => headers.get(k.code) as string);
    if (badValues.length) return excluded({ ...base, value: null }, errorNote(badValues));
    const missing = c.criteria.filter((k) => s.values[k.code] === undefined).map((k) => k.code);
    if (missing.length) return excluded({ ...base, value: null }, `Thiếu chỉ tiêu: ${missing.join(', ')}`);
    const { hundredths, score } = serviceScore(c.criteria.map((k) => ({
      value: s.values[k.code] as number, target: k.target, weight: k.weight,
      direction: k.direction === DIRECTION.higher ? 'higher' : 'lower',
    })));
    if (compareRational({ num: BigInt(hundredths), den: 100n }, rationalOf(decimalOf(c.params.minScore))) < 0) {
      return excluded({ ...base, value: score }, `Không đạt điểm dịch vụ tối thiểu ${c.params.minScore}`);
    }
    return candidate({ ...base, value: score }, hundredths, 0);
  });
}

const INDIVIDUAL_FIELDS = ['name', 'unitCode', 'area', 'achievement', 'points'] as const;

function individualRows(ds: Dataset): Row[] {
  return ds.individuals.filter((r) => r.name || r.unitCode).map((r) => {
    const bad = INDIVIDUAL_FIELDS.filter((k) => r.errorFields.has(k)).map((k) => header(INDIVIDUAL, k));
    const value = r.points !== undefined && !r.errorFields.has('points') ? r.points : null;
    const base = { code: r.unitCode ?? '', name: r.name ?? '', value };
    if (bad.length) return excluded(base, errorNote(bad));
    return candidate(base, r.points as number, 0);
  });
}

const byCodeThenName = (a: Row, b: Row) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Award places of a category: the GiaiThuong rows in order, each covering the next places. */
function awardSlots(ds: Dataset, area: string, level: string): { from: number; to: number; award: Award; form: string }[] {
  let next = 1;
  return ds.criteria.awards.filter((a) => a.area === area && a.level === level).map((a) => {
    const slot = { from: next, to: next + a.count - 1, award: { title: a.title, form: a.form, prize: a.prize }, form: a.form };
    next += a.count;
    return slot;
  });
}

function rankCategory(ds: Dataset, cat: (typeof CATEGORIES)[number]): { result: CategoryResult; totals: CategoryTotals } {
  const rows = cat.id === 'individual' ? individualRows(ds)
    : cat.area === AREA.saving ? savingRows(ds, cat.level) : serviceRows(ds, cat.level);
  const ranked = rows.filter((r) => r.eligible).sort((a, b) => compareMeasure(b, a) || byCodeThenName(a, b));
  const others = rows.filter((r) => !r.eligible).sort(byCodeThenName);
  const slots = awardSlots(ds, cat.area, cat.level);
  const lastPlace = slots.length ? slots[slots.length - 1].to : 0;
  const slotOf = (place: number) => slots.find((s) => place >= s.from && place <= s.to);

  const entries: Entry[] = [];
  let prize = 0;
  let flags = 0;
  let certificates = 0;
  let pending = 0;
  for (let i = 0; i < ranked.length;) {
    let j = i + 1;
    while (j < ranked.length && compareMeasure(ranked[i], ranked[j]) === 0) j++;
    const rank = i + 1;
    const first = slotOf(rank);
    const last = slotOf(j);
    // A tied group is decided by the program only when all of its places fall in one award row
    // (or in none); otherwise the council decides the places the group straddles.
    const straddles = first !== last;
    for (let k = i; k < j; k++) {
      const r = ranked[k];
      const award = straddles ? null : first?.award ?? null;
      if (award) {
        prize += award.prize;
        if (matchKey(award.form) === matchKey(AWARD_FORM.flag)) flags++;
        else if (matchKey(award.form) === matchKey(AWARD_FORM.certificate)) certificates++;
      }
      entries.push({ rank, code: r.code, name: r.name, value: r.value, eligible: true, award, pending: straddles, note: straddles ? PENDING_NOTE : r.note });
    }
    if (straddles) pending += Math.min(j, lastPlace) - rank + 1;
    i = j;
  }
  for (const r of others) entries.push({ rank: null, code: r.code, name: r.name, value: r.value, eligible: false, award: null, pending: false, note: r.note });
  return { result: { id: cat.id, entries }, totals: { id: cat.id, prize, flags, certificates, pending } };
}

/** Units and companies by code (the first row of a code wins), for the award list's names. */
function unitDirectory(ds: Dataset): Record<string, { name: string; companyCode?: string }> {
  const out: Record<string, { name: string; companyCode?: string }> = {};
  for (const s of ds.saving) {
    if (!s.unitCode || out[s.unitCode]) continue;
    out[s.unitCode] = { name: s.unitName ?? s.unitCode, companyCode: s.companyCode };
  }
  return out;
}

export function rank(ds: Dataset): Ranking {
  const done = CATEGORIES.map((c) => rankCategory(ds, c));
  const categoryTotals = done.map((d) => d.totals);
  const sum = (k: 'prize' | 'flags' | 'certificates' | 'pending') => categoryTotals.reduce((s, t) => s + t[k], 0);
  return {
    year: ds.year, fingerprint: ds.fingerprint, categories: done.map((d) => d.result), categoryTotals,
    totals: { prize: sum('prize'), flags: sum('flags'), certificates: sum('certificates'), pending: sum('pending') },
    issues: ds.issues,
    params: ds.criteria.params, units: unitDirectory(ds),
  };
}

// --- Convenience over grids ---------------------------------------------------------------------

export interface GridOptions {
  readonly criteriaGrid?: WorkbookGrid;
}

/** Read, consolidate and validate grids; the criteria are the `criteriaGrid`'s, else the first's. */
export function validateGrids(grids: readonly WorkbookGrid[], opts: GridOptions = {}): Dataset {
  const criteriaBook = opts.criteriaGrid ? readWorkbook(opts.criteriaGrid, { fileIndex: grids.length }) : undefined;
  const firstCriteria = criteriaBook?.criteria ?? (grids[0] ? readCriteria(grids[0], new IssueSink('')) : undefined);
  const books = grids.map((g, i) => readWorkbook(g, { fileIndex: i, criteria: firstCriteria }));
  return consolidate(books, { criteria: criteriaBook });
}

export function rankGrids(grids: readonly WorkbookGrid[], opts: GridOptions = {}): Ranking {
  return rank(validateGrids(grids, opts));
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
