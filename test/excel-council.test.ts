/**
 * The council's decision and the approval on the add-in test host: the master built from the
 * example files with ties (test/support/council.ts), decided through the pane's actions, approved,
 * made stale by an edit, ranked again after the approval is dropped.
 */
import { APPROVAL_CELLS, APPROVED_MARK, DRAFT_MARK } from '../src/core/approval';
import { rank as rankDataset, validateGrids } from '../src/core/engine';
import { DECISIONS, INDIVIDUAL, INPUT_SHEETS, SHEETS } from '../src/core/format';
import type { Dataset } from '../src/core/model';
import { type WorkbookContent, inputSheetPlans } from '../src/core/template';
import { DEMO_TIE, awardTableTotals, planGrid } from '../src/node/examples';
import {
  ApprovedError, RankResult, TieChoice, approve, rank, rankingFreshness, validate, writeDecisions,
} from '../src/excel/actions';
import { UserError } from '../src/excel/adapter';
import { exampleDataset, masterWithTies, withDemoErrorCorrected } from './support/council';
import { StandinWorkbook, bookWith, contextOf, runOf } from './support/standin';

/** Every place of the award table given: the seed's totals once each tie is decided (the examples' own included). */
const SEED_TOTALS = { ...awardTableTotals(), pending: 0 };

let examples: Dataset;
let master: WorkbookContent;
beforeAll(async () => {
  examples = await exampleDataset();
  // Approval needs data without errors: the examples' one error on purpose is corrected first.
  master = withDemoErrorCorrected(masterWithTies(examples), examples);
  expect(validateGrids([planGridOf(master)]).issues.filter((i) => i.severity === 'error')).toEqual([]);
});

const planGridOf = (c: WorkbookContent) => planGrid(inputSheetPlans(c), 'master.xlsx');
const otherInputs = (wb: StandinWorkbook) => INPUT_SHEETS.filter((n) => n !== SHEETS.decisions).map((n) => wb.snapshot(n)).join('\n');
/** The council's choice for every tie: its last members, as many as it has places. */
const chooseAll = (res: RankResult): TieChoice[] => res.ties.map((tie) => ({ tie, chosen: tie.members.slice(-tie.places) }));
const cellText = (wb: StandinWorkbook, sheet: string, r: number, c: number) => wb.sheet(sheet)?.cell(r, c)?.v;

async function decidedBook(): Promise<{ wb: StandinWorkbook; run: ReturnType<typeof runOf> }> {
  const wb = await bookWith(master);
  const run = runOf(wb);
  const first = await rank(run, '2013-01-15 09:00');
  await writeDecisions(run, chooseAll(first), '12/BB-HĐTĐ');
  return { wb, run };
}

