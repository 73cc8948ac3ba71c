/**
 * The council's decision and the approval in the BUILT pane, in a real browser (Debian chromium
 * through playwright-core) over Microsoft's Excel client and the test Excel host, with the keyboard
 * only, on the real example data (one file rejected for its error, one tie left to the council):
 * Rank, tick the council's choice, Ghi quyết định, Phê duyệt, a change of the data (stale after
 * approval), Rank again (asked first in a modal). axe-core (WCAG 2.1 AA) on every council and
 * approval state; layouts at 320 px and 160 CSS px; the README's screenshots at 320 px.
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
import { SAVING, SHEETS } from '../src/core/format';
import { DEMO_ERROR, DEMO_TIE } from '../src/node/examples';
import { ROOT, buildAddin } from './support/webpack-build';
import { active, axe, brokenWords, clipped, shot, statusRegions, visiblePrimaries } from './support/pane-checks';

const EXAMPLES = path.join(ROOT, 'assets', 'examples');
const DOCS = path.join(ROOT, 'docs');
const SCREENS = path.join(ROOT, 'test', '.tmp', 'screens');
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
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
  // Microsoft's client first, then the host that answers it.
  standinJs = `${fs.readFileSync(require.resolve('@microsoft/office-js/dist/excel-web-16.00.js'), 'utf8')}\n;\n${fs.readFileSync(path.join(standinOut, 'standin.js'), 'utf8')}`;
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
const rankingTitle = async (page: Page) => String((await grid(page)).sheets.find((s) => s.name === SHEETS.ranking)!.rows[0][0]);

test('keyboard only, real example data: rank, decide the tie, approve, stale after an edit, rank again after a modal confirmation; axe on every state', async () => {
  const page = await browser.newPage({ viewport: { width: 320, height: 700 }, deviceScaleFactor: 1 });
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

  const violations: Record<string, string[]> = {};
  const layout: Record<string, string[]> = {};
  const check = async (state: string) => {
    violations[state] = await axe(page);
    expect({ state, status: await statusRegions(page) }).toEqual({ state, status: 1 });
    for (const width of [320, 160]) {
      await page.setViewportSize({ width, height: 700 });
      layout[`${state} @${width}`] = [...await clipped(page), ...(width === 160 ? await brokenWords(page) : [])];
    }
    await page.setViewportSize({ width: 320, height: 700 });
  };

  // The master: template, then every example submission imported (the one with an error is rejected).
  await press(page, '#template-kind-master', 'Space');
  await page.fill('#template-year', '2012');
  await press(page, '#btn-template');
  await page.waitForSelector('#template-summary');
  const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.xlsx')).sort();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), press(page, '#btn-import')]);
  await chooser.setFiles(files.map((f) => path.join(EXAMPLES, f)));
  await page.waitForSelector('#import-summary', { timeout: 60000 });
  expect(await page.locator('.badge-rejected').count()).toBe(1);
  expect(await page.textContent('.status-rejected')).toContain(DEMO_ERROR.file);

  // What the engine says of this workbook: the examples' tie, left to the council.
  const before = rank(validateGrids([await grid(page)]));
  const pendingEntries = before.categories.flatMap((c) => c.entries.filter((e) => e.pending).map((e) => ({ id: c.id, e })));
  expect(before.totals.pending).toBeGreaterThan(0);
  expect(new Set(pendingEntries.map((p) => p.id))).toEqual(new Set([DEMO_TIE.category]));

  // Rank: the council step lists the tie; its button is the one primary action; Approve waits.
  await press(page, '#btn-rank');
  await page.waitForSelector('#council:not([hidden])');
  expect(await active(page)).toMatchObject({ id: 'rank-summary', outcome: true, inView: true });
  expect(await visiblePrimaries(page)).toEqual(['btn-council-save']);
  expect(await page.isDisabled('#btn-approve')).toBe(true);
  expect(await page.textContent('#approve-status')).toContain('Chưa phê duyệt được');
  const legends = await page.locator('#council legend').allTextContents();
  expect(legends).toHaveLength(1);
  expect(legends[0]).toMatch(new RegExp(`Tiết kiệm điện – Điện lực: đồng hạng ${DEMO_TIE.rank}, ${before.totals.pending} suất`));
  expect(await page.locator('#council input[type=checkbox]').count()).toBe(pendingEntries.length);
  for (const p of pendingEntries) expect(await page.textContent('#council-ties')).toContain(p.e.code);
  await check('after Rank, tie pending');

  // Tick the second entry with Space; the order is said in the status region; a full tie disables the other box.
  await press(page, '#tie-0-1', 'Space');
  expect(await page.isChecked('#tie-0-1')).toBe(true);
  expect(await page.isDisabled('#tie-0-0')).toBe(true);
  expect(await page.textContent('#tie-0-order')).toMatch(/1\. .*→ /);
  expect(await page.textContent('#pane-status')).toBe(await page.textContent('#tie-0-order'));
  await page.focus('#council-minutes');
  await page.keyboard.type('12/BB-HĐTĐ');
  await check('tie chosen');
  await page.locator('#council').scrollIntoViewIfNeeded();
  await shot(page, path.join(DOCS, 'taskpane-council.png'), 320);
  await shot(page, path.join(SCREENS, 'council-160-vi.png'), 320, 2);

  // Validate: the ranking still matches, so the council step stays the next one (read from the
  // workbook), and the boxes ticked so far are kept.
  await press(page, '#btn-validate');
  await page.waitForSelector('#validate-summary');
  expect(await visiblePrimaries(page)).toEqual(['btn-council-save']);
  expect(await page.isChecked('#tie-0-1')).toBe(true);

  // Ghi quyết định: only that sheet is written, then ranked again; the note heads the outcome.
  const otherInputs = () => page.evaluate((names) => names.map((n) => (window as unknown as { __standin: Standin }).__standin.snapshot(n)).join('\n'),
    [SHEETS.info, SHEETS.saving, SHEETS.service, SHEETS.individual, SHEETS.criteria]);
  const inputs = await otherInputs();
  await press(page, '#btn-council-save');
  await page.waitForSelector('#council-saved');
  await page.waitForSelector('#council[hidden]', { state: 'attached' });
  expect(await otherInputs()).toBe(inputs);
  expect(await page.textContent('#council-saved')).toContain('Quyết định Hội đồng');
  expect(await active(page)).toMatchObject({ id: 'rank-summary', outcome: true });
  expect(await page.textContent('#pane-status')).toMatch(/^Đã ghi 1 dòng vào sheet Quyết định Hội đồng và xếp hạng lại\. /);
  const decided = rank(validateGrids([await grid(page)]));
  expect(decided.totals.pending).toBe(0);
  expect(decided.totals.prize).toBeGreaterThan(before.totals.prize);
  expect(decided.issues.filter((i) => i.severity === 'error')).toEqual([]);
  expect(await page.textContent('.figures')).toContain(decided.totals.prize.toLocaleString('vi-VN'));
  expect(await visiblePrimaries(page)).toEqual(['btn-approve']);
  expect(await page.isDisabled('#btn-approve')).toBe(false);
  await check('after Ghi quyết định');

  // Approve without a name: said, the focus on the field. Then the name typed, Enter on the button.
  await press(page, '#btn-approve');
  expect(await active(page)).toMatchObject({ id: 'approve-by' });
  expect(await page.textContent('#pane-status')).toBe('Hãy nhập tên người phê duyệt.');
  expect(await page.getAttribute('#approve-by', 'aria-invalid')).toBe('true');
  await page.keyboard.type('Trần Thị Bình');
  await press(page, '#btn-approve');
  await page.waitForSelector('#approve-summary');
  await page.waitForSelector('#freshness[data-state="approved"]');
  expect(await active(page)).toMatchObject({ id: 'approve-summary', outcome: true, inView: true });
  expect(await page.textContent('#pane-status')).toMatch(/^Đã phê duyệt: Trần Thị Bình, lúc /);
  expect(await rankingTitle(page)).toContain(`${APPROVED_MARK} (Trần Thị Bình, `);
  expect(await isProtected(page, SHEETS.ranking)).toBe(true);
  expect(await page.isDisabled('#btn-approve')).toBe(true);
  expect(await visiblePrimaries(page)).toEqual([]);
  await check('approved');
  await shot(page, path.join(DOCS, 'taskpane-approved.png'), 320);

  // An input changes; back in the pane, it says the approved ranking no longer matches; Rank is next.
  const g = validateGrids([await grid(page)]);
  const unit = g.saving.find((s) => s.level === 'Điện lực')!;
  await setCell(page, SAVING.sheet, unit.origin.row, unit.origin.cols.saved, (unit.saved ?? 0) + 1000);
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await page.waitForSelector('#freshness[data-state="approved-stale"]');
  expect(await page.textContent('#freshness')).toContain('không còn khớp');
  expect(await visiblePrimaries(page)).toEqual(['btn-rank']);
  await check('approved-stale');

  // Rank asks first, in a modal: the safe answer has the focus, what is behind is inert, Tab cycles, Escape keeps it.
  await press(page, '#btn-rank');
  await page.waitForSelector('#rerank-no');
  expect(await active(page)).toMatchObject({ id: 'rerank-no', inDialog: true });
  expect(await page.evaluate(() => {
    document.getElementById('btn-approve')!.focus();
    return { focused: document.activeElement?.id, inert: !!document.getElementById('btn-rank')!.closest('[inert]'), modal: document.querySelector('dialog')?.getAttribute('aria-modal') };
  })).toEqual({ focused: 'rerank-no', inert: true, modal: 'true' });
  await check('re-rank dialog');
  await shot(page, path.join(SCREENS, 'rerank-320-vi.png'), 320);
  const seen: string[] = [];
  for (const key of ['Tab', 'Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    const a = await active(page);
    expect(a.inDialog).toBe(true);
    seen.push(a.id);
  }
  expect(seen).toEqual(['rerank-yes', 'rerank-no', 'rerank-yes', 'rerank-no']);
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog', { state: 'detached' });
  expect(await active(page)).toMatchObject({ id: 'btn-rank' });
  expect(await page.textContent('#rerank-kept')).toBe('Đã giữ phê duyệt: không ghi gì.');
  expect(await page.textContent('#pane-status')).toBe('Đã giữ phê duyệt: không ghi gì.');
  expect(await isProtected(page, SHEETS.ranking)).toBe(true);
  expect(await rankingTitle(page)).toContain(APPROVED_MARK);

  // Yes (reached with Tab) drops the approval and ranks.
  await press(page, '#btn-rank');
  await page.waitForSelector('#rerank-no');
  await page.keyboard.press('Tab');
  expect(await active(page)).toMatchObject({ id: 'rerank-yes' });
  await page.keyboard.press('Enter');
  await page.waitForSelector('#freshness[data-state="fresh"]');
  await page.waitForSelector('#rank-summary');
  expect(await isProtected(page, SHEETS.ranking)).toBe(false);
  expect(await rankingTitle(page)).not.toContain(APPROVED_MARK);
  expect(await visiblePrimaries(page)).toEqual(['btn-approve']);

  expect(violations).toEqual({
    'after Rank, tie pending': [], 'tie chosen': [], 'after Ghi quyết định': [], approved: [], 'approved-stale': [], 're-rank dialog': [],
  });
  expect(Object.entries(layout).filter(([, v]) => v.length)).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
}, 300000);
