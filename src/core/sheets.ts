/**
 * The output sheets as plans: `Xếp hạng` (the award proposal) and `Kiểm tra` (the validation
 * report). Both renderers (ExcelJS for files, Office.js in Excel) draw exactly this.
 */
import { SheetGrid, cellAt, normalizeSpace } from './cells';
import { decimalsFormat, displayDecimals } from './display';
import { AREA, DEFAULT_PARAMS, LEVEL, NUMFMT, OUTPUT_TABLES, ParamsRecord, SHEETS } from './format';
import { CATEGORIES, PENDING_NOTE } from './engine';
import type { CategoryId, CategoryResult, Issue, Ranking } from './model';
import {
  ADDIN_MARKER_PREFIX, ColumnPlan, FreeCell, PageSetup, PlanCell, RowHighlight, SheetPlan, TablePlan, headerFooterText,
} from './plan';

/**
 * Columns of the ranking tables (one table per category, or per printed page of one): the category
 * and level are in each section's heading; `Chỉ số` is named per category (MEASURE_HEADER).
 */
export const RANKING_HEADERS = [
  'Hạng', 'Mã đơn vị', 'Tên', 'Chỉ số', 'Đủ điều kiện', 'Danh hiệu', 'Hình thức', 'Tiền thưởng (VND)', 'Ghi chú',
] as const;

/** What `Chỉ số` is in each category. */
export const MEASURE_HEADER: Readonly<Record<CategoryId, string>> = {
  'company-service': 'Điểm dịch vụ',
  'company-saving': 'Tỷ lệ tiết kiệm',
  'unit-service': 'Điểm dịch vụ',
  'unit-saving': 'Tỷ lệ tiết kiệm',
  individual: 'Điểm',
};

/** Table names of the categories; a category longer than a page continues in `<name>_2`, … */
export const RANKING_TABLE: Readonly<Record<CategoryId, string>> = {
  'company-service': `${OUTPUT_TABLES.ranking}_CT_DichVu`,
  'company-saving': `${OUTPUT_TABLES.ranking}_CT_TietKiem`,
  'unit-service': `${OUTPUT_TABLES.ranking}_DL_DichVu`,
  'unit-saving': `${OUTPUT_TABLES.ranking}_DL_TietKiem`,
  individual: `${OUTPUT_TABLES.ranking}_CaNhan`,
};

/** Is this one of the ranking tables (`XepHang_…`)? */
export function isRankingTable(name: string): boolean {
  return name.startsWith(`${OUTPUT_TABLES.ranking}_`);
}

/** The `Đủ điều kiện` column's values. */
export const ELIGIBLE_TEXT = { yes: 'Có', no: 'Không' } as const;

const rankingColumn = (header: (typeof RANKING_HEADERS)[number]): number => RANKING_HEADERS.indexOf(header);

/**
 * How ranking rows are coloured, read from the row's own cells (so sorting or filtering the
 * table keeps it right): a tie the council decides, then an award, then an entry not ranked.
 */
export const RANKING_HIGHLIGHTS: readonly RowHighlight[] = [
  { style: 'pending', when: [{ column: rankingColumn('Ghi chú'), equals: PENDING_NOTE }] },
  {
    style: 'award',
    when: [{ column: rankingColumn('Tiền thưởng (VND)'), greaterThan: 0 }, { column: rankingColumn('Danh hiệu'), nonEmpty: true }],
  },
  { style: 'excluded', when: [{ column: rankingColumn('Đủ điều kiện'), equals: ELIGIBLE_TEXT.no }] },
];

export const TOTALS_HEADERS = ['Hạng mục', 'Cấp', 'Cờ thi đua', 'Giấy khen', 'Suất chờ Hội đồng quyết định', 'Tiền thưởng (VND)'] as const;

export const REPORT_HEADERS = ['STT', 'Mức độ', 'Tệp', 'Sheet', 'Ô', 'Trường', 'Mã lỗi', 'Nội dung'] as const;

