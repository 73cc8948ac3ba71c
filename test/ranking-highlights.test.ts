/**
 * `Xếp hạng` colours its rows with conditional formatting (awards, ties the council decides,
 * entries not ranked): the rules pick exactly the rows the engine marks, `rank --out` writes them
 * into the sheet's XML, and the Office.js adapter gives Excel the same rules in the same order.
 */
import * as fs from 'fs';
import * as path from 'path';
import JSZip from 'jszip';
import { rankGrids } from '../src/core/engine';
import { PENDING_NOTE } from '../src/core/engine';
import { SHEETS } from '../src/core/format';
import type { Entry, Ranking } from '../src/core/model';
import { PlanCell, RowHighlight, RowStyle, RowTest, STYLE, TablePlan } from '../src/core/plan';
import { MEASURE_HEADER, RANKING_HEADERS, RANKING_TABLE, isRankingTable, rankingSheetPlan } from '../src/core/sheets';
import { rank } from '../src/excel/actions';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { bookWith, masterContent, runOf } from './support/standin';
import { loadStandin } from './support/standin-xlsx';
import { ensureBuilt, exampleFiles, tempDir, thidua } from './support/xlsx-cli';

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = tempDir('thidua-highlights-');
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

/** What a rule test means in Excel, on one cell's value. */
function holds(test: RowTest, v: PlanCell): boolean {
  if (test.equals !== undefined && !(typeof v === 'string' && v.toLowerCase() === test.equals.toLowerCase())) return false;
  if (test.nonEmpty && (v === null || String(v) === '')) return false;
  if (test.greaterThan !== undefined && !(typeof v === 'number' && v > test.greaterThan)) return false;
  return true;
}

function highlightOf(rules: readonly RowHighlight[], row: readonly PlanCell[]): RowStyle | undefined {
  return rules.find((r) => r.when.some((w) => holds(w, row[w.column] ?? null)))?.style;
}

function expectedStyle(e: Entry): RowStyle | undefined {
  return e.pending ? 'pending' : e.award ? 'award' : e.eligible ? undefined : 'excluded';
}

/** The ranking tables (one per category and printed page) as one: their rows in order, the shared rules. */
function rankingTable(r: Ranking): TablePlan {
  const tables = rankingSheetPlan(r, 't').tables.filter((t) => isRankingTable(t.name));
  for (const t of tables) expect(t.conditionalFormats).toBe(tables[0].conditionalFormats);
  return { ...tables[0], rows: tables.flatMap((t) => t.rows) };
}

describe('the rules pick the rows the engine marks', () => {
  test('ties at the award boundary, awards, excluded entries (master with equal companies)', async () => {
    // Equal companies have equal measures: ties everywhere, some straddling the last award place.
    const wb = await bookWith(masterContent([{ code: 'PC01', units: 4 }, { code: 'PC02', units: 4 }, { code: 'PC03', units: 4 }]));
    const r = rankGrids([wb.toGrid()]);
    const table = rankingTable(r);
    const entries = r.categories.flatMap((c) => c.entries);
    const styles = table.rows.map((row) => highlightOf(table.conditionalFormats!, row));
    expect(styles).toEqual(entries.map(expectedStyle));
    for (const s of ['pending', 'award', 'excluded'] as const) expect(styles).toContain(s);
    expect(table.rowStyles).toBeUndefined();
  });

  test('the bundled examples', async () => {
    const grids = await Promise.all(exampleFiles().map((f) => readXlsxGrid(f)));
    const r = rankGrids(grids);
    const table = rankingTable(r);
    const styles = table.rows.map((row) => highlightOf(table.conditionalFormats!, row));
    expect(styles).toEqual(r.categories.flatMap((c) => c.entries).map(expectedStyle));
    for (const st of ['pending', 'award', 'excluded'] as const) expect(styles).toContain(st);
  });
});

const unescapeXml = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

interface WrittenRule {
  readonly range: string;
  readonly formula: string;
  readonly fill: string;
}

