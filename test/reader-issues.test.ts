/** Every issue code of workbook.md, at the sheet and cell the spec names. */
import { CellValue, SheetGrid, WorkbookGrid } from '../src/core/cells';
import { rankGrids, validateGrids } from '../src/core/engine';
import { SAVING, SHEETS } from '../src/core/format';
import { ISSUE_CODES, Issue } from '../src/core/model';
import { readWorkbook } from '../src/core/reader';
import { book, criteriaSheet, perfectService, sheet } from './support/grids';

const pick = (issues: readonly Issue[]) => issues.map((i) => [i.severity, i.code, i.sheet, i.cell, i.field]);

function withSheet(g: WorkbookGrid, name: string, f: (s: SheetGrid) => SheetGrid | null): WorkbookGrid {
  return { ...g, sheets: g.sheets.flatMap((s) => (s.name === name ? (f(s) ? [f(s) as SheetGrid] : []) : [s])) };
}
function setCell(s: SheetGrid, row: number, col: number, v: CellValue): SheetGrid {
  const rows = s.rows.map((r) => [...r]);
  while (rows.length <= row) rows.push([]);
  rows[row][col] = v;
  return { ...s, rows };
}

const base = () => book({
  units: [{ code: 'PC05', commercial: 1000, saved: 20 }, { code: 'PC05QN01', commercial: 600, saved: 12 }, { code: 'PC05QN02', commercial: 390, saved: 5 }],
  individuals: [{ name: 'Trần Thị Bình', unit: 'PC05QN01', points: 88 }],
});

test('a clean workbook has no issues', () => {
  expect(validateGrids([base()]).issues).toEqual([]);
});

test('missing-sheet: the sheet name, empty cell', () => {
  const g = withSheet(base(), SHEETS.individual, () => null);
  expect(pick(validateGrids([g]).issues)).toEqual([['error', 'missing-sheet', 'Cá nhân', '', '']]);
});

test('missing-column: one error per header, empty cell, field = header; rows still read for other columns', () => {
  const g = withSheet(base(), SHEETS.saving, (s) => ({ ...s, rows: s.rows.map((r) => r.filter((_, c) => c !== 5)) }));
  const ds = validateGrids([g]);
  expect(pick(ds.issues)).toEqual([['error', 'missing-column', 'Tiết kiệm điện', '', 'Điện tiết kiệm (kWh)']]);
  const r = rankGrids([g]);
  expect(r.categories.find((c) => c.id === 'unit-saving')!.entries.every((e) => !e.eligible)).toBe(true);
  // Service needs no saved kWh: still ranked.
  expect(r.categories.find((c) => c.id === 'unit-service')!.entries.every((e) => e.eligible)).toBe(true);
});

test('headers match after trimming, NFC, inner white space (NBSP) and case; column order is free; extras ignored; title rows above', () => {
  const g = withSheet(base(), SHEETS.saving, (s) => {
    const header = (s.rows[0] as string[]).map((h) => ` ${h.normalize('NFD').toUpperCase().replace(/ /g, '\u00A0 ')} `);
    const perm = [8, 5, 0, 3, 2, 1, 4, 6, 7];
    const rows = [header, ...s.rows.slice(1)].map((r) => [...perm.map((i) => r[i] ?? null), 'extra']);
    return { ...s, originRow: 0, rows: [['BÁO CÁO TIẾT KIỆM ĐIỆN NĂM 2012'], [], ...rows] };
  });
  expect(validateGrids([g]).issues).toEqual([]);
  expect(rankGrids([g]).fingerprint).toBe(rankGrids([base()]).fingerprint);
});

test('sheet names match after trimming and case', () => {
  const g = { ...base(), sheets: base().sheets.map((s) => ({ ...s, name: ` ${s.name.toUpperCase()}  ` })) };
  expect(validateGrids([g]).issues).toEqual([]);
});

test('type-error, text-number, formula-error, out-of-range, legacy-encoding on the cell', () => {
  let g = base();
  g = withSheet(g, SHEETS.saving, (s) => {
    let t = setCell(s, 1, 4, '1.234.567'); // text number, vi-VN: warning
    t = setCell(t, 2, 4, '1.234'); // ambiguous: error
    t = setCell(t, 3, 5, { error: '#REF!' });
    t = setCell(t, 2, 6, { error: '#NAME?' }); // derived column: never read
    t = setCell(t, 3, 1, '§iÖn lùc Duy Xuyªn');
    return t;
  });
  g = withSheet(g, SHEETS.individual, (s) => setCell(s, 1, 5, 101));
  const ds = validateGrids([g]);
  expect(pick(ds.issues)).toEqual([
    ['warning', 'text-number', 'Tiết kiệm điện', 'E2', 'Điện thương phẩm (kWh)'],
    ['error', 'type-error', 'Tiết kiệm điện', 'E3', 'Điện thương phẩm (kWh)'],
    ['warning', 'legacy-encoding', 'Tiết kiệm điện', 'B4', 'Tên đơn vị'],
    ['error', 'formula-error', 'Tiết kiệm điện', 'F4', 'Điện tiết kiệm (kWh)'],
    ['error', 'out-of-range', 'Cá nhân', 'F2', 'Điểm'],
  ]);
  expect(ds.issues[1].message).toContain('1.234');
  expect(ds.issues[3].message).toContain('#REF!');
});

