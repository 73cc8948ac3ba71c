/**
 * The command-line contract of ranking.md, on the real tool (bin/thidua.js in a child process)
 * and real files: the bundled examples, the template, files written for the case at hand.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import JSZip from 'jszip';
import { AWARD_FORM, DEFAULT_AWARDS, INFO, LEVEL, OUTPUT_TABLES, SAVING, SHEETS } from '../src/core/format';
import { PENDING_NOTE } from '../src/core/engine';
import { readWorkbook } from '../src/core/reader';
import { FINGERPRINT_CELL } from '../src/core/sheets';
import { inputSheetPlans } from '../src/core/template';
import { DEMO_ERROR, DEMO_TIE, awardTableTotals, chooseExamples, demoTotals } from '../src/node/examples';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { writeWorkbook } from '../src/node/xlsx-write';
import { BIN, EXAMPLES, ensureBuilt, exampleFiles, tempDir, thidua } from './support/xlsx-cli';

const CATEGORY_IDS = ['company-service', 'company-saving', 'unit-service', 'unit-saving', 'individual'];
const ENTRY_KEYS = ['rank', 'code', 'name', 'value', 'eligible', 'award', 'pending', 'note'];
const ISSUE_KEYS = ['severity', 'file', 'sheet', 'cell', 'field', 'code', 'message'];

let dir: string;
let files: string[];
beforeAll(() => {
  ensureBuilt();
  dir = tempDir('thidua-cli-');
  files = exampleFiles();
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function rankJson(args: string[], cwd?: string) {
  const r = thidua(['rank', ...args, '--json'], cwd);
  return { ...r, json: r.stdout ? JSON.parse(r.stdout) : null };
}

/** A copy of one example with `change` applied to its content, written through the template plan. */
async function variant(name: string, change: (c: ReturnType<typeof chooseExamples>['files'][number]['content']) => typeof c): Promise<string> {
  const example = chooseExamples().files.find((f) => f.name === name)!;
  const file = path.join(dir, name);
  await writeWorkbook(inputSheetPlans(change(example.content)), file);
  return file;
}

