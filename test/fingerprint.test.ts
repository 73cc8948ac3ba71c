/**
 * The input fingerprint (ranking.md: SHA-256 of the canonical parsed input, 16 hex digits), and the
 * two fast paths the engine's speed rests on (issue 12): text that is already normal skips NFC,
 * and codes compare as packed numbers. Each fast path is checked against the slow one it replaces.
 */
import fc from 'fast-check';
import { CellValue, SheetGrid, WorkbookGrid, ALREADY_NORMAL_RANGES, normalizeSpace } from '../src/core/cells';
import { rankGrids, validateGrids } from '../src/core/engine';
import { CRITERIA, DEFAULT_CRITERIA, INDIVIDUAL, INFO, SAVING, SERVICE } from '../src/core/format';
import { book, UnitRow } from './support/grids';

const fp = (grids: readonly WorkbookGrid[], criteriaGrid?: WorkbookGrid) => validateGrids(grids, { criteriaGrid }).fingerprint;

const units = (company: string, n: number): UnitRow[] => [
  { code: company, commercial: 900_000_000, saved: 12_000_000 },
  ...Array.from({ length: n }, (_, i) => ({
    code: `${company}D${i + 1}`, name: `Điện lực Số ${i + 1}`, commercial: 100_000_000 + i * 7_000_000, saved: 1_100_000 + i * 90_000,
    note: i % 2 ? 'Đã đối chiếu' : null,
  })),
];

function submission(company: string, n = 4): WorkbookGrid {
  const us = units(company, n);
  return book({
    file: `${company.toLowerCase()}.xlsx`, company, units: us,
    service: Object.fromEntries(us.map((u, i) => [u.code, Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.code, c.target * (0.8 + 0.05 * i)]))])),
    individuals: us.slice(1).map((u, i) => ({ name: `Nguyễn Văn ${String.fromCharCode(65 + i)}`, unit: u.code, points: 80 + i / 2 })),
  });
}

/** The same grid with one sheet's rows replaced. */
function withRows(g: WorkbookGrid, name: string, f: (rows: CellValue[][]) => CellValue[][]): WorkbookGrid {
  return { ...g, sheets: g.sheets.map((s): SheetGrid => (s.name === name ? { ...s, rows: f(s.rows.map((r) => [...r])) } : s)) };
}

const setCell = (g: WorkbookGrid, name: string, row: number, col: number, v: CellValue) =>
  withRows(g, name, (rows) => { rows[row][col] = v; return rows; });

const reverseData = (g: WorkbookGrid, name: string) => withRows(g, name, ([head, ...data]) => [head, ...data.reverse()]);

const col = (fields: readonly { key: string }[], key: string) => fields.findIndex((f) => f.key === key);

