/** The rules of ranking.md, one by one, on grids shaped like real sheets. */
import { rankGrids, validateGrids, PENDING_NOTE } from '../src/core/engine';
import { DEFAULT_AWARDS, DEFAULT_CRITERIA, DIRECTION, INPUT_SHEETS } from '../src/core/format';
import type { Ranking } from '../src/core/model';
import { book, perfectService, UnitRow } from './support/grids';

const cat = (r: Ranking, id: string) => r.categories.find((c) => c.id === id)!;
const entry = (r: Ranking, id: string, code: string) => cat(r, id).entries.find((e) => e.code === code)!;

function units(rates: [string, number, number][]): UnitRow[] {
  // One company row that covers its units, then the units.
  const commercial = rates.reduce((s, [, c]) => s + c, 0);
  const saved = rates.reduce((s, [, , v]) => s + v, 0);
  return [{ code: 'PC05', commercial, saved }, ...rates.map(([code, c, s]) => ({ code, commercial: c, saved: s }))];
}

describe('saving threshold, exactly', () => {
  test('exactly 1.00 % is eligible and 0.99 % is not', () => {
    const r = rankGrids([book({ units: units([['PC05A1', 100, 1], ['PC05A2', 100, 0.99]]) })]);
    expect(entry(r, 'unit-saving', 'PC05A1')).toMatchObject({ eligible: true, rank: 1, value: 0.01 });
    expect(entry(r, 'unit-saving', 'PC05A2')).toMatchObject({ eligible: false, rank: null, value: 0.0099, note: 'Không đạt ngưỡng 1 %' });
  });

  test('exactly 1 % with kWh near 10^10 and decimals, where doubles are off', () => {
    // Each pair is exactly 1/100; a double division falls just below 0.01 and would exclude it.
    const pairs: [number, number][] = [[203, 2.03], [9876543207, 98765432.07]];
    for (const [c, s] of pairs) expect(s / c).toBeLessThan(0.01);
    const r = rankGrids([book({ units: units([['PC05A1', 203, 2.03], ['PC05A2', 9876543207, 98765432.07]]) })]);
    expect(entry(r, 'unit-saving', 'PC05A1')).toMatchObject({ eligible: true });
    expect(entry(r, 'unit-saving', 'PC05A2')).toMatchObject({ eligible: true, rank: 1 }); // equal rates: more kWh saved first
  });

  test('the threshold comes from the Tiêu chí sheet', () => {
    const r = rankGrids([book({ units: units([['PC05A1', 100, 1.4]]), params: { unitThreshold: 0.015 } })]);
    expect(entry(r, 'unit-saving', 'PC05A1')).toMatchObject({ eligible: false, note: 'Không đạt ngưỡng 1,5 %' });
  });
});

