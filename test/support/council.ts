/**
 * A master built from the bundled example files (read from the real .xlsx files), with ties made
 * from the examples' own data: the unit ranked just past the last unit-service certificate copies
 * the service values of the unit ranked last with one (same score, and service has no tie-break),
 * and the person ranked just past the last individual certificate gets that person's points.
 * Nothing is hard-coded: which units and people tie is computed from the data.
 */
import * as path from 'path';
import type { WorkbookGrid } from '../../src/core/cells';
import { rank, rankGrids, validateGrids } from '../../src/core/engine';
import { AREA, DEFAULT_AWARDS, LEVEL, MASTER_COMPANY_CODE } from '../../src/core/format';
import type { CategoryId, Dataset, Entry, Ranking } from '../../src/core/model';
import { DecisionRowContent, WorkbookContent, decisionsSheetPlan } from '../../src/core/template';
import { DEMO_ERROR, planGrid } from '../../src/node/examples';
import { readXlsxGrid } from '../../src/node/xlsx-read';
import { EXAMPLES, exampleFiles } from './xlsx-cli';

/**
 * The example files' records with the demo's one error put back (a unit's two kWh figures typed in
 * each other's column: saved > commercial), so a master made of them can be approved. The demo's
 * own tie (`DEMO_TIE`) stays: it is one more tie left to the council.
 */
export async function exampleDataset(): Promise<Dataset> {
  const grids = await Promise.all(exampleFiles().map((f) => readXlsxGrid(f, path.basename(f))));
  const ds = validateGrids(grids);
  const saving = ds.saving.map((s) => ((s.saved ?? 0) > (s.commercial ?? 0) ? { ...s, commercial: s.saved, saved: s.commercial } : s));
  return { ...ds, saving, issues: ds.issues.filter((i) => !(i.severity === 'error' && i.code === 'out-of-range')) };
}

const placesOf = (area: string, level: string) => DEFAULT_AWARDS.filter((a) => a.area === area && a.level === level).reduce((s, a) => s + a.count, 0);

/** The master's content from the examples' records, with the two ties made. */
export function masterWithTies(ds: Dataset): WorkbookContent {
  const r = rank(ds);
  const ranked = (id: CategoryId) => (r.categories.find((c) => c.id === id)?.entries ?? []).filter((e) => e.rank !== null);
  const saving = ds.saving.map((s) => ({ unitCode: s.unitCode ?? null, unitName: s.unitName ?? null, level: s.level ?? null, companyCode: s.companyCode ?? null, commercial: s.commercial ?? null, saved: s.saved ?? null, note: s.note ?? null }));
  const service = ds.service.map((s) => ({ unitCode: s.unitCode ?? null, values: { ...s.values } as Record<string, number | null> }));
  const individuals = ds.individuals.map((p) => ({ name: p.name ?? null, unitCode: p.unitCode ?? null, position: p.position ?? null, area: p.area ?? null, achievement: p.achievement ?? null, points: p.points ?? null }));

  const units = ranked('unit-service');
  const last = placesOf(AREA.service, LEVEL.unit);
  const [inside, outside] = [units[last - 1], units[last]];
  const from = service.find((s) => s.unitCode === inside.code);
  const to = service.find((s) => s.unitCode === outside.code);
  if (!from || !to) throw new Error('no service rows to tie');
  to.values = { ...from.values };

  const people = ranked('individual');
  const lastPerson = placesOf(AREA.individual, LEVEL.individual);
  const [pIn, pOut] = [people[lastPerson - 1], people[lastPerson]];
  const target = individuals.find((p) => p.name === pOut.name && p.unitCode === pOut.code);
  if (!target) throw new Error('no person to tie');
  target.points = pIn.value;

  return { info: { companyCode: MASTER_COMPANY_CODE, companyName: 'Tổng công ty Điện lực miền Trung', year: ds.year ?? 2012 }, saving, service, individuals };
}

/**
 * The content with the examples' one error on purpose (DEMO_ERROR: commercial and saved kWh typed in
 * each other's column) corrected as the Điện lực would resubmit it: the two figures swapped back.
 * Approval needs data with no error; everything else is the examples' own.
 */
export function withDemoErrorCorrected(content: WorkbookContent, ds: Dataset): WorkbookContent {
  const bad = ds.saving.filter((s) => s.origin.file === DEMO_ERROR.file && s.level === LEVEL.unit)[DEMO_ERROR.unitIndex];
  if (!bad || !(bad.saved! > bad.commercial!)) throw new Error(`no demo error in ${DEMO_ERROR.file}`);
  const saving = (content.saving ?? []).map((s) => (s.unitCode === bad.unitCode ? { ...s, commercial: bad.saved!, saved: bad.commercial! } : s));
  if (!saving.some((s) => s.unitCode === bad.unitCode)) throw new Error(`no row of ${bad.unitCode}`);
  return { ...content, saving };
}

/** The pending tied groups of a ranking, with the places each straddles. */
export function pendingTies(r: Ranking): { id: CategoryId; members: Entry[]; places: number }[] {
  const out: { id: CategoryId; members: Entry[]; places: number }[] = [];
  const byId = new Map(r.categoryTotals.map((t) => [t.id, t.pending]));
  for (const c of r.categories) {
    const groups = new Map<number, Entry[]>();
    for (const e of c.entries) if (e.pending && e.rank !== null) groups.set(e.rank, [...(groups.get(e.rank) ?? []), e]);
    const total = byId.get(c.id) ?? 0;
    const list = [...groups.values()];
    // One tie per category here (the helper makes one per category); its places are the category's pending count.
    for (const members of list) out.push({ id: c.id, members, places: list.length === 1 ? total : Math.min(members.length, total) });
  }
  return out;
}

const AREA_LEVEL: Readonly<Record<CategoryId, { area: string; level: string }>> = {
  'company-service': { area: AREA.service, level: LEVEL.company },
  'company-saving': { area: AREA.saving, level: LEVEL.company },
  'unit-service': { area: AREA.service, level: LEVEL.unit },
  'unit-saving': { area: AREA.saving, level: LEVEL.unit },
  individual: { area: AREA.individual, level: LEVEL.individual },
};

/** A decision row naming an entry of a category. */
export function decisionRow(id: CategoryId, e: Pick<Entry, 'code' | 'name'>, minutes?: string): DecisionRowContent {
  const { area, level } = AREA_LEVEL[id];
  return { area, level, unitCode: e.code, name: id === 'individual' ? e.name : null, minutes: minutes ?? null };
}

/** Decisions for every pending tie: the last members of each group (in list order) take its places. */
export function decideAll(r: Ranking, minutes?: string): DecisionRowContent[] {
  return pendingTies(r).flatMap((t) => t.members.slice(-t.places).reverse().map((e) => decisionRow(t.id, e, minutes)));
}

/**
 * The ranking of these grids once the council has decided every tie left to it (decideAll), its
 * decisions given as a separate decisions workbook the way `rank --decisions` reads one.
 */
export function rankDecided(grids: readonly WorkbookGrid[], minutes?: string): Ranking {
  const rows = decideAll(rankGrids(grids), minutes);
  return rankGrids(grids, { decisionsGrid: planGrid([decisionsSheetPlan(rows)], 'quyet-dinh.xlsx') });
}

export { EXAMPLES };
