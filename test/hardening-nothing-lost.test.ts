/**
 * Nothing lost: validation, ranking and failed imports leave every input cell exactly as it was —
 * on .xlsx files through the real CLI (bytes, times and a SHA-256 of every input sheet's cells),
 * and in the add-in on the strict stand-in (every stored cell property of the input sheets),
 * including an import whose write fails on its first, a middle or its last request (rolled back).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { WorkbookGrid } from '../src/core/cells';
import { INPUT_SHEETS, SAVING, SHEETS } from '../src/core/format';
import { matchKey } from '../src/core/cells';
import { applyImport, rank, validate } from '../src/excel/actions';
import { ImportWriteError } from '../src/excel/adapter';
import { validateGrids } from '../src/core/engine';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { REQUEST_LIMIT_BYTES, StandinError, StandinWorkbook, bookWith, gridOf, masterContent, runOf, submissionContent } from './support/standin';
import { EXAMPLES, ensureBuilt, tempDir, thidua } from './support/xlsx-cli';

const BAD = path.join(__dirname, 'fixtures', 'bad');
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** SHA-256 of every input sheet's cells (name, origin, values) as read from a file. */
function inputHash(grid: WorkbookGrid): string {
  const inputs = grid.sheets.filter((s) => INPUT_SHEETS.some((n) => matchKey(n) === matchKey(s.name)));
  return sha(JSON.stringify(inputs));
}

interface FileState { bytes: string; mtimeMs: number; size: number; cells: string }
async function stateOf(file: string): Promise<FileState> {
  const st = fs.statSync(file);
  return { bytes: sha(fs.readFileSync(file)), mtimeMs: st.mtimeMs, size: st.size, cells: inputHash(await readXlsxGrid(file)) };
}

describe('the CLI never writes its inputs', () => {
  let dir: string;
  let files: string[];
  beforeAll(() => {
    ensureBuilt();
    dir = tempDir('thidua-lost-');
    const picks = [...fs.readdirSync(EXAMPLES).filter((n) => n.endsWith('.xlsx')).slice(0, 3).map((n) => path.join(EXAMPLES, n)),
      ...['valid.xlsx', 'formula-error.xlsx', 'text-number.xlsx', 'merged-cells.xlsx', 'openpyxl-tables.xlsx', 'renamed-sheet-spaces.xlsx', 'nfd-nbsp.xlsx'].map((n) => path.join(BAD, n))];
    files = picks.map((p) => {
      const to = path.join(dir, path.basename(p));
      fs.copyFileSync(p, to);
      // An old time stamp, so that any rewrite would show.
      fs.utimesSync(to, new Date(Date.UTC(2013, 0, 10)), new Date(Date.UTC(2013, 0, 10)));
      return to;
    });
  });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('validate, rank --json and rank --out leave each input file byte-for-byte and time-for-time as it was', async () => {
    const before = await Promise.all(files.map(stateOf));
    for (const f of files) expect(thidua(['validate', f, '--json']).code).toBeLessThan(2);
    const out = path.join(dir, 'xep-hang.xlsx');
    const first = thidua(['rank', ...files, '--out', out, '--json']);
    expect(first.code).toBe(1); // some files carry errors
    expect(fs.existsSync(out)).toBe(true);
    const again = thidua(['rank', ...files, '--json']);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(first.stdout)); // re-running gives the same result
    const after = await Promise.all(files.map(stateOf));
    expect(after).toEqual(before);
    // Nothing but the output beside them.
    expect(fs.readdirSync(dir).sort()).toEqual([...files.map((f) => path.basename(f)), 'xep-hang.xlsx'].sort());
  });

  test('a run that fails (one unreadable file among them) writes nothing and touches nothing', async () => {
    const broken = path.join(dir, 'truncated.xlsx');
    fs.copyFileSync(path.join(BAD, 'truncated.xlsx'), broken);
    const before = await Promise.all(files.map(stateOf));
    const out = path.join(dir, 'khong-ghi.xlsx');
    const r = thidua(['rank', ...files, broken, '--out', out]);
    expect(r.code).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('.') || n.endsWith('.tmp'))).toEqual([]);
    expect(await Promise.all(files.map(stateOf))).toEqual(before);
    fs.rmSync(broken);
  });

  test('--out onto an input file is refused before anything is read or written', async () => {
    const before = await stateOf(files[0]);
    const r = thidua(['rank', files[0], files[1], '--out', files[1]]);
    expect(r.code).toBe(2);
    expect(await stateOf(files[0])).toEqual(before);
  });
});

