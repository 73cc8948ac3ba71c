/**
 * The pane's headline after ranking names what it counts: the ranking tables' rows, how many of
 * them are ranked and how many are not eligible — on the bundled examples consolidated in a master
 * workbook, ranked by the add-in's own action on the stand-in.
 */
import { MASTER_COMPANY_CODE, SHEETS } from '../src/core/format';
import { RANKING_TABLE } from '../src/core/sheets';
import { rankGrids } from '../src/core/engine';
import type { WorkbookContent } from '../src/core/template';
import { rank } from '../src/excel/actions';
import { chooseExamples } from '../src/node/examples';
import { rankView } from '../src/taskpane/view';
import { bookWith, runOf } from './support/standin';

test('the headline: "N dòng: R đơn vị/cá nhân được xếp hạng, N − R không đủ điều kiện", N the table\'s rows', async () => {
  const files = chooseExamples().files;
  const all = (k: 'saving' | 'service' | 'individuals') => files.flatMap((f) => [...(f.content[k] ?? [])]);
  const content: WorkbookContent = {
    info: { ...files[0].content.info, companyCode: MASTER_COMPANY_CODE, companyName: 'Tổng công ty Điện lực miền Trung' },
    saving: all('saving') as WorkbookContent['saving'], service: all('service') as WorkbookContent['service'], individuals: all('individuals') as WorkbookContent['individuals'],
  };
  const wb = await bookWith(content);
  const result = await rank(runOf(wb), '15/01/2013 08:00');
  // Issue 10's layout: one table per category on the ranking sheet (continued per printed page as
  // `…_2`, `…_3`); N is their rows together.
  const names = Object.values(RANKING_TABLE);
  const tables = wb.tables.filter((t) => t.sheet === wb.sheet(SHEETS.ranking) && names.some((n) => t.name === n || new RegExp(`^${n}_\\d+$`).test(t.name)));
  for (const n of names) expect(tables.map((t) => t.name)).toContain(n);
  const rows = tables.reduce((sum, t) => sum + (t.r1 - t.r0), 0); // each header row excluded

  // The same ranking from the same cells, to know what the counts should be.
  const r = rankGrids([{ file: '', sheets: wb.sheets.filter((s) => s.name !== SHEETS.ranking).map((s) => wb.toSheetGrid(s)) }]);
  const entries = r.categories.flatMap((c) => c.entries);
  const ranked = entries.filter((e) => e.rank !== null).length;
  expect(rows).toBe(entries.length);
  expect(ranked).toBeLessThan(rows); // some are below the threshold, one has an error

  const vi = rankView(result, 'vi').headline;
  const fmt = (n: number) => n.toLocaleString('vi-VN');
  expect(vi).toBe(`${fmt(rows)} dòng: ${fmt(ranked)} đơn vị/cá nhân được xếp hạng, ${fmt(rows - ranked)} không đủ điều kiện; ${fmt(entries.filter((e) => e.award).length)} được khen thưởng.`);
  const en = rankView(result, 'en').headline;
  expect(en).toMatch(new RegExp(`^${rows} rows: ${ranked} units and people ranked, ${rows - ranked} not eligible; \\d+ receive an award\\.$`));
});
