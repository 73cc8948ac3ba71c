/**
 * The award list, the certificates and the display decimals as plans (issues 10 and 11), and the
 * pane's rank writing them as add-in sheets. What they look like printed: test/print.test.ts.
 */
import fc from 'fast-check';
import { rankGrids } from '../src/core/engine';
import { AWARD_FORM, DEFAULT_AWARDS, SHEETS } from '../src/core/format';
import type { Ranking } from '../src/core/model';
import { AWARD_LIST_HEADERS, achievementText, amountInWordsLine, awardListPlan, awardees, certificatesPlan } from '../src/core/awards-print';
import { decimalsFormat, displayDecimals, scaledRound } from '../src/core/display';
import { isRankingTable, rankingSheetPlan, rankingStatus } from '../src/core/sheets';
import { vndText } from '../src/core/vndtext';
import { rank } from '../src/excel/actions';
import { UserError } from '../src/excel/adapter';
import { awardTableTotals, demoTotals } from '../src/node/examples';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { rankDecided } from './support/council';
import { bookWith, gridOf, masterContent, runOf } from './support/standin';
import { exampleFiles } from './support/xlsx-cli';

/** The bundled examples as they are: one tie (DEMO_TIE) left to the council. */
let examples: Ranking;
/** The same examples once the council has decided that tie: every place of the award table given. */
let decided: Ranking;
let tied: Ranking;
beforeAll(async () => {
  const grids = await Promise.all(exampleFiles().map((f) => readXlsxGrid(f)));
  examples = rankGrids(grids);
  decided = rankDecided(grids);
  tied = rankGrids([await gridOf(masterContent([{ code: 'PC01', units: 4 }, { code: 'PC02', units: 4 }, { code: 'PC03', units: 4 }]), 'm.xlsx')]);
});

describe('display decimals', () => {
  test('the issue\'s cases: 0.9953 % is not shown as 1.00 %; close rates get more digits', () => {
    expect(displayDecimals([0.009953, 0.0246, 0.0123], { percent: true, threshold: 0.01 })).toBe(3);
    expect(displayDecimals([0.024592, 0.024575], { percent: true })).toBe(3);
    expect(displayDecimals([0.0245921, 0.0245924], { percent: true })).toBe(5);
    expect(displayDecimals([0.0246, 0.0123, 0.01], { percent: true, threshold: 0.01 })).toBe(2);
    expect(displayDecimals([98.66, 98.32], { percent: false, threshold: 0 })).toBe(2);
    expect(displayDecimals([98.661, 98.664], { percent: false })).toBe(3);
    expect(displayDecimals([98.665, 98.6649], { percent: false })).toBe(2); // 98.67 and 98.66 already differ
    expect(displayDecimals([], { percent: true })).toBe(2);
    expect(decimalsFormat(3, true)).toBe('0.000%');
    expect(decimalsFormat(2, false)).toBe('0.00');
  });

  test('Excel display rounding: 15 significant digits, half away from zero', () => {
    expect(scaledRound(0.0125, 3)).toBe(13n);
    expect(scaledRound(1.005, 2)).toBe(101n); // the double is 1.00499…; Excel shows 1.01
    expect(scaledRound(-2.5, 0)).toBe(-3n);
  });

  test('property: the chosen decimals keep distinct values apart and the threshold side; one fewer does not', () => {
    const show = (v: number, d: number) => scaledRound(v, d + 2);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 400000 }), { minLength: 1, maxLength: 40 }), (raw) => {
      const values = raw.map((n) => n / 10_000_000); // rates 0.00001 % … 4 %
      const t = 0.01;
      const d = displayDecimals(values, { percent: true, threshold: t });
      const ok = (k: number) => values.every((a) => values.every((b) => a === b || show(a, k) !== show(b, k)))
        && values.every((v) => (v < t ? show(v, k) < scaledRound(t, k + 2) : show(v, k) >= scaledRound(t, k + 2)));
      expect(ok(d)).toBe(true);
      if (d > 2) expect(ok(d - 1)).toBe(false);
    }), { numRuns: 300 });
  });

  test('the ranking sheet formats each saving category with its decimals', () => {
    const plan = rankingSheetPlan(examples, 't');
    const formats = plan.tables.filter((t) => isRankingTable(t.name)).map((t) => t.columns[3].numFmt);
    expect(formats.every((f) => /^0\.00+%?$/.test(f!))).toBe(true);
    expect(new Set(formats).size).toBeGreaterThan(1);
  });
});