/** Where the marker and the fingerprint sit on the output sheets (0-based). */
export const MARKER_CELL = { row: 1, col: 0 } as const;
export const FINGERPRINT_CELL = { row: 3, col: 1 } as const;
export const MADE_AT_CELL = { row: 2, col: 1 } as const;

const CATEGORY_LABEL: Readonly<Record<CategoryId, { area: string; level: string; percent: boolean }>> = {
  'company-service': { area: AREA.service, level: LEVEL.company, percent: false },
  'company-saving': { area: AREA.saving, level: LEVEL.company, percent: true },
  'unit-service': { area: AREA.service, level: LEVEL.unit, percent: false },
  'unit-saving': { area: AREA.saving, level: LEVEL.unit, percent: true },
  individual: { area: AREA.individual, level: LEVEL.individual, percent: false },
};

/** The category's threshold in the measure's unit (a fraction for rates), or null. */
export function categoryThreshold(id: CategoryId, params: ParamsRecord = DEFAULT_PARAMS): number | null {
  if (id === 'company-saving') return params.companyThreshold;
  if (id === 'unit-saving') return params.unitThreshold;
  if (id === 'individual') return null;
  return params.minScore;
}

/** Decimals that keep the category's shown measures as ordered as the ranking (issue 10). */
export function categoryDecimals(cat: CategoryResult, params: ParamsRecord = DEFAULT_PARAMS): number {
  // Asked by the sheet and the CLI's summary of the same (immutable) ranking: computed once.
  const known = DECIMALS.get(cat.entries);
  const threshold = categoryThreshold(cat.id, params);
  if (known && known.id === cat.id && known.threshold === threshold) return known.decimals;
  const decimals = displayDecimals(cat.entries.map((e) => e.value), { percent: CATEGORY_LABEL[cat.id].percent, threshold });
  DECIMALS.set(cat.entries, { id: cat.id, threshold, decimals });
  return decimals;
}
const DECIMALS = new WeakMap<readonly unknown[], { id: CategoryId; threshold: number | null | undefined; decimals: number }>();

/** `1 %`, `0,5 %`: a threshold as the heading prints it. */
function percentText(fraction: number): string {
  const pct = Number((fraction * 100).toPrecision(12));
  return `${String(pct).replace('.', ',')} %`;
}

/** The category heading's second line: what makes an entry eligible. */
export function categoryCondition(id: CategoryId, params: ParamsRecord = DEFAULT_PARAMS): string {
  const t = categoryThreshold(id, params);
  if (CATEGORY_LABEL[id].percent) return `Ngưỡng: ${percentText(t ?? 0)} điện thương phẩm (tỷ lệ tiết kiệm tối thiểu để đủ điều kiện)`;
  if (id === 'individual') return 'Điểm do hội đồng thi đua đơn vị chấm (0–100)';
  return `Điểm dịch vụ tối thiểu: ${String(t ?? 0).replace('.', ',')} (thang điểm 100)`;
}

/** The approval recorded on the ranking (issue 11): who approved and when, as shown. */
export interface Approval {
  readonly by: string;
  readonly at: string;
}

export interface RankingOptions {
  readonly approval?: Approval | null;
}

/** The screen title (row 0): the draft mark, or the approval as the status line says it. */
export function rankingTitle(year: number | null, status = 'DỰ THẢO TRÌNH DUYỆT'): string {
  return `KẾT QUẢ XẾP HẠNG THI ĐUA NĂM ${year ?? '…'} – ${status}`;
}

/** The printed status line: `DỰ THẢO TRÌNH DUYỆT` until approved with nothing pending. */
export function rankingStatus(r: Ranking, approval?: Approval | null): string {
  if (approval && r.totals.pending === 0) return `ĐÃ PHÊ DUYỆT (${normalizeSpace(approval.by)}, ${approval.at})`;
  return 'DỰ THẢO TRÌNH DUYỆT';
}

/** Where `rankingSheetPlan` puts the printed status line (0-based: the print's row 6 + 5). */
export const RANKING_STATUS_CELL = { row: 11, col: 0 } as const;

export function markerText(what: string): string {
  return `${ADDIN_MARKER_PREFIX} · ${what} do phần bổ trợ lập, được thay khi chạy lại; không nhập dữ liệu vào sheet này.`;
}

