/**
 * What is printed (issues 10 and 11): the ranking, the award list, the certificates, the check
 * sheet and the blank template, written by the real `.xlsx` writer, printed to PDF by LibreOffice
 * with Carlito (Calibri's metrics), read back with `pdftotext -bbox`:
 * page count, orientation, the repeated header, the footer, the heading and signature blocks, and
 * no header or value running out of its column (word boxes against the column edges, which are
 * placed from the sheet's column widths and fitted to the page's zoom).
 *
 * Skipped, with a message, only when soffice is not installed and CI is not set.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { rankGrids, validateGrids } from '../src/core/engine';
import { SHEETS } from '../src/core/format';
import type { Ranking } from '../src/core/model';
import type { SheetPlan } from '../src/core/plan';
import { AWARD_LIST_HEADERS, awardListPlan, awardees, certificatesPlan } from '../src/core/awards-print';
import { RANKING_HEADERS, isRankingTable, rankingSheetPlan, reportSheetPlan } from '../src/core/sheets';
import { inputSheetPlans } from '../src/core/template';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { workbookBuffer } from '../src/node/xlsx-write';
import { gridOf, masterContent } from './support/standin';
import { vndText } from '../src/core/vndtext';
import { rankDecided } from './support/council';
import { exampleFiles, tempDir } from './support/xlsx-cli';

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}
const tools = has('soffice') && has('pdftotext') && has('pdfinfo');
if (!tools && !process.env.CI) console.warn('test/print.test.ts skipped: needs soffice and poppler-utils (pdftotext, pdfinfo).');
const describePrint = tools || process.env.CI ? describe : describe.skip;

interface Word { x0: number; y0: number; x1: number; y1: number; text: string }
interface Page { width: number; height: number; words: Word[] }

/** Pages and their words from `pdftotext -bbox`. */
function pagesOf(pdf: string): Page[] {
  const html = spawnSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout;
  const pages: Page[] = [];
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const words = [...m[3].matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
      .map((w) => ({ x0: Number(w[1]), y0: Number(w[2]), x1: Number(w[3]), y1: Number(w[4]), text: unescape(w[5]) }));
    pages.push({ width: Number(m[1]), height: Number(m[2]), words });
  }
  return pages;
}

/** The page's text lines (words of one baseline), top to bottom. */
function lines(p: Page): { y0: number; y1: number; words: Word[]; text: string }[] {
  const sorted = [...p.words].sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  const out: { y0: number; y1: number; words: Word[]; text: string }[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.y0 - w.y0) < 2) { last.words.push(w); last.y1 = Math.max(last.y1, w.y1); } else out.push({ y0: w.y0, y1: w.y1, words: [w], text: '' });
  }
  for (const l of out) { l.words.sort((a, b) => a.x0 - b.x0); l.text = l.words.map((w) => w.text).join(' '); }
  return out;
}

const textOf = (p: Page) => lines(p).map((l) => l.text).join('\n');

/** LibreOffice's width of one Excel width unit in Carlito 11, in points at 100 % (measured). */
const UNIT_PT = 5.544;

/** Column edges in PDF points for widths (characters) printed centred on the page at zoom z. */
function edges(widths: readonly number[], pageWidth: number, z: number): number[] {
  const total = widths.reduce((a, b) => a + b, 0) * UNIT_PT * z;
  const out = [(pageWidth - total) / 2];
  for (const w of widths) out.push(out[out.length - 1] + w * UNIT_PT * z);
  return out;
}

const columnAt = (e: readonly number[], x: number) => e.findIndex((_, i) => i < e.length - 1 && x >= e[i] && x < e[i + 1]);

/**
 * The zoom that puts the centred header lines best on their columns' centres (fit-to-width sheets
 * choose their own), and how far off the best fit still is (a check that the geometry is right).
 */
