/**
 * After the ranking (issue 11): the award list attached to the award decision
 * (`Danh sách khen thưởng`) and the certificates (`Giấy khen`), as sheet plans both writers render.
 * Every field comes from the ranking (names, places, awards) and `Tiêu chí` (titles, forms, prize
 * money, carried on each award): nothing is typed twice.
 */
import { AREA, AWARD_FORM, LEVEL, NUMFMT, OUTPUT_TABLES, SHEETS } from './format';
import type { CategoryId, Entry, Ranking } from './model';
import { ColumnPlan, FreeCell, PlanCell, RowStyle, SheetPlan, TablePlan } from './plan';
import {
  LINE_PT, MARKER_CELL, MADE_AT_CELL, FINGERPRINT_CELL, Pager, SIGNATURE_HEIGHTS, headingBlock, markerText, pageCapacity,
  printFooter, rowHeightOf, signatureBlock,
} from './sheets';
import { vndText } from './vndtext';

const CAMPAIGN = 'Nâng cao công tác phục vụ khách hàng và tiết kiệm điện';

/** What an award is for, by category: `công tác tiết kiệm điện`. */
const WORK: Readonly<Record<CategoryId, string>> = {
  'company-service': 'công tác nâng cao chất lượng dịch vụ khách hàng',
  'company-saving': 'công tác tiết kiệm điện',
  'unit-service': 'công tác nâng cao chất lượng dịch vụ khách hàng',
  'unit-saving': 'công tác tiết kiệm điện',
  individual: `phong trào thi đua "${CAMPAIGN}"`,
};

/** `Xuất sắc trong công tác tiết kiệm điện năm 2012`. */
export function achievementText(id: CategoryId, title: string, year: number | null): string {
  return `${title} trong ${WORK[id]} năm ${year ?? '…'}`;
}

export interface Awardee {
  readonly category: CategoryId;
  readonly entry: Entry;
  /** The awardee's unit or company as printed (`Điện lực Hương Thủy – Công ty Điện lực Thừa Thiên Huế`). */
  readonly where: string;
}

function unitName(r: Ranking, code: string): string {
  return r.units?.[code]?.name ?? code;
}

/** Where an entry belongs: a unit's company; an individual's unit and company; a company: the corporation. */
function whereOf(r: Ranking, id: CategoryId, e: Entry): string {
  if (id.startsWith('company')) return 'Tổng công ty Điện lực miền Trung';
  const unit = r.units?.[e.code];
  const company = unit?.companyCode && unit.companyCode !== e.code ? unitName(r, unit.companyCode) : '';
  if (id === 'individual') return [unit ? unit.name : e.code, company].filter(Boolean).join(' – ');
  return company || e.code;
}

/** Awarded entries (flags then certificates, collectives then individuals) and the pending ones. */
export function awardees(r: Ranking): { awarded: Awardee[]; pending: Awardee[] } {
  const awarded: Awardee[] = [];
  const pending: Awardee[] = [];
  for (const cat of r.categories) {
    for (const e of cat.entries) {
      // Only awarded and pending entries are listed: the place of the other 100,000 is not needed.
      if (!e.award && !e.pending) continue;
      const a = { category: cat.id, entry: e, where: whereOf(r, cat.id, e) };
      if (e.award) awarded.push(a);
      else pending.push(a);
    }
  }
  return { awarded, pending };
}

const CATEGORY_HEADING: Readonly<Record<CategoryId, string>> = {
  'company-service': `${AREA.service} – ${LEVEL.company}`,
  'company-saving': `${AREA.saving} – ${LEVEL.company}`,
  'unit-service': `${AREA.service} – ${LEVEL.unit}`,
  'unit-saving': `${AREA.saving} – ${LEVEL.unit}`,
  individual: AREA.individual,
};

export const AWARD_LIST_HEADERS = ['STT', 'Tập thể / cá nhân', 'Đơn vị', 'Thành tích', 'Hình thức', 'Số tiền (VND)'] as const;

