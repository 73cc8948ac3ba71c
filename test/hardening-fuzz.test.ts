/**
 * Fuzzing beyond test/properties.test.ts: header permutations and extra columns, random grids
 * through real .xlsx bytes (our writer → our reader), garbage, truncated and corrupted zips into
 * the reader (a typed refusal, never a crash or a hang), and invalid rows of every kind that must
 * never move the ranking of the valid ones.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { CellValue, SheetGrid, WorkbookGrid, columnLetters, parseA1 } from '../src/core/cells';
import { rankGrids, validateGrids } from '../src/core/engine';
import { DEFAULT_CRITERIA, INDIVIDUAL, SAVING, SERVICE, SHEETS } from '../src/core/format';
import { Issue, plainIssue } from '../src/core/model';
import { rankingJson } from '../src/core/output';
import type { FreeCell, PlanScalar, SheetPlan } from '../src/core/plan';
import { UnreadableFileError, readXlsxGrid } from '../src/node/xlsx-read';
import { cellText, workbookBuffer } from '../src/node/xlsx-write';
import { UnitRow, book } from './support/grids';

const VALID = fs.readFileSync(path.join(__dirname, 'fixtures', 'bad', 'valid.xlsx'));

const junk: fc.Arbitrary<CellValue> = fc.oneof(
  fc.constant(null), fc.double(), fc.integer(), fc.string(), fc.boolean(), fc.string({ unit: 'grapheme' }),
  fc.constantFrom<CellValue>({ error: '#REF!' }, { error: '#DIV/0!' }, '1.234', '1.234.567', '12,5%', '1e6', ' 42 ', '\u00A0', '§iÖn lùc',
    'Công ty', 'Điện lực', '=1+1', '-5', '@SUM(A1)', 'PC01', 'Ñieän löïc'),
);

// --- Header permutations ---------------------------------------------------------------------------

/** Move a sheet's columns: old column j goes to `to[j]`; `width` columns in all, the rest extra. */
function permuteSheet(s: SheetGrid, to: readonly number[], width: number, extra: (row: number, col: number) => CellValue): SheetGrid {
  const used = new Set(to);
  const rows = s.rows.map((r, i) => {
    const out: CellValue[] = Array.from({ length: width }, (_, c) => (used.has(c) ? null : extra(i, c)));
    r.forEach((v, j) => { if (j < to.length) out[to[j]] = v; });
    return out;
  });
  return { ...s, rows };
}

const permutation = (n: number, extra: number) =>
  fc.shuffledSubarray(Array.from({ length: n + extra }, (_, i) => i), { minLength: n, maxLength: n }).chain((cols) => fc.shuffledSubarray(cols, { minLength: n, maxLength: n }));

const unitsArb = fc.array(fc.record({
  commercial: fc.oneof(fc.integer({ min: 1000, max: 10_000_000 }), junk),
  saved: fc.oneof(fc.integer({ min: 0, max: 100_000 }), junk),
  hlkh: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), junk),
  points: fc.oneof(fc.integer({ min: 0, max: 100 }), junk),
}), { minLength: 1, maxLength: 6 });

test('column order and extra columns change nothing: same records, same ranking, issues at the moved cells', () => {
  const widths = { [SAVING.sheet]: SAVING.fields.length, [SERVICE.sheet]: 1 + DEFAULT_CRITERIA.length, [INDIVIDUAL.sheet]: INDIVIDUAL.fields.length };
  fc.assert(fc.property(
    unitsArb, permutation(widths[SAVING.sheet], 3), permutation(widths[SERVICE.sheet], 2), permutation(widths[INDIVIDUAL.sheet], 2), fc.string(),
    (units, pSaving, pService, pPeople, extraText) => {
      const rows: UnitRow[] = [{ code: 'PC01', commercial: 50_000_000, saved: 600_000 },
        ...units.map((u, i) => ({ code: `PC01D${i}`, commercial: u.commercial, saved: u.saved }))];
      const g = book({
        company: 'PC01', units: rows,
        service: Object.fromEntries(rows.map((r, i) => [r.code, { ...Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.code, c.target])), HLKH: i ? units[i - 1].hlkh : 7 }])),
        individuals: units.map((u, i) => ({ name: `Người ${i}`, unit: `PC01D${i}`, points: u.points })),
      });
      const perms: Record<string, readonly number[]> = { [SAVING.sheet]: pSaving, [SERVICE.sheet]: pService, [INDIVIDUAL.sheet]: pPeople };
      // Extra columns: a header no field has, and anything below it.
      const extra = (row: number, col: number): CellValue => (row === 0 ? `Cột thêm ${col}` : extraText || null);
      const moved: WorkbookGrid = { sheets: g.sheets.map((s) => (perms[s.name] ? permuteSheet(s, perms[s.name], widths[s.name] + (s.name === SAVING.sheet ? 3 : 2), extra) : s)) };

      const a = validateGrids([g]);
      const b = validateGrids([moved]);
      const strip = <T extends { origin: unknown; errorFields: Iterable<string> }>(r: T) => ({ ...r, origin: undefined, errorFields: [...r.errorFields].sort() });
      expect(b.saving.map(strip)).toEqual(a.saving.map(strip));
      expect(b.service.map(strip)).toEqual(a.service.map(strip));
      expect(b.individuals.map(strip)).toEqual(a.individuals.map(strip));
      expect(b.fingerprint).toBe(a.fingerprint);
      const mapCell = (i: Issue): Issue => {
        const p = perms[i.sheet];
        if (!p || !i.cell) return i;
        const { row, col } = parseA1(i.cell);
        return { ...plainIssue(i), cell: `${columnLetters(p[col])}${row + 1}` };
      };
      const order = (xs: readonly Issue[]) => xs.map((i) => JSON.stringify(i)).sort();
      expect(order(b.issues)).toEqual(order(a.issues.map(mapCell)));
      const ra = rankingJson(rankGrids([g]));
      const rb = rankingJson(rankGrids([moved]));
      expect(rb.categories).toEqual(ra.categories);
      expect(rb.totals).toEqual(ra.totals);
    }), { numRuns: 150 });
});

