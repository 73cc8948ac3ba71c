/**
 * The BUILT task pane in a real browser (Debian chromium through playwright-core). Where the page
 * loads office.js it gets Microsoft's Excel client library (`@microsoft/office-js`,
 * `excel-web-16.00.js`) followed by the test Excel host (test/support/excel-host/browser.ts): the
 * pane's `Excel.run` goes through Microsoft's client to a workbook in the page. A person's path: create the master template,
 * import the example submissions (and one again: replace, after a confirmation naming the
 * company), validate and click an issue (its cell is selected), rank. The pane's accessibility and
 * layout tests (axe on every state, the modal, focus, 320/350/160 px) write the README's
 * screenshots to docs/ and the rest to test/.tmp/screens.
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
import { DEMO_ERROR } from '../src/node/examples';

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
  await page.check('#template-kind-master');
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
  // The examples hold one file with an error on purpose: the pane rejects that file whole.
  const accepted = files.filter((f) => f !== DEMO_ERROR.file);
  expect(accepted).toHaveLength(files.length - 1);
  expect(summary).toContain(`Thêm mới ${accepted.length} công ty`);
  expect(await page.locator('.badge-added').count()).toBe(accepted.length);
  g = await grid(page);
  const imported = validateGrids([g]);
  expect(new Set(imported.saving.filter((r) => r.level === 'Công ty').map((r) => r.unitCode)).size).toBe(accepted.length);
  const unitsAfterFirst = imported.saving.length;

  // The same file again: the pane asks, naming the company; confirming replaces, nothing doubles.
  const [again] = await Promise.all([page.waitForEvent('filechooser'), page.click('#btn-import')]);
  await again.setFiles(path.join(EXAMPLES, files[0]));
  await page.waitForSelector('#confirm-yes');
  const confirmText = await page.textContent('.confirm-list');
  const firstCompany = validateGrids([{ ...g, file: '' }]).saving[0].companyCode!;
  expect(confirmText).toContain(firstCompany);
  // Focus starts on the safe choice (Office: never on the button that destroys data).
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('confirm-no');
  await page.click('#confirm-yes');
  await page.waitForSelector('#import-summary');
  expect(await page.textContent('#import-summary')).toContain('thay thế 1');
  expect(validateGrids([await grid(page)]).saving.length).toBe(unitsAfterFirst);

  // A user mistake, typed into the master: the unit typed with the number.
  const savedCol = SAVING.fields.findIndex((f) => f.key === 'saved');
  await page.evaluate(({ sheet, col }) => {
    const m = (window as unknown as { __standin: { model: { sheet(n: string): { touch(r: number, c: number): { v: unknown } } } } }).__standin.model;
    m.sheet(sheet).touch(4, col).v = '12.500 kWh';
  }, { sheet: SAVING.sheet, col: savedCol });

  // 3. Validate: counts by severity, the list; clicking an issue selects its cell.
  const inputsBefore = await snapshotInputs(page, INPUT_SHEETS);
  await page.click('#btn-validate');
  await page.waitForSelector('#issue-counts');
  expect(await snapshotInputs(page, INPUT_SHEETS)).toBe(inputsBefore);
  const errorsShown = Number(await page.textContent('.count-error strong'));
  expect(errorsShown).toBeGreaterThanOrEqual(1);
  expect(await page.locator('.issues b').count()).toBe(0); // workbook text is text, never markup
  const bad = page.locator('.issue-link', { hasText: '12.500 kWh' });
  await expect(bad.count()).resolves.toBe(1);
  const cellA1 = `F5`;
  expect(await bad.textContent()).toContain(`${SAVING.sheet}!${cellA1}`);
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

// ——— The pane to Microsoft's own bar (issue 13): axe on every state, the modal, the status
// region, focus on the outcome, names, contrast, layout at 320/350/160 px, forced colours. ———

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js', { paths: [ROOT] }), 'utf8');
const SCREENS = path.join(ROOT, 'test', '.tmp', 'screens');
const JUNK = path.join(ROOT, 'test', '.tmp', 'pane-a11y', 'bao-cao-hong.xlsx');
const exampleFiles = () => fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.xlsx')).sort().map((f) => path.join(EXAMPLES, f));

interface AxeViolation { id: string; impact: string; nodes: { target: string[]; failureSummary: string }[] }

/** axe-core with the WCAG 2.1 A/AA rules; evaluated through the DevTools protocol (the page's CSP allows no inline script). */
async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: unknown[] }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations;
  }) as AxeViolation[];
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary}`).join(' | ')}`);
}