describe('ranks, tie-breaks and awards', () => {
  test('competition ranks 1224 and saved kWh breaks equal rates', () => {
    const r = rankGrids([book({ units: units([
      ['PC05A1', 1000, 20], ['PC05A2', 500, 10], ['PC05A3', 500, 10], ['PC05A4', 100, 1.5], ['PC05A5', 200, 2.5],
    ]) })]);
    const got = cat(r, 'unit-saving').entries.map((e) => [e.code, e.rank]);
    // A1 and A2/A3 share 2 %: A1 saved more, so it is first; A2 and A3 stay tied at 2.
    expect(got).toEqual([['PC05A1', 1], ['PC05A2', 2], ['PC05A3', 2], ['PC05A4', 4], ['PC05A5', 5]]);
  });

  test('a tie straddling the 5th certificate is pending, with no prize, counted apart', () => {
    const r = rankGrids([book({ units: units([
      ['PC05A1', 100, 5], ['PC05A2', 100, 4], ['PC05A3', 100, 3], ['PC05A4', 100, 2.5], ['PC05A5', 100, 2], ['PC05A6', 100, 2], ['PC05A7', 100, 1],
    ]) })]);
    const e5 = entry(r, 'unit-saving', 'PC05A5');
    const e6 = entry(r, 'unit-saving', 'PC05A6');
    for (const e of [e5, e6]) expect(e).toMatchObject({ rank: 5, pending: true, award: null, note: PENDING_NOTE, eligible: true });
    expect(entry(r, 'unit-saving', 'PC05A4').award?.prize).toBe(2_000_000);
    expect(entry(r, 'unit-saving', 'PC05A7')).toMatchObject({ rank: 7, award: null, pending: false });
    const t = r.categoryTotals.find((c) => c.id === 'unit-saving')!;
    expect(t).toMatchObject({ certificates: 4, prize: 8_000_000, pending: 1 });
  });

  test('a tie wholly inside one award row gives each the award', () => {
    const r = rankGrids([book({ units: units([
      ['PC05A1', 100, 5], ['PC05A2', 100, 4], ['PC05A3', 100, 4], ['PC05A4', 100, 2], ['PC05A5', 100, 1.5], ['PC05A6', 100, 1.2],
    ]) })]);
    expect(entry(r, 'unit-saving', 'PC05A2')).toMatchObject({ rank: 2, pending: false, award: { title: 'Xuất sắc', form: 'Giấy khen', prize: 2_000_000 } });
    expect(entry(r, 'unit-saving', 'PC05A3')).toMatchObject({ rank: 2, pending: false, award: { prize: 2_000_000 } });
    expect(entry(r, 'unit-saving', 'PC05A6')).toMatchObject({ rank: 6, award: null });
    expect(r.categoryTotals.find((c) => c.id === 'unit-saving')).toMatchObject({ certificates: 5, pending: 0, prize: 10_000_000 });
  });

  test('two companies tied for first straddle Xuất sắc and Tốt: both places go to the council', () => {
    const a = book({ file: 'a.xlsx', company: 'PC01', units: [{ code: 'PC01', commercial: 100, saved: 2 }] });
    const b = book({ file: 'b.xlsx', company: 'PC02', units: [{ code: 'PC02', commercial: 200, saved: 4 }] });
    const r = rankGrids([a, b]);
    // Equal rates; PC02 saved more kWh, so the tie-break decides: no pending.
    expect(cat(r, 'company-saving').entries.map((e) => [e.code, e.rank, e.award?.title])).toEqual([['PC02', 1, 'Xuất sắc'], ['PC01', 2, 'Tốt']]);
    // Service has no tie-break: both score 100 and share rank 1 across two award rows.
    const s = cat(r, 'company-service').entries;
    expect(s.map((e) => [e.code, e.rank, e.pending, e.award])).toEqual([['PC01', 1, true, null], ['PC02', 1, true, null]]);
    expect(r.categoryTotals.find((c) => c.id === 'company-service')).toMatchObject({ pending: 2, flags: 0, prize: 0 });
  });

  test('list order inside a rank is by code, non-candidates follow by code', () => {
    const r = rankGrids([book({ units: units([['PC05B', 100, 2], ['PC05A', 100, 2], ['PC05Z', 100, 0.5], ['PC05C', 100, 0.1]]) })]);
    expect(cat(r, 'unit-saving').entries.map((e) => e.code)).toEqual(['PC05A', 'PC05B', 'PC05C', 'PC05Z']);
  });

  test('award rows of one category hand out places in order; totals by form', () => {
    const awards = [
      { ...DEFAULT_AWARDS[5], count: 2, prize: 3_000_000, title: 'Xuất sắc' },
      { ...DEFAULT_AWARDS[5], count: 3, prize: 1_000_000, title: 'Tốt' },
    ];
    const r = rankGrids([book({ awards, units: units([['PC05A1', 100, 5], ['PC05A2', 100, 4], ['PC05A3', 100, 3], ['PC05A4', 100, 2]]) })]);
    // No award row for unit service here: tied entries are ranked but neither awarded nor pending.
    expect(cat(r, 'unit-service').entries.every((e) => e.rank === 1 && !e.pending && !e.award)).toBe(true);
    expect(cat(r, 'unit-saving').entries.map((e) => e.award?.title)).toEqual(['Xuất sắc', 'Xuất sắc', 'Tốt', 'Tốt']);
    expect(r.totals).toMatchObject({ prize: 8_000_000, flags: 0, certificates: 4 });
  });
});