function fitZoom(header: readonly Word[], widths: readonly number[], pageWidth: number): { z: number; error: number } {
  let best = { z: 1, error: Infinity };
  for (let z = 0.4; z <= 1.0001; z += 0.0025) {
    const e = edges(widths, pageWidth, z);
    const groups = new Map<string, Word[]>();
    for (const w of header) {
      const c = columnAt(e, (w.x0 + w.x1) / 2);
      const key = `${c}:${Math.round(w.y0)}`;
      groups.set(key, [...(groups.get(key) ?? []), w]);
    }
    let error = 0;
    for (const [key, ws] of groups) {
      const c = Number(key.split(':')[0]);
      if (c < 0) { error += 1e6; continue; }
      const mid = (Math.min(...ws.map((w) => w.x0)) + Math.max(...ws.map((w) => w.x1))) / 2;
      error = Math.max(error, Math.abs(mid - (e[c] + e[c + 1]) / 2));
    }
    if (error < best.error) best = { z, error };
  }
  return best;
}

/** Words of the region that leave their column (over an edge by more than half a point). */
function overflowing(words: readonly Word[], e: readonly number[]): string[] {
  const bad: string[] = [];
  for (const w of words) {
    const c = columnAt(e, (w.x0 + w.x1) / 2);
    if (c < 0 || w.x0 < e[c] - 0.5 || w.x1 > e[c + 1] + 0.5) bad.push(`${w.text} [${w.x0.toFixed(1)}–${w.x1.toFixed(1)}] col ${c}`);
  }
  return bad;
}

/** The sheet's column widths as the writer sets them (tables' widths win, as in xlsx-write). */
function widthsOf(plan: SheetPlan, c0: number, c1: number): number[] {
  const w: number[] = [...(plan.columnWidths ?? [])];
  for (const t of plan.tables) t.columns.forEach((c, i) => { if (c.width) w[t.leftCol + i] = Math.max(w[t.leftCol + i] ?? 0, c.width); });
  return Array.from({ length: c1 - c0 + 1 }, (_, i) => w[c0 + i] ?? 8.43);
}

/**
 * Check a table region of a page: the header line(s) from the one holding `first` down to `until`
 * (exclusive) must fit their columns. Returns the fitted zoom.
 */
function checkTable(p: Page, plan: SheetPlan, opts: { first: string; last?: RegExp; c0?: number; c1: number; headerLines?: number }): number {
  const ls = lines(p);
  const start = ls.findIndex((l) => l.words[0]?.text === opts.first || l.words.some((w) => w.text === opts.first));
  expect(start).toBeGreaterThanOrEqual(0);
  const footerY = p.height - 50;
  let end = ls.findIndex((l, i) => i > start && (l.y0 > footerY || (opts.last ? opts.last.test(l.text) : false)));
  if (end < 0) end = ls.length;
  const header = ls.slice(start, start + (opts.headerLines ?? 1)).flatMap((l) => l.words);
  const widths = widthsOf(plan, opts.c0 ?? 0, opts.c1);
  // A fixed zoom is the plan's; a fit-to-width sheet's is found from its header. Either way the
  // header must sit on the computed columns (a check of the geometry itself).
  const fitted = fitZoom(header, widths, p.width);
  const z = plan.page && !plan.page.fitToWidth ? (plan.page.zoom ?? 100) / 100 : fitted.z;
  const e = edges(widths, p.width, z);
  for (const w of header) {
    const c = columnAt(e, (w.x0 + w.x1) / 2);
    expect(c).toBeGreaterThanOrEqual(0);
  }
  expect(fitted.error).toBeLessThan(4);
  expect(Math.abs(fitted.z - z)).toBeLessThan(0.02);
  const region = ls.slice(start, end).flatMap((l) => l.words);
  expect(overflowing(region, edges(widths, p.width, z))).toEqual([]);
  return z;
}

/** An amount as the sheets print it (`#,##0`, LibreOffice in en-US). */
const money = (n: number) => n.toLocaleString('en-US');
/** The ranking's note on the places left to the council (the plan's own cell). */
function pendingNote(plan: SheetPlan): string {
  const c = plan.cells.find((x) => typeof x.value === 'string' && /suất khen thưởng có đồng hạng/.test(x.value));
  expect(c).toBeDefined();
  return c!.value as string;
}