/** The role=status nodes Chromium exposes (not ignored) and whether any sits inside an aria-busy container. */
async function statusRegions(page: Page): Promise<{ inTree: number; texts: string[]; busyAncestor: boolean }> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: { ignored: boolean; role?: { value: string } }[] };
  await cdp.detach();
  const dom = await page.evaluate(() => [...document.querySelectorAll('[role=status]')].map((e) => ({ text: e.textContent ?? '', busy: !!e.closest('[aria-busy="true"]') })));
  return { inTree: nodes.filter((n) => !n.ignored && n.role?.value === 'status').length, texts: dom.map((d) => d.text), busyAncestor: dom.some((d) => d.busy) };
}

/** Live regions that hold a whole result list (they would read 300 issues at once). */
const liveAroundLists = (page: Page) => page.evaluate(() =>
  [...document.querySelectorAll('[aria-live], [role=status], [role=log], [role=alert]')].filter((e) => e.querySelector('.issues, .import-list, ul')).length);

/** Controls and labels that are clipped or stick out of the pane, and any horizontal scroll. */
const clipped = (page: Page) => page.evaluate(() => {
  const w = document.documentElement.clientWidth;
  const out: string[] = [];
  if (document.documentElement.scrollWidth > w) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${w}`);
  const scope = document.querySelector('dialog[open]') ?? document.getElementById('app')!;
  for (const e of scope.querySelectorAll<HTMLElement>('button, label, legend, input, select, h1, h2, p, dt, dd, li, .message, .banner, .count, .badge, .loc')) {
    const r = e.getBoundingClientRect();
    if (!e.getClientRects().length || r.width <= 1) continue; // not shown, or visually hidden for screen readers
    const name = `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} "${(e.textContent ?? '').trim().slice(0, 30)}"`;
    if (r.left < -0.5 || r.right > w + 0.5) out.push(`${name} outside the pane (${Math.round(r.left)}–${Math.round(r.right)} of ${w})`);
    if (e.scrollWidth > e.clientWidth + 1 && e.tagName !== 'INPUT') out.push(`${name} clipped or overflowing (${e.scrollWidth} > ${e.clientWidth})`);
  }
  // A select cuts its option text without any overflow to measure: compare the text's width.
  const ctx = document.createElement('canvas').getContext('2d')!;
  for (const sel of scope.querySelectorAll('select')) {
    const cs = getComputedStyle(sel);
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const room = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20; // the arrow
    for (const o of sel.options) if (ctx.measureText(o.text).width > room) out.push(`select#${sel.id} cuts "${o.text}"`);
  }
  return out;
});