// --- Print geometry -----------------------------------------------------------------------------

/** Points of sheet height one printed page holds (A4 at the zoom, less margins; a safety share kept). */
export function pageCapacity(orientation: 'landscape' | 'portrait', zoom: number, m: { top: number; bottom: number }): number {
  const paper = orientation === 'landscape' ? 595 : 842;
  return Math.floor(((paper - (m.top + m.bottom) * 72) / (zoom / 100)) * 0.93);
}

export const LINE_PT = 15;

/**
 * Lines a text takes wrapped in a column of `width` characters (greedy by words). Calibri's
 * average Vietnamese letter is narrower than the `0` a width counts; 0.92 of the width keeps
 * capitals and bold text safe.
 */
export function wrappedLines(text: string, width: number): number {
  const room = Math.max(1, Math.floor(width * 0.95) - 1);
  // Words joined by single spaces are never longer than the text: all fit on the first line.
  if (text.length <= room) return 1;
  let lines = 1;
  let used = 0;
  // Words are the runs between whitespace (as `\s+` splits them), measured in one pass.
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i === n) break;
    const from = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    const w = i - from;
    if (used === 0) { used = w; lines += Math.floor((w - 1) / room); used = ((w - 1) % room) + 1; continue; }
    if (used + 1 + w <= room) used += 1 + w;
    else { lines++; used = Math.min(w, room); lines += Math.floor((w - 1) / room); }
  }
  return lines;
}

/** What the RegExp `\s` matches: ASCII and Unicode spaces, line terminators, U+FEFF. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

export function rowHeightOf(cells: readonly PlanCell[], columns: readonly ColumnPlan[]): number {
  let lines = 1;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    const v = cells[i];
    if (c.wrap && typeof v === 'string' && c.width) lines = Math.max(lines, wrappedLines(v, c.width));
  }
  return lines * LINE_PT;
}

/** Where page content goes, row by row, with manual breaks when a block does not fit. */
export class Pager {
  row: number;
  used = 0;
  readonly breaks: number[] = [];
  /** Heights by row: a sparse array (a plan's rowHeights), not a record of 100,000 keys. */
  readonly heights: number[] = [];
  constructor(start: number, readonly capacity: number) { this.row = start; }
  /** Reserve rows; heights in points. */
  put(heights: readonly number[]): number {
    const at = this.row;
    let sum = 0;
    for (let i = 0; i < heights.length; i++) {
      this.heights[at + i] = heights[i];
      sum += heights[i];
    }
    this.row += heights.length;
    this.used += sum;
    return at;
  }
  fits(points: number): boolean { return this.used + points <= this.capacity; }
  newPage(): void {
    if (this.used === 0) return;
    this.breaks.push(this.row);
    this.used = 0;
  }
}

const RANKING_ZOOM = 90;
const RANKING_MARGINS = { left: 0.45, right: 0.45, top: 0.5, bottom: 0.6, header: 0.25, footer: 0.3 } as const;
const HEADER_PT = 32;

function rankingColumns(id: CategoryId, decimals: number): ColumnPlan[] {
  const fmt = decimalsFormat(decimals, CATEGORY_LABEL[id].percent);
  return [
    { header: RANKING_HEADERS[0], width: 10, numFmt: NUMFMT.integer, align: 'center' },
    { header: RANKING_HEADERS[1], width: 12, align: 'left' },
    { header: RANKING_HEADERS[2], width: 30, wrap: true },
    { header: MEASURE_HEADER[id], width: 13, numFmt: fmt, align: 'center' },
    { header: RANKING_HEADERS[4], width: 11, align: 'center' },
    { header: RANKING_HEADERS[5], width: 10, align: 'center' },
    { header: RANKING_HEADERS[6], width: 12, align: 'center' },
    { header: RANKING_HEADERS[7], width: 14, numFmt: NUMFMT.money, align: 'right' },
    { header: RANKING_HEADERS[8], width: 31, wrap: true },
  ];
}

const RANKING_WIDTH = RANKING_HEADERS.length;

