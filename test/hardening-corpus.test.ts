/**
 * The corpus of bad submissions (test/fixtures/bad, made by src/node/bad-fixtures.ts): each file,
 * or set of files imported together, gives exactly the issues expected.json lists — read by the
 * .xlsx reader, by the real command-line tool, and again after LibreOffice re-saved the files.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import ExcelJS from 'exceljs';
import { validateGrids } from '../src/core/engine';
import { ISSUE_CODES, Issue } from '../src/core/model';
import { ExpectedIssue, FixtureCase, Manifest, buildBadFixtures } from '../src/node/bad-fixtures';
import { UnreadableFileError, readXlsxGrid } from '../src/node/xlsx-read';
import { ensureBuilt, tempDir, thidua } from './support/xlsx-cli';

const DIR = path.join(__dirname, 'fixtures', 'bad');
const manifest: Manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8'));
const byName = (name: string) => manifest.cases.find((c) => c.files.length === 1 && c.files[0] === name)!;

const key = (i: Pick<Issue, 'severity' | 'sheet' | 'cell' | 'field' | 'code'> & { file?: string }, withFile: boolean) =>
  JSON.stringify([i.severity, withFile ? i.file ?? '' : '', i.sheet, i.cell, i.field, i.code]);
const keys = (issues: readonly (ExpectedIssue | Issue)[], withFile: boolean) => issues.map((i) => key(i, withFile)).sort();

async function issuesOf(c: FixtureCase, dir = DIR): Promise<Issue[]> {
  const grids = [];
  for (const f of c.files) grids.push(await readXlsxGrid(path.join(dir, f)));
  return [...validateGrids(grids).issues];
}

test('the committed corpus is exactly what the generator makes (bytes and manifest)', async () => {
  const { files, manifest: fresh } = await buildBadFixtures();
  expect(fresh).toEqual(manifest);
  const committed = fs.readdirSync(DIR).filter((n) => n !== 'expected.json').sort();
  expect(committed).toEqual([...files.keys()].sort());
  for (const [name, bytes] of files) expect({ name, same: bytes.equals(fs.readFileSync(path.join(DIR, name))) }).toEqual({ name, same: true });
});

test('the corpus covers every issue code of workbook.md, and the damage the issue lists', () => {
  const codes = new Set(manifest.cases.flatMap((c) => (c.issues ?? []).map((i) => i.code)));
  if (manifest.cases.some((c) => c.unreadable)) codes.add('unreadable-file');
  expect([...codes].sort()).toEqual([...ISSUE_CODES].sort());
  const files = new Set(manifest.cases.flatMap((c) => c.files));
  for (const f of ['merged-cells.xlsx', 'hidden-rows-cols.xlsx', 'header-pushed-down.xlsx', 'renamed-sheet-spaces.xlsx', 'empty-workbook.xlsx',
    'only-info.xlsx', 'text-number.xlsx', 'nfd-nbsp.xlsx', 'legacy-encoding.xlsx', 'openpyxl-tables.xlsx', 'pc05-gui-lai.xlsx']) {
    expect(files).toContain(f);
  }
  // Every damaged file is the valid one plus damage: the valid one has no issue at all.
  expect(byName('valid.xlsx').issues).toEqual([]);
});

describe('each case gives exactly its issues (reader + validator)', () => {
  test.each(manifest.cases.filter((c) => !c.unreadable).map((c) => [c.files.join(' + '), c] as const))('%s', async (_name, c) => {
    const issues = await issuesOf(c);
    const multi = c.files.length > 1;
    expect(keys(issues, multi)).toEqual(keys(c.issues!, multi));
    for (const i of issues) {
      expect(i.message.length).toBeGreaterThan(10);
      expect(i.messageEn.length).toBeGreaterThan(10);
      expect(i.message).not.toBe(i.messageEn);
    }
    if (c.saving) {
      const ds = validateGrids(await Promise.all(c.files.map((f) => readXlsxGrid(path.join(DIR, f)))));
      for (const want of c.saving) {
        const got = ds.saving.find((r) => r.unitCode === want.unitCode);
        expect(got && Object.fromEntries(Object.keys(want).map((k) => [k, (got as unknown as Record<string, unknown>)[k]]))).toEqual(want);
      }
    }
  });

  test.each(manifest.cases.filter((c) => c.unreadable).map((c) => [c.files[0]] as const))('%s is refused as unreadable, naming the file', async (name) => {
    const err = await readXlsxGrid(path.join(DIR, name)).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UnreadableFileError);
    expect((err as UnreadableFileError).message).toContain(`"${name}"`);
  });

  test('the openpyxl-style file is one ExcelJS alone cannot open', async () => {
    await expect(new ExcelJS.Workbook().xlsx.readFile(path.join(DIR, 'openpyxl-tables.xlsx'))).rejects.toThrow();
  });

  test('issues are listed in sheet order, then row, then column — renamed sheets included', async () => {
    const issues = await issuesOf(byName('renamed-sheet-spaces.xlsx'));
    expect(issues.map((i) => i.cell)).toEqual(['F5', 'A6']);
    const many = await issuesOf(byName('type-error.xlsx'));
    expect(many.map((i) => i.sheet)).toEqual(['Thông tin', 'Tiết kiệm điện', 'Tiết kiệm điện', 'Cá nhân']);
  });
});

describe('through the real command-line tool', () => {
  beforeAll(() => ensureBuilt());
  const run = (files: readonly string[]) => thidua(['validate', ...files.map((f) => path.join(DIR, f)), '--json']);

  test.each(['type-error.xlsx', 'renamed-sheet-spaces.xlsx', 'openpyxl-tables.xlsx', 'text-number.xlsx', 'empty-workbook.xlsx'])('%s: the JSON issues and the exit code', (name) => {
    const c = byName(name);
    const r = run(c.files);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(keys(out.issues, false)).toEqual(keys(c.issues!, false));
    const errors = c.issues!.some((i) => i.severity === 'error');
    expect(out.ok).toBe(!errors);
    expect(r.code).toBe(errors ? 1 : 0);
  });

  test('the same company twice in one import: every row of the second file is a duplicate, named with its file', () => {
    const c = manifest.cases.find((x) => x.files.length > 1)!;
    const r = run(c.files);
    const out = JSON.parse(r.stdout);
    expect(r.code).toBe(1);
    expect(keys(out.issues, true)).toEqual(keys(c.issues!, true));
  });

  test.each(manifest.cases.filter((c) => c.unreadable).map((c) => [c.files[0]] as const))('%s: exit 2, one line on stderr naming the file, nothing on stdout', (name) => {
    const r = run([name]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(name);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  });
});

// --- Files re-saved by LibreOffice ------------------------------------------------------------------

function findSoffice(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v soffice || command -v libreoffice'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim().split('\n')[0] : null;
}
const soffice = findSoffice();
if (!soffice && !process.env.CI) console.warn('LibreOffice cases of test/hardening-corpus.test.ts skipped: soffice is not installed (they always run in CI).');
const describeLo = soffice || process.env.CI ? describe : describe.skip;

describeLo('the corpus re-saved by LibreOffice gives the same issues', () => {
  const names = ['valid.xlsx', 'text-number.xlsx', 'formula-error.xlsx', 'legacy-encoding.xlsx', 'merged-cells.xlsx', 'hidden-rows-cols.xlsx',
    'header-pushed-down.xlsx', 'renamed-sheet-spaces.xlsx', 'nfd-nbsp.xlsx', 'openpyxl-tables.xlsx'];
  let dir: string;
  let out: string;
  beforeAll(() => {
    if (!soffice) throw new Error('CI is set but LibreOffice (soffice) is not installed');
    dir = tempDir('thidua-lo-bad-');
    out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.mkdirSync(path.join(dir, 'home'));
    // One call for all files: soffice is slow to start.
    const r = spawnSync(soffice, ['--headless', '--norestore', '--convert-to', 'xlsx', '--outdir', out, ...names.map((n) => path.join(DIR, n))],
      { env: { ...process.env, HOME: path.join(dir, 'home') }, encoding: 'utf8', timeout: 180_000 });
    for (const n of names) if (!fs.existsSync(path.join(out, n))) throw new Error(`soffice did not convert ${n}: ${r.stderr || r.stdout}`);
  });
  afterAll(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  test.each(names)('%s', async (name) => {
    const c = byName(name);
    // LibreOffice writes its own parts (no Excel tables from us, its own styles): really another file.
    expect(fs.readFileSync(path.join(out, name)).equals(fs.readFileSync(path.join(DIR, name)))).toBe(false);
    expect(keys(await issuesOf(c, out), false)).toEqual(keys(c.issues!, false));
  });
});
