/**
 * The output sheets as plans: `Xếp hạng` (the award proposal) and `Kiểm tra` (the validation
 * report). Both renderers (ExcelJS for files, Office.js in Excel) draw exactly this.
 */
import { SheetGrid, cellAt, normalizeSpace } from './cells';
import { AREA, LEVEL, NUMFMT, OUTPUT_TABLES, SHEETS } from './format';
import { CATEGORIES, PENDING_NOTE } from './engine';
import type { CategoryId, Issue, Ranking } from './model';
import { ADDIN_MARKER_PREFIX, FreeCell, PlanCell, RowHighlight, SheetPlan, TablePlan } from './plan';

export const RANKING_HEADERS = [
  'Hạng mục', 'Cấp', 'Hạng', 'Mã đơn vị', 'Tên', 'Chỉ số', 'Đủ điều kiện', 'Danh hiệu', 'Hình thức', 'Tiền thưởng (VND)', 'Ghi chú',
] as const;

/** The `Đủ điều kiện` column's values. */
export const ELIGIBLE_TEXT = { yes: 'Có', no: 'Không' } as const;

const rankingColumn = (header: (typeof RANKING_HEADERS)[number]): number => RANKING_HEADERS.indexOf(header);

/**
 * How `XepHang` rows are coloured, read from the row's own cells (so sorting or filtering the
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

const CATEGORY_LABEL: Readonly<Record<CategoryId, { area: string; level: string; measureFmt: string }>> = {
  'company-service': { area: AREA.service, level: LEVEL.company, measureFmt: NUMFMT.score },
  'company-saving': { area: AREA.saving, level: LEVEL.company, measureFmt: NUMFMT.rate },
  'unit-service': { area: AREA.service, level: LEVEL.unit, measureFmt: NUMFMT.score },
  'unit-saving': { area: AREA.saving, level: LEVEL.unit, measureFmt: NUMFMT.rate },
  individual: { area: AREA.individual, level: LEVEL.individual, measureFmt: NUMFMT.score },
};

export function rankingTitle(year: number | null): string {
  return `KẾT QUẢ XẾP HẠNG THI ĐUA NĂM ${year ?? '…'} – DỰ THẢO TRÌNH DUYỆT`;
}

function markerText(what: string): string {
  return `${ADDIN_MARKER_PREFIX} · ${what} do phần bổ trợ lập, được thay khi chạy lại; không nhập dữ liệu vào sheet này.`;
}

/** The `Xếp hạng` sheet. `madeAt` is shown as given (the only part that changes between runs). */
export function rankingSheetPlan(r: Ranking, madeAt: string): SheetPlan {
  const errors = r.issues.filter((i) => i.severity === 'error').length;
  const warnings = r.issues.length - errors;
  const width = RANKING_HEADERS.length;
  const cells: FreeCell[] = [
    { row: 0, col: 0, value: rankingTitle(r.year), style: 'title', mergeAcross: width - 1 },
    { row: MARKER_CELL.row, col: MARKER_CELL.col, value: markerText('Bảng xếp hạng'), style: 'muted', mergeAcross: width - 1 },
    { row: 2, col: 0, value: 'Lập lúc', style: 'label' },
    { row: MADE_AT_CELL.row, col: MADE_AT_CELL.col, value: madeAt, mergeAcross: 2 },
    { row: 3, col: 0, value: 'Dấu vân tay dữ liệu', style: 'label' },
    { row: FINGERPRINT_CELL.row, col: FINGERPRINT_CELL.col, value: r.fingerprint, mergeAcross: 2 },
    { row: 4, col: 0, value: 'Kiểm tra', style: 'label' },
    {
      row: 4, col: 1, mergeAcross: width - 2,
      value: errors
        ? `${errors} lỗi, ${warnings} cảnh báo: các đơn vị có lỗi không được xếp hạng (xem sheet ${SHEETS.report})`
        : `Không có lỗi${warnings ? `, ${warnings} cảnh báo` : ''}`,
    },
  ];
  const headerRow = 6;
  const rows: PlanCell[][] = [];
  const formats: (string | undefined)[][] = [];
  for (const cat of r.categories) {
    const label = CATEGORY_LABEL[cat.id];
    for (const e of cat.entries) {
      rows.push([
        label.area, label.level, e.rank, e.code, e.name, e.value, e.eligible ? ELIGIBLE_TEXT.yes : ELIGIBLE_TEXT.no,
        e.award?.title ?? null, e.award?.form ?? null, e.award ? e.award.prize : null, e.note || null,
      ]);
      formats.push([undefined, undefined, undefined, undefined, undefined, label.measureFmt]);
    }
  }
  const ranking: TablePlan = {
    name: OUTPUT_TABLES.ranking, topRow: headerRow, leftCol: 0,
    columns: [
      { header: RANKING_HEADERS[0], width: 20 }, { header: RANKING_HEADERS[1], width: 10 }, { header: RANKING_HEADERS[2], width: 7, numFmt: NUMFMT.integer },
      { header: RANKING_HEADERS[3], width: 13 }, { header: RANKING_HEADERS[4], width: 36 }, { header: RANKING_HEADERS[5], width: 11 },
      { header: RANKING_HEADERS[6], width: 13 }, { header: RANKING_HEADERS[7], width: 11 }, { header: RANKING_HEADERS[8], width: 12 },
      { header: RANKING_HEADERS[9], width: 17, numFmt: NUMFMT.money }, { header: RANKING_HEADERS[10], width: 44 },
    ],
    rows: rows.length ? rows : [[null, null, null, null, 'Chưa có đơn vị nào', null, null, null, null, null, null]],
    cellFormats: formats,
    conditionalFormats: RANKING_HIGHLIGHTS,
  };

  const totalsTop = headerRow + ranking.rows.length + 3;
  const totalsRows: PlanCell[][] = r.categoryTotals.map((t) => {
    const label = CATEGORY_LABEL[t.id];
    return [label.area, label.level, t.flags, t.certificates, t.pending, t.prize];
  });
  totalsRows.push(['Tổng cộng', null, r.totals.flags, r.totals.certificates, r.totals.pending, r.totals.prize]);
  const totals: TablePlan = {
    name: OUTPUT_TABLES.totals, topRow: totalsTop, leftCol: 0, caption: 'TỔNG HỢP KHEN THƯỞNG',
    columns: [
      { header: TOTALS_HEADERS[0] }, { header: TOTALS_HEADERS[1] }, { header: TOTALS_HEADERS[2], numFmt: NUMFMT.integer },
      { header: TOTALS_HEADERS[3], numFmt: NUMFMT.integer }, { header: TOTALS_HEADERS[4], numFmt: NUMFMT.integer },
      { header: TOTALS_HEADERS[5], numFmt: NUMFMT.money },
    ],
    rows: totalsRows,
    rowStyles: totalsRows.map((_, i) => (i === totalsRows.length - 1 ? 'award' : undefined)),
  };
  if (r.totals.pending) {
    cells.push({ row: totalsTop + totalsRows.length + 2, col: 0, style: 'muted', mergeAcross: width - 1,
      value: `${r.totals.pending} suất khen thưởng có đồng hạng ở ranh giới: chương trình không tự chọn, trình Hội đồng Thi đua quyết định.` });
  }
  return {
    name: SHEETS.ranking,
    marker: { cell: MARKER_CELL, text: markerText('Bảng xếp hạng'), kind: 'ranking' },
    cells, tables: [ranking, totals], freezeRows: headerRow + 1, tabColor: '1F4E79',
    page: { orientation: 'landscape', paperSize: 'A4', fitToWidth: true, printTitleRows: [headerRow, headerRow] },
  };
}

