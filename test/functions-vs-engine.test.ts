/**
 * A cell and the ranking sheet can never disagree (functions.md): for every unit of the bundled
 * example workbooks, EVN.SAVINGPCT and EVN.SERVICESCORE equal the ranking's values.
 */
import { readdirSync } from 'fs';
import { join } from 'path';
import { rankGrids, validateGrids } from '../src/core/engine';
import { criterionHeader } from '../src/core/format';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { savingEligible, savingPct, serviceScoreFn } from '../src/functions/evn';

const dir = join(__dirname, '..', 'assets', 'examples');

test('SAVINGPCT, SAVINGELIGIBLE and SERVICESCORE equal the ranking for every example unit', async () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.xlsx')).sort();
  expect(files.length).toBeGreaterThanOrEqual(13);
  const grids = await Promise.all(files.map((f) => readXlsxGrid(join(dir, f), f)));
  const ds = validateGrids(grids);
  const r = rankGrids(grids);
  const values = new Map<string, number | null>();
  for (const c of r.categories) for (const e of c.entries) values.set(`${c.id}:${e.code}`, e.value);
  const crit = ds.criteria.criteria;
  let checked = 0;
  let invalid = 0;
  for (const u of ds.saving) {
    const kind = u.level === 'Công ty' ? 'company' : 'unit';
    const pct = savingPct(u.saved, u.commercial);
    const threshold = kind === 'company' ? ds.criteria.params.companyThreshold : ds.criteria.params.unitThreshold;
    const eligible = r.categories.find((c) => c.id === `${kind}-saving`)!.entries.find((e) => e.code === u.unitCode)!.eligible;
    if (u.errorFields.size) {
      // The examples' one invalid row (saved > commercial): no rate in the ranking, #NUM! in the cell.
      expect(values.get(`${kind}-saving:${u.unitCode}`)).toBeNull();
      expect(pct).toMatchObject({ error: 'num', code: '#NUM!' });
      expect(savingEligible(u.saved, u.commercial, threshold)).toMatchObject({ code: '#NUM!' });
      invalid++;
    } else {
      expect(pct).toEqual({ value: values.get(`${kind}-saving:${u.unitCode}`) });
      expect(savingEligible(u.saved, u.commercial, threshold)).toEqual({ value: eligible });
    }
    const s = ds.service.find((x) => x.unitCode === u.unitCode)!;
    const score = serviceScoreFn(
      [crit.map((c) => s.values[c.code] ?? null)], [crit.map((c) => c.target)], [crit.map((c) => c.weight)], [crit.map((c) => c.direction)],
    );
    expect(score).toEqual({ value: values.get(`${kind}-service:${u.unitCode}`) });
    checked++;
  }
  expect(checked).toBe(ds.saving.length);
  expect(invalid).toBe(1);
  expect(checked).toBeGreaterThan(100);
  expect(crit.map(criterionHeader).length).toBe(6);
});

test('SAVINGPCT of one cell (fast path) equals the same figures as a summed range (general path)', () => {
  const fc = require('fast-check');
  const kwh = fc.integer({ min: 0, max: 2_000_000_000_000 }).map((n: number) => n / 100);
  fc.assert(fc.property(kwh, kwh, (a: number, b: number) => {
    const [s, c] = a <= b ? [a, b] : [b, a];
    if (c === 0) return;
    expect(savingPct(s, c)).toEqual(savingPct([[s, null]], [[c, 0]]));
    expect(savingPct([[s]], [[c]])).toEqual(savingPct([[s, 0]], [[c, null]]));
  }), { numRuns: 3000 });
});
