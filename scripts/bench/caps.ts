/**
 * The caps' measured bound (issue 14): the costliest files the caps admit, answered by the command
 * line's `validate --json`, `rank --json` and `rank --out`, each a whole process under GNU time.
 * Shapes: the most units under the cell cap (no service rows, a missing-row warning each), and a
 * master whose every cell of every unit row is wrong (service rows listed: the most issues).
 * `node lib/bench/scripts/bench/caps.js` runs it alone.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MAX_CELLS } from '../../src/core/xlsx-limits';
import { book, UnitRow } from '../../test/support/grids';
import { excelLikeXlsx, submission } from '../../test/support/hostile-xlsx';
import { runProcess } from './reader';

export interface CapRun { readonly file: string; readonly cells: number; readonly command: string; readonly ms: number; readonly rssMB: number; readonly code: number | null }

/** Cells of a grid holding a value (what the cap counts). */
const cellsOf = (g: ReturnType<typeof book>) => g.sheets.reduce((n, s) => n + s.rows.reduce((m, r) => m + r.filter((v) => v !== null && v !== undefined).length, 0), 0);

export async function capsBench(root: string): Promise<CapRun[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thidua-bench-caps-'));
  try {
    // Six cells a unit row: the most units under the cap.
    const units = Math.floor((MAX_CELLS - 1_000) / 6);
    const most = submission(units);
    const allBad: UnitRow[] = [];
    // Six cells in the unit row and seven in its service row, every one wrong.
    for (let i = 1; i <= Math.floor((MAX_CELLS - 1_000) / 13); i++) allBad.push({ code: `mã sai ${i}`, name: null, level: 'Phòng', company: 'không có', commercial: 'nhiều', saved: 'ít' });
    const bad = book({ company: 'PC05', units: allBad });
    const files: [string, ReturnType<typeof book>][] = [[`most-units-${units}.xlsx`, most], [`every-cell-wrong-${allBad.length}.xlsx`, bad]];
    const bin = path.join(root, 'bin', 'thidua.js');
    const out: CapRun[] = [];
    for (const [name, grid] of files) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, await excelLikeXlsx(grid));
      for (const command of ['validate --json', 'rank --json', 'rank --out']) {
        const args = [bin, ...command.split(' ').slice(0, 1), file, ...command.split(' ').slice(1)];
        if (command === 'rank --out') args.push(path.join(dir, 'out.xlsx'));
        const r = runProcess(args, root);
        if (r.code === 2) throw new Error(`${command} ${name}: exit 2 (${r.stdout.slice(0, 200)})`);
        out.push({ file: name, cells: cellsOf(grid), command, ms: Math.round(r.ms), rssMB: Math.round(r.rssMB), code: r.code });
      }
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  capsBench(path.resolve(__dirname, '../../../..')).then((rs) => {
    for (const r of rs) console.log(`${r.file} (${r.cells.toLocaleString('en-US')} cells) ${r.command}: ${(r.ms / 1000).toFixed(1)} s, ${r.rssMB} MB`);
  });
}
