/**
 * Child process (node --expose-gc): peak heap of one engine run. The heap only grows between
 * collections, so its peak is the largest "before" of the collections during the run (or the
 * heap at its end) — read exactly from V8's GC profiler, not sampled.
 * Prints one JSON line: { inputMB, peakMB, peakAboveInputMB }.
 */
import * as v8 from 'v8';
import { rankGrids } from '../../src/core/engine';
import { masterGrid } from './generate';

const units = Number(process.argv[2]);
const individuals = Number(process.argv[3]);
const gc = (globalThis as unknown as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const master = masterGrid(units, individuals);
// Warm the code once so the measured run is the steady state, then start clean.
rankGrids([masterGrid(1000, 1000).grid]);
gc();
gc();
const base = v8.getHeapStatistics().used_heap_size;
const profiler = new v8.GCProfiler();
profiler.start();
const ranking = rankGrids([master.grid]);
const end = v8.getHeapStatistics().used_heap_size;
const profile = profiler.stop() as unknown as { statistics: { beforeGC: { heapStatistics: { usedHeapSize: number } } }[] };
const peak = Math.max(end, ...profile.statistics.map((s) => s.beforeGC.heapStatistics.usedHeapSize));
const MB = 1024 * 1024;
process.stdout.write(JSON.stringify({
  inputMB: +(base / MB).toFixed(1), peakMB: +(peak / MB).toFixed(1), peakAboveInputMB: +((peak - base) / MB).toFixed(1),
  collections: profile.statistics.length, entries: ranking.categories.reduce((s, c) => s + c.entries.length, 0),
}) + '\n');
