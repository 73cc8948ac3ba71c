/**
 * The command line as people use it, each case through a real process (bin/thidua.js → lib/) in a
 * temporary folder: `rank *.xlsx` next to the previous ranking.xlsx, a file given twice, system
 * errors in Vietnamese (English with --lang en), corrupt files, plurals and digit groups, the
 * npm bin from another folder, `npx thidua`, `demo --out`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LEVEL, OUTPUT_SHEETS, SAVING, SHEETS } from '../src/core/format';
import { inputSheetPlans } from '../src/core/template';
import { DEMO_ERROR, chooseExamples, demoTotals } from '../src/node/examples';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { writeWorkbook } from '../src/node/xlsx-write';
import { BIN, CliResult, ROOT, ensureBuilt, exampleFiles, tempDir, thidua } from './support/xlsx-cli';

/** The sheets `rank --out` writes, in the order it writes them: every output sheet of the format, the check report last. */
const WRITTEN = [SHEETS.ranking, SHEETS.awardList, SHEETS.certificates, SHEETS.report];
test('the sheets rank --out writes are the format\'s output sheets', () => {
  expect([...WRITTEN].sort()).toEqual([...OUTPUT_SHEETS].sort());
});

const FAULT = path.join(__dirname, 'support', 'fs-fault.js');