// --- Random grids through real .xlsx bytes -----------------------------------------------------------

const scalar: fc.Arbitrary<PlanScalar> = fc.oneof(
  fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(),
  fc.constantFrom('=1+1', '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", '+1', '-1', '@SUM(A1)', '<script>alert(1)</script>', ' 42 ', '1.234.567', '\u00A0'),
);
const sheetNameArb = fc.constantFrom(...Object.values(SHEETS), 'Sheet1', 'Tiết kiệm điện  ', 'DỊCH VỤ KHÁCH HÀNG');

test('random grids written as .xlsx read back cell for cell, and the engine takes them', async () => {
  await fc.assert(fc.asyncProperty(
    fc.uniqueArray(fc.record({ name: sheetNameArb, cells: fc.array(fc.tuple(fc.nat(30), fc.nat(12), scalar), { maxLength: 40 }) }), { minLength: 1, maxLength: 4, selector: (s) => s.name.trim().toLowerCase() }),
    async (sheets) => {
      const plans: SheetPlan[] = sheets.map((s) => {
        const last = new Map<string, FreeCell>();
        for (const [row, col, value] of s.cells) last.set(`${row},${col}`, { row, col, value });
        return { name: s.name, cells: [...last.values()], tables: [] };
      });
      const grid = await readXlsxGrid(await workbookBuffer(plans), 'fuzz.xlsx');
      expect(grid.sheets.map((s) => s.name)).toEqual(plans.map((p) => p.name));
      plans.forEach((p, k) => {
        const s = grid.sheets[k];
        for (const c of p.cells) {
          const got = s.rows[c.row - s.originRow]?.[c.col - s.originCol] ?? null;
          const v = c.value;
          // An empty string is a blank cell either way ('' or nothing).
          const want = typeof v === 'string' ? (cellText(v) === '' && got === null ? null : cellText(v)) : typeof v === 'number' ? (Object.is(v, -0) ? 0 : v) : v;
          expect({ at: `${p.name}!${columnLetters(c.col)}${c.row + 1}`, got }).toEqual({ at: `${p.name}!${columnLetters(c.col)}${c.row + 1}`, got: want });
        }
      });
      const r = rankGrids([grid]);
      expect(r.categories).toHaveLength(5);
    }), { numRuns: 40 });
});

// --- Garbage, truncated and corrupted files ------------------------------------------------------------

/** Read bytes; resolve to 'grid' or 'unreadable'; anything else (another error, > 10 s) fails. */
async function outcome(bytes: Buffer): Promise<'grid' | 'unreadable'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('the reader hung for 10 s')), 10_000); });
  try {
    const grid = await Promise.race([readXlsxGrid(bytes, 'fuzz.xlsx'), timeout]);
    validateGrids([grid]);
    return 'grid';
  } catch (e) {
    if (e instanceof UnreadableFileError) {
      expect(e.message).toContain('"fuzz.xlsx"');
      expect(e.message).not.toMatch(/\n/);
      return 'unreadable';
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

test('random bytes, with or without a zip signature, are refused as unreadable', async () => {
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), async (bytes, pk) => {
    const buf = Buffer.concat([pk ? Buffer.from('PK\u0003\u0004', 'latin1') : Buffer.alloc(0), Buffer.from(bytes)]);
    expect(await outcome(buf)).toBe('unreadable');
  }), { numRuns: 200 });
});