describe('fingerprint', () => {
  const a = submission('PC05');
  const b = submission('PC06', 3);

  test('is 16 hex digits, the same for the same input, the same for validate and rank', () => {
    expect(fp([a])).toMatch(/^[0-9a-f]{16}$/);
    expect(fp([a])).toBe(fp([submission('PC05')]));
    expect(rankGrids([a, b]).fingerprint).toBe(fp([a, b]));
  });

  test('does not depend on row order, file order or file names', () => {
    const base = fp([a, b]);
    let shuffled = a;
    for (const s of [SAVING.sheet, SERVICE.sheet, INDIVIDUAL.sheet]) shuffled = reverseData(shuffled, s);
    expect(fp([shuffled, b])).toBe(base);
    expect(fp([b, a])).toBe(base);
    expect(fp([b, shuffled])).toBe(base);
    expect(fp([{ ...a, file: 'renamed.xlsx' }, b])).toBe(base);
  });

  test('any row order gives the same fingerprint (random permutations)', () => {
    const base = fp([a]);
    const data = a.sheets.find((s) => s.name === SAVING.sheet)!.rows.length - 1;
    fc.assert(fc.property(fc.shuffledSubarray([...Array(data).keys()], { minLength: data, maxLength: data }), (perm) => {
      const g = withRows(a, SAVING.sheet, ([head, ...rows]) => [head, ...perm.map((i) => rows[i])]);
      expect(fp([g])).toBe(base);
    }), { numRuns: 30 });
  });

  test('changes when any ranked input changes', () => {
    const base = fp([a]);
    const changed = new Map<string, string>();
    const note = (what: string, g: WorkbookGrid) => changed.set(what, fp([g]));
    // Every field of a saving row (row 2: a district unit).
    const sv = (key: string) => col(SAVING.fields, key);
    note('unit code', setCell(a, SAVING.sheet, 2, sv('unitCode'), 'PC05D9'));
    note('unit name', setCell(a, SAVING.sheet, 2, sv('unitName'), 'Điện lực Khác'));
    note('level', setCell(a, SAVING.sheet, 2, sv('level'), 'Công ty'));
    note('company code', setCell(a, SAVING.sheet, 2, sv('companyCode'), 'PC06'));
    note('commercial', setCell(a, SAVING.sheet, 2, sv('commercial'), 100_000_001));
    note('saved', setCell(a, SAVING.sheet, 2, sv('saved'), 1_100_001));
    note('note', setCell(a, SAVING.sheet, 2, sv('note'), 'Ghi chú mới'));
    // Service: the unit and each criterion.
    note('service unit', setCell(a, SERVICE.sheet, 2, 0, 'PC05D4'));
    DEFAULT_CRITERIA.forEach((c, i) => note(`service ${c.code}`, setCell(a, SERVICE.sheet, 2, 1 + i, c.target * 3.25)));
    // Individuals: every field.
    const ind = (key: string) => col(INDIVIDUAL.fields, key);
    note('person name', setCell(a, INDIVIDUAL.sheet, 1, ind('name'), 'Trần Thị B'));
    note('person unit', setCell(a, INDIVIDUAL.sheet, 1, ind('unitCode'), 'PC05D3'));
    note('position', setCell(a, INDIVIDUAL.sheet, 1, ind('position'), 'Kỹ sư'));
    note('area', setCell(a, INDIVIDUAL.sheet, 1, ind('area'), 'Dịch vụ khách hàng'));
    note('achievement', setCell(a, INDIVIDUAL.sheet, 1, ind('achievement'), 'Chiến sĩ thi đua'));
    note('points', setCell(a, INDIVIDUAL.sheet, 1, ind('points'), 81.25));
    // Criteria sheet: a parameter, a criterion's target and weight, an award's prize; the year.
    const crit = a.sheets.find((s) => s.name === CRITERIA.sheet)!.rows;
    const critRow = crit.findIndex((r) => r[0] === DEFAULT_CRITERIA[0].code);
    note('unit threshold', setCell(a, CRITERIA.sheet, 3, 1, 0.011));
    note('criterion target', setCell(a, CRITERIA.sheet, critRow, col(CRITERIA.fields, 'target'), DEFAULT_CRITERIA[0].target + 1));
    note('award prize', setCell(a, CRITERIA.sheet, crit.length - 1, 5, 123_000));
    note('year', setCell(a, INFO.sheet, 3, 1, 2013));
    // A duplicated row counts (the multiset, not the set, of rows).
    note('duplicate row', withRows(a, INDIVIDUAL.sheet, (rows) => [...rows, rows[1]]));
    // What the reader found wrong counts: a typo is not a blank (both leave no value).
    const blank = setCell(a, SERVICE.sheet, 2, 1, null);
    const typo = setCell(a, SERVICE.sheet, 2, 1, 'abc');
    note('service blank', blank);
    note('service typo', typo);

    for (const [what, f] of changed) expect([what, f]).not.toEqual([what, base]);
    // All different from each other, too: nothing collides.
    expect(new Set(changed.values()).size).toBe(changed.size);
    // And they rank differently: the typo is an error, the blank a missing value.
    const notes = (g: WorkbookGrid) => rankGrids([g]).categories.find((c) => c.id === 'unit-service')!.entries.map((e) => e.note);
    expect(notes(typo)).not.toEqual(notes(blank));
  });

  test('one master holding every row has the fingerprint of one file per company', () => {
    const rows = (name: string) => [a, b].flatMap((g) => g.sheets.find((s) => s.name === name)!.rows.slice(1) as CellValue[][]);
    let master = setCell(a, INFO.sheet, 1, 1, 'EVNCPC');
    for (const name of [SAVING.sheet, SERVICE.sheet, INDIVIDUAL.sheet]) master = withRows(master, name, ([head]) => [head, ...rows(name)]);
    expect(validateGrids([master]).issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(fp([master])).toBe(fp([a, b]));
  });

  test('formatting does not count: a number typed as text, stray spaces, decomposed Vietnamese', () => {
    const base = fp([a]);
    expect(fp([setCell(a, SAVING.sheet, 2, col(SAVING.fields, 'commercial'), '100.000.000')])).toBe(base);
    const name = a.sheets.find((s) => s.name === SAVING.sheet)!.rows[2][col(SAVING.fields, 'unitName')] as string;
    expect(fp([setCell(a, SAVING.sheet, 2, col(SAVING.fields, 'unitName'), `  ${name.normalize('NFD').replace(/ /g, '\u00A0 ')} `)])).toBe(base);
  });
});

describe('text that is already normal skips NFC', () => {
  const chars = [' '];
  for (const [lo, hi] of ALREADY_NORMAL_RANGES) for (let c = lo; c <= hi; c++) chars.push(String.fromCharCode(c));

  test('no character of the fast path is white space or changes under NFC, alone or next to any other', () => {
    for (const c of chars) {
      expect(c.normalize('NFC')).toBe(c);
      if (c !== ' ') expect(/[\s\u00A0\u2007\u202F\uFEFF\u200B]/.test(c)).toBe(false);
    }
    let changed = 0;
    for (const x of chars) for (const y of chars) if ((x + y).normalize('NFC') !== x + y) changed++;
    expect(changed).toBe(0);
  });

  test('normalizeSpace equals the full path (NFC, collapsed white space, trimmed) on any text', () => {
    const full = (s: string) => s.normalize('NFC').replace(/[\s\u00A0\u2007\u202F\uFEFF\u200B]+/g, ' ').trim();
    const piece = fc.oneof(fc.constantFrom('Điện lực', 'Quảng Nam', 'Ðà', 'e\u0301', ' ', '  ', '\u00A0', '\t', 'PC05', 'Ω', '\u212B', 'ệ'), fc.string());
    fc.assert(fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
      const s = parts.join('');
      expect(normalizeSpace(s)).toBe(full(s));
    }), { numRuns: 2000 });
  });
});