describe('status', () => {
  test('a draft until approved with nothing pending', () => {
    expect(examples.totals.pending).toBeGreaterThan(0);
    expect(decided.totals.pending).toBe(0);
    expect(rankingStatus(examples)).toBe('DỰ THẢO TRÌNH DUYỆT');
    expect(rankingStatus(decided)).toBe('DỰ THẢO TRÌNH DUYỆT');
    // The examples' tie is still pending: an approval does not make it approved.
    expect(rankingStatus(examples, { by: 'Nguyễn Văn A', at: '2013-01-15 09:00' })).toBe('DỰ THẢO TRÌNH DUYỆT');
    expect(rankingStatus(decided, { by: 'Nguyễn Văn A', at: '2013-01-15 09:00' })).toBe('ĐÃ PHÊ DUYỆT (Nguyễn Văn A, 2013-01-15 09:00)');
    expect(rankingStatus(tied, { by: 'X', at: 'y' })).toBe('DỰ THẢO TRÌNH DUYỆT');
    const cell = (r: Ranking, a?: { by: string; at: string }) => rankingSheetPlan(r, 't', { approval: a }).cells.map((c) => c.value);
    expect(cell(decided, { by: 'Nguyễn Văn A', at: 'hôm nay' })).toContain('ĐÃ PHÊ DUYỆT (Nguyễn Văn A, hôm nay)');
    expect(cell(examples, { by: 'Nguyễn Văn A', at: 'hôm nay' })).not.toContain('ĐÃ PHÊ DUYỆT (Nguyễn Văn A, hôm nay)');
  });
});

describe('Danh sách khen thưởng', () => {
  test('every award once, flags then certificates then individuals; subtotals and the total add up; the words', () => {
    const full = awardTableTotals();
    const flagPrizes = DEFAULT_AWARDS.filter((a) => a.form === AWARD_FORM.flag).reduce((s, a) => s + a.count * a.prize, 0);
    // Decided: the whole award table; as bundled: less the one place left to the council.
    for (const [r, want] of [[decided, full.prize], [examples, demoTotals().prize]] as const) {
      expect(r.totals.prize).toBe(want);
      const plan = awardListPlan(r, 't');
      const table = plan.tables[0];
      expect(table.columns.map((c) => c.header)).toEqual([...AWARD_LIST_HEADERS]);
      const lines = table.rows.filter((row) => typeof row[0] === 'number');
      const awards = r.categories.flatMap((c) => c.entries.filter((e) => e.award));
      expect(lines).toHaveLength(awards.length);
      expect(lines.map((row) => row[0])).toEqual(awards.map((_, i) => i + 1));
      const forms = lines.map((row) => row[4]);
      expect(forms.indexOf('Giấy khen')).toBe(forms.lastIndexOf('Cờ thi đua') + 1);
      const total = table.rows[table.rows.length - 1];
      expect(total[1]).toBe(`TỔNG CỘNG (${awards.length})`);
      expect(total[5]).toBe(r.totals.prize);
      expect(lines.reduce((s, row) => s + (row[5] as number), 0)).toBe(r.totals.prize);
      const sub = (label: string) => table.rows.find((row) => typeof row[1] === 'string' && row[1].startsWith(label))![5];
      expect(sub('Cộng cờ thi đua')).toBe(flagPrizes);
      expect((sub('Cộng tập thể') as number) + (sub('Cộng cá nhân') as number)).toBe(r.totals.prize);
      expect(plan.cells.map((c) => c.value)).toContain(`Bằng chữ: ${vndText(r.totals.prize)}.`);
      expect(plan.cells.map((c) => c.value)).toContain(amountInWordsLine(r.totals.prize));
      expect(lines.map((row) => row[3])).toContain(achievementText('unit-saving', 'Xuất sắc', 2012));
      expect(plan.page).toMatchObject({ orientation: 'portrait', printTitleRows: [table.topRow, table.topRow] });
      expect(plan.page?.footer?.center).toBe('Trang &P/&N');
      expect(plan.marker?.kind).toBe('awards');
    }
    expect(achievementText('unit-saving', 'Xuất sắc', 2012)).toBe('Xuất sắc trong công tác tiết kiệm điện năm 2012');
  });

  test('names come from the data: an individual with its unit and company, a unit with its company', () => {
    const { awarded } = awardees(examples);
    const unit = awarded.find((a) => a.category === 'unit-saving')!;
    expect(unit.where).toBe(examples.units![examples.units![unit.entry.code].companyCode!].name);
    const person = awarded.find((a) => a.category === 'individual')!;
    expect(person.where.startsWith(examples.units![person.entry.code].name)).toBe(true);
  });

  test('places left to the council: listed apart, unpaid, not in the total', () => {
    expect(tied.totals.pending).toBeGreaterThan(0);
    const plan = awardListPlan(tied, 't');
    const [list, pending] = plan.tables;
    const { pending: undecided } = awardees(tied);
    expect(pending.rows).toHaveLength(undecided.length);
    expect(pending.rows.every((r) => r[5] === null)).toBe(true);
    const names = new Set(list.rows.filter((r) => typeof r[0] === 'number').map((r) => r[1]));
    for (const u of undecided) if (!tied.categories.flatMap((c) => c.entries).some((e) => e.award && e.name === u.entry.name)) expect(names.has(u.entry.name)).toBe(false);
    expect(list.rows[list.rows.length - 1][5]).toBe(tied.totals.prize);
  });
});