/** The national heading block (left: the issuing body; right: the state motto). */
export function headingBlock(row: number, width: number, leftSpan: number, rightFrom: number, body = 'BAN KINH DOANH'): FreeCell[] {
  return [
    { row, col: 0, value: 'TỔNG CÔNG TY ĐIỆN LỰC MIỀN TRUNG', style: 'org', mergeAcross: leftSpan - 1 },
    { row, col: rightFrom, value: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', style: 'org', mergeAcross: width - rightFrom - 1 },
    { row: row + 1, col: 0, value: body, style: 'org', mergeAcross: leftSpan - 1 },
    { row: row + 1, col: rightFrom, value: 'Độc lập - Tự do - Hạnh phúc', style: 'motto', mergeAcross: width - rightFrom - 1 },
  ];
}

/** The print footer of the add-in's documents: page numbers, the year and the input fingerprint. */
export function printFooter(year: number | null, fingerprint: string): PageSetup['footer'] {
  return {
    left: headerFooterText(`Thi đua EVNCPC năm ${year ?? '…'}`),
    center: 'Trang &P/&N',
    right: headerFooterText(`Dấu vân tay dữ liệu: ${fingerprint}`),
  };
}

/** Place-and-date line and the two signatures, from `row`; the rows it takes. */
export function signatureBlock(row: number, width: number, leftSpan: number, rightFrom: number, left: string, right: string): FreeCell[] {
  return [
    { row, col: rightFrom, value: 'Đà Nẵng, ngày … tháng … năm …', style: 'note', align: 'center', mergeAcross: width - rightFrom - 1 },
    { row: row + 1, col: 0, value: left, style: 'sign', mergeAcross: leftSpan - 1 },
    { row: row + 1, col: rightFrom, value: right, style: 'sign', mergeAcross: width - rightFrom - 1 },
    { row: row + 2, col: 0, value: '(Ký, ghi rõ họ tên)', style: 'note', align: 'center', mergeAcross: leftSpan - 1 },
    { row: row + 2, col: rightFrom, value: '(Ký, ghi rõ họ tên)', style: 'note', align: 'center', mergeAcross: width - rightFrom - 1 },
  ];
}
export const SIGNATURE_HEIGHTS = [LINE_PT + 6, LINE_PT + 4, LINE_PT, 60];
/** Room the signature block takes, with the gap above it. */
export const SIGNATURE_POINTS = SIGNATURE_HEIGHTS.reduce((a, b) => a + b, 0) + 10;

/**
 * The `Xếp hạng` sheet: the Business Department's proposal as it is printed and signed. Rows 0–4
 * (title, marker, made-at, fingerprint, check) are for the screen and the add-in; the print starts
 * below them: the national heading, the title, the status, the totals, then each category on its
 * own page(s) with its heading and condition, the header repeated on every page, and the signature
 * block after the last. `madeAt` is shown as given (the only part that changes between runs).
 */
export function rankingSheetPlan(r: Ranking, madeAt: string, opts: RankingOptions = {}): SheetPlan {
  const errors = r.issues.filter((i) => i.severity === 'error').length;
  const warnings = r.issues.length - errors;
  const width = RANKING_WIDTH;
  const params = r.params ?? DEFAULT_PARAMS;
  const check = errors
    ? `${errors} lỗi, ${warnings} cảnh báo: các đơn vị có lỗi không được xếp hạng (xem sheet ${SHEETS.report})`
    : `Không có lỗi${warnings ? `, ${warnings} cảnh báo` : ''}`;
  const cells: FreeCell[] = [
    { row: 0, col: 0, value: rankingTitle(r.year, rankingStatus(r, opts.approval)), style: 'title', mergeAcross: width - 1 },
    { row: MARKER_CELL.row, col: MARKER_CELL.col, value: markerText('Bảng xếp hạng'), style: 'muted', mergeAcross: width - 1 },
    { row: 2, col: 0, value: 'Lập lúc', style: 'label' },
    { row: MADE_AT_CELL.row, col: MADE_AT_CELL.col, value: madeAt, mergeAcross: 2 },
    { row: 3, col: 0, value: 'Dấu vân tay dữ liệu', style: 'label', wrap: true },
    { row: FINGERPRINT_CELL.row, col: FINGERPRINT_CELL.col, value: r.fingerprint, mergeAcross: 2 },
    { row: 4, col: 0, value: 'Kiểm tra', style: 'label' },
    { row: 4, col: 1, mergeAcross: width - 2, value: check },
  ];
  const printTop = 6;
  const capacity = pageCapacity('landscape', RANKING_ZOOM, RANKING_MARGINS);
  const pager = new Pager(printTop, capacity);
  const heights: Record<number, number> = { 0: 22, 1: 15, 2: 15, 3: 3 * LINE_PT, 4: 15, 5: 8 };

  // Heading block, title, status.
  const h0 = pager.put([LINE_PT + 2, LINE_PT + 2, 8, 24, LINE_PT + 3, 20, LINE_PT, 8]);
  cells.push(...headingBlock(h0, width, 3, 5));
  cells.push(
    { row: h0 + 3, col: 0, value: `KẾT QUẢ XẾP HẠNG THI ĐUA NĂM ${r.year ?? '…'}`, style: 'doctitle', mergeAcross: width - 1 },
    { row: h0 + 4, col: 0, value: 'Phong trào "Nâng cao công tác phục vụ khách hàng và tiết kiệm điện"', style: 'note', align: 'center', mergeAcross: width - 1 },
    { row: h0 + 5, col: 0, value: rankingStatus(r, opts.approval), style: 'status', mergeAcross: width - 1 },
    { row: h0 + 6, col: 0, value: `Kiểm tra dữ liệu: ${check}.`, style: 'note', align: 'center', mergeAcross: width - 1 },
  );

  // Totals first, placed where the columns are wide enough for its headers (C…H).
  const totalsRows: PlanCell[][] = r.categoryTotals.map((t) => {
    const label = CATEGORY_LABEL[t.id];
    return [label.area, label.level, t.flags, t.certificates, t.pending, t.prize];
  });
  totalsRows.push(['Tổng cộng', null, r.totals.flags, r.totals.certificates, r.totals.pending, r.totals.prize]);
  const capRow = pager.put([LINE_PT + 5]);
  const totalsTop = pager.put([3 * LINE_PT, ...totalsRows.map(() => LINE_PT)]); // its longest header wraps to three lines
  void capRow;
  const totals: TablePlan = {
    name: OUTPUT_TABLES.totals, topRow: totalsTop, leftCol: 2, caption: 'TỔNG HỢP KHEN THƯỞNG', wrapHeader: true,
    columns: [
      { header: TOTALS_HEADERS[0] }, { header: TOTALS_HEADERS[1] }, { header: TOTALS_HEADERS[2], numFmt: NUMFMT.integer, align: 'center' },
      { header: TOTALS_HEADERS[3], numFmt: NUMFMT.integer, align: 'center' }, { header: TOTALS_HEADERS[4], numFmt: NUMFMT.integer, align: 'center' },
      { header: TOTALS_HEADERS[5], numFmt: NUMFMT.money, align: 'right' },
    ],
    rows: totalsRows,
    rowStyles: totalsRows.map((_, i) => (i === totalsRows.length - 1 ? 'award' : undefined)),
  };
  const tables: TablePlan[] = [totals];
  if (r.totals.pending) {
    const at = pager.put([8, 2 * LINE_PT]);
    cells.push({ row: at + 1, col: 2, style: 'note', mergeAcross: width - 3, wrap: true,
      value: `${r.totals.pending} suất khen thưởng có đồng hạng ở ranh giới: chương trình không tự chọn, trình Hội đồng Thi đua quyết định.` });
  }

  // One section per category, each from a new page; a long one continues with its header again.
  r.categories.forEach((cat, k) => {
    pager.newPage();
    const label = CATEGORY_LABEL[cat.id];
    const columns = rankingColumns(cat.id, categoryDecimals(cat, params));
    const rows: PlanCell[][] = cat.entries.map((e) => [
      e.rank, e.code, e.name, e.value, e.eligible ? ELIGIBLE_TEXT.yes : ELIGIBLE_TEXT.no,
      e.award?.title ?? null, e.award?.form ?? null, e.award ? e.award.prize : null, e.note || null,
    ]);
    if (!rows.length) rows.push([null, null, 'Chưa có đơn vị nào', null, null, null, null, null, null]);
    const rowHeights = rows.map((row) => rowHeightOf(row, columns));
    const heading = `${ROMAN[k] ?? k + 1}. ${label.area.toUpperCase()}${label.level === LEVEL.individual ? '' : ` – ${label.level.toUpperCase()}`}`;
    let from = 0;
    let part = 1;
    while (from < rows.length) {
      if (part > 1) pager.newPage();
      const head = pager.put(part === 1 ? [LINE_PT + 7, LINE_PT + 2] : [LINE_PT + 7]);
      cells.push({ row: head, col: 0, value: part === 1 ? heading : `${heading} (tiếp theo)`, style: 'section', mergeAcross: width - 1 });
      if (part === 1) cells.push({ row: head + 1, col: 0, value: categoryCondition(cat.id, params), style: 'note', mergeAcross: width - 1 });
      let to = from;
      let room = HEADER_PT;
      while (to < rows.length && (to === from || pager.fits(room + rowHeights[to]))) room += rowHeights[to++];
      // The signatures never stand alone on a page: the last rows go over with them.
      if (k === r.categories.length - 1 && to === rows.length && !pager.fits(room + SIGNATURE_POINTS)) {
        const move = Math.min(5, to - from - 1);
        while (to - from > 1 && (!pager.fits(room + SIGNATURE_POINTS) || rows.length - to < move)) room -= rowHeights[--to];
      }
      const top = pager.put([HEADER_PT, ...rowHeights.slice(from, to)]);
      tables.push({
        name: part === 1 ? RANKING_TABLE[cat.id] : `${RANKING_TABLE[cat.id]}_${part}`,
        topRow: top, leftCol: 0, columns, rows: rows.slice(from, to), wrapHeader: true,
        conditionalFormats: RANKING_HIGHLIGHTS,
      });
      from = to;
      part++;
    }
  });

  // Place, date and signatures after the last category, on its page when they fit.
  if (!pager.fits(SIGNATURE_POINTS)) pager.newPage();
  pager.put([10]);
  const sign = pager.put(SIGNATURE_HEIGHTS);
  cells.push(...signatureBlock(sign, width, 3, 5, 'NGƯỜI LẬP', 'TRƯỞNG BAN KINH DOANH'));

  return {
    name: SHEETS.ranking,
    marker: { cell: MARKER_CELL, text: markerText('Bảng xếp hạng'), kind: 'ranking' },
    cells, tables, freezeRows: undefined, tabColor: '1F4E79',
    rowHeights: withHeights(pager.heights, heights),
    page: {
      orientation: 'landscape', paperSize: 'A4', fitToWidth: false, zoom: RANKING_ZOOM, margins: RANKING_MARGINS,
      printArea: { r0: printTop, c0: 0, r1: pager.row - 1, c1: width - 1 },
      rowBreaks: pager.breaks, centerHorizontally: true,
      footer: printFooter(r.year, r.fingerprint),
    },
  };
}

/** `rows` with the heights of `more` where it has none (rows' own win, as in `{ ...more, ...rows }`). */
function withHeights(rows: number[], more: Readonly<Record<number, number>>): number[] {
  for (const [r, h] of Object.entries(more)) if (rows[Number(r)] === undefined) rows[Number(r)] = h;
  return rows;
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'];

const SEVERITY_LABEL = { error: 'Lỗi', warning: 'Cảnh báo' } as const;

export interface ReportOptions {
  /** Link each issue to its cell (only when the issues are about this same workbook). */
  readonly links?: boolean;
}

/** The `Kiểm tra` sheet: one row per issue, in the engine's order; prints A4 landscape at 85 %. */
export function reportSheetPlan(issues: readonly Issue[], madeAt: string, opts: ReportOptions = {}): SheetPlan {
  const errors = issues.filter((i) => i.severity === 'error').length;
  const width = REPORT_HEADERS.length;
  const headerRow = 5;
  const rows: PlanCell[][] = issues.map((i, n) => [n + 1, SEVERITY_LABEL[i.severity], i.file || null, i.sheet, i.cell || null, i.field || null, i.code, i.message]);
  const links = opts.links
    ? issues.flatMap((i, n) => (i.cell && !i.file ? [{ row: n, col: 4, sheet: i.sheet, cell: i.cell }] : []))
    : [];
  const columns: ColumnPlan[] = [
    { header: REPORT_HEADERS[0], width: 10, numFmt: NUMFMT.integer, align: 'center' }, { header: REPORT_HEADERS[1], width: 10 },
    { header: REPORT_HEADERS[2], width: 20, wrap: true }, { header: REPORT_HEADERS[3], width: 19, wrap: true },
    { header: REPORT_HEADERS[4], width: 8, align: 'center' }, { header: REPORT_HEADERS[5], width: 22, wrap: true },
    { header: REPORT_HEADERS[6], width: 18 }, { header: REPORT_HEADERS[7], width: 54, wrap: true },
  ];
  const bodyRows = rows.length ? rows : [[null, null, null, null, null, null, null, 'Không có vấn đề nào']];
  // A sparse array by row (a record of 100,000 numeric keys costs a dictionary).
  const rowHeights: number[] = [];
  rowHeights[headerRow] = 2 * LINE_PT;
  bodyRows.forEach((row, i) => { rowHeights[headerRow + 1 + i] = rowHeightOf(row, columns); });
  return {
    name: SHEETS.report,
    marker: { cell: MARKER_CELL, text: markerText('Báo cáo kiểm tra'), kind: 'report' },
    cells: [
      { row: 0, col: 0, value: 'KẾT QUẢ KIỂM TRA DỮ LIỆU THI ĐUA', style: 'title', mergeAcross: width - 1 },
      { row: MARKER_CELL.row, col: MARKER_CELL.col, value: markerText('Báo cáo kiểm tra'), style: 'muted', mergeAcross: width - 1 },
      { row: 2, col: 0, value: 'Lập lúc', style: 'label' },
      { row: MADE_AT_CELL.row, col: MADE_AT_CELL.col, value: madeAt, mergeAcross: 2 },
      { row: 3, col: 0, value: 'Kết quả', style: 'label' },
      { row: 3, col: 1, mergeAcross: width - 2, value: issues.length ? `${errors} lỗi, ${issues.length - errors} cảnh báo` : 'Không có lỗi hay cảnh báo nào' },
    ],
    tables: [{
      name: OUTPUT_TABLES.report, topRow: headerRow, leftCol: 0, columns, wrapHeader: true,
      rows: bodyRows,
      rowStyles: issues.map((i) => (i.severity === 'error' ? 'pending' : undefined)),
      links,
    }],
    freezeRows: headerRow + 1,
    rowHeights,
    page: {
      orientation: 'landscape', paperSize: 'A4', fitToWidth: false, zoom: 85, centerHorizontally: true,
      margins: RANKING_MARGINS, printTitleRows: [headerRow, headerRow],
      footer: { left: 'Thi đua EVNCPC – kết quả kiểm tra', center: 'Trang &P/&N', right: headerFooterText(madeAt) },
    },
  };
}

/** Was this sheet written by the add-in (so it may be replaced)? */
export function isAddinSheet(sheet: SheetGrid): boolean {
  const v = cellAt(sheet, MARKER_CELL.row, MARKER_CELL.col);
  return typeof v === 'string' && normalizeSpace(v).startsWith(ADDIN_MARKER_PREFIX);
}

/** The fingerprint recorded on a `Xếp hạng` sheet, for the stale check. */
export function rankingFingerprint(sheet: SheetGrid): string | null {
  if (!isAddinSheet(sheet)) return null;
  const v = cellAt(sheet, FINGERPRINT_CELL.row, FINGERPRINT_CELL.col);
  return typeof v === 'string' && /^[0-9a-f]{16}$/.test(v.trim()) ? v.trim() : null;
}

export { CATEGORIES };
