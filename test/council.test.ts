/**
 * The council's decisions (`Quyết định Hội đồng`): a master built from the real example files with
 * ties made from their own data; decisions applied to the ties; every bad-decision case at its
 * cell; the command line's `--decisions` and decisions in the master itself.
 */
import * as fs from 'fs';
import * as path from 'path';
import { a1 } from '../src/core/cells';
import { DECIDED_NOTE } from '../src/core/decisions';
import { PENDING_NOTE, rank, validateGrids } from '../src/core/engine';
import { AREA, DECISIONS, LEVEL, SAVING, SHEETS } from '../src/core/format';
import type { CategoryId, Dataset, Issue, Ranking, SavingRecord } from '../src/core/model';
import { DecisionRowContent, HEADER_ROW, WorkbookContent, decisionsSheetPlan, inputSheetPlans } from '../src/core/template';
import { DEMO_ERROR, DEMO_TIE, awardTableTotals, planGrid } from '../src/node/examples';
import { writeWorkbook } from '../src/node/xlsx-write';
import { decideAll, decisionRow, exampleDataset, masterWithTies, pendingTies } from './support/council';
import { ensureBuilt, tempDir, thidua } from './support/xlsx-cli';

/** Every place of the award table given: the seed's totals once each tie is decided (the demo's own included). */
const SEED_TOTALS = { ...awardTableTotals(), pending: 0 };

let examples: Dataset;
let master: WorkbookContent;
let undecided: Ranking;

const rankOf = (content: WorkbookContent): Ranking => rank(validateGrids([planGrid(inputSheetPlans(content), 'master.xlsx')]));
const withDecisions = (rows: DecisionRowContent[]): WorkbookContent => ({ ...master, decisions: rows });
const entriesOf = (r: Ranking, id: CategoryId) => r.categories.find((c) => c.id === id)?.entries ?? [];
const decisionIssues = (r: { issues: readonly Issue[] }) => r.issues.filter((i) => i.code === 'bad-decision');
/** The cell of column `key` on data row `n` (0-based) of the decisions table the template writes. */
const cellOf = (key: string, n: number) => a1(HEADER_ROW + 1 + n, DECISIONS.fields.findIndex((f) => f.key === key));
const errorsOf = (issues: readonly Issue[]) => issues.filter((i) => i.severity === 'error');
/** The examples' one error on purpose (DEMO_ERROR): that Điện lực's saving row, read from its file. */
const demoBadRow = (): SavingRecord => examples.saving.filter((s) => s.origin.file === DEMO_ERROR.file && s.level === LEVEL.unit)[DEMO_ERROR.unitIndex];
/** That error as the master (one file, rows in the examples' order) reports it: saved above commercial, at its cell. */
function expectOnlyDemoError(issues: readonly Issue[], file: string) {
  const bad = demoBadRow();
  const row = master.saving!.findIndex((s) => s.unitCode === bad.unitCode);
  expect(row).toBeGreaterThanOrEqual(0);
  expect(errorsOf(issues)).toEqual([expect.objectContaining({
    file, sheet: SAVING.sheet, code: 'out-of-range', cell: a1(HEADER_ROW + 1 + row, SAVING.fields.findIndex((f) => f.key === 'saved')),
  })]);
}

beforeAll(async () => {
  examples = await exampleDataset();
  master = masterWithTies(examples);
  undecided = rankOf(master);
});

