/**
 * Before any reader timing: the lean reader (src/node/xlsx-read.ts) and the ExcelJS reader it
 * replaced (exceljs-reader.ts) must give the same grids — every sheet's name, origin and every
 * value, numbers bit for bit — on every example, the template and every fixture file; a file one
 * refuses the other must refuse too.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { CellValue, SheetGrid, WorkbookGrid } from '../../src/core/cells';
import { readXlsxGrid } from '../../src/node/xlsx-read';
import { readXlsxGridExcelJS } from './exceljs-reader';

export interface SameGrids {
  readonly files: number;
  readonly same: number;
  readonly refusedByBoth: number;
  readonly differences: string[];
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? walk(p) : d.name.endsWith('.xlsx') ? [p] : [];
  });
}

export function readerFiles(root: string): string[] {
  return [...walk(path.join(root, 'assets/examples')), path.join(root, 'assets/mau-bao-cao-thi-dua.xlsx'), ...walk(path.join(root, 'test/fixtures'))]
    .filter((f) => fs.existsSync(f)).sort();
}

const same = (a: CellValue | undefined, b: CellValue | undefined): boolean => {
  const x = a ?? null;
  const y = b ?? null;
  if (typeof x === 'object' && x !== null && typeof y === 'object' && y !== null) return x.error === y.error;
  return Object.is(x, y);
};

/** The first difference between two grids, or null. */
export function gridDiff(a: WorkbookGrid, b: WorkbookGrid): string | null {
  if (a.sheets.length !== b.sheets.length) return `${a.sheets.length} sheets vs ${b.sheets.length}: ${a.sheets.map((s) => s.name)} / ${b.sheets.map((s) => s.name)}`;
  for (let i = 0; i < a.sheets.length; i++) {
    const s: SheetGrid = a.sheets[i];
    const t: SheetGrid = b.sheets[i];
    if (s.name !== t.name) return `sheet ${i}: ${JSON.stringify(s.name)} vs ${JSON.stringify(t.name)}`;
    if (s.rows.length && (s.originRow !== t.originRow || s.originCol !== t.originCol)) return `${s.name}: origin ${s.originRow},${s.originCol} vs ${t.originRow},${t.originCol}`;
    if (s.rows.length !== t.rows.length) return `${s.name}: ${s.rows.length} rows vs ${t.rows.length}`;
    for (let r = 0; r < s.rows.length; r++) {
      const n = Math.max(s.rows[r].length, t.rows[r].length);
      for (let c = 0; c < n; c++) {
        if (!same(s.rows[r][c], t.rows[r][c])) return `${s.name} row ${r + s.originRow + 1} col ${c + s.originCol + 1}: ${JSON.stringify(s.rows[r][c])} vs ${JSON.stringify(t.rows[r][c])}`;
      }
    }
  }
  return null;
}

export async function sameGrids(root: string): Promise<SameGrids> {
  const files = readerFiles(root);
  const differences: string[] = [];
  let ok = 0;
  let refusedByBoth = 0;
  for (const f of files) {
    const name = path.relative(root, f);
    const lean = await readXlsxGrid(f).catch((e: Error) => e);
    const old = await readXlsxGridExcelJS(f).catch((e: Error) => e);
    if (lean instanceof Error || old instanceof Error) {
      if (lean instanceof Error && old instanceof Error) { refusedByBoth++; continue; }
      differences.push(`${name}: ${lean instanceof Error ? 'lean refused: ' + lean.message : 'ExcelJS refused: ' + (old as Error).message}`);
      continue;
    }
    const d = gridDiff(lean, old);
    if (d) differences.push(`${name}: ${d}`);
    else ok++;
  }
  return { files: files.length, same: ok, refusedByBoth, differences };
}

if (require.main === module) {
  const root = path.resolve(__dirname, '../../../..');
  sameGrids(root).then((r) => {
    console.log(JSON.stringify(r, null, 2));
    process.exit(r.differences.length ? 1 : 0);
  });
}