// --- The add-in, on the strict stand-in ------------------------------------------------------------

const snapshotInputs = (wb: StandinWorkbook) => sha(INPUT_SHEETS.map((n) => wb.snapshot(n)).join('\n'));

/**
 * The input sheets as Excel shows them: like the snapshot, but a cell the stand-in merely touched
 * (no value, no formula, format "General", nothing else) counts as never touched, and "General" as
 * no format — Excel has no difference between the two, and a rollback can only write "General".
 */
function visibleInputs(wb: StandinWorkbook): string {
  return INPUT_SHEETS.map((n) => {
    const snap = JSON.parse(wb.snapshot(n)) as { cells?: [string, Record<string, unknown>][] };
    if (snap.cells) {
      snap.cells = snap.cells
        .map(([k, m]): [string, Record<string, unknown>] => {
          const { fmt, ...rest } = m;
          return [k, fmt === undefined || fmt === 'General' ? rest : m];
        })
        .filter(([, m]) => !(Object.keys(m).length === 1 && m.v === null));
    }
    return JSON.stringify(snap);
  }).join('\n');
}

describe('the add-in never changes input cells', () => {
  test.each(['valid.xlsx', 'formula-error.xlsx', 'text-number.xlsx', 'legacy-encoding.xlsx', 'duplicate-key.xlsx', 'nfd-nbsp.xlsx', 'merged-cells.xlsx'])(
    '%s opened in Excel: validate and rank leave every input cell as it was', async (name) => {
      const grid = await readXlsxGrid(path.join(BAD, name));
      const wb = StandinWorkbook.fromGrid(grid);
      const before = snapshotInputs(wb);
      const run = runOf(wb);
      await validate(run, '2013-01-10 08:00');
      await rank(run, '2013-01-10 08:00');
      await rank(run, '2013-01-10 08:00');
      expect(snapshotInputs(wb)).toBe(before);
      expect(wb.sheet(SHEETS.ranking)).toBeDefined();
    });

  test('an import with a rejected file writes nothing for it; the master stays as it was', async () => {
    const wb = await bookWith(masterContent([{ code: 'PC01', units: 3 }]));
    const before = snapshotInputs(wb);
    const bad = await readXlsxGrid(path.join(BAD, 'type-error.xlsx'));
    const plan = await applyImport(runOf(wb), [{ file: 'type-error.xlsx', grid: bad }], []);
    expect(plan.outcomes.map((o) => o.status)).toEqual(['rejected']);
    expect(snapshotInputs(wb)).toBe(before);
  });

  /** Make the `n`-th round trip from now fail (and, with `alsoAfter`, every later one), as a dropped connection does. */
  async function withFailingSync<T>(wb: StandinWorkbook, n: number, work: () => Promise<T>, alsoAfter = false): Promise<T> {
    const base = wb.syncCount;
    // The connection drops on that request: Excel applies nothing of it.
    wb.beforeAction = ({ request, action }) => {
      const k = request - base;
      if (action === 0 && (k === n || (alsoAfter && k > n))) throw new StandinError('GeneralException', 'the request failed (network)');
    };
    try {
      return await work();
    } finally {
      wb.beforeAction = null;
    }
  }

  test('an import whose write fails leaves the master as it was before the import', async () => {
    const wb = await bookWith(masterContent([{ code: 'PC01', units: 3 }]));
    const before = snapshotInputs(wb);
    const sub = { file: 'pc05.xlsx', grid: await gridOf(submissionContent('PC05', 5), 'pc05.xlsx') };
    // The read is the first round trip, the write the second.
    const err = await withFailingSync(wb, 2, () => applyImport(runOf(wb), [sub], []).then(() => null, (e: unknown) => e));
    expect(err).toBeInstanceOf(ImportWriteError);
    expect((err as ImportWriteError).restored).toBe(true);
    expect((err as ImportWriteError).vi).toMatch(/network.*hoàn tác.*không có gì thay đổi/);
    expect((err as ImportWriteError).en).toMatch(/network.*rolled back.*nothing changed/);
    expect(snapshotInputs(wb)).toBe(before);
  });

  describe('an import split over several requests is all or nothing', () => {
    let sub: { file: string; grid: WorkbookGrid };
    let writeRequests: number;
    const master = () => bookWith(masterContent([{ code: 'PC01', units: 3 }, { code: 'PC02', units: 2 }]));
    beforeAll(async () => {
      sub = { file: 'pc05.xlsx', grid: await gridOf(submissionContent('PC05', 30_000), 'pc05.xlsx') };
      // How many requests the import takes when nothing fails, each under the limit.
      const wb = await master();
      await applyImport(runOf(wb), [sub], []);
      writeRequests = wb.syncCount - 1;
      expect(Math.max(...wb.requestSizes)).toBeLessThan(REQUEST_LIMIT_BYTES);
      expect(validateGrids([wb.toGrid()]).saving.filter((r) => r.companyCode === 'PC05')).toHaveLength(30_001);
    }, 180_000);

    test('it takes three or more write requests', () => {
      expect(writeRequests).toBeGreaterThanOrEqual(3);
    });

    test.each([['the first', () => 1], ['a middle', () => 2], ['the last', () => writeRequests]])(
      'a failure on %s write request leaves the master as it was (written back, in requests under the limit)', async (_, which) => {
        const wb = await master();
        const before = visibleInputs(wb);
        const exact = snapshotInputs(wb);
        const k = which();
        const err = await withFailingSync(wb, 1 + k, () => applyImport(runOf(wb), [sub], []).then(() => null, (e: unknown) => e));
        expect(err).toBeInstanceOf(ImportWriteError);
        expect((err as ImportWriteError).restored).toBe(true);
        expect((err as Error).message).toMatch(/network/);
        // What reached Excel: the read, the k - 1 applied requests, then their rollback.
        expect(wb.requestSizes.length).toBeGreaterThanOrEqual(1 + (k - 1) + (k > 1 ? 1 : 0));
        expect(Math.max(...wb.requestSizes)).toBeLessThan(REQUEST_LIMIT_BYTES);
        expect(visibleInputs(wb)).toBe(before);
        if (k === 1) expect(snapshotInputs(wb)).toBe(exact); // nothing was applied, nothing written back
        // The master still takes the import afterwards.
        await applyImport(runOf(wb), [sub], []);
        expect(validateGrids([wb.toGrid()]).saving.filter((r) => r.companyCode === 'PC05')).toHaveLength(30_001);
      }, 180_000);

    test('a replacement that fails half way puts back the rows it wrote over: text, "=1+1" as text, numbers, formulas, formats', async () => {
      const content = masterContent([{ code: 'PC01', units: 3 }, { code: 'PC02', units: 2 }]);
      const saving = content.saving!.map((r, i) => (i === 2 ? { ...r, unitName: '=1+1', note: '0012' } : r));
      const wb = await bookWith({ ...content, saving });
      // A user's own formula and a text number in a General cell on PC02's row, which the import writes over.
      const sheet = wb.sheet(SAVING.sheet)!;
      const [pc02Row] = [...sheet.cells.entries()].find(([, m]) => m.v === 'PC02D00001')![0].split(',').map(Number);
      Object.assign(sheet.touch(pc02Row, SAVING.fields.findIndex((f) => f.key === 'commercial')), { v: null, f: '=100000000+2000' });
      Object.assign(sheet.touch(pc02Row, SAVING.fields.findIndex((f) => f.key === 'note')), { v: '0012', fmt: 'General' });
      const before = visibleInputs(wb);
      const big = { file: 'pc01.xlsx', grid: await gridOf(submissionContent('PC01', 30_000), 'pc01.xlsx') };
      const err = await withFailingSync(wb, 3, () => applyImport(runOf(wb), [big], ['PC01']).then(() => null, (e: unknown) => e));
      expect(err).toBeInstanceOf(ImportWriteError);
      expect((err as ImportWriteError).restored).toBe(true);
      expect(visibleInputs(wb)).toBe(before);
    }, 180_000);

    test('when the rollback fails too, the message says which sheets may be half-written', async () => {
      const wb = await master();
      const err = await withFailingSync(wb, 3, () => applyImport(runOf(wb), [sub], []).then(() => null, (e: unknown) => e), true);
      expect(err).toBeInstanceOf(ImportWriteError);
      expect((err as ImportWriteError).restored).toBe(false);
      expect((err as ImportWriteError).vi).toMatch(/không khôi phục lại được.*Tiết kiệm điện/);
      expect((err as ImportWriteError).en).toMatch(/could not be rolled back.*may be half-written/);
    }, 180_000);
  });
});
