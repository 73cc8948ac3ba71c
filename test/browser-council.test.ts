/**
 * The council's decision and the approval in the BUILT pane, in a real browser (Debian chromium
 * through playwright-core) over the strict Office.js stand-in, with the keyboard only: a master of
 * the example submissions with ties made from their own data, Rank, tick the council's choice,
 * Ghi quyết định, Phê duyệt, a change of the data (stale after approval), Rank again (asked first).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { chromium, Browser, Page } from 'playwright-core';
import type { WorkbookGrid } from '../src/core/cells';
import { APPROVED_MARK } from '../src/core/approval';
import { rank, validateGrids } from '../src/core/engine';
import { AREA, DEFAULT_AWARDS, INDIVIDUAL, LEVEL, SERVICE, SHEETS } from '../src/core/format';
import { ROOT, buildAddin } from './support/webpack-build';

const EXAMPLES = path.join(ROOT, 'assets', 'examples');
const DOCS = path.join(ROOT, 'docs');
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const SEED_TOTALS = { prize: 59_000_000, flags: 4, certificates: 40, pending: 0 };
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'application/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png' };

let out = '';
let standinJs = '';
let server: http.Server;
let base = '';
let browser: Browser;

beforeAll(async () => {
  out = buildAddin('council', 'production');
  const standinOut = path.join(ROOT, 'test', '.tmp', 'standin-council');
  const cli = path.join(path.dirname(require.resolve('webpack-cli/package.json', { paths: [ROOT] })), 'bin', 'cli.js');
  execFileSync(process.execPath, [cli, '--config', path.join(ROOT, 'test', 'support', 'webpack.standin.js'), '--env', `out=${standinOut}`], { cwd: ROOT, stdio: 'pipe' });
  standinJs = fs.readFileSync(path.join(standinOut, 'standin.js'), 'utf8');
  server = http.createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\/+/, '');
    const file = path.join(out, rel);
    if (!file.startsWith(out) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}, 300000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

type Standin = { model: { sheet(n: string): { touch(r: number, c: number): { v: unknown }; protected: boolean } | undefined }; grid(): unknown; snapshot(n: string): string };
const grid = (page: Page) => page.evaluate(() => (window as unknown as { __standin: Standin }).__standin.grid()) as Promise<WorkbookGrid>;
const setCell = (page: Page, sheet: string, row: number, col: number, v: unknown) =>
  page.evaluate(({ sheet, row, col, v }) => { (window as unknown as { __standin: Standin }).__standin.model.sheet(sheet)!.touch(row, col).v = v; }, { sheet, row, col, v });
const isProtected = (page: Page, sheet: string) => page.evaluate((s) => (window as unknown as { __standin: Standin }).__standin.model.sheet(s)?.protected ?? null, sheet);
/** Press a control with the keyboard: focus it as Tab would, then the key. */
async function press(page: Page, selector: string, key = 'Enter') {
  await page.focus(selector);
  await page.keyboard.press(key);
}
const places = (area: string, level: string) => DEFAULT_AWARDS.filter((a) => a.area === area && a.level === level).reduce((s, a) => s + a.count, 0);