describe('the council decides in the pane', () => {
  test('Rank lists the ties; Ghi quyết định writes only Quyết định Hội đồng (creating it), ranking again gives the seed totals', async () => {
    const wb = await bookWith(master);
    // A master made before this sheet existed: the pane creates sheet and table.
    wb.deleteSheet(wb.sheet(SHEETS.decisions)!);
    wb.tables.splice(wb.tables.findIndex((t) => t.name === DECISIONS.id), 1);
    const run = runOf(wb);
    const first = await rank(run, '2013-01-15 09:00');
    expect(first.totals.pending).toBeGreaterThan(0);
    // The two ties made from the data, and the examples' own (DEMO_TIE).
    expect(first.ties.map((t) => t.id).sort()).toEqual(['individual', 'unit-service', DEMO_TIE.category].sort());
    for (const t of first.ties) {
      expect(t.members.length).toBeGreaterThan(t.places);
      expect(t.awards).toHaveLength(t.places);
    }
    const before = otherInputs(wb);
    const written = await writeDecisions(run, chooseAll(first), '12/BB-HĐTĐ');
    expect(written).toBe(first.ties.reduce((s, t) => s + t.places, 0));
    expect(otherInputs(wb)).toBe(before);
    expect(wb.sheet(SHEETS.decisions)).toBeDefined();
    expect(wb.tables.find((t) => t.name === DECISIONS.id)).toBeDefined();

    const second = await rank(run, '2013-01-15 09:05');
    expect(second.totals).toEqual(SEED_TOTALS);
    expect(second.ties).toEqual([]);
    expect(second.counts.errors).toBe(0);
    // The same answer as the engine on the workbook's own grid.
    expect(rankDataset(validateGrids([wb.toGrid()])).totals).toEqual(SEED_TOTALS);
  });

  test('deciding again replaces the rows of that tie in place: no duplicate, the table resized, other rows kept', async () => {
    const { wb, run } = await decidedBook();
    const grid = () => validateGrids([wb.toGrid()]);
    const rowsBefore = (grid().decisions ?? []).length;
    // Un-decide the unit tie by editing its row to an unknown code: a bad decision, the tie pending again.
    const ctx = contextOf(wb);
    const unitRow = (grid().decisions ?? []).find((d) => d.level === 'Điện lực')!;
    ctx.workbook.worksheets.getItem(SHEETS.decisions).getRangeByIndexes(unitRow.origin.row, unitRow.origin.cols.unitCode, 1, 1).values = [['KHONGCO99']];
    await ctx.sync();
    const bad = await rank(run, '2013-01-15 09:10');
    expect(bad.issues.some((i) => i.code === 'bad-decision' && i.severity === 'error')).toBe(true);
    expect(bad.ties.map((t) => t.id)).toEqual(['unit-service']);
    await writeDecisions(run, chooseAll(bad), '');
    const after = grid();
    expect((after.decisions ?? []).length).toBe(rowsBefore);
    expect(after.issues.filter((i) => i.code === 'bad-decision')).toEqual([]);
    const table = wb.tables.find((t) => t.name === DECISIONS.id)!;
    expect(table.r1 - table.r0).toBe(rowsBefore);
    expect((await rank(run, '2013-01-15 09:12')).totals).toEqual(SEED_TOTALS);
  });
});

