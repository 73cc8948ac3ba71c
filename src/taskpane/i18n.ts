/**
 * What the task pane says: Vietnamese first, English when Office's display language is English.
 */
import { formatNum, plural } from '../core/messages';

export type Lang = 'vi' | 'en';

/** `en-US`, `en-GB` → English; everything else (vi-VN first of all) → Vietnamese. */
export function langOf(displayLanguage: string | undefined): Lang {
  return /^en\b/i.test(displayLanguage ?? '') ? 'en' : 'vi';
}

const vi = {
  title: 'Thi đua EVNCPC',
  subtitle: 'Dịch vụ khách hàng và tiết kiệm điện',
  loading: 'Đang tải…',
  notExcel: 'Hãy mở phần bổ trợ trong Excel.',
  templateHeading: '1. Tạo mẫu',
  templateKind: 'Loại sổ',
  templateMaster: 'Bảng tổng hợp của Ban Kinh doanh (EVNCPC)',
  templateSubmission: 'Báo cáo của một Công ty Điện lực',
  templateYear: 'Năm thi đua',
  templateButton: 'Tạo mẫu',
  templateDone: (n: number) => `Đã tạo ${n} sheet của mẫu báo cáo.`,
  importHeading: '2. Nhập báo cáo các công ty',
  importHint: 'Chọn một hoặc nhiều tệp .xlsx. Dữ liệu của công ty đã có sẽ được thay thế (có hỏi trước), không bao giờ bị nhân đôi.',
  importButton: 'Chọn tệp và nhập…',
  importReading: (n: number) => `Đang đọc ${n} tệp…`,
  importConfirmTitle: 'Xác nhận thay thế',
  importConfirm: 'Các công ty sau đã có trong bảng tổng hợp. Dữ liệu cũ của họ sẽ bị THAY THẾ bằng tệp mới:',
  importConfirmYes: 'Thay thế và nhập',
  importConfirmNo: 'Hủy',
  importCancelled: 'Đã hủy: không ghi gì vào sổ tính.',
  importSummary: (added: number, replaced: number, rejected: number) => `Thêm mới ${added} công ty, thay thế ${replaced}, từ chối ${rejected} tệp.`,
  statusAdded: 'Thêm mới',
  statusReplaced: 'Thay thế',
  statusRejected: 'Từ chối',
  unitsPeople: (u: number, p: number) => `${u} đơn vị, ${p} cá nhân`,
  validateHeading: '3. Kiểm tra dữ liệu',
  validateButton: 'Kiểm tra',
  validateHint: 'Ghi sheet Kiểm tra; bấm vào một dòng để tới ô có vấn đề.',
  rankHeading: '4. Xếp hạng',
  rankButton: 'Xếp hạng',
  rankHint: 'Ghi sheet Xếp hạng (dự thảo trình duyệt). Không sửa các sheet nhập liệu.',
  working: 'Đang xử lý…',
  errors: 'lỗi',
  warnings: 'cảnh báo',
  noIssues: 'Không có lỗi hay cảnh báo nào.',
  issuesHeading: 'Các vấn đề',
  moreIssues: (n: number) => `… và ${n} vấn đề khác: xem sheet Kiểm tra.`,
  goTo: (sheet: string, cell: string) => `Tới ô ${cell} của sheet ${sheet}`,
  noCell: 'không có ô cụ thể',
  severityError: 'Lỗi',
  severityWarning: 'Cảnh báo',
  // Says what is counted: the sheet's rows, then those ranked and those left out.
  rankDone: (rows: number, ranked: number, awarded: number) =>
    `${formatNum(rows, 'vi')} dòng: ${formatNum(ranked, 'vi')} đơn vị/cá nhân được xếp hạng, ${formatNum(rows - ranked, 'vi')} không đủ điều kiện; ${formatNum(awarded, 'vi')} được khen thưởng.`,
  prize: 'Tổng tiền thưởng',
  flags: 'Cờ thi đua',
  certificates: 'Giấy khen',
  pending: 'Suất chờ Hội đồng',
  pendingNote: 'Có đồng hạng ở ranh giới giải: chương trình không tự chọn, trình Hội đồng Thi đua quyết định.',
  stale: 'Dữ liệu đã thay đổi sau lần xếp hạng trước: bảng Xếp hạng đã cũ. Hãy bấm Xếp hạng lại.',
  fresh: 'Bảng Xếp hạng khớp với dữ liệu hiện tại.',
  excludedWarning: 'Các đơn vị có lỗi không được xếp hạng; xem danh sách bên dưới.',
  failed: 'Không thực hiện được',
  vnd: 'đồng',
};