test('a real file cut at any length is refused as unreadable (or read whole)', async () => {
  await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: VALID.length - 1 }), async (n) => {
    expect(await outcome(VALID.subarray(0, n))).toBe('unreadable');
  }), { numRuns: 150 });
});

test('a real file with corrupted bytes is read or refused, never a crash or a hang', async () => {
  const seen = { grid: 0, unreadable: 0 };
  await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.nat(VALID.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (edits) => {
    const buf = Buffer.from(VALID);
    for (const [at, byte] of edits) buf[at] = byte;
    seen[await outcome(buf)]++;
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 250), ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
  // Both kinds happen: a flipped byte in unused metadata is harmless, in the zip structure fatal.
  expect(seen.unreadable).toBeGreaterThan(0);
});

// --- Invalid rows never move the valid ones ------------------------------------------------------------

const validUnits = fc.array(fc.record({ commercial: fc.integer({ min: 1000, max: 100_000 }), saved: fc.integer({ min: 0, max: 3_000 }), points: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 8 });

/** An invalid saving row: a fresh code, and one field made wrong. */
const badSaving = fc.record({
  kind: fc.constantFrom('commercial', 'saved', 'level', 'company', 'name', 'code'),
  bad: junk, commercial: junk, saved: junk,
});

test('adding invalid rows of any kind, anywhere, never changes the ranking of the valid ones', () => {
  fc.assert(fc.property(validUnits, fc.array(fc.tuple(badSaving, fc.nat()), { minLength: 1, maxLength: 6 }), fc.array(junk, { maxLength: 4 }), (units, bad, badPoints) => {
    const valid: UnitRow[] = [
      { code: 'PC01', commercial: units.reduce((s, u) => s + u.commercial, 0) * 2, saved: units.reduce((s, u) => s + u.saved, 0) * 2 },
      ...units.map((u, i) => ({ code: `PC01D${i}`, commercial: u.commercial, saved: u.saved })),
    ];
    const people = units.map((u, i) => ({ name: `Người ${i}`, unit: `PC01D${i}`, points: u.points }));
    const clean = rankGrids([book({ company: 'PC01', units: valid, individuals: people })]);

    const dirty = [...valid];
    const noService: string[] = [];
    bad.forEach(([b, pos], i) => {
      const code = `ZZ${i}X`;
      const row: UnitRow = { code, level: 'Điện lực', company: 'PC01', commercial: 1000, saved: 0 };
      // Make exactly this field wrong; a figure that is not a positive number stays wrong.
      if (b.kind === 'commercial') row.commercial = typeof b.bad === 'number' ? -Math.abs(b.bad) - 1 : { error: '#REF!' };
      if (b.kind === 'saved') row.saved = 'nhiều';
      if (b.kind === 'level') row.level = '§iÖn lùc';
      if (b.kind === 'company') row.company = 'QQ99';
      if (b.kind === 'name') row.name = null;
      if (b.kind === 'code') row.code = `ZZ ${i}!`;
      // No service row: a bad kWh figure rightly does not stop a service award (workbook.md), so
      // these rows could otherwise compete there as valid units.
      noService.push(row.code);
      dirty.splice(1 + (pos % dirty.length), 0, row);
    });
    const dirtyPeople = [...people, ...badPoints.map((p, i) => ({ name: `Sai ${i}`, unit: 'PC01D0', points: typeof p === 'number' ? 101 + Math.abs(p) : p === null ? null : 'không' }))];
    const g = book({ company: 'PC01', units: dirty, individuals: dirtyPeople, noService });
    // Service rows for units that do not exist, too.
    const serviceSheet = g.sheets.find((s) => s.name === SERVICE.sheet)!;
    const withGhosts: WorkbookGrid = { ...g, sheets: g.sheets.map((s) => (s === serviceSheet ? { ...s, rows: [...s.rows, ['KHONGCO', 1, 1, 1, 1, 1, 1]] } : s)) };
    const r = rankGrids([withGhosts]);

    for (const cat of clean.categories) {
      const d = r.categories.find((x) => x.id === cat.id)!;
      expect(d.entries.filter((e) => e.eligible)).toEqual(cat.entries.filter((e) => e.eligible));
    }
    expect(r.totals).toEqual(clean.totals);
    expect(r.issues.filter((i) => i.severity === 'error').length).toBeGreaterThan(0);
  }), { numRuns: 200 });
});
