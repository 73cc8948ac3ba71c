/**
 * The test Excel host in the browser test's page. The page's office.js request is answered with
 * Microsoft's `excel-web-16.00.js` followed by this bundle (test/support/webpack.standin.js): the
 * client library is Microsoft's, this wires it to a workbook in the page (one empty `Sheet1`, as
 * Excel opens a new workbook), so the pane's `Excel.run(batch)` goes through the real client to the
 * host. `window.__standin` lets the test inspect the workbook.
 */
import { StandinWorkbook } from './workbook';
import { ClientWindow, HOST_URL, installCustomFunctions, wireClient } from './office';
import { urlKey } from './keys';

const win = window as unknown as ClientWindow & Record<string, unknown>;
if (!win.Excel || !win.OfficeExtension) throw new Error('the test Excel host needs excel-web-16.00.js loaded first');

const params = new URLSearchParams(window.location.search);
const model = new StandinWorkbook({
  displayLanguage: params.get('lang') ?? 'vi-VN',
  blanks: params.get('blanks') === 'null' ? 'null' : 'empty',
  excelApi: params.get('excelApi') ?? undefined,
});
model.addSheet('Sheet1');
wireClient(win, (key) => (key === urlKey ? model : undefined), () => model);
// `Excel.run(batch)` without a context sends to this URL: the host, through the real client.
win.OfficeExtension.ClientRequestContext.defaultRequestUrlAndHeaders = { url: `${HOST_URL}${urlKey}/`, headers: {} };
const cf = win.CustomFunctions as { associate?: unknown } | undefined;
if (!cf || typeof cf.associate !== 'function') installCustomFunctions(win);

win.__standin = {
  model,
  grid: () => model.toGrid(),
  snapshot: (name: string) => model.snapshot(name),
  sheetNames: () => model.sheets.map((s) => s.name),
  syncCount: () => model.syncCount,
  requestSizes: () => [...model.requestSizes],
  responseSizes: () => [...model.responseSizes],
  selection: () => model.selection,
  activeSheet: () => model.activeSheet?.name ?? null,
  cell: (sheet: string, row: number, col: number) => model.sheet(sheet)?.cell(row, col) ?? null,
  /** Microsoft's client answered: the library's own objects are on the page. */
  client: () => ({ excel: typeof win.Excel?.RequestContext === 'function', officeExtension: typeof win.OfficeExtension?.HttpUtility?.setCustomSendRequestFunc === 'function' }),
};