/** The conditional formats of one sheet of an .xlsx, highest priority first, fills resolved. */
async function rulesInFile(file: string, sheet: string): Promise<{ rules: WrittenRule[]; table: { ref: string; columns: string[] } }> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const text = (name: string) => zip.file(name)!.async('string');
  const workbook = await text('xl/workbook.xml');
  const rid = new RegExp(`<sheet [^>]*name="${sheet}"[^>]*r:id="([^"]+)"`).exec(workbook)![1];
  const target = new RegExp(`<Relationship [^>]*Id="${rid}"[^>]*Target="([^"]+)"`).exec(await text('xl/_rels/workbook.xml.rels'))![1];
  const sheetPath = path.posix.join('xl', target.replace(/^\/?xl\//, ''));
  const xml = await text(sheetPath);
  const dxfs = [...(await text('xl/styles.xml')).matchAll(/<dxf>([\s\S]*?)<\/dxf>/g)].map((m) => /<bgColor rgb="FF([0-9A-F]{6})"/.exec(m[1])?.[1] ?? '');
  const rules: (WrittenRule & { priority: number })[] = [];
  for (const cf of xml.matchAll(/<conditionalFormatting sqref="([^"]+)">([\s\S]*?)<\/conditionalFormatting>/g)) {
    for (const rule of cf[2].matchAll(/<cfRule type="expression" dxfId="(\d+)" priority="(\d+)"><formula>([^<]*)<\/formula><\/cfRule>/g)) {
      rules.push({ range: cf[1], formula: unescapeXml(rule[3]), fill: dxfs[Number(rule[1])], priority: Number(rule[2]) });
    }
  }
  rules.sort((a, b) => a.priority - b.priority);
  // The ranking table's range and column names, from the table part on this sheet.
  let table = { ref: '', columns: [] as string[] };
  for (const name of Object.keys(zip.files).filter((n) => /^xl\/tables\/[^/]+\.xml$/.test(n))) {
    const t = await text(name);
    if (!new RegExp(`<table [^>]*name="${RANKING_TABLE['company-service']}"`).test(t)) continue;
    table = { ref: /<table [^>]*ref="([^"]+)"/.exec(t)![1], columns: [...t.matchAll(/<tableColumn [^>]*name="([^"]+)"/g)].map((m) => unescapeXml(m[1])) };
  }
  return { rules: rules.map(({ range, formula, fill }) => ({ range, formula, fill })), table };
}

describe('rank --out', () => {
  test('the sheet XML holds the three rules over the table body, pointing at the right columns', async () => {
    const out = path.join(dir, 'ranking.xlsx');
    const r = thidua(['rank', ...exampleFiles(), '--out', out]);
    expect(r.code).toBe(1); // the examples' one error
    const { rules, table } = await rulesInFile(out, SHEETS.ranking);
    // Columns by their header in the written table, the first body row below the header row.
    expect(table.columns).toEqual(RANKING_HEADERS.map((h) => (h === 'Chỉ số' ? MEASURE_HEADER['company-service'] : h)));
    const [, c0, r0, c1, r1] = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(table.ref)!;
    const row = Number(r0) + 1;
    const col = (header: string) => String.fromCharCode(c0.charCodeAt(0) + table.columns.indexOf(header));
    const body = `${c0}${row}:${c1}${r1}`;
    const ref = (header: string) => `$${col(header)}${row}`;
    // The first category's table comes first: its three rules hold the highest priorities.
    expect(rules.slice(0, 3)).toEqual([
      { range: body, formula: `${ref('Ghi chú')}="${PENDING_NOTE}"`, fill: STYLE.rows.pending },
      { range: body, formula: `OR(AND(ISNUMBER(${ref('Tiền thưởng (VND)')}),${ref('Tiền thưởng (VND)')}>0),LEN(${ref('Danh hiệu')})>0)`, fill: STYLE.rows.award },
      { range: body, formula: `${ref('Đủ điều kiện')}="Không"`, fill: STYLE.rows.excluded },
    ]);
  });

  test('the add-in gives Excel the same rules, in the same order, as the file for the same data', async () => {
    const file = exampleFiles()[0];
    const out = path.join(dir, 'one.xlsx');
    expect(thidua(['rank', file, '--out', out]).code).toBe(0);
    const { rules } = await rulesInFile(out, SHEETS.ranking);

    const wb = await loadStandin(file);
    await rank(runOf(wb), 't');
    const a1 = (r: number, c: number) => `${String.fromCharCode(65 + c)}${r + 1}`;
    const inExcel = wb.sheet(SHEETS.ranking)!.conditionalFormats.map((cf) => ({
      range: `${a1(cf.r0, cf.c0)}:${a1(cf.r1, cf.c1)}`, formula: cf.formula!.replace(/^=/, ''), fill: cf.fill!.replace(/^#/, ''),
    }));
    const tables = rankingSheetPlan(rankGrids([await readXlsxGrid(file)]), 't').tables.filter((t) => isRankingTable(t.name)).length;
    expect(rules).toHaveLength(3 * tables);
    expect(inExcel).toEqual(rules);
    // Rerunning replaces the sheet: the rules are not stacked up.
    await rank(runOf(wb), 't');
    expect(wb.sheet(SHEETS.ranking)!.conditionalFormats).toHaveLength(3 * tables);
  });
});