const LIST_COLUMNS: readonly ColumnPlan[] = [
  { header: AWARD_LIST_HEADERS[0], width: 6, align: 'center' },
  { header: AWARD_LIST_HEADERS[1], width: 24, wrap: true },
  { header: AWARD_LIST_HEADERS[2], width: 22, wrap: true },
  { header: AWARD_LIST_HEADERS[3], width: 27, wrap: true },
  { header: AWARD_LIST_HEADERS[4], width: 11, align: 'center', wrap: true },
  { header: AWARD_LIST_HEADERS[5], width: 13, numFmt: NUMFMT.money, align: 'right' },
];
const LIST_WIDTH = LIST_COLUMNS.length;
const LIST_ZOOM = 90;
const LIST_MARGINS = { left: 0.45, right: 0.45, top: 0.5, bottom: 0.6, header: 0.25, footer: 0.3 } as const;

/** The amount in words as the list's last line writes it: `Bằng chữ: Năm mươi chín triệu đồng.` */
export function amountInWordsLine(amount: number): string {
  return `Bằng chữ: ${vndText(amount)}.`;
}

/**
 * `Danh sách khen thưởng`: I. TẬP THỂ (1. flags, 2. certificates, each by category), II. CÁ NHÂN,
 * subtotals, the total and the total in words; places left to the council listed apart, unpaid.
 * A4 portrait, the header row repeated on every page, page numbers, signatures.
 */