describe('ties from the examples', () => {
  test('the master has a tie on the last unit-service certificate and on the last individual one, left to the council', () => {
    // The examples' only error is the one they hold on purpose, at its cell in its file.
    const bad = demoBadRow();
    expect(bad.saved!).toBeGreaterThan(bad.commercial!);
    expect(errorsOf(examples.issues)).toEqual([expect.objectContaining({
      file: DEMO_ERROR.file, sheet: SAVING.sheet, code: 'out-of-range', cell: a1(bad.origin.row, bad.origin.cols.saved),
    })]);
    // The master carries that row as it is: the same one error, now at the master's row.
    expectOnlyDemoError(undecided.issues, 'master.xlsx');
    const ties = pendingTies(undecided);
    // The two ties the helper made, and the one the examples hold on purpose (DEMO_TIE).
    expect(ties.map((t) => t.id).sort()).toEqual(['individual', 'unit-service', DEMO_TIE.category].sort());
    expect(ties.find((t) => t.id === DEMO_TIE.category)!.members.map((m) => m.rank)).toEqual([DEMO_TIE.rank, DEMO_TIE.rank]);
    expect(undecided.totals.pending).toBe(ties.reduce((s, t) => s + t.places, 0));
    expect(undecided.totals.prize).toBeLessThan(SEED_TOTALS.prize);
    for (const t of ties) for (const e of t.members) expect(e).toMatchObject({ pending: true, award: null, note: PENDING_NOTE });
  });
});

describe('applying decisions', () => {
  test('every tie decided: the seed totals, named entries take the places, the others none, nothing else changes', () => {
    const rows = decideAll(undecided, '12/BB-HĐTĐ');
    const r = rankOf(withDecisions(rows));
    expect(r.totals).toEqual(SEED_TOTALS);
    expect(decisionIssues(r)).toEqual([]);
    const named = new Set(rows.map((d) => `${d.unitCode}|${d.name ?? ''}`));
    for (const t of pendingTies(undecided)) {
      const after = entriesOf(r, t.id);
      for (const m of t.members) {
        const e = after.find((x) => x.code === m.code && x.name === m.name);
        expect(e).toBeDefined();
        expect(e!.pending).toBe(false);
        expect(e!.rank).toBe(m.rank);
        expect(e!.note).toBe(`${DECIDED_NOTE} (biên bản 12/BB-HĐTĐ)`);
        const isNamed = named.has(`${m.code}|${t.id === 'individual' ? m.name : ''}`);
        expect(e!.award !== null).toBe(isNamed);
      }
    }
    // Entries outside the ties are exactly as before.
    const tied = new Set(pendingTies(undecided).flatMap((t) => t.members.map((m) => `${t.id}|${m.code}|${m.name}`)));
    for (const c of undecided.categories) {
      const before = c.entries.filter((e) => !tied.has(`${c.id}|${e.code}|${e.name}`));
      const after = entriesOf(r, c.id).filter((e) => !tied.has(`${c.id}|${e.code}|${e.name}`));
      expect(after).toEqual(before);
    }
  });

  test('the council picks who gets the higher award of a tie over two award rows, in the order it writes them', () => {
    // The top two companies for service tied (same values, no tie-break) over `Xuất sắc` and `Tốt`.
    const ranked = entriesOf(undecided, 'company-service').filter((e) => e.rank !== null);
    const [a, b] = [ranked[0], ranked[1]];
    const service = master.service!.map((s) => ({ ...s }));
    const ia = service.findIndex((s) => s.unitCode === a.code);
    const ib = service.findIndex((s) => s.unitCode === b.code);
    service[ib] = { ...service[ib], values: { ...service[ia].values } };
    const tiedMaster = { ...master, service };
    const before = rankOf(tiedMaster);
    const tie = pendingTies(before).find((t) => t.id === 'company-service');
    expect(tie).toBeDefined();
    expect(tie!.members.map((m) => m.code).sort()).toEqual([a.code, b.code].sort());
    expect(tie!.places).toBe(2);
    const rows = [decisionRow('company-service', { code: b.code, name: '' }), decisionRow('company-service', { code: a.code, name: '' })];
    const after = entriesOf(rankOf({ ...tiedMaster, decisions: rows }), 'company-service');
    expect(after.find((e) => e.code === b.code)!.award?.title).toBe('Xuất sắc');
    expect(after.find((e) => e.code === a.code)!.award?.title).toBe('Tốt');
    expect(after.find((e) => e.code === a.code)!.note).toBe(DECIDED_NOTE);
    expect(after.filter((e) => e.pending)).toEqual([]);
  });

  test('with decision rows the fingerprint covers them; without, it is the data fingerprint', () => {
    const rows = decideAll(undecided);
    const plain = validateGrids([planGrid(inputSheetPlans(master), 'm.xlsx')]).fingerprint;
    const decided = validateGrids([planGrid(inputSheetPlans(withDecisions(rows)), 'm.xlsx')]).fingerprint;
    const other = validateGrids([planGrid(inputSheetPlans(withDecisions(rows.slice().reverse())), 'm.xlsx')]).fingerprint;
    expect(decided).not.toBe(plain);
    expect(other).not.toBe(decided);
    expect(validateGrids([planGrid(inputSheetPlans({ ...master, decisions: [] }), 'm.xlsx')]).fingerprint).toBe(plain);
  });

  test('a missing sheet is no issue', () => {
    // A Power Company's file has no such sheet; a master without it reads with no issue about it.
    const plans = inputSheetPlans({ ...master, info: { ...master.info, companyCode: 'PC01' } });
    expect(plans.map((p) => p.name)).not.toContain(SHEETS.decisions);
    const ds = validateGrids([planGrid(inputSheetPlans(master).filter((p) => p.name !== SHEETS.decisions), 'm.xlsx')]);
    expect(ds.issues.filter((i) => i.sheet === SHEETS.decisions)).toEqual([]);
  });
});