describe('rank', () => {
  test('the examples: the JSON of ranking.md, their one error and one tie, totals from the award table', () => {
    const { code, stderr, json } = rankJson(files);
    expect(stderr).toBe('');
    expect(code).toBe(1); // the examples' one error
    expect(Object.keys(json)).toEqual(['year', 'fingerprint', 'categories', 'totals', 'issues']);
    expect(json.year).toBe(2012);
    expect(json.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(json.categories.map((c: { id: string }) => c.id).sort()).toEqual([...CATEGORY_IDS].sort());
    expect(Object.keys(json.totals)).toEqual(['prize', 'flags', 'certificates', 'pending']);
    for (const c of json.categories) {
      expect(Object.keys(c)).toEqual(['id', 'entries']);
      for (const e of c.entries) {
        expect(Object.keys(e)).toEqual(ENTRY_KEYS);
        if (e.award) expect(Object.keys(e.award)).toEqual(['title', 'form', 'prize']);
        if (!e.eligible) expect([e.rank, e.award]).toEqual([null, null]);
      }
    }
    // The award table less the one place left to the council (its prize unpaid, its certificate not counted).
    const full = awardTableTotals();
    const tied = DEFAULT_AWARDS.find((a) => categoryOf(a.area, a.level) === DEMO_TIE.category)!;
    expect(json.totals).toEqual({ prize: full.prize - tied.prize, flags: full.flags, certificates: full.certificates - 1, pending: 1 });
    expect(json.totals).toEqual(demoTotals());
    const pending = json.categories.flatMap((c: { id: string; entries: { pending: boolean }[] }) => c.entries.filter((e) => e.pending).map((e) => ({ id: c.id, ...e })));
    expect(pending).toHaveLength(2);
    for (const e of pending) expect(e).toMatchObject({ id: DEMO_TIE.category, rank: DEMO_TIE.rank, eligible: true, award: null, note: PENDING_NOTE });
    expect(pending[0].value).toBe(pending[1].value);
    expect(pending[0].code.slice(0, 4)).not.toBe(pending[1].code.slice(0, 4)); // two companies' units
    // The totals are the sum of the entries' awards.
    const awards = json.categories.flatMap((c: { entries: { award: { prize: number; form: string } | null }[] }) => c.entries.map((e) => e.award).filter(Boolean));
    expect(awards.reduce((s: number, a: { prize: number }) => s + a.prize, 0)).toBe(json.totals.prize);
    expect(awards.filter((a: { form: string }) => a.form === AWARD_FORM.flag)).toHaveLength(json.totals.flags);
    // Each category gives exactly its places of the award table, but the one left to the council.
    for (const c of json.categories) {
      const places = DEFAULT_AWARDS.filter((a) => categoryOf(a.area, a.level) === c.id).reduce((s, a) => s + a.count, 0);
      expect(c.entries.filter((e: { award: unknown }) => e.award)).toHaveLength(places - (c.id === DEMO_TIE.category ? 1 : 0));
    }
    // The one error: saved above commercial in one Điện lực of one file; that unit is out of the saving ranking.
    expect(json.issues).toHaveLength(1);
    expect(json.issues[0]).toMatchObject({ severity: 'error', file: DEMO_ERROR.file, sheet: SAVING.sheet, code: 'out-of-range', field: 'Điện tiết kiệm (kWh)' });
    const badUnit = chooseExamples().files.find((f) => f.name === DEMO_ERROR.file)!.content.saving!.filter((r) => r.level === LEVEL.unit)[DEMO_ERROR.unitIndex];
    expect(badUnit.saved as number).toBeGreaterThan(badUnit.commercial as number);
    const excluded = json.categories.find((c: { id: string }) => c.id === 'unit-saving').entries.find((e: { code: string }) => e.code === badUnit.unitCode);
    expect(excluded).toMatchObject({ rank: null, eligible: false, award: null, value: null });
    expect(excluded.note).toMatch(/^Dữ liệu lỗi: Điện tiết kiệm/);
    expect(json.categories.find((c: { id: string }) => c.id === 'individual').entries.filter((e: { eligible: boolean }) => e.eligible).length).toBeGreaterThanOrEqual(30);
  });

  test('re-running, reordering the files and reordering the rows change nothing', async () => {
    const first = thidua(['rank', ...files, '--json']);
    const again = thidua(['rank', ...files, '--json']);
    expect(again.stdout).toBe(first.stdout);
    const reversed = rankJson([...files].reverse());
    const a = JSON.parse(first.stdout);
    expect(reversed.json.fingerprint).toBe(a.fingerprint);
    expect(reversed.json.categories).toEqual(a.categories);
    expect(reversed.json.totals).toEqual(a.totals);

    const name = 'pc05-quang-nam.xlsx';
    const shuffled = await variant(name, (c) => ({
      ...c, saving: [...c.saving!].reverse(), service: [...c.service!].reverse(), individuals: [...c.individuals!].reverse(),
    }));
    const mixed = rankJson(files.map((f) => (path.basename(f) === name ? shuffled : f)));
    expect(mixed.code).toBe(1);
    expect(mixed.json.fingerprint).toBe(a.fingerprint);
    expect(mixed.json.categories).toEqual(a.categories);
  });

  test('a file with an error: exit 1, the ranking still printed, the unit left out, the issue at its cell', async () => {
    const bad = await variant('pc09-kon-tum.xlsx', (c) => ({
      ...c, saving: c.saving!.map((r, i) => (i === 1 ? { ...r, saved: (r.commercial as number) * 2 } : r)),
    }));
    const others = files.filter((f) => path.basename(f) !== 'pc09-kon-tum.xlsx');
    const { code, json, stderr } = rankJson([...others, bad]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const issue = json.issues.find((i: { code: string; file: string }) => i.code === 'out-of-range' && i.file === 'pc09-kon-tum.xlsx');
    expect(Object.keys(issue)).toEqual(ISSUE_KEYS);
    expect(issue).toMatchObject({ severity: 'error', file: 'pc09-kon-tum.xlsx', sheet: SAVING.sheet });
    expect(issue.cell).toMatch(/^F\d+$/);
    const unitCode = chooseExamples().files.find((f) => f.name === 'pc09-kon-tum.xlsx')!.content.saving![1].unitCode;
    const entry = json.categories.find((c: { id: string }) => c.id === 'unit-saving').entries.find((e: { code: string }) => e.code === unitCode);
    expect(entry).toMatchObject({ rank: null, eligible: false, award: null });
    expect(entry.note).toMatch(/Dữ liệu lỗi/);
    expect(json.categories).toHaveLength(5);
  });

  test('--out writes Xếp hạng, the award list, the certificates and Kiểm tra; the fingerprint in the sheet is the JSON one', async () => {
    const out = path.join(dir, 'ranking-out.xlsx');
    const { code, json } = rankJson([...files, '--out', out]);
    expect(code).toBe(1);
    const grid = await readXlsxGrid(out);
    expect(grid.sheets.map((s) => s.name)).toEqual([SHEETS.ranking, SHEETS.awardList, SHEETS.certificates, SHEETS.report]);
    const ranking = grid.sheets[0];
    expect(ranking.rows[FINGERPRINT_CELL.row - ranking.originRow][FINGERPRINT_CELL.col - ranking.originCol]).toBe(json.fingerprint);
    const zip = await JSZip.loadAsync(fs.readFileSync(out));
    const names = await Promise.all(Object.keys(zip.files).filter((n) => /^xl\/tables\/[^/]+\.xml$/.test(n))
      .map(async (n) => /<table [^>]*name="([^"]+)"/.exec(await zip.file(n)!.async('string'))![1]));
    // One ranking table per category (continued on each printed page), the totals, the award list.
    const rankingTables = names.filter((n) => n.startsWith(`${OUTPUT_TABLES.ranking}_`));
    expect(rankingTables.length).toBeGreaterThanOrEqual(5);
    // …and, while a place is left to the council (the demo's tie), the award list's table of those places.
    expect(json.totals.pending).toBeGreaterThan(0);
    expect(names.filter((n) => !rankingTables.includes(n)).sort())
      .toEqual([OUTPUT_TABLES.report, OUTPUT_TABLES.totals, OUTPUT_TABLES.awardList, ...(json.totals.pending ? [OUTPUT_TABLES.awardPending] : [])].sort());
  });

  test('the human summary lists issues as Sheet!Cell [code] and the totals', async () => {
    const bad = await variant('pc07-phu-yen.xlsx', (c) => ({ ...c, saving: c.saving!.map((r, i) => (i === 2 ? { ...r, commercial: 'nhiều' } : r)) }));
    const r = thidua(['rank', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`${SAVING.sheet}!E\\d+ \\[type-error\\] `));
    expect(r.stdout).toContain('Tổng khen thưởng');
    const en = thidua(['rank', bad, '--lang', 'en']);
    expect(en.stdout).toMatch(/must be a number/);
  });
});

function categoryOf(area: string, level: string): string {
  if (level === LEVEL.individual) return 'individual';
  return `${level === LEVEL.company ? 'company' : 'unit'}-${area === 'Tiết kiệm điện' ? 'saving' : 'service'}`;
}

describe('exit 2: unusable input, one line on stderr, nothing written', () => {
  const expectOneLine = (r: { code: number | null; stderr: string; stdout: string }) => {
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(r.stdout).toBe('');
  };

  test('a missing file, with --out: no output file, no temporary file', () => {
    const out = path.join(dir, 'never.xlsx');
    const r = thidua(['rank', ...files, path.join(dir, 'khong-co.xlsx'), '--out', out]);
    expectOneLine(r);
    expect(r.stderr).toContain('khong-co.xlsx');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((n) => n.includes('never'))).toEqual([]);
  });

  test('a file that is not an xlsx; English with --lang en', () => {
    const txt = path.join(dir, 'bao-cao.xlsx');
    fs.writeFileSync(txt, 'not a workbook');
    const r = thidua(['rank', txt, '--lang', 'en']);
    expectOneLine(r);
    expect(r.stderr).toContain('bao-cao.xlsx');
    expect(r.stderr).toMatch(/not an Excel/);
    expectOneLine(thidua(['validate', txt]));
  });

  test('unknown options and commands, missing arguments, --out onto an input', () => {
    expectOneLine(thidua(['rank', files[0], '--bogus']));
    expectOneLine(thidua(['xep-hang', files[0]]));
    expectOneLine(thidua(['rank']));
    expectOneLine(thidua(['template', '--year', '1999', '--out', path.join(dir, 'y.xlsx')]));
    expectOneLine(thidua(['validate', files[0], '--out', path.join(dir, 'v.xlsx')]));
    const copy = path.join(dir, 'copy.xlsx');
    fs.copyFileSync(files[0], copy);
    const before = fs.readFileSync(copy);
    expectOneLine(thidua(['rank', copy, '--out', copy]));
    expect(fs.readFileSync(copy).equals(before)).toBe(true);
  });

  test('without a compiled lib/ the tool says how to build it', () => {
    const alone = tempDir('thidua-nolib-');
    try {
      fs.mkdirSync(path.join(alone, 'bin'));
      fs.copyFileSync(BIN, path.join(alone, 'bin', 'thidua.js'));
      const r = spawnSync(process.execPath, [path.join(alone, 'bin', 'thidua.js'), 'demo'], { encoding: 'utf8' });
      expectOneLine({ code: r.status, stdout: r.stdout, stderr: r.stderr });
      expect(r.stderr).toContain('npm run build:cli');
    } finally {
      fs.rmSync(alone, { recursive: true, force: true });
    }
  });

  test('--help prints the usage and exits 0', () => {
    const r = thidua(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('thidua rank');
  });
});

describe('validate, template, demo', () => {
  test('validate --json: { ok, fingerprint, issues }, the same fingerprint as rank', () => {
    const r = thidua(['validate', ...files, '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['ok', 'fingerprint', 'issues']);
    expect(json.ok).toBe(false);
    expect(json.issues.map((i: { file: string; code: string }) => [i.file, i.code])).toEqual([[DEMO_ERROR.file, 'out-of-range']]);
    const clean = files.filter((f) => path.basename(f) !== DEMO_ERROR.file);
    expect(JSON.parse(thidua(['validate', ...clean, '--json']).stdout)).toMatchObject({ ok: true, issues: [] });
    expect(json.fingerprint).toBe(rankJson(files).json.fingerprint);
  });

  test('template --year 2012 --out: the blank workbook with the year, only empty values reported', async () => {
    const out = path.join(dir, 'mau.xlsx');
    const r = thidua(['template', '--year', '2012', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(out);
    const book = readWorkbook(await readXlsxGrid(out));
    expect(book.info.year).toBe(2012);
    expect(new Set(book.issues.map((i) => i.code))).toEqual(new Set(['missing-value']));
    expect(book.issues.every((i) => i.sheet === INFO.sheet)).toBe(true);
    const v = JSON.parse(thidua(['validate', out, '--json']).stdout);
    expect(v.ok).toBe(false);
  });

  test('demo in an empty folder writes ranking.xlsx there and says where', async () => {
    const cwd = tempDir('thidua-demo-');
    try {
      const r = thidua(['demo'], cwd);
      expect(r.code).toBe(0);
      const out = path.join(cwd, 'ranking.xlsx');
      expect(r.stdout).toContain(out);
      expect(fs.readdirSync(cwd)).toEqual(['ranking.xlsx']);
      const grid = await readXlsxGrid(out);
      expect(grid.sheets.map((s) => s.name)).toEqual([SHEETS.ranking, SHEETS.awardList, SHEETS.certificates, SHEETS.report]);
      expect(r.stdout).toContain(`Tổng khen thưởng: ${demoTotals().prize.toLocaleString('vi-VN')} đồng`);
      // The headline cases: the tie marked pending, the excluded unit with its reason.
      expect(r.stdout.match(new RegExp(`^ +${DEMO_TIE.rank}\\. .* — chờ Hội đồng quyết định$`, 'gm'))).toHaveLength(2);
      expect(r.stdout).toMatch(/^ +— PC\w+ +Điện lực .* không xếp hạng — Dữ liệu lỗi: Điện tiết kiệm \(kWh\)$/m);
      expect(r.stdout).toMatch(/\[out-of-range\] "Điện tiết kiệm \(kWh\)" = \d{1,3}(\.\d{3})+ lớn hơn điện thương phẩm \d{1,3}(\.\d{3})+\./);
      expect(fs.readdirSync(EXAMPLES).length).toBe(files.length);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
