/**
 * Hostile files II (issue 14): a generated corpus of hostile or careless .xlsx files built from a
 * clean submission (test/support/hostile-xlsx.ts). Each is answered by the real command line in a
 * child process — refused with one sentence (exit 2, nothing on stdout) or read with the right
 * issues — within 10 s and 1 GB peak (GNU time), and the task pane's import reader (the same
 * pre-flight) gives the same refusal or the same grid.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { XlsxReadError, readXlsxBytes } from '../src/excel/xlsx-grid';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { HostileCase, cleanXlsx, hostileCases } from './support/hostile-xlsx';
import { BIN, ensureBuilt, tempDir } from './support/xlsx-cli';

const TIME = '/usr/bin/time';
const BOUND_MS = 10_000;
const BOUND_MB = 1024;

interface Run { code: number | null; stdout: string; stderr: string; ms: number; rssMB: number }

/** The CLI in a child process, measured by GNU time (wall clock and peak RSS of the whole process). */
function measured(args: string[]): Run {
  const t = Date.now();
  const r = spawnSync(TIME, ['-v', process.execPath, BIN, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, THIDUA_DEBUG: '' } });
  const ms = Date.now() - t;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const stderr = r.stderr.replace(/\s*(Command exited with non-zero status \d+\s*)?Command being timed:[\s\S]*$/, '').trimEnd();
  return { code: r.status, stdout: r.stdout, stderr, ms, rssMB: m ? Number(m[1]) / 1024 : NaN };
}

type Issue = { code: string; sheet: string; cell: string; message: string; messageEn?: string };
const key = (i: Issue) => `${i.code} ${i.sheet} ${i.cell}`;

let dir: string;
let cleanIssues: string[];
const cases = hostileCases();

beforeAll(async () => {
  ensureBuilt();
  dir = tempDir('thidua-hostile-');
  const f = path.join(dir, 'clean.xlsx');
  fs.writeFileSync(f, await cleanXlsx());
  const r = measured(['validate', f, '--json', '--lang', 'en']);
  expect(r.code).toBe(0);
  cleanIssues = (JSON.parse(r.stdout).issues as Issue[]).map(key).sort();
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the corpus covers the kinds of issue 14', () => {
  expect(cases.length).toBeGreaterThanOrEqual(25);
  expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
});

describe.each(cases.map((c) => [c.name, c] as [string, HostileCase]))('%s', (_name, c) => {
  test(`${c.what}: answered as expected, within ${BOUND_MS / 1000} s and ${BOUND_MB} MB`, async () => {
    const buf = await c.build();
    const file = path.join(dir, `${c.name}.xlsx`);
    fs.writeFileSync(file, buf);
    const r = measured(['validate', file, '--json', '--lang', 'en']);
    expect(r.ms).toBeLessThan(BOUND_MS);
    expect(r.rssMB).toBeLessThan(BOUND_MB);
    const bytes = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    const pane = await readXlsxBytes(bytes, path.basename(file)).then((g) => g, (e: unknown) => e);
    if ('refused' in c.outcome) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(path.basename(file));
      expect(r.stderr).toMatch(c.outcome.refused);
      expect(r.stderr).not.toMatch(/TypeError|undefined|at .*\.js|\bError:/);
      // The pane: the same sentence, in both languages.
      expect(pane).toBeInstanceOf(XlsxReadError);
      expect('thidua: ' + (pane as XlsxReadError).en).toBe(r.stderr);
      return;
    }
    expect([0, 1]).toContain(r.code);
    const issues = JSON.parse(r.stdout).issues as Issue[];
    if ('sameAsClean' in c.outcome) {
      expect(issues.map(key).sort()).toEqual(cleanIssues);
    } else {
      for (const want of c.outcome.issues) {
        const got = issues.find((i) => i.code === want.code && i.sheet === want.sheet && i.cell === want.cell);
        expect(got).toBeDefined();
        if (want.text) expect(got!.message).toContain(want.text);
      }
      // Messages are cut on whole characters: no lone surrogate anywhere.
      expect(r.stdout).not.toMatch(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])/i);
    }
    expect(pane).not.toBeInstanceOf(Error);
    expect(pane).toEqual(await readXlsxGrid(file));
  }, 60_000);
});