describe('bad decisions, each at its cell; the tie stays pending', () => {
  const unitTie = () => pendingTies(undecided).find((t) => t.id === 'unit-service')!;
  const personTie = () => pendingTies(undecided).find((t) => t.id === 'individual')!;

  function expectBad(rows: DecisionRowContent[], cell: string, severity: 'error' | 'warning', stillPending: CategoryId) {
    const content = withDecisions(rows);
    const grid = planGrid(inputSheetPlans(content), 'master.xlsx');
    const ds = validateGrids([grid]);
    const r = rank(ds);
    const bad = decisionIssues(r);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ severity, sheet: DECISIONS.sheet, cell, code: 'bad-decision' });
    expect(bad[0].message).toMatch(/[ăâđêôơư]/);
    expect(bad[0].messageEn).not.toBe(bad[0].message);
    // The validation report lists it too.
    expect(decisionIssues(ds)).toEqual(bad);
    const pending = entriesOf(r, stillPending).filter((e) => e.pending);
    expect(pending.length).toBeGreaterThan(0);
    expect(r.categoryTotals.find((t) => t.id === stillPending)!.pending).toBe(undecided.categoryTotals.find((t) => t.id === stillPending)!.pending);
    return r;
  }

  test('an entry not in a tie left to the council: error at its Mã đơn vị, the tie stays pending', () => {
    const first = entriesOf(undecided, 'unit-service').find((e) => e.rank === 1)!;
    expectBad([decisionRow('unit-service', first)], cellOf('unitCode', 0), 'error', 'unit-service');
  });

  test('more entries than the tie has places: error at the row past the places', () => {
    const t = unitTie();
    const rows = t.members.slice(0, t.places + 1).map((m) => decisionRow('unit-service', m));
    expect(rows.length).toBe(t.places + 1);
    expectBad(rows, cellOf('unitCode', t.places), 'error', 'unit-service');
  });

  test('an unknown unit code: error at Mã đơn vị', () => {
    const t = unitTie();
    expectBad([decisionRow('unit-service', { code: 'KHONGCO99', name: '' }), ...t.members.slice(0, 1).map((m) => decisionRow('unit-service', m))],
      cellOf('unitCode', 0), 'error', 'unit-service');
  });

  test('an unknown person: error at Họ và tên', () => {
    const t = personTie();
    expectBad([decisionRow('individual', { code: t.members[0].code, name: 'Người Không Có' })], cellOf('name', 0), 'error', 'individual');
  });

  test('a person named without Họ và tên: error at that cell', () => {
    const t = personTie();
    expectBad([{ area: AREA.individual, level: LEVEL.individual, unitCode: t.members[0].code, name: null }], cellOf('name', 0), 'error', 'individual');
  });

  test('a category and level that do not go together: error, nothing applied', () => {
    const t = unitTie();
    const r = expectBad([{ area: AREA.service, level: LEVEL.individual, unitCode: t.members[0].code, name: 'X' }, decisionRow('unit-service', t.members[0])],
      cellOf('name', 0), 'error', 'unit-service');
    expect(r.totals.pending).toBe(undecided.totals.pending);
  });

  test('the same entry twice: error at the second row', () => {
    const t = unitTie();
    expectBad([decisionRow('unit-service', t.members[0]), decisionRow('unit-service', t.members[0])], cellOf('unitCode', 1), 'error', 'unit-service');
  });

  test('a row with a cell problem (a level not in the list) keeps every tie pending: nothing is picked silently', () => {
    const rows = [{ area: AREA.service, level: 'Tỉnh', unitCode: unitTie().members[0].code }, ...decideAll(undecided)];
    const ds = validateGrids([planGrid(inputSheetPlans(withDecisions(rows)), 'master.xlsx')]);
    const r = rank(ds);
    expect(r.issues.filter((i) => i.sheet === DECISIONS.sheet).map((i) => [i.code, i.cell])).toEqual([['type-error', cellOf('level', 0)]]);
    expect(r.totals).toEqual(undecided.totals);
  });

  test('a decision whose tie no longer exists (the data changed): warning, not applied', () => {
    const rows = decideAll(undecided);
    // Back to the examples' own data: the two ties made here are gone; the examples' own (DEMO_TIE) is still there.
    const demoRows = decideAll(rankOf(masterWithoutTies()));
    expect(pendingTies(rankOf(masterWithoutTies())).map((t) => t.id)).toEqual([DEMO_TIE.category]);
    const clean: WorkbookContent = { ...masterWithoutTies(), decisions: rows };
    const r = rankOf(clean);
    // The rows for the demo tie still apply; only those whose tie is gone are warned about.
    const plain = rankOf({ ...masterWithoutTies(), decisions: demoRows });
    expect(plain.totals.pending).toBe(0);
    const isDemo = (d: DecisionRowContent) => demoRows.some((x) => x.unitCode === d.unitCode && x.level === d.level && x.area === d.area && (x.name ?? null) === (d.name ?? null));
    const gone = rows.map((d, n) => ({ d, n })).filter(({ d }) => !isDemo(d));
    expect(gone.length).toBe(rows.length - demoRows.length);
    expect(gone.length).toBeGreaterThan(0);
    const bad = decisionIssues(r);
    expect(bad.length).toBe(gone.length);
    for (const [k, i] of bad.entries()) {
      const { d, n } = gone[k];
      expect(i.severity).toBe('warning');
      expect(i.cell).toBe(cellOf(d.level === LEVEL.individual ? 'name' : 'unitCode', n));
    }
    expect(r.categories).toEqual(plain.categories);
    expect(r.totals).toEqual(plain.totals);
  });
});

