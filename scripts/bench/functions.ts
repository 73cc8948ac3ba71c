/**
 * `EVN.SAVINGPCT` as Excel calls it (the registered function of src/functions/functions.ts, with
 * its arguments as 1×1 matrices), one million calls against a bare `(a, b) => a / b`.
 */
import { savingPctFunction } from '../../src/functions/functions';
import { median, round, timeIt } from './stats';

export interface FunctionsResult {
  readonly calls: number;
  readonly nsPerCall: number;
  readonly divisionNsPerCall: number;
  readonly ratioToDivision: number;
}

export function savingPctBench(calls: number, reps: number): FunctionsResult {
  const POOL = 1024;
  const saved: number[] = [];
  const commercial: number[] = [];
  for (let i = 0; i < POOL; i++) {
    commercial.push(50e6 + ((i * 7919) % 950) * 1e6);
    saved.push(Math.round(commercial[i] * (0.005 + ((i * 31) % 150) / 10000)));
  }
  // Excel hands a matrix parameter over as [[x]] even for one cell.
  const savedArgs = saved.map((x) => [[x]]);
  const commercialArgs = commercial.map((x) => [[x]]);
  const division = (a: number, b: number) => a / b;
  let acc = 0;
  const fnRun = () => timeIt(() => {
    for (let i = 0; i < calls; i++) acc += savingPctFunction(savedArgs[i & (POOL - 1)], commercialArgs[i & (POOL - 1)]);
  });
  const divRun = () => timeIt(() => {
    for (let i = 0; i < calls; i++) acc += division(saved[i & (POOL - 1)], commercial[i & (POOL - 1)]);
  });
  fnRun();
  divRun();
  const fn: number[] = [];
  const div: number[] = [];
  for (let i = 0; i < reps; i++) {
    fn.push(fnRun());
    div.push(divRun());
  }
  if (!Number.isFinite(acc)) throw new Error('unexpected result');
  const nsPerCall = (median(fn) * 1e6) / calls;
  const divisionNsPerCall = (median(div) * 1e6) / calls;
  return { calls, nsPerCall: round(nsPerCall, 1), divisionNsPerCall: round(divisionNsPerCall, 2), ratioToDivision: round(nsPerCall / divisionNsPerCall) };
}