describe('service score', () => {
  const criteria = [
    { code: 'AA', name: 'A', unit: '', direction: DIRECTION.higher, target: 8, weight: 50 },
    { code: 'BB', name: 'B', unit: 'phút', direction: DIRECTION.lower, target: 3, weight: 50 },
  ];
  const score = (a: number, b: number) => {
    const r = rankGrids([book({ criteria, units: [{ code: 'PC05', commercial: 1, saved: 0 }], service: { PC05: { AA: a, BB: b } } })]);
    return entry(r, 'company-service', 'PC05').value;
  };
  test('higher and lower is better, capped at 1, half-up to 2 decimals', () => {
    expect(score(8, 3)).toBe(100);
    expect(score(16, 1)).toBe(100); // capped
    expect(score(1, 3)).toBe(56.25); // 50·1/8 + 50
    expect(score(0, 0)).toBe(50); // v = 0, lower is better: rᵢ = 1
    // 50·(1/8)·... : 50·7/8 = 43.75; 50·3/7 = 21.428571… → 65.178571… → 65.18
    expect(score(7, 7)).toBe(65.18);
    // A value giving exactly …,xx5: 50·(0.1/8) = 0.625 → +50 = 50.625 → half-up 50.63 (bankers' would give 50.62)
    expect(score(0.1, 3)).toBe(50.63);
  });

  test('a missing criterion value is a warning and keeps the unit out of service only', () => {
    const ds = validateGrids([book({ criteria, units: [{ code: 'PC05', commercial: 100, saved: 2 }], service: { PC05: { AA: 8 } } })]);
    expect(ds.issues).toEqual([expect.objectContaining({ severity: 'warning', code: 'missing-value', sheet: 'Dịch vụ khách hàng', cell: 'C2' })]);
    const r = rankGrids([book({ criteria, units: [{ code: 'PC05', commercial: 100, saved: 2 }], service: { PC05: { AA: 8 } } })]);
    expect(entry(r, 'company-service', 'PC05')).toMatchObject({ eligible: false, value: null, note: 'Thiếu chỉ tiêu: BB' });
    expect(entry(r, 'company-saving', 'PC05')).toMatchObject({ eligible: true, rank: 1 });
  });

  test('the minimum score from Tiêu chí', () => {
    const r = rankGrids([book({ criteria, params: { minScore: 60 }, units: [{ code: 'PC05', commercial: 1, saved: 0 }], service: { PC05: { AA: 1, BB: 3 } } })]);
    expect(entry(r, 'company-service', 'PC05')).toMatchObject({ eligible: false, value: 56.25, note: 'Không đạt điểm dịch vụ tối thiểu 60' });
  });
});

describe('errors keep a unit out only of the categories that use the row', () => {
  test('a bad service value does not stop a saving award', () => {
    const r = rankGrids([book({ units: [{ code: 'PC05', commercial: 100, saved: 2 }], service: { PC05: { ...perfectService(), SAIDI: 'abc' } } })]);
    expect(entry(r, 'company-service', 'PC05')).toMatchObject({ eligible: false, note: 'Dữ liệu lỗi: SAIDI (phút)' });
    expect(entry(r, 'company-saving', 'PC05')).toMatchObject({ eligible: true, award: { prize: 7_000_000 } });
  });

  test('a bad saved figure does not stop a service award', () => {
    const r = rankGrids([book({ units: [{ code: 'PC05', commercial: 100, saved: 200 }] })]);
    expect(entry(r, 'company-saving', 'PC05')).toMatchObject({ eligible: false, value: null, note: 'Dữ liệu lỗi: Điện tiết kiệm (kWh)' });
    expect(entry(r, 'company-service', 'PC05')).toMatchObject({ eligible: true });
  });
});

describe('totals with the seed defaults', () => {
  test('enough candidates everywhere: 59,000,000 VND, 4 flags, 40 certificates', () => {
    const grids = [1, 2, 3].map((k) => {
      const company = `PC0${k}`;
      const rows: UnitRow[] = [{ code: company, commercial: 100000, saved: 2000 + k }];
      const service: Record<string, Record<string, number>> = { [company]: { ...perfectService(), TGCD: 5 + k } };
      for (let u = 1; u <= 4; u++) {
        const code = `${company}U${u}`;
        rows.push({ code, commercial: 10000, saved: 100 + 10 * u + k });
        service[code] = { ...perfectService(), SAIDI: 4000 + 100 * u + 10 * k };
      }
      const individuals = Array.from({ length: 11 }, (_, i) => ({ name: `Người ${k}-${i}`, unit: `${company}U1`, points: 50 + 3 * i + k / 10 }));
      return book({ file: `${company}.xlsx`, company, units: rows, service, individuals });
    });
    const r = rankGrids(grids);
    expect(r.issues).toEqual([]);
    const expected = DEFAULT_AWARDS.reduce((s, a) => s + a.count * a.prize, 0);
    expect(expected).toBe(59_000_000);
    expect(r.totals).toEqual({ prize: expected, flags: 4, certificates: 40, pending: 0 });
  });
});

