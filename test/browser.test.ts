/**
 * The BUILT task pane in a real browser (Debian chromium through playwright-core). Where the page
 * loads office.js it gets Microsoft's Excel client library (`@microsoft/office-js`,
 * `excel-web-16.00.js`) followed by the test Excel host (test/support/excel-host/browser.ts): the
 * pane's `Excel.run` goes through Microsoft's client to a workbook in the page. A person's path: create the master template,
 * import the example submissions (and one again: replace, after a confirmation naming the
 * company), validate and click an issue (its cell is selected), rank; screenshots go to docs/.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { chromium, Browser, Page } from 'playwright-core';
import type { WorkbookGrid } from '../src/core/cells';
import { validateGrids } from '../src/core/engine';
import { INPUT_SHEETS, SAVING, SHEETS } from '../src/core/format';
import { ROOT, buildAddin } from './support/webpack-build';

const EXAMPLES = path.join(ROOT, 'assets', 'examples');
const DOCS = path.join(ROOT, 'docs');
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

let out = '';
let standinJs = '';
let server: http.Server;
let base = '';
let browser: Browser;

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'application/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.xml': 'application/xml' };

beforeAll(async () => {
  out = buildAddin('browser', 'production');
  const standinOut = path.join(ROOT, 'test', '.tmp', 'standin-browser');
  const cli = path.join(path.dirname(require.resolve('webpack-cli/package.json', { paths: [ROOT] })), 'bin', 'cli.js');
  execFileSync(process.execPath, [cli, '--config', path.join(ROOT, 'test', 'support', 'webpack.standin.js'), '--env', `out=${standinOut}`], { cwd: ROOT, stdio: 'pipe' });
  // Microsoft's client first, then the host that answers it.
  standinJs = `${fs.readFileSync(require.resolve('@microsoft/office-js/dist/excel-web-16.00.js'), 'utf8')}\n;\n${fs.readFileSync(path.join(standinOut, 'standin.js'), 'utf8')}`;
  server = http.createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\/+/, '');
    const file = path.join(out, rel);
    if (!file.startsWith(out) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 300000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

async function open(query = ''): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 380, height: 900 }, deviceScaleFactor: 1 });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('request', (r) => requests.push(r.url()));
  // Microsoft's client and the test host are served where the page loads office.js; nothing else leaves the machine.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === OFFICE_JS) return route.fulfill({ status: 200, contentType: 'application/javascript', body: standinJs });
    if (url.startsWith(base)) return route.continue();
    return route.abort();
  });
  await page.goto(`${base}/taskpane.html${query}`);
  await page.waitForSelector('#btn-template');
  return { page, problems, requests };
}

const grid = (page: Page) => page.evaluate(() => (window as unknown as { __standin: { grid(): unknown } }).__standin.grid()) as Promise<WorkbookGrid>;
const snapshotInputs = (page: Page, names: readonly string[]) =>
  page.evaluate((ns) => ns.map((n) => (window as unknown as { __standin: { snapshot(n: string): string } }).__standin.snapshot(n)).join('\n'), names);

test('the built pane: small initial bundle, a CSP without inline script', () => {
  const html = fs.readFileSync(path.join(out, 'taskpane.html'), 'utf8');
  const csp = /Content-Security-Policy"? content="([^"]+)"/.exec(html)?.[1] ?? '';
  expect(csp).toMatch(/script-src 'self'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is external
  const initial = [...html.matchAll(/<script[^>]*src="?([^" >]+)"?/g)].map((m) => m[1]).filter((s) => !s.startsWith('http'));
  expect(initial).toEqual(expect.arrayContaining(['taskpane.js']));
  const taskpaneBytes = fs.statSync(path.join(out, 'taskpane.js')).size;
  expect(taskpaneBytes).toBeLessThanOrEqual(200 * 1024);
  // ExcelJS is not in the initial bundle.
  expect(fs.readFileSync(path.join(out, 'taskpane.js'), 'utf8')).not.toMatch(/exceljs|ExcelJS/);
});

test('create template, import, validate (click an issue), rank — in a real browser', async () => {
  const { page, problems, requests } = await open();
  const t0 = requests.length;
  expect(await page.textContent('h1')).toBe('Thi đua EVNCPC');

  // 1. Create the master template.
  await page.selectOption('#template-kind', 'master');
  await page.fill('#template-year', '2012');
  await page.click('#btn-template');
  await page.waitForSelector('.message-ok');
  let g = await grid(page);
  for (const n of INPUT_SHEETS) expect(g.sheets.map((s) => s.name)).toContain(n);
  // The requests came through Microsoft's client library (its RequestContext serialized them).
  expect(await page.evaluate(() => (window as unknown as { __standin: { client(): unknown } }).__standin.client())).toEqual({ excel: true, officeExtension: true });
  expect(await page.evaluate(() => (window as unknown as { __standin: { syncCount(): number } }).__standin.syncCount())).toBeGreaterThan(INPUT_SHEETS.length);
  // The import reader is not loaded until an import.
  expect(requests.slice(t0).filter((u) => /xlsx|\d+\.js$/.test(u))).toEqual([]);

  // 2. Import every example submission through the file chooser.
  const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.xlsx')).sort();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#btn-import')]);
  await chooser.setFiles(files.map((f) => path.join(EXAMPLES, f)));
  await page.waitForSelector('#import-summary', { timeout: 60000 });
  const summary = await page.textContent('#import-summary');
  expect(summary).toContain(`Thêm mới ${files.length} công ty`);
  expect(await page.locator('.badge-added').count()).toBe(files.length);
  g = await grid(page);
  const imported = validateGrids([g]);
  expect(new Set(imported.saving.filter((r) => r.level === 'Công ty').map((r) => r.unitCode)).size).toBe(files.length);
  const unitsAfterFirst = imported.saving.length;

  // The same file again: the pane asks, naming the company; confirming replaces, nothing doubles.
  const [again] = await Promise.all([page.waitForEvent('filechooser'), page.click('#btn-import')]);
  await again.setFiles(path.join(EXAMPLES, files[0]));
  await page.waitForSelector('#confirm-yes');
  const confirmText = await page.textContent('.confirm-list');
  const firstCompany = validateGrids([{ ...g, file: '' }]).saving[0].companyCode!;
  expect(confirmText).toContain(firstCompany);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('confirm-yes');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#import-summary');
  expect(await page.textContent('#import-summary')).toContain('thay thế 1');
  expect(validateGrids([await grid(page)]).saving.length).toBe(unitsAfterFirst);

  // A user mistake, typed into the master: text where a number belongs, with markup in it.
  const savedCol = SAVING.fields.findIndex((f) => f.key === 'saved');
  await page.evaluate(({ sheet, col }) => {
    const m = (window as unknown as { __standin: { model: { sheet(n: string): { touch(r: number, c: number): { v: unknown } } } } }).__standin.model;
    m.sheet(sheet).touch(4, col).v = '<b>abc</b>';
  }, { sheet: SAVING.sheet, col: savedCol });

  // 3. Validate: counts by severity, the list; clicking an issue selects its cell.
  const inputsBefore = await snapshotInputs(page, INPUT_SHEETS);
  await page.click('#btn-validate');
  await page.waitForSelector('#issue-counts');
  expect(await snapshotInputs(page, INPUT_SHEETS)).toBe(inputsBefore);
  const errorsShown = Number(await page.textContent('.count-error strong'));
  expect(errorsShown).toBeGreaterThanOrEqual(1);
  expect(await page.locator('.issues b').count()).toBe(0); // workbook text is text, never markup
  const bad = page.locator('.issue-link', { hasText: '<b>abc</b>' });
  await expect(bad.count()).resolves.toBe(1);
  const cellA1 = `F5`;
  expect(await bad.textContent()).toContain(`${SAVING.sheet}!${cellA1}`);
  await page.screenshot({ path: path.join(DOCS, 'taskpane-validate.png'), fullPage: true });
  await bad.focus();
  await page.keyboard.press('Enter'); // keyboard works as well as the mouse
  await page.waitForFunction(() => (window as unknown as { __standin: { selection(): { address: string } | null } }).__standin.selection()?.address === 'F5');
  expect(await page.evaluate(() => (window as unknown as { __standin: { selection(): unknown } }).__standin.selection())).toEqual({ sheet: SAVING.sheet, address: cellA1 });
  const report = (await grid(page)).sheets.find((s) => s.name === SHEETS.report);
  expect(report).toBeDefined();

  // Fix the mistake, rank.
  await page.evaluate(({ sheet, col }) => {
    const m = (window as unknown as { __standin: { model: { sheet(n: string): { touch(r: number, c: number): { v: unknown } } } } }).__standin.model;
    m.sheet(sheet).touch(4, col).v = 1000;
  }, { sheet: SAVING.sheet, col: savedCol });
  const inputsBeforeRank = await snapshotInputs(page, INPUT_SHEETS);
  await page.click('#btn-rank');
  await page.waitForSelector('.figures');
  expect(await snapshotInputs(page, INPUT_SHEETS)).toBe(inputsBeforeRank);
  const ranking = (await grid(page)).sheets.find((s) => s.name === SHEETS.ranking)!;
  expect(ranking.rows.flat()).toEqual(expect.arrayContaining(['Xuất sắc', 'Cờ thi đua']));
  expect(await page.getAttribute('#freshness', 'data-state')).toBe('fresh');
  const figures = await page.textContent('.figures');
  expect(figures).toMatch(/Tổng tiền thưởng/);

  // Stale check: the data changes after ranking → the pane says so (after the next action).
  await page.evaluate(({ sheet, col }) => {
    const m = (window as unknown as { __standin: { model: { sheet(n: string): { touch(r: number, c: number): { v: unknown } } } } }).__standin.model;
    m.sheet(sheet).touch(4, col).v = 2000;
  }, { sheet: SAVING.sheet, col: savedCol });
  await page.click('#btn-validate');
  await page.waitForSelector('#freshness[data-state="stale"]');
  expect(await page.isVisible('#freshness')).toBe(true);
  await page.click('#btn-rank');
  await page.waitForSelector('#freshness[data-state="fresh"]');
  await page.waitForSelector('.figures');
  await page.screenshot({ path: path.join(DOCS, 'taskpane-rank.png'), fullPage: true });

  expect(problems).toEqual([]);
  await page.close();
}, 180000);

test('English when Office is in English', async () => {
  const { page, problems } = await open('?lang=en-US');
  expect(await page.textContent('#btn-rank')).toBe('Rank');
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  expect(problems).toEqual([]);
  await page.close();
});
