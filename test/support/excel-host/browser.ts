/**
 * The stand-in host for the browser test: served in place of office.js, it installs `Office` and
 * `Excel` over an empty workbook (one `Sheet1`) and exposes the model as `window.__standin` so the
 * test can inspect the workbook. Built only by the tests (test/support/webpack.standin.js).
 */
import { StandinWorkbook, installHost } from './excel-standin';

const params = new URLSearchParams(window.location.search);
const model = new StandinWorkbook({
  displayLanguage: params.get('lang') ?? 'vi-VN',
  blanks: params.get('blanks') === 'null' ? 'null' : 'empty',
});
model.addSheet('Sheet1');
installHost(model, window as unknown as Record<string, unknown>);
(window as unknown as Record<string, unknown>).__standin = {
  model,
  grid: () => model.toGrid(),
  snapshot: (name: string) => model.snapshot(name),
  sheetNames: () => model.sheets.map((s) => s.name),
  syncCount: () => model.syncCount,
  selection: () => model.selection,
  activeSheet: () => model.activeSheet?.name ?? null,
  cell: (sheet: string, row: number, col: number) => model.sheet(sheet)?.cell(row, col) ?? null,
};
