/**
 * Checks on the built pane in a real browser, shared by the council/approval browser test: axe-core
 * (WCAG 2.1 A/AA), the status regions Chromium exposes, clipped controls and words broken letter by
 * letter, the visible primary buttons, the focused element, screenshots at a pane width and zoom.
 * (The same checks as test/browser.test.ts, which keeps its own copies.)
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { ROOT } from './webpack-build';

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js', { paths: [ROOT] }), 'utf8');

interface AxeViolation { id: string; impact: string; nodes: { target: string[]; failureSummary: string }[] }

/** axe-core with the WCAG 2.1 A/AA rules (evaluated through the DevTools protocol: the CSP allows no inline script). */
export async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: unknown[] }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations;
  }) as AxeViolation[];
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary}`).join(' | ')}`);
}

/** The role=status nodes Chromium exposes (not ignored). */
export async function statusRegions(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: { ignored: boolean; role?: { value: string } }[] };
  await cdp.detach();
  return nodes.filter((n) => !n.ignored && n.role?.value === 'status').length;
}

/** Controls and labels clipped or sticking out of the pane, and any horizontal scroll. */
export const clipped = (page: Page) => page.evaluate(() => {
  const w = document.documentElement.clientWidth;
  const out: string[] = [];
  if (document.documentElement.scrollWidth > w) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${w}`);
  const scope = document.querySelector('dialog[open]') ?? document.getElementById('app')!;
  for (const e of scope.querySelectorAll<HTMLElement>('button, label, legend, input, h1, h2, p, dt, dd, li, .message, .banner, .count, .badge, .loc')) {
    const r = e.getBoundingClientRect();
    if (!e.getClientRects().length || r.width <= 1) continue;
    const name = `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} "${(e.textContent ?? '').trim().slice(0, 30)}"`;
    if (r.left < -0.5 || r.right > w + 0.5) out.push(`${name} outside the pane (${Math.round(r.left)}–${Math.round(r.right)} of ${w})`);
    if (e.scrollWidth > e.clientWidth + 1 && e.tagName !== 'INPUT') out.push(`${name} clipped or overflowing (${e.scrollWidth} > ${e.clientWidth})`);
  }
  return out;
});

/** Words of the pane's labels broken across lines although they would fit on one. */
export const brokenWords = (page: Page) => page.evaluate(() => {
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

/** The primary buttons a user can see (not behind a modal). */
export const visiblePrimaries = (page: Page) => page.evaluate(() =>
  [...document.querySelectorAll<HTMLElement>('.btn-primary')].filter((b) => b.getClientRects().length && !b.closest('[inert]')).map((b) => b.id));

export const active = (page: Page) => page.evaluate(() => {
  const a = document.activeElement as HTMLElement | null;
  const r = a?.getBoundingClientRect();
  return { id: a?.id ?? '', inDialog: !!a?.closest('dialog'), inView: !!r && r.top >= 0 && r.top < innerHeight, outcome: !!a?.classList.contains('outcome') };
});

/** Screenshot of the whole pane; `zoom` 2 is Excel at 200 % (160 CSS px in a 320 px pane). */
export async function shot(page: Page, file: string, width: number, zoom = 1): Promise<void> {
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
