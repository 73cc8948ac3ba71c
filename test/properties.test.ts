/** Property tests: the reader never throws; the ranking depends on the data, not its layout. */
import fc from 'fast-check';
import { CellValue, WorkbookGrid } from '../src/core/cells';
import { rankGrids, validateGrids } from '../src/core/engine';
import { DEFAULT_CRITERIA, MASTER_COMPANY_CODE, SAVING, SHEETS } from '../src/core/format';
import { rankingJson } from '../src/core/output';
import { book, UnitRow } from './support/grids';

const cell: fc.Arbitrary<CellValue> = fc.oneof(
  fc.constant(null), fc.double(), fc.integer(), fc.string(), fc.boolean(),
  fc.constantFrom({ error: '#REF!' }, { error: '#N/A' }, '1.234', '12,5%', '§iÖn lùc', 'Công ty', 'Điện lực', 'PC05', ' \u00A0 '),
  fc.constantFrom(...SAVING.fields.map((f) => f.header), 'Mục', 'Giá trị', 'Mã', 'Trọng số', 'SAIDI', 'Mã đơn vị', 'Họ và tên'),
);
const grid = fc.array(fc.array(cell, { maxLength: 10 }), { maxLength: 14 });
const sheetName = fc.constantFrom(...Object.values(SHEETS), 'Sheet1', ' tiết kiệm ĐIỆN ');

test('the reader, validator and ranking never throw on any grid; every issue names a sheet, a cell where the spec wants one', () => {
  fc.assert(fc.property(fc.array(fc.record({ name: sheetName, rows: grid, originRow: fc.nat(5), originCol: fc.nat(3) }), { maxLength: 7 }), (sheets) => {
    const r = rankGrids([{ file: 'x.xlsx', sheets }]);
    for (const i of r.issues) {
      expect(i.sheet).not.toBe('');
      if (i.code !== 'missing-sheet' && i.code !== 'missing-column') {
        // A criteria sheet that differs between files is the only other issue that may have no cell.
        if (!(i.code === 'bad-config' && i.severity === 'warning')) expect(i.cell).toMatch(/^[A-Z]+\d+$/);
      }
      expect(i.message).toBeTruthy();
    }
    expect(JSON.parse(JSON.stringify(rankingJson(r)))).toBeTruthy();
  }), { numRuns: 300 });
});

test('a valid template with random cells written into its data rows never throws', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.nat(8), fc.nat(8), cell), { maxLength: 30 }), (edits) => {
    const g = book({ units: [{ code: 'PC05', commercial: 100, saved: 2 }, { code: 'PC05A', commercial: 50, saved: 1 }] });
    const sheets = g.sheets.map((s) => {
      if (s.name !== SHEETS.saving && s.name !== SHEETS.service) return s;
      const rows = s.rows.map((r) => [...r]);
      for (const [r, c, v] of edits) { while (rows.length <= r + 1) rows.push([]); rows[r + 1][c] = v; }
      return { ...s, rows };
    });
    const r = rankGrids([{ ...g, sheets }]);
    expect(r.categories).toHaveLength(5);
  }), { numRuns: 300 });
});

// --- Layout independence --------------------------------------------------------------------------

interface Company { code: string; units: UnitRow[]; service: Record<string, Record<string, number>>; people: { name: string; unit: string; points: number }[] }

const companyArb = (k: number): fc.Arbitrary<Company> => fc.record({
  units: fc.array(fc.record({ commercial: fc.integer({ min: 1000, max: 100000 }), saved: fc.integer({ min: 0, max: 3000 }), sv: fc.array(fc.integer({ min: 0, max: 9000 }), { minLength: 6, maxLength: 6 }) }), { minLength: 1, maxLength: 6 }),
  people: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 4 }),
}).map(({ units, people }) => {
  const code = `PC${String(k).padStart(2, '0')}`;
  const rows: UnitRow[] = units.map((u, i) => ({ code: `${code}U${i}`, commercial: u.commercial, saved: Math.min(u.saved / 100, u.commercial) }));
  const company: UnitRow = { code, commercial: rows.reduce((s, u) => s + (u.commercial as number), 0), saved: rows.reduce((s, u) => s + (u.saved as number), 0) };
  const service: Record<string, Record<string, number>> = {};
  for (const [i, u] of [company, ...rows].entries()) service[u.code] = Object.fromEntries(DEFAULT_CRITERIA.map((c, j) => [c.code, (units[Math.max(0, i - 1)].sv[j] / 1000) * c.target]));
  return { code, units: [company, ...rows], service, people: people.map((p, i) => ({ name: `Người ${k}.${i}`, unit: rows[i % rows.length].code, points: p })) };
});

function shuffle<T>(xs: T[], seed: number): T[] {
  const a = [...xs];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function stripFiles(r: ReturnType<typeof rankingJson>) {
  return { ...r, issues: r.issues.map((i) => ({ ...i, file: '', cell: '' })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
}

test('the ranking is independent of row order and of which file a row came from', () => {
  fc.assert(fc.property(fc.tuple(companyArb(1), companyArb(2), companyArb(3)), fc.nat(), (companies, seed) => {
    // One file per company...
    const perCompany: WorkbookGrid[] = companies.map((c) => book({ file: `${c.code}.xlsx`, company: c.code, units: c.units, service: c.service, individuals: c.people }));
    // ...versus one master holding every row, shuffled.
    const all = companies.flatMap((c) => c.units);
    const master = book({
      file: 'master.xlsx', company: MASTER_COMPANY_CODE,
      units: shuffle(all, seed).map((u) => ({ ...u, company: u.code.slice(0, 4), level: u.code.length === 4 ? 'Công ty' : 'Điện lực' })),
      service: Object.assign({}, ...companies.map((c) => c.service)),
      individuals: shuffle(companies.flatMap((c) => c.people), seed + 1),
    });
    const a = stripFiles(rankingJson(rankGrids(perCompany)));
    const b = stripFiles(rankingJson(rankGrids([master])));
    const c = stripFiles(rankingJson(rankGrids(shuffle(perCompany, seed))));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  }), { numRuns: 60 });
});

test('adding invalid rows never changes the ranking of the valid ones', () => {
  fc.assert(fc.property(companyArb(1), fc.array(fc.record({ commercial: cell, saved: cell }), { minLength: 1, maxLength: 5 }), (c, junk) => {
    const clean = rankGrids([book({ company: c.code, units: c.units, service: c.service, individuals: c.people })]);
    // Junk rows: each carries an error (an unknown company code), whatever else it holds.
    const dirtyUnits = [...c.units, ...junk.map((j, i) => ({ code: `ZZ${i}X`, company: 'QQ99', commercial: j.commercial, saved: j.saved }))];
    const dirty = rankGrids([book({ company: c.code, units: dirtyUnits, service: c.service, individuals: c.people })]);
    for (const cat of clean.categories) {
      const d = dirty.categories.find((x) => x.id === cat.id)!;
      expect(d.entries.filter((e) => e.eligible)).toEqual(cat.entries.filter((e) => e.eligible));
    }
    expect(validateGrids([book({ company: c.code, units: dirtyUnits })]).issues.some((i) => i.severity === 'error')).toBe(true);
  }), { numRuns: 100 });
});