let dir: string;
/** Three clean examples copied into the folder (a rank of them exits 0). */
let three: string[];
beforeAll(() => {
  ensureBuilt();
  dir = tempDir('thidua-used-');
  three = exampleFiles().filter((f) => path.basename(f) !== DEMO_ERROR.file).slice(0, 3).map((f) => {
    const to = path.join(dir, path.basename(f));
    fs.copyFileSync(f, to);
    return to;
  });
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const lines = (s: string) => s.split('\n').filter((l) => l.trim());

/** Exit 2 with one line on stderr that is a sentence, not Node's error code or a library's English. */
function expectSentence(r: CliResult, ...must: (string | RegExp)[]): string {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const [line, ...more] = lines(r.stderr);
  expect(more).toEqual([]);
  expect(line).not.toMatch(/\b(E[A-Z]{3,}|Corrupted zip|End of data|central directory|Error:)\b/);
  expect(line).not.toMatch(/\bat .*\.js:\d+/);
  for (const m of must) expect(line).toMatch(m);
  return line;
}

function runWith(env: Record<string, string>, args: string[], cwd = dir): CliResult {
  const r = spawnSync(process.execPath, ['-r', FAULT, BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, THIDUA_DEBUG: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('its own output given as input', () => {
  test('rank *.xlsx next to the previous ranking.xlsx: skipped with one warning, the ranking unchanged, rerun --out overwrites it', async () => {
    const out = path.join(dir, 'ranking.xlsx');
    const first = thidua(['rank', ...three, '--out', out, '--json'], dir);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect((await readXlsxGrid(out)).sheets.map((s) => s.name)).toEqual(WRITTEN);

    // What a shell gives for *.xlsx: sorted names, ranking.xlsx among them.
    const glob = fs.readdirSync(dir).filter((n) => n.endsWith('.xlsx')).sort();
    expect(glob).toContain('ranking.xlsx');
    const again = thidua(['rank', ...glob, '--json'], dir);
    expect(again.code).toBe(0);
    expect(lines(again.stderr)).toHaveLength(1);
    expect(again.stderr).toMatch(/^thidua: Cảnh báo: bỏ qua "ranking\.xlsx": đây là tệp kết quả/);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(first.stdout)); // no missing-sheet, no bad-config

    const en = thidua(['rank', ...glob, '--lang', 'en'], dir);
    expect(lines(en.stderr)).toEqual([expect.stringMatching(/^thidua: Warning: skipped "ranking\.xlsx": it is an output of thidua/)]);

    // The usual rerun: the same command with --out over its own previous output.
    fs.utimesSync(out, new Date(0), new Date(0));
    const rerun = thidua(['rank', ...glob, '--out', 'ranking.xlsx'], dir);
    expect(rerun.code).toBe(0);
    expect(fs.statSync(out).mtimeMs).toBeGreaterThan(0);
    // …but never over a submission.
    const before = fs.readFileSync(three[0]);
    expectSentence(thidua(['rank', ...glob, '--out', path.basename(three[0])], dir), /trùng một tệp đầu vào/);
    expect(fs.readFileSync(three[0]).equals(before)).toBe(true);

    // Only outputs given: nothing to rank is said plainly.
    expectSentence(thidua(['rank', 'ranking.xlsx'], dir), /Không còn tệp báo cáo nào/);
  });
});

describe('a file given twice is read once, with one warning naming it', () => {
  let once: CliResult;
  beforeAll(() => { once = thidua(['rank', ...three, '--json'], dir); });

  test('the same path twice', () => {
    const r = thidua(['rank', ...three, three[1], '--json'], dir);
    expect(r.code).toBe(0);
    expect(lines(r.stderr)).toEqual([`thidua: Cảnh báo: tệp "${three[1]}" được chỉ ra 2 lần; chỉ đọc một lần.`]);
    expect(r.stdout).toBe(once.stdout); // no duplicate-key, the same ranking and fingerprint
    const en = thidua(['rank', three[0], three[0], three[0], '--lang', 'en'], dir);
    expect(lines(en.stderr)).toEqual([`thidua: Warning: file "${three[0]}" is given 3 times; it is read once.`]);
    expect(en.stdout).not.toMatch(/duplicate-key/);
  });

  test('the same path written another way, the same file through a link, a copy with the same bytes', () => {
    const link = path.join(dir, 'lien-ket.xlsx');
    fs.symlinkSync(three[2], link);
    const copy = path.join(dir, 'ban-sao (1).xlsx');
    fs.copyFileSync(three[0], copy);
    try {
      const r = thidua(['rank', ...three, path.basename(three[1]), link, copy, '--json'], dir);
      expect(r.code).toBe(0);
      expect(lines(r.stderr)).toEqual([
        `thidua: Cảnh báo: tệp "${three[1]}" được chỉ ra 2 lần; chỉ đọc một lần.`,
        `thidua: Cảnh báo: tệp "${link}" là cùng một tệp với "${three[2]}"; chỉ đọc một lần.`,
        `thidua: Cảnh báo: tệp "${copy}" có nội dung giống hệt "${three[0]}" (bản sao); chỉ đọc một lần.`,
      ]);
      expect(r.stdout).toBe(once.stdout);
      // validate reads them once too.
      const v = thidua(['validate', three[0], copy, '--json'], dir);
      expect(v.code).toBe(0);
      expect(JSON.parse(v.stdout).issues).toEqual([]);
    } finally {
      fs.rmSync(link);
      fs.rmSync(copy);
    }
  });
});

describe('system errors are sentences (Vietnamese; English with --lang en), nothing written', () => {
  const leftovers = (d: string) => fs.readdirSync(d).filter((n) => n.includes('.tmp') || n.startsWith('ra'));

  test('--out into a missing folder', () => {
    const out = path.join(dir, 'khong-co', 'ranking.xlsx');
    expectSentence(thidua(['rank', three[0], '--out', out], dir), `Không ghi được tệp "${out}"`, /thư mục ".*khong-co" không tồn tại/);
    expectSentence(thidua(['rank', three[0], '--out', out, '--lang', 'en'], dir), `Cannot write "${out}"`, /the folder ".*khong-co" does not exist/);
    expect(fs.existsSync(path.dirname(out))).toBe(false);
  });

  test('--out onto a folder; a folder given as an input; a path through a file', () => {
    const folder = path.join(dir, 'thu-muc');
    fs.mkdirSync(folder);
    try {
      expectSentence(thidua(['rank', three[0], '--out', folder], dir), /đây là một thư mục; hãy ghi rõ tên tệp/);
      expectSentence(thidua(['template', '--out', folder, '--lang', 'en'], dir), /it is a folder; give a file name/);
      expect(fs.readdirSync(folder)).toEqual([]);
      expectSentence(thidua(['rank', folder], dir), `Không đọc được tệp "${folder}"`, /đây là một thư mục, không phải tệp \.xlsx/);
      expectSentence(thidua(['validate', folder, '--lang', 'en'], dir), /this is a folder, not an \.xlsx file/);
      expectSentence(thidua(['rank', three[0], '--out', path.join(three[1], 'x.xlsx')], dir), /một phần của đường dẫn là tệp chứ không phải thư mục/);
    } finally {
      fs.rmSync(folder, { recursive: true });
    }
  });

  test('a missing input file', () => {
    expectSentence(thidua(['rank', three[0], 'khong-co.xlsx'], dir), 'Không đọc được tệp "khong-co.xlsx"', /không có tệp này/);
    expectSentence(thidua(['rank', 'khong-co.xlsx', '--lang', 'en'], dir), 'Cannot read "khong-co.xlsx"', /there is no such file/);
  });

  test('no permission to write: sysfs refuses new files even to root', () => {
    const out = '/sys/thidua-ranking.xlsx';
    expectSentence(thidua(['rank', three[0], '--out', out], dir), `Không ghi được tệp "${out}"`, /không có quyền ghi vào thư mục "\/sys"/);
    expectSentence(thidua(['demo', '--out', out, '--lang', 'en']), /no permission to write in the folder "\/sys"/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('no permission to read (injected: tests run as root)', () => {
    const env = { THIDUA_FAULT: 'EACCES', THIDUA_FAULT_PATH: three[1] };
    expectSentence(runWith(env, ['rank', ...three]), `Không đọc được tệp "${three[1]}": không có quyền đọc tệp này.`);
    expectSentence(runWith(env, ['rank', ...three, '--lang', 'en']), `Cannot read "${three[1]}": no permission to read this file.`);
  });

  test('disk full while writing (ENOSPC injected mid-write): one sentence, the partial temporary file removed, the old output kept', () => {
    const sub = path.join(dir, 'day');
    fs.mkdirSync(sub);
    try {
      const out = path.join(sub, 'ranking.xlsx');
      fs.writeFileSync(out, 'old');
      const env = { THIDUA_FAULT: 'ENOSPC', THIDUA_FAULT_PATH: sub };
      expectSentence(runWith(env, ['rank', ...three, '--out', out]), `Không ghi được tệp "${out}": ổ đĩa đã đầy`);
      expectSentence(runWith(env, ['template', '--out', out, '--lang', 'en']), `Cannot write "${out}": the disk is full`);
      expectSentence(runWith(env, ['demo', '--out', out]), /ổ đĩa đã đầy/);
      expect(fs.readdirSync(sub)).toEqual(['ranking.xlsx']);
      expect(fs.readFileSync(out, 'utf8')).toBe('old');
      expect(leftovers(sub)).toEqual(['ranking.xlsx']);
    } finally {
      fs.rmSync(sub, { recursive: true });
    }
  });

  test('a truncated file and a corrupt one: one Vietnamese sentence, no library English', () => {
    const good = fs.readFileSync(three[0]);
    const half = path.join(dir, 'bi-cat.xlsx');
    fs.writeFileSync(half, good.subarray(0, Math.floor(good.length / 2)));
    const noise = path.join(dir, 'hong.xlsx');
    const bytes = Buffer.from(good);
    for (let i = 600; i < bytes.length; i += 7) bytes[i] ^= 0x5a; // zip header intact, the rest scrambled
    fs.writeFileSync(noise, bytes);
    try {
      const vi = expectSentence(thidua(['rank', three[1], half], dir), `Không đọc được tệp "bi-cat.xlsx": tệp bị hỏng hoặc không trọn vẹn`);
      expect(vi).toMatch(/hãy xin công ty gửi lại tệp\.$/);
      expectSentence(thidua(['validate', half, '--lang', 'en'], dir), 'Cannot read file "bi-cat.xlsx": the file is corrupt or incomplete');
      expectSentence(thidua(['rank', noise], dir), /Không đọc được tệp "hong\.xlsx": (tệp bị hỏng|nội dung bảng tính bị hỏng)/);
    } finally {
      fs.rmSync(half);
      fs.rmSync(noise);
    }
  });
});

describe('numbers and plurals in messages', () => {
  test('digit groups: 1.000.000.000 in Vietnamese, 1,000,000,000 in English; "1 entry", "2 entries"', async () => {
    const example = chooseExamples().files.find((f) => f.name === path.basename(three[0]))!;
    const content = {
      ...example.content,
      // One company, one Điện lực whose saved kWh is typed over its commercial.
      saving: [example.content.saving![0], { ...example.content.saving!.find((r) => r.level === LEVEL.unit)!, commercial: 999_999_999, saved: 1_000_000_000 }],
    };
    const file = path.join(dir, 'mot-dien-luc.xlsx');
    const company = content.saving[0].unitCode;
    const individuals = content.individuals!.slice(0, 2).map((p) => ({ ...p, unitCode: company }));
    await writeWorkbook(inputSheetPlans({ ...content, service: content.service!.slice(0, 2), individuals }), file);
    try {
      const vi = thidua(['rank', file], dir);
      expect(vi.code).toBe(1);
      expect(vi.stdout).toContain(`${SAVING.sheet}!F5 [out-of-range] "Điện tiết kiệm (kWh)" = 1.000.000.000 lớn hơn điện thương phẩm 999.999.999.`);
      expect(vi.stdout).toContain('Kiểm tra: 1 lỗi, 0 cảnh báo');
      const en = thidua(['rank', file, '--lang', 'en'], dir);
      expect(en.stdout).toContain('"Điện tiết kiệm (kWh)" = 1,000,000,000 exceeds commercial electricity 999,999,999.');
      expect(en.stdout).toContain('Validation: 1 error, 0 warnings');
      expect(en.stdout).toMatch(/Customer service · Power Companies — 1 entry, 1 eligible/);
      expect(en.stdout).toMatch(/Individuals — 2 entries, 2 eligible/);
      expect(en.stdout).not.toMatch(/\(s\)|\b1 entries|\b1 errors|\b1 files/);
      const demo = thidua(['demo', '--out', path.join(dir, 'demo-en.xlsx'), '--lang', 'en']);
      expect(demo.stdout).toMatch(/^Read 15 files\.$/m);
      expect(demo.stdout).toContain(`Awards: ${demoTotals().prize.toLocaleString('en-US')} VND · 4 flags · 39 certificates · 1 place left to the council`);
    } finally {
      fs.rmSync(file);
      fs.rmSync(path.join(dir, 'demo-en.xlsx'), { force: true });
    }
  });
});

describe('installed as people install it', () => {
  test('the npm bin through a link from another folder, as npm link / npm install make it', () => {
    const prefix = tempDir('thidua-bin-');
    try {
      expect(fs.statSync(BIN).mode & 0o111).not.toBe(0); // executable
      expect(fs.readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      expect(path.resolve(ROOT, pkg.bin.thidua)).toBe(BIN);
      fs.mkdirSync(path.join(prefix, 'bin'));
      fs.symlinkSync(BIN, path.join(prefix, 'bin', 'thidua'));
      const elsewhere = path.join(prefix, 'du-lieu');
      fs.mkdirSync(elsewhere);
      const r = spawnSync('thidua', ['demo'], { cwd: elsewhere, encoding: 'utf8', env: { ...process.env, PATH: `${path.join(prefix, 'bin')}${path.delimiter}${path.dirname(process.execPath)}` } });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(fs.readdirSync(elsewhere)).toEqual(['ranking.xlsx']);
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  });

  test('npx thidua in the project folder runs the project\'s own bin, offline', () => {
    const r = spawnSync('npx', ['--no-install', 'thidua', '--help'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_offline: 'true' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('thidua rank');
  });

  test('demo --out FILE writes there, nothing in the current folder', async () => {
    const cwd = tempDir('thidua-demo-out-');
    try {
      const out = path.join(dir, 'bao-cao', 'xep-hang-mau.xlsx');
      fs.mkdirSync(path.dirname(out));
      const r = thidua(['demo', '--out', out], cwd);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(out);
      expect(fs.readdirSync(cwd)).toEqual([]);
      expect((await readXlsxGrid(out)).sheets.map((s) => s.name)).toEqual(WRITTEN);
      expectSentence(thidua(['demo', '--json'], cwd), /không dùng với lệnh demo/);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