/** Words of the pane's own labels broken across lines although they would fit on one. */
const brokenWords = (page: Page) => page.evaluate(() => {
  const out: string[] = [];
  const scope = document.querySelector('dialog[open]') ?? document.getElementById('app')!;
  for (const e of scope.querySelectorAll<HTMLElement>('button, label, legend, h1, h2, dt, dd, .hint, .summary, .message, .count, .badge')) {
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent ?? '';
      for (const m of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(n, m.index!);
        range.setEnd(n, m.index! + m[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        const width = rects.reduce((a, r) => a + r.width, 0);
        const room = (n.parentElement ?? e).clientWidth || e.clientWidth;
        if (rects.length > 1 && width <= room) out.push(`"${m[0]}" in ${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}`);
      }
    }
  }
  return out;
});

const visiblePrimaries = (page: Page) => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.btn-primary')].filter((b) => b.getClientRects().length && !b.closest('[inert]')).map((b) => b.id));

function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((x) => Number(x) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
/** A border (or outline) colour and the background behind the element. */
const edge = (page: Page, selector: string, which: 'border' | 'outline') => page.evaluate(({ selector, which }) => {
  const e = document.querySelector<HTMLElement>(selector)!;
  const cs = getComputedStyle(e);
  let bg = 'rgb(255, 255, 255)';
  for (let p: HTMLElement | null = which === 'outline' ? e.parentElement : e.parentElement; p; p = p.parentElement) {
    const c = getComputedStyle(p).backgroundColor;
    if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; }
  }
  return { color: which === 'border' ? cs.borderTopColor : cs.outlineColor, width: which === 'border' ? cs.borderTopWidth : cs.outlineWidth, style: which === 'border' ? cs.borderTopStyle : cs.outlineStyle, bg };
}, { selector, which });

const active = (page: Page) => page.evaluate(() => {
  const a = document.activeElement as HTMLElement | null;
  const r = a?.getBoundingClientRect();
  return { id: a?.id ?? '', tag: a?.tagName ?? '', inDialog: !!a?.closest('dialog'), inView: !!r && r.top >= 0 && r.top < innerHeight, outcome: !!a?.classList.contains('outcome') };
});

async function setCell(page: Page, sheet: string, row: number, col: number, v: unknown): Promise<void> {
  await page.evaluate(({ sheet, row, col, v }) => {
    const m = (window as unknown as { __standin: { model: { sheet(n: string): { touch(r: number, c: number): { v: unknown } } } } }).__standin.model;
    m.sheet(sheet).touch(row, col).v = v;
  }, { sheet, row, col, v });
}

async function chooseFiles(page: Page, files: string | string[], how: 'click' | 'keyboard' = 'click'): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'),
    how === 'click' ? page.click('#btn-import') : page.focus('#btn-import').then(() => page.keyboard.press('Enter'))]);
  await chooser.setFiles(files);
}

/** A master with every example submission imported, through the pane. */
async function master(page: Page): Promise<void> {
  await page.check('#template-kind-master');
  await page.fill('#template-year', '2012'); // the examples' campaign year
  await page.click('#btn-template');
  await page.waitForSelector('#template-summary');
  await chooseFiles(page, exampleFiles());
  await page.waitForSelector('#import-summary', { timeout: 60000 });
}

/** Screenshot of the whole pane; `zoom` 2 is Excel at 200 % (160 CSS px in a 320 px pane, 2 device px each). */
async function shot(page: Page, file: string, width: number, zoom = 1): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const metrics = (height: number) => cdp.send('Emulation.setDeviceMetricsOverride', { width: width / zoom, height, deviceScaleFactor: zoom, mobile: false });
  await metrics(700);
  const height = await page.evaluate(() => Math.ceil(Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)));
  await metrics(height);
  const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' }) as { data: string };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.from(data, 'base64'));
  await cdp.send('Emulation.clearDeviceMetricsOverride');
  await cdp.detach();
}

const SAVED_COL = SAVING.fields.findIndex((f) => f.key === 'saved');

