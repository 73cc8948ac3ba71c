/** Where the engine's time goes at 100,000 units (a diagnostic, not part of `npm run bench`). */
import { consolidate, rank } from '../../src/core/engine';
import { fingerprintOf } from '../../src/core/fingerprint';
import { IssueSink, readCriteria, readWorkbook } from '../../src/core/reader';
import { masterGrid } from './generate';

const size = Number(process.argv[2] ?? 100000);
const m = masterGrid(size, size);
const time = <T>(label: string, f: () => T): T => {
  const t = performance.now();
  const r = f();
  console.log(label.padEnd(14), (performance.now() - t).toFixed(0).padStart(6), 'ms');
  return r;
};
for (let rep = 0; rep < 3; rep++) {
  console.log('--- rep', rep);
  const criteria = time('readCriteria', () => readCriteria(m.grid, new IssueSink('')));
  const book = time('readWorkbook', () => readWorkbook(m.grid, { fileIndex: 0, criteria }));
  const ds = time('consolidate', () => consolidate([book]));
  time('fingerprint', () => fingerprintOf(ds.year, ds.criteria, ds.saving, ds.service, ds.individuals));
  time('rank', () => rank(ds));
}