test('missing-value is an error on the empty cell (a warning for a service criterion)', () => {
  const g = withSheet(base(), SHEETS.saving, (s) => setCell(s, 2, 1, '  '));
  expect(pick(validateGrids([g]).issues)).toEqual([['error', 'missing-value', 'Tiết kiệm điện', 'B3', 'Tên đơn vị']]);
});

test('duplicate-key on every occurrence after the first, at the key cell, across files too', () => {
  const a = base();
  const b = book({ file: 'b.xlsx', company: 'PC06', units: [{ code: 'PC06', commercial: 10, saved: 1 }, { code: 'PC05QN01', company: 'PC06', commercial: 5, saved: 0.1 }] });
  const ds = validateGrids([a, { ...b }]);
  expect(pick(ds.issues)).toEqual([['error', 'duplicate-key', 'Tiết kiệm điện', 'A3', 'Mã đơn vị'], ['error', 'duplicate-key', 'Dịch vụ khách hàng', 'A3', 'Mã đơn vị']]);
  expect(ds.issues[0].file).toBe('b.xlsx');
  const people = book({ units: [{ code: 'PC05', commercial: 1, saved: 0 }], individuals: [
    { name: 'Lê Văn Tám', unit: 'PC05', points: 1 }, { name: ' lê  văn TÁM ', unit: 'PC05', points: 2 }] });
  expect(pick(validateGrids([people]).issues)).toEqual([['error', 'duplicate-key', 'Cá nhân', 'A3', 'Họ và tên']]);
});

test('unknown-reference: a unit of no company, a service row or person of no unit', () => {
  const g = book({
    units: [{ code: 'PC05', commercial: 100, saved: 1 }, { code: 'PC05X1', company: 'PC09', commercial: 10, saved: 1 }],
    individuals: [{ name: 'Phan Văn Nam', unit: 'PC77', points: 80 }],
  });
  const svc = withSheet(g, SHEETS.service, (s) => ({ ...s, rows: [...s.rows, ['PC99', ...Object.values(perfectService())]] }));
  // In a PC05 submission a unit of PC09 is wrong-company (workbook.md), also when PC09 has no
  // row anywhere; reported once, not again as unknown-reference.
  expect(pick(validateGrids([svc]).issues)).toEqual([
    ['error', 'wrong-company', 'Tiết kiệm điện', 'D3', 'Mã công ty'],
    ['error', 'unknown-reference', 'Dịch vụ khách hàng', 'A4', 'Mã đơn vị'],
    ['error', 'unknown-reference', 'Cá nhân', 'B2', 'Mã đơn vị'],
  ]);
  // In the EVNCPC master, which speaks for every company, it is a unit of no company.
  const master = withSheet(book({ company: 'EVNCPC', units: [{ code: 'PC05', level: 'Công ty', company: 'PC05', commercial: 100, saved: 1 }, { code: 'PC05X1', company: 'PC09', commercial: 10, saved: 1 }],
    individuals: [{ name: 'Phan Văn Nam', unit: 'PC77', points: 80 }] }), SHEETS.service, (s) => ({ ...s, rows: [...s.rows, ['PC99', ...Object.values(perfectService())]] }));
  expect(pick(validateGrids([master]).issues)).toEqual([
    ['error', 'unknown-reference', 'Tiết kiệm điện', 'D3', 'Mã công ty'],
    ['error', 'unknown-reference', 'Dịch vụ khách hàng', 'A4', 'Mã đơn vị'],
    ['error', 'unknown-reference', 'Cá nhân', 'B2', 'Mã đơn vị'],
  ]);
});

test('wrong-company: a submission speaks for its Thông tin company only; the EVNCPC master for all', () => {
  const rows = [{ code: 'PC05', commercial: 100, saved: 1 }, { code: 'PC06', company: 'PC06', level: 'Công ty', commercial: 100, saved: 1 }];
  expect(pick(validateGrids([book({ units: rows })]).issues)).toEqual([['error', 'wrong-company', 'Tiết kiệm điện', 'D3', 'Mã công ty']]);
  expect(validateGrids([book({ company: 'EVNCPC', units: rows.map((r) => ({ ...r, level: 'Công ty', company: r.code })) })]).issues).toEqual([]);
});

