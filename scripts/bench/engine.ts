/**
 * Engine speed: parse + validate + rank of a generated master (`rankGrids`, exactly what the task
 * pane and the CLI call), against a bare `Array.prototype.sort` of the same records by one numeric
 * key, timed in the same process.
 */
import { rankGrids } from '../../src/core/engine';
import { Master, masterGrid, sortRecords } from './generate';
import { median, round, timeIt } from './stats';

export interface EngineResult {
  readonly units: number;
  readonly individuals: number;
  readonly ms: number;
  readonly sortMs: number;
  readonly ratioToSort: number;
  readonly runsMs: number[];
  readonly sortRunsMs: number[];
}

/** Guards against dead-code elimination and proves the engine really ranked everything. */
let sink = 0;

export function engineBench(units: number, individuals: number, reps: number, master: Master = masterGrid(units, individuals)): EngineResult {
  const records = sortRecords(master);
  const sortRun = () => {
    const copy = records.slice();
    return timeIt(() => { copy.sort((a, b) => b.key - a.key); sink += copy.length; });
  };
  const engineRun = () => timeIt(() => {
    const r = rankGrids([master.grid]);
    // Every unit is listed in a service and a saving category, every person once.
    const ranked = r.categories.reduce((s, c) => s + c.entries.length, 0);
    if (ranked !== 2 * units + individuals) throw new Error(`ranking lists ${ranked} entries, expected ${2 * units + individuals}`);
    sink += ranked;
  });
  // One warm-up each (JIT), then alternate so that machine noise hits both alike.
  sortRun();
  engineRun();
  const runsMs: number[] = [];
  const sortRunsMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    sortRunsMs.push(sortRun());
    runsMs.push(engineRun());
  }
  const ms = median(runsMs);
  const sortMs = median(sortRunsMs);
  return {
    units, individuals, ms: round(ms), sortMs: round(sortMs, 2), ratioToSort: round(ms / sortMs),
    runsMs: runsMs.map((x) => round(x)), sortRunsMs: sortRunsMs.map((x) => round(x, 2)),
  };
}

export const engineSink = () => sink;

// `node lib/bench/scripts/bench/engine.js` runs this row alone (BENCH_REPS repetitions, default 5).
if (require.main === module) {
  const r = engineBench(100_000, 100_000, Math.max(1, Number(process.env.BENCH_REPS ?? 5)));
  console.log(`engine: ${r.ms} ms / sort ${r.sortMs} ms = ${r.ratioToSort} × (target ≤ 10 ×); runs ${r.runsMs.join(', ')} ms; sort runs ${r.sortRunsMs.join(', ')} ms`);
}
