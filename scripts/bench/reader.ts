/**
 * The reader's benchmark (issue 12): the command line's `validate --json` of one generated
 * 100,000-row submission, whole process (node start-up included), against the floor — the least
 * work that sees every cell: the same zip library (JSZip) inflating every sheet part and one scan of
 * its XML counting cells (floor.ts), also a whole process. Both alternate in the same run; peak RSS
 * from `/usr/bin/time -v` (or the child's own resource usage when that is missing). Then, once each
 * on the same file (issue 14's bound: 10 s and 1 GB whole process), `rank --json` and `rank --out`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { excelLikeXlsx, submission } from '../../test/support/hostile-xlsx';
import { median } from './stats';

export interface ProcessRun { readonly ms: number; readonly rssMB: number; readonly code: number | null; readonly stdout: string; readonly stdoutBytes: number }

const TIME = '/usr/bin/time';
/**
 * A whole process: wall time and peak RSS (GNU time's "Maximum resident set size"). Its output
 * is taken as bytes and decoded after the clock stops: turning 30 MB of JSON into a string here
 * is this harness's work (about 0.2 s), not the command's.
 */
export function runProcess(args: readonly string[], cwd: string): ProcessRun {
  const useTime = fs.existsSync(TIME);
  const t = process.hrtime.bigint();
  const r = useTime
    ? spawnSync(TIME, ['-v', process.execPath, ...args], { cwd, maxBuffer: 1 << 30 })
    : spawnSync(process.execPath, args, { cwd, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr?.toString('utf8') ?? '');
  return { ms, rssMB: m ? Number(m[1]) / 1024 : NaN, code: r.status, stdout: r.stdout.toString('utf8'), stdoutBytes: r.stdout.length };
}

export interface ReaderBench {
  readonly rows: number;
  readonly fileBytes: number;
  readonly cells: number;
  readonly validateMs: number;
  readonly floorMs: number;
  readonly ratioToFloor: number;
  readonly peakRssMB: number;
  readonly floorRssMB: number;
  readonly runsMs: number[];
  readonly floorRunsMs: number[];
  /** `rank FILE --json` and `rank FILE --out OUT` of the same file, whole process, once each (issue 14). */
  readonly rankJson: { readonly ms: number; readonly rssMB: number; readonly outBytes: number };
  readonly rankOut: { readonly ms: number; readonly rssMB: number; readonly outBytes: number };
}

export async function readerBench(root: string, units: number, reps: number): Promise<ReaderBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thidua-bench-reader-'));
  try {
    const file = path.join(dir, 'pc05-100k.xlsx');
    fs.writeFileSync(file, await excelLikeXlsx(submission(units)));
    const bin = path.join(root, 'bin', 'thidua.js');
    const floor = path.join(__dirname, 'floor.js');
    const ours: ProcessRun[] = [];
    const floors: ProcessRun[] = [];
    let cells = 0;
    // One warm-up of each (file cache), then alternate.
    runProcess([floor, file], root);
    runProcess([bin, 'validate', file, '--json'], root);
    for (let i = 0; i < reps; i++) {
      const f = runProcess([floor, file], root);
      if (f.code !== 0) throw new Error(`floor failed: ${f.stdout}`);
      cells = Number(f.stdout.trim());
      floors.push(f);
      const o = runProcess([bin, 'validate', file, '--json'], root);
      if (o.code === 2 || !o.stdout.startsWith('{')) throw new Error(`validate failed (exit ${o.code})`);
      ours.push(o);
    }
    const json = runProcess([bin, 'rank', file, '--json'], root);
    if (json.code === 2 || !json.stdout.startsWith('{')) throw new Error(`rank --json failed (exit ${json.code})`);
    const outFile = path.join(dir, 'ranking.xlsx');
    const out = runProcess([bin, 'rank', file, '--out', outFile], root);
    if (out.code === 2 || !fs.existsSync(outFile)) throw new Error(`rank --out failed (exit ${out.code})`);
    const validateMs = median(ours.map((r) => r.ms));
    const floorMs = median(floors.map((r) => r.ms));
    return {
      rows: units + 1, fileBytes: fs.statSync(file).size, cells,
      validateMs, floorMs, ratioToFloor: validateMs / floorMs,
      peakRssMB: Math.max(...ours.map((r) => r.rssMB)), floorRssMB: Math.max(...floors.map((r) => r.rssMB)),
      runsMs: ours.map((r) => Math.round(r.ms)), floorRunsMs: floors.map((r) => Math.round(r.ms)),
      rankJson: { ms: Math.round(json.ms), rssMB: json.rssMB, outBytes: json.stdoutBytes },
      rankOut: { ms: Math.round(out.ms), rssMB: out.rssMB, outBytes: fs.statSync(outFile).size },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const root = path.resolve(__dirname, '../../../..');
  readerBench(root, Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 3)).then((r) => console.log(JSON.stringify(r, null, 2)));
}