const landscape = (p: Page) => Math.abs(p.width - 841.89) < 1 && Math.abs(p.height - 595.3) < 1;
const portrait = (p: Page) => Math.abs(p.width - 595.3) < 1 && Math.abs(p.height - 841.89) < 1;

describePrint('printed pages (LibreOffice, Carlito)', () => {
  let dir: string;
  /** The bundled examples as they are: their one tie (DEMO_TIE) left to the council. */
  let ranking: Ranking;
  /** The same examples with that tie decided: the list and certificates as sent out. */
  let decided: Ranking;
  let tied: Ranking;
  const plans: Record<string, SheetPlan> = {};
  const pdf: Record<string, Page[]> = {};

  beforeAll(async () => {
    dir = tempDir('thidua-print-');
    const grids = await Promise.all(exampleFiles().map((f) => readXlsxGrid(f)));
    ranking = rankGrids(grids);
    decided = rankDecided(grids);
    // Equal companies: ties on award boundaries, places left to the council.
    tied = rankGrids([await gridOf(masterContent([{ code: 'PC01', units: 4 }, { code: 'PC02', units: 4 }, { code: 'PC03', units: 4 }]), 'master.xlsx')]);
    // A check sheet with long messages and file names: examples with broken submissions beside them.
    const broken = ['type-error', 'duplicate-key', 'inconsistent-total', 'unknown-reference', 'text-number', 'missing-value', 'legacy-encoding']
      .map((f) => path.join(__dirname, 'fixtures', 'bad', `${f}.xlsx`));
    const bad = validateGrids(await Promise.all([...exampleFiles().slice(0, 3), ...broken].map((f) => readXlsxGrid(f))));
    plans.ranking = rankingSheetPlan(ranking, '2013-01-10 08:30');
    plans.awards = awardListPlan(decided, '2013-01-10 08:30');
    plans.certificates = certificatesPlan(decided, '2013-01-10 08:30');
    plans.tiedAwards = awardListPlan(tied, '2013-01-10 08:30');
    plans.report = reportSheetPlan(bad.issues, '2013-01-10 08:30');
    const template = inputSheetPlans({}, { year: 2012 });
    const files: Record<string, SheetPlan[]> = {
      ranking: [plans.ranking], awards: [plans.awards], certificates: [plans.certificates], tiedAwards: [plans.tiedAwards],
      report: [plans.report], template,
    };
    template.forEach((t, i) => { plans[`template${i}`] = t; });
    for (const [name, ps] of Object.entries(files)) fs.writeFileSync(path.join(dir, `${name}.xlsx`), await workbookBuffer(ps));
    const r = spawnSync('soffice', [`-env:UserInstallation=file://${dir}/lo`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir,
      ...Object.keys(files).map((n) => path.join(dir, `${n}.xlsx`))], { env: { ...process.env, HOME: dir }, encoding: 'utf8', timeout: 300_000 });
    for (const name of Object.keys(files)) {
      const file = path.join(dir, `${name}.pdf`);
      if (!fs.existsSync(file)) throw new Error(`soffice did not print ${name}: ${r.stderr || r.stdout}`);
      pdf[name] = pagesOf(file);
    }
  }, 360_000);
  afterAll(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  test('Xếp hạng: A4 landscape; heading block, title, draft status and the totals on page 1', () => {
    const pages = pdf.ranking;
    expect(pages.every(landscape)).toBe(true);
    const first = textOf(pages[0]);
    for (const s of ['TỔNG CÔNG TY ĐIỆN LỰC MIỀN TRUNG', 'BAN KINH DOANH', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc',
      'KẾT QUẢ XẾP HẠNG THI ĐUA NĂM 2012', 'DỰ THẢO TRÌNH DUYỆT', 'TỔNG HỢP KHEN THƯỞNG', money(ranking.totals.prize)]) expect(first).toContain(s);
    // The place left to the council is said under the totals.
    expect(ranking.totals.pending).toBeGreaterThan(0);
    expect(first.replace(/\n/g, ' ')).toContain(pendingNote(plans.ranking));
    // The add-in's own rows (marker, made-at) are not printed.
    expect(first).not.toContain('phần bổ trợ lập');
    expect(textOf(pages[0])).not.toMatch(/^I\. /m);
  });

  test('Xếp hạng: each category from a new page with its heading and condition, the header on every page', () => {
    const pages = pdf.ranking;
    const headings = ['I. DỊCH VỤ KHÁCH HÀNG – CÔNG TY', 'II. TIẾT KIỆM ĐIỆN – CÔNG TY', 'III. DỊCH VỤ KHÁCH HÀNG – ĐIỆN LỰC',
      'IV. TIẾT KIỆM ĐIỆN – ĐIỆN LỰC', 'V. CÁ NHÂN'];
    const starts = headings.map((h) => pages.findIndex((p) => lines(p)[0].text === h));
    expect(starts.every((s) => s > 0)).toBe(true);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(textOf(pages[starts[1]])).toContain('Ngưỡng: 1 % điện thương phẩm');
    expect(textOf(pages[starts[0]])).toContain('Điểm dịch vụ tối thiểu: 0');
    for (const [i, p] of pages.entries()) {
      if (i === 0) continue;
      const ls = lines(p);
      // A page is a category's start or its continuation: heading on top, then the header row.
      expect(ls[0].text).toMatch(/^(I|II|III|IV|V)\. .*/);
      const at = ls.findIndex((l) => l.words[0].text === 'Hạng');
      expect(at).toBeGreaterThan(0);
      expect(ls[at].text).toMatch(/^Hạng Mã đơn vị Tên (Điểm dịch vụ|Tỷ lệ tiết kiệm|Điểm) Đủ điều kiện Danh hiệu Hình thức .*Ghi chú$/);
      // `Tiền thưởng (VND)` wraps over the two header lines.
      expect(`${ls[at - 1].text} ${ls[at].text} ${ls[at + 1].text}`).toMatch(/Tiền thưởng.*\(VND\)/);
    }
    // Every entry is printed once: the ranking tables hold all the rows.
    const rows = plans.ranking.tables.filter((t) => isRankingTable(t.name)).reduce((n, t) => n + t.rows.length, 0);
    expect(rows).toBe(ranking.categories.reduce((n, c) => n + c.entries.length, 0));
    expect(RANKING_HEADERS).toContain('Chỉ số');
  });

  test('Xếp hạng: footer on every page (Trang p/N, the year, the fingerprint); signatures after the last category', () => {
    const pages = pdf.ranking;
    pages.forEach((p, i) => {
      const last = lines(p).filter((l) => l.y0 > p.height - 45).map((l) => l.text).join(' ');
      expect(last).toContain(`Trang ${i + 1}/${pages.length}`);
      expect(last).toContain('Thi đua EVNCPC năm 2012');
      expect(last).toContain(ranking.fingerprint);
    });
    const end = textOf(pages[pages.length - 1]);
    for (const s of ['Đà Nẵng, ngày … tháng … năm …', 'NGƯỜI LẬP', 'TRƯỞNG BAN KINH DOANH']) expect(end).toContain(s);
    expect(pages.slice(0, -1).some((p) => textOf(p).includes('NGƯỜI LẬP'))).toBe(false);
  });

  test('Xếp hạng: readable size (zoom ≥ 85 %) and nothing out of its column, totals and every category page', () => {
    const pages = pdf.ranking;
    // The totals table ends where the note on the places left to the council begins: that note is one
    // cell merged across the table's columns (C…I), so it is checked against the merged range, whole.
    const note = pendingNote(plans.ranking);
    const noteStart = new RegExp(`^${note.split(' ').slice(0, 4).join(' ')}`);
    const z0 = checkTable(pages[0], plans.ranking, { first: 'Suất', c1: 8, headerLines: 3, last: noteStart });
    expect(z0).toBeGreaterThanOrEqual(0.849);
    const ls = lines(pages[0]);
    const at = ls.findIndex((l) => noteStart.test(l.text));
    expect(at).toBeGreaterThan(0);
    const noteLines = ls.slice(at).filter((l) => l.y0 < pages[0].height - 50);
    expect(noteLines.map((l) => l.text).join(' ')).toBe(note);
    const cell = plans.ranking.cells.find((c) => c.value === note)!;
    const e = edges(widthsOf(plans.ranking, 0, 8), pages[0].width, z0);
    for (const w of noteLines.flatMap((l) => l.words)) {
      expect(w.x0).toBeGreaterThanOrEqual(e[cell.col] - 0.5);
      expect(w.x1).toBeLessThanOrEqual(e[cell.col + (cell.mergeAcross ?? 0) + 1] + 0.5);
    }
    for (const [i, p] of pages.slice(1).entries()) {
      const z = checkTable(p, plans.ranking, { first: 'Tiền', c1: 8, headerLines: 3, last: /^Đà Nẵng, ngày/ });
      expect([i + 1, z >= 0.849]).toEqual([i + 1, true]);
    }
  });

  test('no shown rate contradicts the ranking: distinct rates print distinct, below the threshold never as 1.00%', () => {
    for (const id of ['company-saving', 'unit-saving'] as const) {
      const cat = ranking.categories.find((c) => c.id === id)!;
      const table = plans.ranking.tables.find((t) => isRankingTable(t.name) && t.rows.length && t.rows[0][1] === cat.entries[0].code)!;
      const decimals = /0\.(0+)%/.exec(table.columns[3].numFmt!)![1].length;
      const shown = (v: number) => (v * 100).toFixed(decimals);
      for (let i = 1; i < cat.entries.length; i++) {
        const a = cat.entries[i - 1].value!;
        const b = cat.entries[i].value!;
        if (a !== b) expect(shown(a)).not.toBe(shown(b));
      }
      for (const e of cat.entries) if (e.value !== null && !e.eligible && e.value < 0.01) expect(Number(shown(e.value))).toBeLessThan(1);
    }
    // The demo's PC03TH04 (0.9953 %) prints below 1 %.
    const text = pdf.ranking.map(textOf).join('\n');
    const huongThuy = ranking.categories.find((c) => c.id === 'unit-saving')!.entries.find((e) => e.code === 'PC03TH04');
    if (huongThuy && huongThuy.value! < 0.01) expect(text).not.toMatch(/PC03TH04 .*1\.00+%/);
  });

  test('Danh sách khen thưởng: A4 portrait, header on every page, sections, the total in words, footer, signatures', () => {
    const pages = pdf.awards;
    expect(pages.every(portrait)).toBe(true);
    expect(pages.length).toBeGreaterThan(1);
    const all = pages.map(textOf).join('\n');
    expect(decided.totals.pending).toBe(0);
    const count = decided.categories.reduce((n, c) => n + c.entries.filter((e) => e.award).length, 0);
    for (const s of ['DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG', 'I. TẬP THỂ', '1. Cờ thi đua', '2. Giấy khen', 'II. CÁ NHÂN',
      'Xuất sắc trong công tác tiết kiệm', `Bằng chữ: ${vndText(decided.totals.prize)}.`, `TỔNG CỘNG (${count})`, money(decided.totals.prize)]) expect(all).toContain(s);
    expect(all).not.toContain('CHƯA QUYẾT ĐỊNH');
    pages.forEach((p, i) => {
      expect(lines(p).some((l) => l.text.startsWith(`${AWARD_LIST_HEADERS[0]} Tập thể / cá nhân Đơn vị Thành tích Hình thức`))).toBe(true);
      expect(lines(p).filter((l) => l.y0 > p.height - 45).map((l) => l.text).join(' ')).toContain(`Trang ${i + 1}/${pages.length}`);
      checkTable(p, plans.awards, { first: 'STT', c1: 5, headerLines: 1, last: /^(Bằng chữ|Đà Nẵng)/ });
    });
    expect(textOf(pages[pages.length - 1])).toContain('TỔNG GIÁM ĐỐC');
  });

  test('Danh sách khen thưởng with ties: the undecided places listed apart, unpaid', () => {
    expect(tied.totals.pending).toBeGreaterThan(0);
    const all = pdf.tiedAwards.map(textOf).join('\n');
    expect(all).toContain('III. CHƯA QUYẾT ĐỊNH');
    expect(all).toContain('Chờ Hội');
    expect(all).toContain(`Bằng chữ: `);
    const { pending } = awardees(tied);
    expect(pending.length).toBeGreaterThan(0);
    const pendingTable = plans.tiedAwards.tables.find((t) => t.name === 'ChoQuyetDinh')!;
    expect(pendingTable.rows).toHaveLength(pending.length);
    for (const row of pendingTable.rows) expect(row[5]).toBeNull();
  });

  test('Giấy khen: one A4 landscape page per certificate, the award text on each', () => {
    const pages = pdf.certificates;
    expect(pages).toHaveLength(decided.totals.certificates);
    expect(decided.totals.certificates).toBe(ranking.totals.certificates + ranking.totals.pending);
    expect(pages.every(landscape)).toBe(true);
    const { awarded } = awardees(decided);
    const certs = awarded.filter((a) => a.entry.award!.form === 'Giấy khen');
    pages.forEach((p, i) => {
      const t = textOf(p);
      for (const s of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'TỔNG GIÁM ĐỐC TỔNG CÔNG TY ĐIỆN LỰC MIỀN TRUNG', 'TẶNG', 'GIẤY KHEN',
        'năm 2012', 'Đà Nẵng, ngày … tháng … năm …']) expect(t).toContain(s);
      expect(t.replace(/\n/g, ' ')).toContain(certs[i].entry.name);
      // Everything inside the page's printable width.
      for (const w of p.words) { expect(w.x0).toBeGreaterThan(30); expect(w.x1).toBeLessThan(p.width - 30); }
    });
  });

  test('Kiểm tra: landscape, header on every page, footer, no column overflows', () => {
    const pages = pdf.report;
    expect(pages.every(landscape)).toBe(true);
    expect(textOf(pages[0])).toContain('Kết quả');
    pages.forEach((p, i) => {
      expect(lines(p).some((l) => l.text.startsWith('STT Mức độ Tệp Sheet Ô Trường Mã lỗi Nội dung'))).toBe(true);
      expect(lines(p).filter((l) => l.y0 > p.height - 45).map((l) => l.text).join(' ')).toContain(`Trang ${i + 1}/${pages.length}`);
      const z = checkTable(p, plans.report, { first: 'STT', c1: 7 });
      expect(z).toBeGreaterThanOrEqual(0.849);
    });
    // The labels above the table are whole.
    expect(lines(pdf.report[0]).some((l) => l.words.some((w) => w.text === 'Kết'))).toBe(true);
  });

  test('the blank template prints as a form: who fills what on every page, whole headers', () => {
    const pages = pdf.template;
    expect(pages.length).toBeGreaterThanOrEqual(5);
    expect(pages.every(landscape)).toBe(true);
    for (const p of pages) {
      expect(lines(p)[0].text).toContain('Công ty Điện lực điền các sheet Thông tin, Tiết kiệm điện, Dịch vụ khách hàng, Cá nhân; sheet Tiêu chí do Ban Kinh doanh quy định.');
    }
    const saving = pages.find((p) => textOf(p).includes('TIẾT KIỆM ĐIỆN'))!;
    const plan = plans[`template${inputSheetPlans({}).findIndex((t) => t.name === SHEETS.saving)}`];
    checkTable(saving, plan, { first: 'Mã', c1: plan.tables[0].columns.length - 1, headerLines: 1 });
  });
});