test('keyboard only: rank, decide the ties, approve, stale after an edit, rank again after confirming', async () => {
  const page = await browser.newPage({ viewport: { width: 380, height: 1000 }, deviceScaleFactor: 1 });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === OFFICE_JS) return route.fulfill({ status: 200, contentType: 'application/javascript', body: standinJs });
    if (url.startsWith(base)) return route.continue();
    return route.abort();
  });
  await page.goto(`${base}/taskpane.html`);
  await page.waitForSelector('#btn-template');

  // The master: template, then every example submission imported.
  await page.selectOption('#template-kind', 'master');
  await page.fill('#template-year', '2012');
  await press(page, '#btn-template');
  await page.waitForSelector('.message-ok');
  expect((await grid(page)).sheets.map((s) => s.name)).toContain(SHEETS.decisions);
  const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.xlsx')).sort();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), press(page, '#btn-import')]);
  await chooser.setFiles(files.map((f) => path.join(EXAMPLES, f)));
  await page.waitForSelector('#import-summary', { timeout: 60000 });

  // Ties from the data: the first unit without a service certificate copies the last one's values;
  // the first person without a certificate gets the last one's points.
  const ds = validateGrids([await grid(page)]);
  const r = rank(ds);
  const ranked = (id: string) => r.categories.find((c) => c.id === id)!.entries.filter((e) => e.rank !== null);
  const u = ranked('unit-service');
  const nUnits = places(AREA.service, LEVEL.unit);
  const from = ds.service.find((s) => s.unitCode === u[nUnits - 1].code)!;
  const to = ds.service.find((s) => s.unitCode === u[nUnits].code)!;
  for (const [key, col] of Object.entries(to.origin.cols)) {
    if (key === 'unitCode') continue;
    await setCell(page, SERVICE.sheet, to.origin.row, col, from.values[key]);
  }
  const p = ranked('individual');
  const nPeople = places(AREA.individual, LEVEL.individual);
  const person = ds.individuals.find((x) => x.name === p[nPeople].name && x.unitCode === p[nPeople].code)!;
  await setCell(page, INDIVIDUAL.sheet, person.origin.row, person.origin.cols.points, p[nPeople - 1].value);

  // Rank: places pending, the council step lists each tie with its places.
  await press(page, '#btn-rank');
  await page.waitForSelector('#council:not([hidden])');
  expect(await page.isDisabled('#btn-approve')).toBe(true);
  const legends = await page.locator('#council legend').allTextContents();
  expect(legends).toHaveLength(2);
  expect(legends.join('\n')).toMatch(/Dịch vụ khách hàng – Điện lực: đồng hạng \d+, 1 suất/);
  expect(legends.join('\n')).toMatch(/Cá nhân: đồng hạng \d+, 1 suất/);
  // Tick one entry of each tie with Space; a full tie disables its other boxes.
  for (const n of [0, 1]) {
    await press(page, `#tie-${n}-1`, 'Space');
    expect(await page.isChecked(`#tie-${n}-1`)).toBe(true);
    expect(await page.isDisabled(`#tie-${n}-0`)).toBe(true);
    expect(await page.textContent(`#tie-${n}-order`)).toMatch(/1\. .*→ Xuất sắc/);
  }
  await page.focus('#council-minutes');
  await page.keyboard.type('12/BB-HĐTĐ');
  await page.screenshot({ path: path.join(DOCS, 'taskpane-council.png'), fullPage: true });
  const otherInputs = async () => page.evaluate((names) => names.map((n) => (window as unknown as { __standin: Standin }).__standin.snapshot(n)).join('\n'),
    [SHEETS.info, SHEETS.saving, SHEETS.service, SHEETS.individual, SHEETS.criteria]);
  const before = await otherInputs();
  await press(page, '#btn-council-save');
  await page.waitForFunction(() => document.querySelector('#results')?.textContent?.includes('Quyết định Hội đồng'));
  await page.waitForSelector('#council[hidden]', { state: 'attached' });
  expect(await otherInputs()).toBe(before);
  const decided = rank(validateGrids([await grid(page)]));
  expect(decided.totals).toEqual(SEED_TOTALS);
  expect(await page.textContent('.figures')).toContain('59.000.000');

  // Approve: the name typed, Enter on the button.
  expect(await page.isDisabled('#btn-approve')).toBe(false);
  await page.focus('#approve-by');
  await page.keyboard.type('Trần Thị Bình');
  await press(page, '#btn-approve');
  await page.waitForSelector('#freshness[data-state="approved"]');
  const rankingSheet = (await grid(page)).sheets.find((s) => s.name === SHEETS.ranking)!;
  expect(String(rankingSheet.rows[0][0])).toContain(APPROVED_MARK);
  expect(rankingSheet.rows.flat()).toContain('Trần Thị Bình');
  expect(await isProtected(page, SHEETS.ranking)).toBe(true);
  expect(await page.isDisabled('#btn-approve')).toBe(true);
  await page.screenshot({ path: path.join(DOCS, 'taskpane-approved.png'), fullPage: true });

  // An input changes; back in the pane, it says the approved ranking no longer matches.
  await setCell(page, INDIVIDUAL.sheet, person.origin.row, person.origin.cols.points, 1);
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await page.waitForSelector('#freshness[data-state="approved-stale"]');
  expect(await page.textContent('#freshness')).toContain('không còn khớp');

  // Rank asks first; the safe answer has the focus and keeps the approval.
  await press(page, '#btn-rank');
  await page.waitForSelector('#rerank-no');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('rerank-no');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#results')?.textContent?.includes('giữ phê duyệt'));
  expect(await isProtected(page, SHEETS.ranking)).toBe(true);
  // Yes drops the approval and ranks.
  await press(page, '#btn-rank');
  await page.waitForSelector('#rerank-yes');
  await press(page, '#rerank-yes');
  await page.waitForSelector('#freshness[data-state="fresh"]');
  expect(await isProtected(page, SHEETS.ranking)).toBe(false);
  expect(String((await grid(page)).sheets.find((s) => s.name === SHEETS.ranking)!.rows[0][0])).not.toContain(APPROVED_MARK);

  expect(problems).toEqual([]);
  await page.close();
}, 240000);