test('inconsistent-total at the company cell its units exceed by more than 0.1 %', () => {
  const ok = book({ units: [{ code: 'PC05', commercial: 1000, saved: 10 }, { code: 'PC05A', commercial: 1001, saved: 10.01 }] });
  expect(validateGrids([ok]).issues).toEqual([]);
  const bad = book({ units: [{ code: 'PC05', commercial: 1000, saved: 10 }, { code: 'PC05A', commercial: 1000.5, saved: 10.02 }, { code: 'PC05B', commercial: 0.6, saved: 0 }] });
  expect(pick(validateGrids([bad]).issues)).toEqual([
    ['error', 'inconsistent-total', 'Tiết kiệm điện', 'E2', 'Điện thương phẩm (kWh)'],
    ['error', 'inconsistent-total', 'Tiết kiệm điện', 'F2', 'Điện tiết kiệm (kWh)'],
  ]);
});

test('missing-row: a unit with no service row is a warning at its Mã đơn vị and is not ranked for service', () => {
  const g = book({ units: [{ code: 'PC05', commercial: 10, saved: 1 }, { code: 'PC05A', commercial: 5, saved: 1 }], noService: ['PC05A'] });
  expect(pick(validateGrids([g]).issues)).toEqual([['warning', 'missing-row', 'Tiết kiệm điện', 'A3', 'Mã đơn vị']]);
  const e = rankGrids([g]).categories.find((c) => c.id === 'unit-service')!.entries[0];
  expect(e).toMatchObject({ eligible: false, note: expect.stringContaining('Thiếu chỉ tiêu') });
});

test('bad-config: targets ≤ 0, duplicate codes, thresholds out of range', () => {
  const g = withSheet(base(), SHEETS.criteria, () => {
    let s = criteriaSheet();
    s = setCell(s, 8, 4, 0); // TGCD target
    s = setCell(s, 9, 0, 'TGCD'); // duplicate code
    s = setCell(s, 2, 1, 1.5); // company threshold 150 %
    return s;
  });
  expect(pick(validateGrids([g]).issues)).toEqual([
    ['error', 'bad-config', 'Tiêu chí', 'B3', 'Ngưỡng tiết kiệm công ty'],
    ['error', 'bad-config', 'Tiêu chí', 'E9', 'Mục tiêu'],
    ['error', 'bad-config', 'Tiêu chí', 'A10', 'Mã'],
  ]);
});

test('Tiêu chí blocks side by side, in another order, without title rows', () => {
  const s = criteriaSheet();
  const blocks = [s.rows.slice(11), s.rows.slice(7, 9 + 6 - 1), s.rows.slice(1, 5)];
  const height = Math.max(...blocks.map((b) => b.length));
  const rows: CellValue[][] = [];
  for (let r = 0; r < height; r++) rows.push(blocks.flatMap((b, i) => { const w = [6, 6, 2][i]; const row = b[r] ?? []; return [...Array.from({ length: w }, (_, c) => row[c] ?? null), null]; }));
  const g = withSheet(base(), SHEETS.criteria, () => sheet(SHEETS.criteria, rows, 3, 2));
  expect(validateGrids([g]).issues).toEqual([]);
  expect(rankGrids([g]).fingerprint).toBe(rankGrids([base()]).fingerprint);
});

test('issues come in a deterministic order: file, sheet, row, column', () => {
  let g = base();
  g = withSheet(g, SHEETS.individual, (s) => setCell(s, 1, 5, 'x'));
  g = withSheet(g, SHEETS.saving, (s) => setCell(setCell(s, 3, 5, -1), 1, 4, 'y'));
  const order = validateGrids([g]).issues.map((i) => `${i.sheet}!${i.cell}`);
  expect(order).toEqual(['Tiết kiệm điện!E2', 'Tiết kiệm điện!F4', 'Cá nhân!F2']);
});

test('every issue message has Vietnamese and English, and the code is one of the spec', () => {
  const g = withSheet(base(), SHEETS.saving, (s) => setCell(s, 1, 0, 'p c 05 ?'));
  const issues = readWorkbook(g).issues;
  expect(issues.length).toBeGreaterThan(0);
  for (const i of issues) {
    expect(ISSUE_CODES).toContain(i.code);
    expect(i.message.length).toBeGreaterThan(5);
    expect(i.messageEn.length).toBeGreaterThan(5);
  }
});

test('validation does not change its input grid', () => {
  const g = base();
  const before = JSON.stringify(g);
  validateGrids([g]);
  rankGrids([g]);
  expect(JSON.stringify(g)).toBe(before);
  expect(SAVING.fields.length).toBe(9);
});

test('a unit row with any error does not count towards its company totals (invalid rows never move valid ones)', () => {
  const g = book({ units: [
    { code: 'PC05', commercial: 2000, saved: 20 },
    { code: 'PC05A', commercial: 1000, saved: 10 },
    { code: 'PC05B', name: null, commercial: 1000, saved: 0 }, // missing name: an error, figures fine
    { code: 'PC05C', commercial: 1000, saved: 'nhiều' },
  ] });
  const codes = validateGrids([g]).issues.map((i) => `${i.code}@${i.cell}`);
  expect(codes).toEqual(['missing-value@B4', 'type-error@F5']);
  const company = rankGrids([g]).categories.find((c) => c.id === 'company-saving')!.entries[0];
  expect(company).toMatchObject({ code: 'PC05', eligible: true, rank: 1 });
});