describe('approval', () => {
  test('refused while places are pending', async () => {
    const wb = await bookWith(master);
    const run = runOf(wb);
    await rank(run, '2013-01-15 09:00');
    await expect(approve(run, 'Nguyễn Văn An', '2013-01-16 10:00')).rejects.toThrow(UserError);
    expect(String(cellText(wb, SHEETS.ranking, 0, 0))).toContain(DRAFT_MARK);
    expect(wb.sheet(SHEETS.ranking)!.protected).toBe(false);
  });

  test('records who, when and the fingerprint; the title says ĐÃ PHÊ DUYỆT; the output sheets are protected; inputs untouched', async () => {
    const { wb, run } = await decidedBook();
    await validate(run, '2013-01-15 09:20');
    const ranked = await rank(run, '2013-01-15 09:30');
    const inputs = INPUT_SHEETS.map((n) => wb.snapshot(n)).join('\n');
    const a = await approve(run, '  Trần   Thị Bình ', '2013-01-16 10:00');
    expect(a).toEqual({ by: 'Trần Thị Bình', at: '2013-01-16 10:00', fingerprint: ranked.fingerprint });
    expect(String(cellText(wb, SHEETS.ranking, 0, 0))).toContain(APPROVED_MARK);
    expect(String(cellText(wb, SHEETS.ranking, 0, 0))).not.toContain(DRAFT_MARK);
    expect(cellText(wb, SHEETS.ranking, APPROVAL_CELLS.by.row, APPROVAL_CELLS.by.col)).toBe('Trần Thị Bình');
    expect(cellText(wb, SHEETS.ranking, APPROVAL_CELLS.at.row, APPROVAL_CELLS.at.col)).toBe('2013-01-16 10:00');
    expect(cellText(wb, SHEETS.ranking, APPROVAL_CELLS.fingerprint.row, APPROVAL_CELLS.fingerprint.col)).toBe(ranked.fingerprint);
    // The ranking's own time is kept.
    expect(cellText(wb, SHEETS.ranking, 2, 1)).toBe('2013-01-15 09:30');
    expect(wb.sheet(SHEETS.ranking)!.protected).toBe(true);
    expect(wb.sheet(SHEETS.report)!.protected).toBe(true);
    for (const n of INPUT_SHEETS) expect(wb.sheet(n)!.protected).toBe(false);
    expect(INPUT_SHEETS.map((n) => wb.snapshot(n)).join('\n')).toBe(inputs);
    expect(await rankingFreshness(run)).toBe('approved');
    // Protection holds: a write to the ranking sheet fails on the host.
    const ctx = contextOf(wb);
    ctx.workbook.worksheets.getItem(SHEETS.ranking).getRange('A1').values = [['x']];
    await expect(ctx.sync()).rejects.toThrow(/protected/);
    // A second approval is refused.
    await expect(approve(run, 'Ai đó', '2013-01-16 11:00')).rejects.toThrow(UserError);
    // Validating again keeps the report protected.
    await validate(run, '2013-01-16 10:05');
    expect(wb.sheet(SHEETS.report)!.protected).toBe(true);
  });

  test('a name is required; the typed name is text, never a formula', async () => {
    const { wb, run } = await decidedBook();
    await rank(run, '2013-01-15 09:30');
    await expect(approve(run, '   ', '2013-01-16 10:00')).rejects.toThrow(UserError);
    await approve(run, '=HYPERLINK("http://x","y")', '2013-01-16 10:00');
    const cell = wb.sheet(SHEETS.ranking)!.cell(APPROVAL_CELLS.by.row, APPROVAL_CELLS.by.col)!;
    expect(cell.f).toBeUndefined();
    expect(cell.v).toBe('=HYPERLINK("http://x","y")');
  });

  test('after approval a change of an input makes the approved ranking stale; ranking again asks first, then drops the approval', async () => {
    const { wb, run } = await decidedBook();
    await validate(run, '2013-01-15 09:20');
    await rank(run, '2013-01-15 09:30');
    await approve(run, 'Trần Thị Bình', '2013-01-16 10:00');
    expect(await rankingFreshness(run)).toBe('approved');

    // Someone edits a person's points (an input sheet is not protected).
    const grid = validateGrids([wb.toGrid()]);
    const person = grid.individuals[0];
    const ctx = contextOf(wb);
    ctx.workbook.worksheets.getItem(INDIVIDUAL.sheet).getRangeByIndexes(person.origin.row, person.origin.cols.points, 1, 1).values = [[(person.points as number) === 100 ? 99 : 100]];
    await ctx.sync();
    expect(await rankingFreshness(run)).toBe('approved-stale');

    // Ranking without the user's yes is refused and changes nothing.
    const snap = wb.snapshot(SHEETS.ranking);
    await expect(rank(run, '2013-01-16 11:00')).rejects.toThrow(ApprovedError);
    expect(wb.snapshot(SHEETS.ranking)).toBe(snap);
    expect(wb.sheet(SHEETS.ranking)!.protected).toBe(true);

    // With it: unprotected, rewritten as a draft, fresh.
    const again = await rank(run, '2013-01-16 11:00', { dropApproval: true });
    expect(String(cellText(wb, SHEETS.ranking, 0, 0))).toContain(DRAFT_MARK);
    expect(cellText(wb, SHEETS.ranking, APPROVAL_CELLS.by.row, APPROVAL_CELLS.by.col) ?? null).toBeNull();
    expect(wb.sheet(SHEETS.ranking)!.protected).toBe(false);
    expect(wb.sheet(SHEETS.report)!.protected).toBe(false);
    expect(await rankingFreshness(run)).toBe('fresh');
    expect(again.fingerprint).not.toBe(grid.fingerprint);
  });

  test('a changed council decision after approval also makes it stale', async () => {
    const { wb, run } = await decidedBook();
    await rank(run, '2013-01-15 09:30');
    await approve(run, 'Trần Thị Bình', '2013-01-16 10:00');
    const d = (validateGrids([wb.toGrid()]).decisions ?? [])[0];
    const ctx = contextOf(wb);
    ctx.workbook.worksheets.getItem(SHEETS.decisions).getRangeByIndexes(d.origin.row, d.origin.cols.minutes, 1, 1).values = [['13/BB-HĐTĐ']];
    await ctx.sync();
    expect(await rankingFreshness(run)).toBe('approved-stale');
  });
});