test('every state passes axe (WCAG 2.1 AA); one status region; focus on the outcome; a modal replace dialog', async () => {
  const { page, problems } = await open();
  await page.setViewportSize({ width: 320, height: 480 });
  const violations: Record<string, string[]> = {};
  const primaries: Record<string, string[]> = {};
  const check = async (state: string) => {
    violations[state] = await axe(page);
    primaries[state] = await visiblePrimaries(page);
    expect(await liveAroundLists(page)).toBe(0);
  };

  // Fresh: the status region is in the accessibility tree before anything happened.
  await check('fresh');
  expect(await statusRegions(page)).toMatchObject({ inTree: 1, busyAncestor: false });
  expect(await page.locator('#template-kind input[type=radio]').count()).toBe(2);

  await page.check('#template-kind-master');
  await page.fill('#template-year', '2012');
  await page.click('#btn-template');
  await page.waitForSelector('#template-summary');

  // Progress: reading held open so the state can be looked at.
  await page.evaluate(() => {
    const w = window as unknown as { __release(): void };
    const gate = new Promise<void>((r) => { w.__release = r; });
    const read = Blob.prototype.arrayBuffer;
    Blob.prototype.arrayBuffer = function (this: Blob) { return gate.then(() => read.call(this)); };
  });
  const files = exampleFiles();
  await chooseFiles(page, files);
  await page.waitForFunction(() => !document.getElementById('progress')?.hidden);
  const during = await statusRegions(page);
  expect(during).toEqual({ inTree: 1, texts: [`Đang đọc ${files.length} tệp…`], busyAncestor: false });
  await check('progress');
  await page.emulateMedia({ forcedColors: 'active' });
  const bar = await page.evaluate(() => ({
    fill: getComputedStyle(document.querySelector('.progress-fill')!).backgroundColor,
    track: getComputedStyle(document.querySelector('.progress-bar')!).backgroundColor,
    card: getComputedStyle(document.querySelector('.card')!).borderTopStyle,
    cardWidth: parseFloat(getComputedStyle(document.querySelector('.card')!).borderTopWidth),
  }));
  expect(bar.fill).not.toBe(bar.track); // the bar stays visible in high contrast
  expect(bar).toMatchObject({ card: 'solid' });
  expect(bar.cardWidth).toBeGreaterThanOrEqual(1);
  await shot(page, path.join(SCREENS, 'forced-colours-progress.png'), 320);
  await page.emulateMedia({ forcedColors: 'none' });
  await page.evaluate(() => (window as unknown as { __release(): void }).__release());
  await page.waitForSelector('#import-summary', { timeout: 60000 });
  expect(await active(page)).toMatchObject({ id: 'import-summary', outcome: true, inView: true });
  // The examples hold one file with an error on purpose: rejected whole, said, the summary a warning.
  expect(await page.textContent('#pane-status')).toContain(`Thêm mới ${files.length - 1} công ty, thay thế 0, từ chối 1 tệp`);
  expect(await page.getAttribute('#import-summary', 'class')).toMatch(/message-warning/);
  await check('imported');
  // High contrast keeps the focus ring, in a system colour.
  await page.emulateMedia({ forcedColors: 'active' });
  await page.focus('#btn-validate');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const forcedRing = await edge(page, '#btn-validate:focus-visible', 'outline');
  expect(forcedRing.style).toBe('solid');
  expect(parseFloat(forcedRing.width)).toBeGreaterThanOrEqual(2);
  expect(contrast(forcedRing.color, forcedRing.bg)).toBeGreaterThanOrEqual(3);
  await page.emulateMedia({ forcedColors: 'none' });

  // The same file again, keyboard only: the modal opens on Hủy, Tab cycles inside, Escape cancels,
  // focus goes back to the import button; nothing was written.
  const before = await snapshotInputs(page, INPUT_SHEETS);
  await chooseFiles(page, files[0], 'keyboard');
  await page.waitForSelector('#confirm-no');
  // Modal: what is behind can be neither focused nor clicked; the status region stays in the tree.
  expect(await page.evaluate(() => {
    document.getElementById('btn-rank')!.focus();
    return { focused: document.activeElement?.id, inert: !!document.getElementById('btn-rank')!.closest('[inert]'), modal: document.querySelector('dialog')?.getAttribute('aria-modal') };
  })).toEqual({ focused: 'confirm-no', inert: true, modal: 'true' });
  expect(await statusRegions(page)).toMatchObject({ inTree: 1, busyAncestor: false });
  expect(await active(page)).toMatchObject({ id: 'confirm-no', inDialog: true });
  await check('confirm');
  await shot(page, path.join(SCREENS, 'confirm-320-vi.png'), 320);
  const seen: string[] = [];
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    const a = await active(page);
    expect(a.inDialog).toBe(true);
    seen.push(a.id);
  }
  expect(seen).toEqual(['confirm-yes', 'confirm-no', 'confirm-yes', 'confirm-no', 'confirm-yes', 'confirm-no']);
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog', { state: 'detached' });
  expect(await active(page)).toMatchObject({ id: 'btn-import' });
  expect(await page.textContent('#import-cancelled')).toBe('Đã hủy: không ghi gì vào sổ tính.');
  expect(await page.textContent('#pane-status')).toBe('Đã hủy: không ghi gì vào sổ tính.');
  expect(await snapshotInputs(page, INPUT_SHEETS)).toBe(before);

  // Hủy by keyboard does the same.
  await chooseFiles(page, files[0], 'keyboard');
  await page.waitForSelector('#confirm-no');
  await page.keyboard.press('Enter');
  await page.waitForSelector('dialog', { state: 'detached' });
  expect(await active(page)).toMatchObject({ id: 'btn-import' });
  expect(await snapshotInputs(page, INPUT_SHEETS)).toBe(before);

  // Something else starting while it is open resolves it as a cancel, said, nothing written.
  await chooseFiles(page, files[0]);
  await page.waitForSelector('#confirm-no');
  await page.evaluate(() => document.getElementById('btn-validate')!.click());
  await page.waitForSelector('#validate-summary');
  expect(await page.locator('dialog').count()).toBe(0);
  expect(await page.textContent('#import-cancelled')).toBe('Đã hủy nhập vì một việc khác bắt đầu: không ghi gì vào sổ tính.');
  expect(await page.textContent('#pane-status')).toMatch(/^Đã hủy nhập vì một việc khác bắt đầu: không ghi gì vào sổ tính\. Xong: /);
  expect(await snapshotInputs(page, INPUT_SHEETS)).toBe(before);

  // A rejected file: a warning look, never a success one.
  fs.mkdirSync(path.dirname(JUNK), { recursive: true });
  fs.writeFileSync(JUNK, 'Đây không phải là sổ tính Excel.');
  await chooseFiles(page, JUNK);
  await page.waitForSelector('#import-summary');
  expect(await page.getAttribute('#import-summary', 'class')).toMatch(/message-warning/);
  expect(await page.getAttribute('#import-summary', 'class')).not.toMatch(/message-ok/);
  expect(await active(page)).toMatchObject({ id: 'import-summary', inView: true });
  await check('rejected import');

  // Validate with a mistake (markup stays text): focus on the summary, in view; names match what is seen.
  const original = (await grid(page)).sheets.find((s) => s.name === SAVING.sheet)!.rows[4][SAVED_COL] as number;
  expect(typeof original).toBe('number');
  await setCell(page, SAVING.sheet, 4, SAVED_COL, '<b>abc</b>');
  await page.focus('#btn-validate');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#validate-summary');
  expect(await active(page)).toMatchObject({ id: 'validate-summary', outcome: true, inView: true });
  expect(await page.textContent('#pane-status')).toMatch(/^Xong: [1-9]\d* lỗi, \d+ cảnh báo$/);
  expect(await page.locator('.issues b').count()).toBe(0);
  const names = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.issue-link')].map((b) => ({
    label: b.getAttribute('aria-label'), loc: b.querySelector('.loc')?.textContent ?? '',
    hint: document.getElementById(b.getAttribute('aria-describedby') ?? '')?.textContent ?? '',
    cue: getComputedStyle(b.querySelector('.goto') ?? b).display !== 'none' && !!b.querySelector('.goto'),
  })));
  expect(names.length).toBeGreaterThan(0);
  for (const n of names) expect(n).toEqual({ label: null, loc: expect.stringMatching(/!/), hint: 'Bấm vào một vấn đề để chọn ô đó trong sổ tính.', cue: true });
  const cdp = await page.context().newCDPSession(page);
  const doc = await cdp.send('DOM.getDocument') as { root: { nodeId: number } };
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: doc.root.nodeId, selector: '.issue-link' }) as { nodeId: number };
  const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false }) as { nodes: { name?: { value: string }; description?: { value: string } }[] };
  expect(nodes[0].name?.value).toContain(names[0].loc); // the visible location is in the name
  expect(nodes[0].description?.value).toBe(names[0].hint);
  await cdp.detach();
  // Borders that make rows and the banner visible, and the focus ring: >= 3:1.
  const row = await edge(page, '.issue-link', 'border');
  expect(contrast(row.color, row.bg)).toBeGreaterThanOrEqual(3);
  await page.focus('.issue-link');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const ring = await edge(page, '.issue-link:focus-visible', 'outline');
  expect(ring.style).toBe('solid');
  expect(contrast(ring.color, ring.bg)).toBeGreaterThanOrEqual(3);
  await check('after Validate');

  // Rank: focus on its summary.
  // The examples' own value back: the ranking has their tie, so the council step is next.
  await setCell(page, SAVING.sheet, 4, SAVED_COL, original);
  await page.click('#btn-rank');
  await page.waitForSelector('#rank-summary');
  expect(await active(page)).toMatchObject({ id: 'rank-summary', outcome: true, inView: true });
  expect(await visiblePrimaries(page)).toEqual(['btn-council-save']);
  await check('after Rank');

  // Stale: the banner's border is visible; the status says it.
  // A valid change of the data (more saved, still below the commercial electricity).
  await setCell(page, SAVING.sheet, 4, SAVED_COL, original + 1000);
  await page.click('#btn-validate');
  await page.waitForSelector('#freshness[data-state="stale"]');
  expect(await page.textContent('#pane-status')).toMatch(/Bảng Xếp hạng đã cũ\.$/);
  const banner = await edge(page, '#freshness', 'border');
  expect(contrast(banner.color, banner.bg)).toBeGreaterThanOrEqual(3);
  await check('stale');
  expect(await visiblePrimaries(page)).toEqual(['btn-rank']);

  expect(violations).toEqual({ fresh: [], progress: [], imported: [], confirm: [], 'rejected import': [], 'after Validate': [], 'after Rank': [], stale: [] });
  for (const [state, p] of Object.entries(primaries)) expect({ state, n: p.length <= 1 }).toEqual({ state, n: true });
  expect(problems).toEqual([]);
  await page.close();
}, 240000);