export function awardListPlan(r: Ranking, madeAt: string): SheetPlan {
  const { awarded, pending } = awardees(r);
  const cells: FreeCell[] = [
    { row: 0, col: 0, value: `DANH SÁCH KHEN THƯỞNG NĂM ${r.year ?? '…'}`, style: 'title', mergeAcross: LIST_WIDTH - 1 },
    { row: MARKER_CELL.row, col: MARKER_CELL.col, value: markerText('Danh sách khen thưởng'), style: 'muted', mergeAcross: LIST_WIDTH - 1 },
    { row: 2, col: 0, value: 'Lập lúc', style: 'label' },
    { row: MADE_AT_CELL.row, col: MADE_AT_CELL.col, value: madeAt, mergeAcross: 1 },
    { row: 3, col: 0, value: 'Dữ liệu', style: 'label' },
    { row: FINGERPRINT_CELL.row, col: FINGERPRINT_CELL.col, value: r.fingerprint, mergeAcross: 1 },
  ];
  const printTop = 5;
  const pager = new Pager(printTop, pageCapacity('portrait', LIST_ZOOM, LIST_MARGINS));
  const h0 = pager.put([LINE_PT + 2, LINE_PT + 2, 10, 22, 2 * LINE_PT, LINE_PT, 20, 8]);
  cells.push(...headingBlock(h0, LIST_WIDTH, 3, 3));
  cells.push(
    { row: h0 + 3, col: 0, value: 'DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG', style: 'doctitle', mergeAcross: LIST_WIDTH - 1 },
    { row: h0 + 4, col: 0, value: `Phong trào thi đua "${CAMPAIGN}" năm ${r.year ?? '…'}`, style: 'org', wrap: true, mergeAcross: LIST_WIDTH - 1 },
    { row: h0 + 5, col: 0, value: '(Kèm theo Quyết định số …/QĐ-EVNCPC ngày … tháng … năm … của Tổng giám đốc Tổng công ty Điện lực miền Trung)', style: 'note', align: 'center', mergeAcross: LIST_WIDTH - 1 },
  );
  if (r.totals.pending) {
    cells.push({ row: h0 + 6, col: 0, value: 'DỰ THẢO – CÒN SUẤT CHỜ HỘI ĐỒNG THI ĐUA QUYẾT ĐỊNH', style: 'status', mergeAcross: LIST_WIDTH - 1 });
  }

  const rows: PlanCell[][] = [];
  const styles: (RowStyle | undefined)[] = [];
  const section = (text: string) => { rows.push([null, text, null, null, null, null]); styles.push('section'); };
  const subtotal = (text: string, count: number, amount: number) => {
    rows.push([null, `${text} (${count})`, null, null, null, amount]);
    styles.push('award');
  };
  let stt = 0;
  const line = (a: Awardee) => {
    const e = a.entry;
    rows.push([++stt, e.name, a.where, achievementText(a.category, e.award!.title, r.year), e.award!.form, e.award!.prize]);
    styles.push(undefined);
  };
  const sum = (xs: readonly Awardee[]) => xs.reduce((s, a) => s + (a.entry.award?.prize ?? 0), 0);
  const collective = awarded.filter((a) => a.category !== 'individual');
  const people = awarded.filter((a) => a.category === 'individual');
  section('I. TẬP THỂ');
  [AWARD_FORM.flag, AWARD_FORM.certificate].forEach((form, n) => {
    const group = collective.filter((a) => a.entry.award!.form === form);
    const other = collective.filter((a) => a.entry.award!.form !== AWARD_FORM.flag && a.entry.award!.form !== AWARD_FORM.certificate);
    const these = n === 1 ? [...group, ...other] : group;
    section(`${n + 1}. ${form}`);
    for (const id of ['company-service', 'company-saving', 'unit-service', 'unit-saving'] as const) {
      const inCat = these.filter((a) => a.category === id);
      if (!inCat.length) continue;
      section(`   ${CATEGORY_HEADING[id]}`);
      inCat.forEach(line);
    }
    subtotal(`Cộng ${form.toLowerCase()}`, these.length, sum(these));
  });
  subtotal('Cộng tập thể', collective.length, sum(collective));
  section('II. CÁ NHÂN');
  people.forEach(line);
  subtotal('Cộng cá nhân', people.length, sum(people));
  const total = sum(awarded);
  rows.push([null, `TỔNG CỘNG (${awarded.length})`, null, null, null, total]);
  styles.push('award');

  const heights = rows.map((row) => rowHeightOf(row, LIST_COLUMNS));
  pager.put([8]);
  const top = pager.put([2 * LINE_PT, ...heights]);
  const tables: TablePlan[] = [{
    name: OUTPUT_TABLES.awardList, topRow: top, leftCol: 0, columns: LIST_COLUMNS, rows, rowStyles: styles, wrapHeader: true, borders: true,
  }];
  const words = pager.put([LINE_PT + 8]);
  cells.push({ row: words, col: 0, value: amountInWordsLine(total), style: 'label', mergeAcross: LIST_WIDTH - 1 });

  if (pending.length) {
    const head = pager.put([10, 2 * LINE_PT]);
    cells.push({
      row: head + 1, col: 0, style: 'section', wrap: true, mergeAcross: LIST_WIDTH - 1,
      value: `III. CHƯA QUYẾT ĐỊNH: ${r.totals.pending} suất có đồng hạng ở ranh giới, trình Hội đồng Thi đua quyết định (chưa khen thưởng, không chi tiền)`,
    });
    const pRows: PlanCell[][] = pending.map((a, i) => [i + 1, a.entry.name, a.where, `Đồng hạng ${a.entry.rank ?? ''} – ${CATEGORY_HEADING[a.category]}`, 'Chờ Hội đồng quyết định', null]);
    const pTop = pager.put([2 * LINE_PT, ...pRows.map((row) => rowHeightOf(row, LIST_COLUMNS))]);
    tables.push({ name: OUTPUT_TABLES.awardPending, topRow: pTop, leftCol: 0, columns: LIST_COLUMNS, rows: pRows, wrapHeader: true, borders: true });
  }
  const signPoints = SIGNATURE_HEIGHTS.reduce((a, b) => a + b, 0) + 10;
  if (!pager.fits(signPoints)) pager.newPage();
  pager.put([10]);
  cells.push(...signatureBlock(pager.put(SIGNATURE_HEIGHTS), LIST_WIDTH, 3, 3, 'BAN KINH DOANH', 'TỔNG GIÁM ĐỐC'));

  return {
    name: SHEETS.awardList,
    marker: { cell: MARKER_CELL, text: markerText('Danh sách khen thưởng'), kind: 'awards' },
    cells, tables, tabColor: '548235',
    rowHeights: { 3: LINE_PT, ...pager.heights },
    page: {
      orientation: 'portrait', paperSize: 'A4', fitToWidth: false, zoom: LIST_ZOOM, margins: LIST_MARGINS, centerHorizontally: true,
      printArea: { r0: printTop, c0: 0, r1: pager.row - 1, c1: LIST_WIDTH - 1 },
      printTitleRows: [top, top], rowBreaks: pager.breaks,
      footer: printFooter(r.year, r.fingerprint),
    },
  };
}

// --- Giấy khen ---------------------------------------------------------------------------------------