describe('Giấy khen', () => {
  test('one page per certificate (units and individuals), breaks between, text from the ranking', () => {
    const plan = certificatesPlan(decided, 't');
    const count = awardTableTotals().certificates;
    expect(decided.totals.certificates).toBe(count);
    expect(certificatesPlan(examples, 't').cells.filter((c) => c.value === 'GIẤY KHEN')).toHaveLength(demoTotals().certificates);
    expect(plan.page?.rowBreaks).toHaveLength(count - 1);
    expect(plan.page?.orientation).toBe('landscape');
    const titles = plan.cells.filter((c) => c.value === 'GIẤY KHEN');
    expect(titles).toHaveLength(count);
    const { awarded } = awardees(decided);
    const names = awarded.filter((a) => a.entry.award!.form === 'Giấy khen').map((a) => a.entry.name);
    const nameCells = plan.cells.filter((c) => c.style === 'certName').map((c) => c.value);
    expect(nameCells).toEqual(names);
    // Each page's rows lie between its break and the next.
    const breaks = plan.page!.rowBreaks!;
    titles.slice(1).forEach((t, i) => { expect(t.row).toBeGreaterThan(breaks[i]); if (breaks[i + 1]) expect(t.row).toBeLessThan(breaks[i + 1]); });
  });
});

describe('the pane writes them with the ranking', () => {
  test('rank writes Xếp hạng, Danh sách khen thưởng and Giấy khen as add-in sheets; a rerun replaces them', async () => {
    const wb = await bookWith(masterContent([{ code: 'PC01', units: 4 }, { code: 'PC02', units: 4 }]));
    await rank(runOf(wb), 't');
    for (const name of [SHEETS.ranking, SHEETS.awardList, SHEETS.certificates]) expect(wb.sheet(name)).toBeDefined();
    const first = wb.snapshot(SHEETS.awardList);
    await rank(runOf(wb), 't');
    for (const name of [SHEETS.awardList, SHEETS.certificates]) expect(wb.sheets.filter((s) => s.name === name)).toHaveLength(1);
    expect(wb.snapshot(SHEETS.awardList)).toBe(first);
  });

  test('a user\'s sheet named Giấy khen stops the run before anything is written', async () => {
    const wb = await bookWith(masterContent([{ code: 'PC01', units: 3 }]));
    const user = wb.addSheet(SHEETS.certificates);
    user.touch(0, 0).v = 'Mẫu giấy khen của tôi';
    const before = wb.snapshot(SHEETS.certificates);
    await expect(rank(runOf(wb), 'x')).rejects.toThrow(UserError);
    expect(wb.snapshot(SHEETS.certificates)).toBe(before);
    expect(wb.sheet(SHEETS.ranking)).toBeUndefined();
    expect(wb.sheet(SHEETS.awardList)).toBeUndefined();
  });
});