const SEVERITY_LABEL = { error: 'Lỗi', warning: 'Cảnh báo' } as const;

export interface ReportOptions {
  /** Link each issue to its cell (only when the issues are about this same workbook). */
  readonly links?: boolean;
}

/** The `Kiểm tra` sheet: one row per issue, in the engine's order. */
export function reportSheetPlan(issues: readonly Issue[], madeAt: string, opts: ReportOptions = {}): SheetPlan {
  const errors = issues.filter((i) => i.severity === 'error').length;
  const width = REPORT_HEADERS.length;
  const headerRow = 5;
  const rows: PlanCell[][] = issues.map((i, n) => [n + 1, SEVERITY_LABEL[i.severity], i.file || null, i.sheet, i.cell || null, i.field || null, i.code, i.message]);
  const links = opts.links
    ? issues.flatMap((i, n) => (i.cell && !i.file ? [{ row: n, col: 4, sheet: i.sheet, cell: i.cell }] : []))
    : [];
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
      name: OUTPUT_TABLES.report, topRow: headerRow, leftCol: 0,
      columns: [
        { header: REPORT_HEADERS[0], width: 6, numFmt: NUMFMT.integer }, { header: REPORT_HEADERS[1], width: 10 }, { header: REPORT_HEADERS[2], width: 22 },
        { header: REPORT_HEADERS[3], width: 20 }, { header: REPORT_HEADERS[4], width: 8 }, { header: REPORT_HEADERS[5], width: 24 },
        { header: REPORT_HEADERS[6], width: 18 }, { header: REPORT_HEADERS[7], width: 70 },
      ],
      rows: rows.length ? rows : [[null, null, null, null, null, null, null, 'Không có vấn đề nào']],
      rowStyles: issues.map((i) => (i.severity === 'error' ? 'pending' : undefined)),
      links,
    }],
    freezeRows: headerRow + 1,
    page: { orientation: 'landscape', paperSize: 'A4', fitToWidth: true, printTitleRows: [headerRow, headerRow] },
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