const CERT_COLS = 10;
const CERT_WIDTH = 12;
const CERT_MARGINS = { left: 0.6, right: 0.6, top: 0.6, bottom: 0.5, header: 0.3, footer: 0.3 } as const;

/** The awardee's line under the name: a unit's company, an individual's unit. */
function certificateWhere(a: Awardee): string {
  return a.category === 'individual' ? `Đơn vị: ${a.where}` : a.where;
}

/**
 * `Giấy khen`: one A4 landscape page per certificate (units and individuals, in list order), a
 * page break before each. Who grants it, to whom, for what and the year, the prize, the place and
 * date line and the signature title. No footer: a certificate is handed out, not filed.
 */
export function certificatesPlan(r: Ranking, madeAt: string): SheetPlan {
  const { awarded } = awardees(r);
  const certs = awarded.filter((a) => a.entry.award!.form === AWARD_FORM.certificate);
  const span = CERT_COLS - 1;
  const cells: FreeCell[] = [
    { row: 0, col: 0, value: `GIẤY KHEN NĂM ${r.year ?? '…'} – ${certs.length} giấy khen, mỗi trang in một giấy`, style: 'title', mergeAcross: span },
    { row: MARKER_CELL.row, col: MARKER_CELL.col, value: markerText('Giấy khen'), style: 'muted', mergeAcross: span },
    { row: 2, col: 0, value: `Lập lúc ${madeAt} · dữ liệu ${r.fingerprint}`, style: 'muted', mergeAcross: span },
  ];
  const printTop = 4;
  const heights: Record<number, number> = {};
  const breaks: number[] = [];
  let row = printTop;
  const put = (h: number, value: string | null, style: FreeCell['style'], extra: Partial<FreeCell> = {}) => {
    heights[row] = h;
    if (value !== null) cells.push({ row, col: 0, value, style, mergeAcross: span, ...extra });
    row++;
  };
  certs.forEach((a, i) => {
    if (i > 0) breaks.push(row);
    const award = a.entry.award!;
    put(LINE_PT + 3, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'org');
    put(LINE_PT + 3, 'Độc lập - Tự do - Hạnh phúc', 'motto');
    put(40, null, undefined);
    put(26, 'TỔNG GIÁM ĐỐC TỔNG CÔNG TY ĐIỆN LỰC MIỀN TRUNG', 'doctitle');
    put(22, 'TẶNG', 'certText');
    put(64, 'GIẤY KHEN', 'certTitle');
    put(46, a.entry.name, 'certName', { wrap: true });
    put(24, certificateWhere(a), 'certText', { wrap: true });
    put(24, `Đã có thành tích ${achievementText(a.category, award.title, r.year).replace(/^./, (c) => c.toLowerCase())}`, 'certText', { wrap: true });
    put(24, `Danh hiệu: ${award.title} · kèm tiền thưởng ${award.prize.toLocaleString('vi-VN')} đồng`, 'certText');
    put(20, '(Quyết định số …/QĐ-EVNCPC ngày … tháng … năm …)', 'certSmall');
    put(24, null, undefined);
    heights[row] = 22;
    cells.push({ row, col: 5, value: 'Đà Nẵng, ngày … tháng … năm …', style: 'certSmall', mergeAcross: 4 });
    row++;
    heights[row] = 24;
    cells.push({ row, col: 5, value: 'TỔNG GIÁM ĐỐC', style: 'sign', mergeAcross: 4 });
    row++;
    put(40, null, undefined);
  });
  if (!certs.length) put(30, 'Chưa có giấy khen nào (chưa có đơn vị hay cá nhân được khen thưởng).', 'certSmall');
  return {
    name: SHEETS.certificates,
    marker: { cell: MARKER_CELL, text: markerText('Giấy khen'), kind: 'certificates' },
    cells, tables: [], tabColor: 'C00000',
    columnWidths: Array.from({ length: CERT_COLS }, () => CERT_WIDTH),
    rowHeights: heights,
    page: {
      orientation: 'landscape', paperSize: 'A4', fitToWidth: false, zoom: 100, margins: CERT_MARGINS, centerHorizontally: true,
      printArea: { r0: printTop, c0: 0, r1: Math.max(row - 1, printTop), c1: CERT_COLS - 1 },
      rowBreaks: breaks,
    },
  };
}