test('fits Excel: 320 and 350 px in both languages, 200 % zoom (160 CSS px); README screenshots', async () => {
  for (const lang of ['vi', 'en'] as const) {
    const { page, problems } = await open(lang === 'en' ? '?lang=en-US' : '');
    const fits = async (state: string) => {
      for (const width of [320, 350]) {
        await page.setViewportSize({ width, height: 700 });
        expect({ state, width, lang, clipped: await clipped(page) }).toEqual({ state, width, lang, clipped: [] });
      }
      await page.setViewportSize({ width: 160, height: 700 });
      expect({ state, lang, clipped: await clipped(page), broken: await brokenWords(page) }).toEqual({ state, lang, clipped: [], broken: [] });
      await page.setViewportSize({ width: 320, height: 700 });
    };
    await fits('fresh');
    await shot(page, path.join(SCREENS, `fresh-320-${lang}.png`), 320);
    await shot(page, path.join(SCREENS, `fresh-160-${lang}.png`), 320, 2);
    await master(page);
    await fits('imported');
    await chooseFiles(page, exampleFiles()[0]);
    await page.waitForSelector('#confirm-no');
    await fits('confirm');
    await shot(page, path.join(SCREENS, `confirm-160-${lang}.png`), 320, 2);
    await page.keyboard.press('Escape');
    // A realistic mistake: the unit typed with the number (put back before ranking, so the README's
    // rank screenshot shows the examples' own data: its one tie left to the council).
    const original = (await grid(page)).sheets.find((s) => s.name === SAVING.sheet)!.rows[4][SAVED_COL];
    expect(typeof original).toBe('number');
    await setCell(page, SAVING.sheet, 4, SAVED_COL, '12.500 kWh');
    await page.click('#btn-validate');
    await page.waitForSelector('#validate-summary');
    await fits('after Validate');
    await shot(page, path.join(DOCS, `taskpane-validate${lang === 'vi' ? '' : '-en'}.png`), 320);
    await shot(page, path.join(SCREENS, `validate-160-${lang}.png`), 320, 2);
    await setCell(page, SAVING.sheet, 4, SAVED_COL, original);
    await page.click('#btn-rank');
    await page.waitForSelector('#rank-summary');
    // The examples' tie: the council step is the next one.
    await page.waitForSelector('#council:not([hidden])');
    expect(await visiblePrimaries(page)).toEqual(['btn-council-save']);
    await fits('after Rank');
    await shot(page, path.join(lang === 'vi' ? DOCS : SCREENS, `taskpane-rank${lang === 'vi' ? '' : '-en'}.png`), 320);
    await shot(page, path.join(lang === 'vi' ? DOCS : SCREENS, `taskpane-rank-200${lang === 'vi' ? '' : '-en'}.png`), 320, 2);
    expect(problems).toEqual([]);
    await page.close();
  }
}, 240000);