export type Strings = typeof vi;

const en: Strings = {
  title: 'EVNCPC Competition',
  subtitle: 'Customer service and electricity saving',
  loading: 'Loading…',
  notExcel: 'Open the add-in in Excel.',
  templateHeading: '1. Create the template',
  templateKind: 'Workbook',
  templateMaster: "Business Department's master (EVNCPC)",
  templateSubmission: "A Power Company's submission",
  templateYear: 'Campaign year',
  templateButton: 'Create template',
  templateDone: (n: number) => `Created the template's ${n} sheets.`,
  importHeading: '2. Import submissions',
  importHint: 'Choose one or more .xlsx files. A company already present is replaced (after you confirm), never duplicated.',
  importButton: 'Choose files and import…',
  importReading: (n: number) => `Reading ${n} file(s)…`,
  importConfirmTitle: 'Confirm replacement',
  importConfirm: 'These companies are already in the master. Their rows will be REPLACED by the new file:',
  importConfirmYes: 'Replace and import',
  importConfirmNo: 'Cancel',
  importCancelled: 'Cancelled: nothing was written.',
  importSummary: (added: number, replaced: number, rejected: number) => `Added ${added} companies, replaced ${replaced}, rejected ${rejected} file(s).`,
  statusAdded: 'Added',
  statusReplaced: 'Replaced',
  statusRejected: 'Rejected',
  unitsPeople: (u: number, p: number) => `${u} units, ${p} individuals`,
  validateHeading: '3. Validate',
  validateButton: 'Validate',
  validateHint: 'Writes the Kiểm tra sheet; click an issue to go to its cell.',
  rankHeading: '4. Rank',
  rankButton: 'Rank',
  rankHint: 'Writes the Xếp hạng sheet (draft for approval). Input sheets are never changed.',
  working: 'Working…',
  errors: 'errors',
  warnings: 'warnings',
  noIssues: 'No errors or warnings.',
  issuesHeading: 'Issues',
  moreIssues: (n: number) => `… and ${n} more: see the Kiểm tra sheet.`,
  goTo: (sheet: string, cell: string) => `Go to cell ${cell} of sheet ${sheet}`,
  noCell: 'no particular cell',
  severityError: 'Error',
  severityWarning: 'Warning',
  rankDone: (rows: number, ranked: number, awarded: number) =>
    `${plural(rows, 'row', 'rows')}: ${plural(ranked, 'unit or person', 'units and people')} ranked, ${formatNum(rows - ranked, 'en')} not eligible; ${formatNum(awarded, 'en')} receive an award.`,
  prize: 'Prize money',
  flags: 'Flags',
  certificates: 'Certificates',
  pending: 'Places left to the council',
  pendingNote: 'A tie straddles an award boundary: the program does not pick a winner; the competition council decides.',
  stale: 'The data changed after the last ranking: the Xếp hạng sheet is out of date. Click Rank again.',
  fresh: 'The Xếp hạng sheet matches the current data.',
  excludedWarning: 'Units with errors are not ranked; see the list below.',
  failed: 'Could not finish',
  vnd: 'VND',
};

export function strings(lang: Lang): Strings {
  return lang === 'en' ? en : vi;
}
