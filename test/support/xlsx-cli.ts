/**
 * Runs the real command-line tool (bin/thidua.js → lib/) in a child process. The compiled lib/ is
 * rebuilt first when any source under src/core, src/node or src/cli is newer than it, so a test
 * never runs stale code.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'thidua.js');
export const EXAMPLES = path.join(ROOT, 'assets', 'examples');
export const TEMPLATE = path.join(ROOT, 'assets', 'mau-bao-cao-thi-dua.xlsx');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function fresh(): boolean {
  const entry = path.join(ROOT, 'lib', 'cli', 'main.js');
  const src = Math.max(...['core', 'node', 'cli'].map((d) => newestSource(path.join(ROOT, 'src', d))));
  return fs.existsSync(entry) && fs.statSync(entry).mtimeMs >= src;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Compile lib/ when stale; Jest workers running at once take turns through a lock folder. */
export function ensureBuilt(): void {
  if (fresh()) return;
  const lock = path.join(os.tmpdir(), `thidua-build-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) fs.rmSync(lock, { recursive: true, force: true });
      sleep(200);
    }
  }
  try {
    if (!fresh()) execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.cli.json')], { stdio: 'pipe' });
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function thidua(args: readonly string[], cwd: string = ROOT): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, THIDUA_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function exampleFiles(): string[] {
  return fs.readdirSync(EXAMPLES).filter((n) => n.endsWith('.xlsx')).sort().map((n) => path.join(EXAMPLES, n));
}

export function tempDir(prefix = 'thidua-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