function masterWithoutTies(): WorkbookContent {
  const saving = examples.saving.map((s) => ({ unitCode: s.unitCode ?? null, unitName: s.unitName ?? null, level: s.level ?? null, companyCode: s.companyCode ?? null, commercial: s.commercial ?? null, saved: s.saved ?? null, note: s.note ?? null }));
  const service = examples.service.map((s) => ({ unitCode: s.unitCode ?? null, values: { ...s.values } as Record<string, number | null> }));
  const individuals = examples.individuals.map((p) => ({ name: p.name ?? null, unitCode: p.unitCode ?? null, position: p.position ?? null, area: p.area ?? null, achievement: p.achievement ?? null, points: p.points ?? null }));
  return { ...master, saving, service, individuals };
}

describe('command line', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = tempDir('thidua-council-');
  });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('rank master.xlsx --decisions decisions.xlsx gives the seed totals; the same rows in the master do too', async () => {
    const masterFile = path.join(dir, 'master.xlsx');
    const decisionsFile = path.join(dir, 'quyet-dinh.xlsx');
    const inMaster = path.join(dir, 'master-decided.xlsx');
    const rows = decideAll(undecided, '05/BB');
    await writeWorkbook(inputSheetPlans(master), masterFile);
    await writeWorkbook([decisionsSheetPlan(rows)], decisionsFile);
    await writeWorkbook(inputSheetPlans(withDecisions(rows)), inMaster);

    const before = thidua(['rank', masterFile, '--json']);
    expect(JSON.parse(before.stdout).totals.pending).toBe(undecided.totals.pending);

    const res = thidua(['rank', masterFile, '--decisions', decisionsFile, '--json']);
    expect(res.stderr).toBe('');
    // Exit 1: the master carries the examples' one error on purpose (and only that one); the ranking is still given.
    expect(res.code).toBe(1);
    const json = JSON.parse(res.stdout);
    expectOnlyDemoError(json.issues, 'master.xlsx');
    expect(decisionIssues(json)).toEqual([]);
    expect(json.totals).toEqual(SEED_TOTALS);
    expect(Object.keys(json).sort()).toEqual(['categories', 'fingerprint', 'issues', 'totals', 'year']);
    const notes = json.categories.flatMap((c: { entries: { note: string }[] }) => c.entries.map((e) => e.note));
    expect(notes.filter((n: string) => n.startsWith(DECIDED_NOTE)).length).toBe(pendingTies(undecided).reduce((s, t) => s + t.members.length, 0));

    const own = thidua(['rank', inMaster, '--json']);
    expect(own.code).toBe(1);
    expectOnlyDemoError(JSON.parse(own.stdout).issues, 'master-decided.xlsx');
    expect(JSON.parse(own.stdout).totals).toEqual(SEED_TOTALS);
  });

  test('a bad decision in --decisions: exit 1, the issue names the decisions file and cell, the tie stays pending', async () => {
    const masterFile = path.join(dir, 'master2.xlsx');
    const decisionsFile = path.join(dir, 'sai.xlsx');
    await writeWorkbook(inputSheetPlans(master), masterFile);
    await writeWorkbook([decisionsSheetPlan([decisionRow('unit-service', { code: 'KHONGCO99', name: '' })])], decisionsFile);
    const res = thidua(['rank', masterFile, '--decisions', decisionsFile, '--json']);
    expect(res.code).toBe(1);
    const json = JSON.parse(res.stdout);
    expect(json.totals.pending).toBe(undecided.totals.pending);
    expect(json.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'bad-decision', file: 'sai.xlsx', sheet: DECISIONS.sheet, cell: cellOf('unitCode', 0) })]));
  });

  test('--decisions with a file that has no decisions sheet is an error naming it', async () => {
    const masterFile = path.join(dir, 'master3.xlsx');
    await writeWorkbook(inputSheetPlans(master), masterFile);
    const res = thidua(['rank', masterFile, '--decisions', masterFile.replace('master3', 'master3'), '--json']);
    // The master written here has the (empty) decisions sheet: no issue.
    expect(JSON.parse(res.stdout).issues.filter((i: Issue) => i.sheet === DECISIONS.sheet)).toEqual([]);
    const other = path.join(dir, 'khong-co.xlsx');
    await writeWorkbook(inputSheetPlans({ info: { companyCode: 'PC01' } }).slice(0, 1), other);
    const res2 = thidua(['rank', masterFile, '--decisions', other, '--json']);
    expect(JSON.parse(res2.stdout).issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'missing-sheet', file: 'khong-co.xlsx', sheet: DECISIONS.sheet })]));
  });
});