describe('ties are broken in code order, then by name', () => {
  // Codes with long shared prefixes, of every length the format allows, so that the packed
  // numeric keys (10 characters) and the string comparison past them are both exercised.
  const code = fc.stringMatching(/^(PC0[1-3]D0{0,8}[0-9A-Z_-]{0,6}|[A-Z0-9_-]{2,16})$/).filter((s) => s.length >= 2 && s.length <= 16);

  test('people with the same points rank in code order (as strings), then by name', () => {
    fc.assert(fc.property(fc.uniqueArray(code, { minLength: 2, maxLength: 12 }), fc.array(fc.constantFrom('An', 'Bình', 'Ánh'), { minLength: 12, maxLength: 12 }), (codes, names) => {
      const us: UnitRow[] = [{ code: 'PC05', commercial: 2e9, saved: 4e7 }, ...codes.filter((c) => c !== 'PC05').map((c) => ({ code: c, commercial: 1e8, saved: 2e6 }))];
      const people = us.slice(1).flatMap((u, i) => [{ name: names[i], unit: u.code, points: 90 }, { name: `${names[i]} B`, unit: u.code, points: 90 }]);
      const r = rankGrids([book({ company: 'PC05', units: us, individuals: people })]);
      const entries = r.categories.find((c) => c.id === 'individual')!.entries;
      const expected = people.map((p) => [p.unit, p.name] as [string, string])
        .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
      expect(entries.map((e) => [e.code, e.name])).toEqual(expected);
      expect(entries.every((e) => e.rank === 1)).toBe(true);
    }), { numRuns: 60 });
  });
});

test('a person twice in one unit (names compared ignoring case) is a duplicate; the same name in another unit is not', () => {
  const us: UnitRow[] = [{ code: 'PC05', commercial: 2e9, saved: 4e7 }, { code: 'PC05D1', commercial: 1e8, saved: 2e6 }, { code: 'PC05D2', commercial: 1e8, saved: 2e6 }];
  const people = [
    { name: 'Lê Văn Tám', unit: 'PC05D1', points: 90 }, { name: 'Trần Thị Hoa', unit: 'PC05D1', points: 85 },
    { name: 'Lê Văn Tám', unit: 'PC05D2', points: 80 }, { name: 'LÊ VĂN TÁM', unit: 'PC05D1', points: 70 }, { name: 'trần thị hoa', unit: 'PC05D1', points: 60 },
  ];
  const issues = validateGrids([book({ company: 'PC05', units: us, individuals: people })]).issues.filter((i) => i.code === 'duplicate-key');
  expect(issues.map((i) => [i.sheet, i.cell])).toEqual([[INDIVIDUAL.sheet, 'A5'], [INDIVIDUAL.sheet, 'A6']]);
});