describe('criteria', () => {
  test('weights that do not sum to 100: bad-config at the Trọng số header, service not ranked', () => {
    const criteria = DEFAULT_CRITERIA.map((c, i) => (i === 0 ? { ...c, weight: 20 } : c));
    const ds = validateGrids([book({ criteria, units: [{ code: 'PC05', commercial: 1, saved: 0 }] })]);
    expect(ds.issues).toEqual([expect.objectContaining({ code: 'bad-config', sheet: 'Tiêu chí', cell: 'F8', field: 'Trọng số', severity: 'error' })]);
    const r = rankGrids([book({ criteria, units: [{ code: 'PC05', commercial: 1, saved: 0 }] })]);
    expect(entry(r, 'company-service', 'PC05')).toMatchObject({ eligible: false, note: 'Dữ liệu lỗi: Tiêu chí' });
  });

  test('a file whose Tiêu chí differs gets a bad-config warning naming the file; the first file rules', () => {
    const a = book({ file: 'a.xlsx', company: 'PC01', units: [{ code: 'PC01', commercial: 100, saved: 0.5 }] });
    const b = book({ file: 'b.xlsx', company: 'PC02', params: { companyThreshold: 0.001 }, units: [{ code: 'PC02', commercial: 100, saved: 0.5 }] });
    const ds = validateGrids([a, b]);
    expect(ds.issues).toEqual([expect.objectContaining({ severity: 'warning', code: 'bad-config', file: 'b.xlsx', sheet: 'Tiêu chí' })]);
    expect(ds.issues[0].message).toContain('b.xlsx');
    const r = rankGrids([a, b]);
    expect(entry(r, 'company-saving', 'PC02').eligible).toBe(false);
    // With --criteria b, its threshold applies to both.
    const r2 = rankGrids([a, b], { criteriaGrid: b });
    expect(entry(r2, 'company-saving', 'PC01').eligible).toBe(true);
  });
});

describe('the issue list', () => {
  test('is in file order, then sheet order, then row and column, whatever order the checks found them in', () => {
    // Found out of order: reading reports the bad figure (row 5) and the unknown company (row 6)
    // sheet by sheet; the duplicate code (row 4) and the missing service rows come from later
    // checks; the second file's issues come after the first's.
    const first = book({
      file: 'a.xlsx',
      units: [{ code: 'PC05', commercial: 1000, saved: 20 }, { code: 'PC05A1', commercial: 100, saved: 2 }, { code: 'PC05A1', commercial: 100, saved: 2 },
        { code: 'PC05A2', commercial: 'nhiều', saved: 2 }, { code: 'PC05A3', company: 'PC99', commercial: 100, saved: 2 }],
      noService: ['PC05A3'],
      service: { PC05A2: { KH01: 'x' } },
    });
    const second = book({ file: 'b.xlsx', company: 'PC06', units: [{ code: 'PC06', commercial: 'x', saved: 1 }, { code: 'PC06A1', commercial: 10, saved: 'y' }] });
    const issues = validateGrids([first, second]).issues;
    expect(issues.length).toBeGreaterThan(5);
    const sheets = INPUT_SHEETS.map((s) => s as string);
    const key = (i: (typeof issues)[number]) => {
      const m = /^([A-Z]+)(\d+)$/.exec(i.cell);
      const col = m ? [...m[1]].reduce((c, ch) => c * 26 + ch.charCodeAt(0) - 64, 0) : -1;
      return [['a.xlsx', 'b.xlsx'].indexOf(i.file), sheets.indexOf(i.sheet), m ? Number(m[2]) : -1, col];
    };
    const keys = issues.map(key);
    const sorted = [...keys].sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || x[3] - y[3]);
    expect(keys).toEqual(sorted);
    // And the list was not in order as found: the duplicate (row 4) is reported before the bad figure (row 5).
    const codes = issues.filter((i) => i.file === 'a.xlsx' && i.sheet === sheets[1]).map((i) => [i.code, i.cell]);
    expect(codes.slice(0, 2)).toEqual([['duplicate-key', 'A4'], ['type-error', 'E5']]);
  });
});
