/**
 * Nothing lost: validation, ranking and failed imports leave every input cell exactly as it was —
 * on .xlsx files through the real CLI (bytes, times and a SHA-256 of every input sheet's cells),
 * and in the add-in on the strict stand-in (every stored cell property of the input sheets),
 * including an import whose write fails half way.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { WorkbookGrid } from '../src/core/cells';
import { INPUT_SHEETS, SHEETS } from '../src/core/format';
import { matchKey } from '../src/core/cells';
import { applyImport, rank, validate } from '../src/excel/actions';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { RequestContext, StandinWorkbook } from '../src/testing/excel-standin';
import { bookWith, gridOf, masterContent, runOf, submissionContent } from './support/standin';
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

  test('an import whose write fails leaves the master as it was before the import', async () => {
    const wb = await bookWith(masterContent([{ code: 'PC01', units: 3 }]));
    const before = snapshotInputs(wb);
    const sub = { file: 'pc05.xlsx', grid: await gridOf(submissionContent('PC05', 5), 'pc05.xlsx') };
    const original = RequestContext.prototype.sync;
    let syncs = 0;
    // The connection drops on the write (the second round trip): Excel applies nothing of it.
    const spy = jest.spyOn(RequestContext.prototype, 'sync').mockImplementation(async function (this: RequestContext) {
      if (++syncs === 2) throw new Error('RichApi.Error: the request failed (network)');
      return original.call(this);
    });
    try {
      await expect(applyImport(runOf(wb), [sub], [])).rejects.toThrow(/network/);
    } finally {
      spy.mockRestore();
    }
    expect(snapshotInputs(wb)).toBe(before);
  });

  // KNOWN GAP, reported to the task-pane owner (src/excel): an import too large for one request is
  // written in several syncs; when a later one fails, the earlier ones stay applied and the master
  // is left half-imported. Fix: on failure, write back the rows read before the import (the
  // adapter has them), or stage the import so one request commits it. This test flips to a
  // failure — remove `.failing` then — as soon as the master is restored.
  test.failing('an import split over several requests that fails on a later one leaves the master as it was', async () => {
    const wb = await bookWith(masterContent([{ code: 'PC01', units: 3 }]));
    const before = snapshotInputs(wb);
    const sub = { file: 'pc05.xlsx', grid: await gridOf(submissionContent('PC05', 30_000), 'pc05.xlsx') };
    const original = RequestContext.prototype.sync;
    let syncs = 0;
    const spy = jest.spyOn(RequestContext.prototype, 'sync').mockImplementation(async function (this: RequestContext) {
      if (++syncs === 3) throw new Error('RichApi.Error: the request failed (network)');
      return original.call(this);
    });
    try {
      await expect(applyImport(runOf(wb), [sub], [])).rejects.toThrow(/network/);
    } finally {
      spy.mockRestore();
    }
    expect(wb.requestSizes.length).toBeGreaterThanOrEqual(2); // the read and at least one applied write
    expect(snapshotInputs(wb)).toBe(before);
  });
});
