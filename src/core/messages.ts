/**
 * Issue messages, Vietnamese for the accountant and English beside it. Each builder returns a
 * Message; the reader and validator never write a message anywhere else.
 */
export type MessageLang = 'vi' | 'en';

/**
 * A message in both languages, each text made when it is read: a run of 100,000 issues is read in
 * one language (the command line's report), and the other text is never made. `make` is its
 * builder's own function and `args` what the builder was given, so two equal messages are equal
 * data whatever has been read of them.
 */
type Write = (lang: MessageLang, ...args: unknown[]) => string;

export class Message {
  constructor(private readonly make: Write, private readonly args: readonly unknown[]) {}
  get vi(): string {
    return this.make('vi', ...this.args);
  }
  get en(): string {
    return this.make('en', ...this.args);
  }
}

/** A builder of messages from the function that writes them in either language. */
const text = <A extends unknown[]>(make: (lang: MessageLang, ...args: A) => string) =>
  (...args: A): Message => new Message(make as unknown as Write, args);

const q = (s: string) => `"${s}"`;

/**
 * A number as people read it: digit groups and a decimal comma in Vietnamese (1.000.000.000;
 * 0,5), comma groups in English (1,000,000,000). The digits are JavaScript's shortest exact
 * form, never rounded (a message must show the value the cell holds).
 */
export function formatNum(n: number, lang: MessageLang, group = true): string {
  const s = String(n);
  if (!Number.isFinite(n) || /e/i.test(s)) return s;
  const [int, frac] = s.split('.');
  const sep = lang === 'vi' ? '.' : ',';
  const grouped = group ? int.replace(/\B(?=(\d{3})+(?!\d))/g, sep) : int;
  return frac === undefined ? grouped : grouped + (lang === 'vi' ? ',' : '.') + frac;
}

/** `1 entry`, `2 entries`: the English noun for a count (Vietnamese nouns do not change). */
export function plural(n: number, one: string, many: string, lang: MessageLang = 'en'): string {
  return `${formatNum(n, lang)} ${n === 1 ? one : many}`;
}

/** At most 40 characters, cut on a whole character (never half a surrogate pair). */
const cut = (v: string) => {
  if (v.length <= 40) return v;
  const last = v.charCodeAt(39);
  return v.slice(0, last >= 0xd800 && last <= 0xdbff ? 39 : 40) + '…';
};
const shownIn = (lang: MessageLang) => (v: unknown) =>
  typeof v === 'string' ? q(cut(v)) : typeof v === 'number' ? formatNum(v, lang) : String(v);
const shown = shownIn('vi');
const shownEn = shownIn('en');
/** An exact decimal string (`1234567.5`) with the digit groups of `lang`. */
function decimalIn(d: string, lang: MessageLang): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(d);
  if (!m) return d;
  const sep = lang === 'vi' ? '.' : ',';
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, sep) + (m[3] ? (lang === 'vi' ? ',' : '.') + m[3] : '');
}
const vi = (n: number) => formatNum(n, 'vi');
const en = (n: number) => formatNum(n, 'en');

export const MSG = {
  missingSheet: text((l, sheet: string) => (l === 'vi'
    ? `Thiếu sheet ${q(sheet)}: hãy dùng mẫu báo cáo chuẩn (không đổi tên sheet).`
    : `Sheet ${q(sheet)} is missing: use the standard workbook (do not rename sheets).`)),
  missingColumn: text((l, header: string, sheet: string) => (l === 'vi'
    ? `Sheet ${q(sheet)} thiếu cột ${q(header)}.`
    : `Sheet ${q(sheet)} has no column ${q(header)}.`)),
  missingKey: text((l, key: string, sheet: string) => (l === 'vi'
    ? `Sheet ${q(sheet)} thiếu mục ${q(key)}.`
    : `Sheet ${q(sheet)} has no row ${q(key)}.`)),
  missingValue: text((l, field: string) => (l === 'vi'
    ? `Chưa nhập ${q(field)}.`
    : `${q(field)} is empty.`)),
  missingCriterion: text((l, code: string) => (l === 'vi'
    ? `Chưa nhập chỉ tiêu ${q(code)}: đơn vị không được xếp hạng dịch vụ khách hàng (Thiếu chỉ tiêu).`
    : `Criterion ${q(code)} is empty: the unit is not ranked for customer service.`)),
  notNumber: text((l, field: string, v: unknown) => (l === 'vi'
    ? `${q(field)} phải là số, ô đang chứa ${shown(v)}.`
    : `${q(field)} must be a number; the cell holds ${shownEn(v)}.`)),
  ambiguousNumber: text((l, field: string, v: string, readings: readonly number[]) => (l === 'vi'
    ? `${q(field)}: ${q(v)} không rõ nghĩa (có thể là ${readings.map((n) => formatNum(n, 'vi', false)).join(' hoặc ')}); hãy nhập số, không nhập chữ.`
    : `${q(field)}: ${q(v)} is ambiguous (${readings.map((n) => formatNum(n, 'en', false)).join(' or ')}); enter a number, not text.`)),
  textNumber: text((l, field: string, v: string, n: number) => (l === 'vi'
    ? `${q(field)}: số được nhập dạng chữ ${q(v)}, đã đọc là ${vi(n)}; nên nhập dạng số.`
    : `${q(field)}: number typed as text ${q(v)}, read as ${en(n)}; enter it as a number.`)),
  textTooLong: text((l, field: string, length: number) => (l === 'vi'
    ? `${q(field)} dài ${length.toLocaleString('en-US')} ký tự, quá giới hạn 32.767 ký tự của một ô Excel.`
    : `${q(field)} is ${length.toLocaleString('en-US')} characters long, over Excel's limit of 32,767 characters in a cell.`)),
  notInteger: text((l, field: string, v: unknown) => (l === 'vi'
    ? `${q(field)} phải là số nguyên, ô đang chứa ${shown(v)}.`
    : `${q(field)} must be a whole number; the cell holds ${shownEn(v)}.`)),
  notCode: text((l, field: string, v: unknown) => (l === 'vi'
    ? `${q(field)} ${shown(v)} không hợp lệ: mã gồm 2–16 ký tự A–Z, 0–9, _ hoặc -.`
    : `${q(field)} ${shownEn(v)} is not a valid code: 2–16 characters A–Z, 0–9, _ or -.`)),
  notDate: text((l, field: string, v: unknown) => (l === 'vi'
    ? `${q(field)} phải là ngày, ô đang chứa ${shown(v)}.`
    : `${q(field)} must be a date; the cell holds ${shownEn(v)}.`)),
  notInList: text((l, field: string, v: unknown, values: readonly string[]) => (l === 'vi'
    ? `${q(field)} ${shown(v)} không hợp lệ: chọn một trong ${values.map(q).join(', ')}.`
    : `${q(field)} ${shownEn(v)} is not allowed: choose one of ${values.map(q).join(', ')}.`)),
  notText: text((l, field: string, v: unknown) => (l === 'vi'
    ? `${q(field)} phải là chữ, ô đang chứa ${shown(v)}.`
    : `${q(field)} must be text; the cell holds ${shownEn(v)}.`)),
  range: text((l, field: string, v: number, rule: string, ruleEn: string) => (l === 'vi'
    ? `${q(field)} = ${vi(v)} ngoài phạm vi cho phép (${rule}).`
    : `${q(field)} = ${en(v)} is out of range (${ruleEn}).`)),
  savedOverCommercial: text((l, field: string, saved: number, commercial: number) => (l === 'vi'
    ? `${q(field)} = ${vi(saved)} lớn hơn điện thương phẩm ${vi(commercial)}.`
    : `${q(field)} = ${en(saved)} exceeds commercial electricity ${en(commercial)}.`)),
  yearMismatch: text((l, year: number, expected: number) => (l === 'vi'
    ? `Năm ${year} khác năm ${expected} của đợt xếp hạng.`
    : `Year ${year} differs from the ranking year ${expected}.`)),
  formulaError: text((l, field: string, err: string) => (l === 'vi'
    ? `${q(field)}: ô chứa lỗi công thức ${err}; hãy sửa công thức hoặc nhập giá trị.`
    : `${q(field)}: the cell holds the formula error ${err}; fix the formula or type the value.`)),
  legacy: text((l, field: string, v: string) => (l === 'vi'
    ? `${q(field)} ${shown(v)} có vẻ gõ bằng phông TCVN3/VNI cũ; hãy chuyển sang Unicode (Unikey: Chuyển mã).`
    : `${q(field)} ${shown(v)} looks typed in a legacy TCVN3/VNI font; convert it to Unicode.`)),
  duplicate: text((l, field: string, v: string, first: string) => (l === 'vi'
    ? `${q(field)} ${q(v)} bị trùng (đã có ở ${first}); dòng này không được xét.`
    : `${q(field)} ${q(v)} is a duplicate (first at ${first}); this row is not considered.`)),
  duplicatePerson: text((l, name: string, unit: string, first: string) => (l === 'vi'
    ? `Cá nhân ${q(name)} của đơn vị ${q(unit)} bị trùng (đã có ở ${first}).`
    : `Individual ${q(name)} of unit ${q(unit)} is listed twice (first at ${first}).`)),
  unknownUnit: text((l, field: string, v: string, sheet: string) => (l === 'vi'
    ? `${q(field)} ${q(v)} không có trong sheet ${q(sheet)}.`
    : `${q(field)} ${q(v)} does not exist in sheet ${q(sheet)}.`)),
  unknownCompany: text((l, v: string) => (l === 'vi'
    ? `Mã công ty ${q(v)} không phải là một dòng cấp Công ty trong sheet Tiết kiệm điện.`
    : `Company code ${q(v)} is not a Công ty row of sheet Tiết kiệm điện.`)),
  companyCodeSelf: text((l, code: string, v: string) => (l === 'vi'
    ? `Dòng cấp Công ty ${q(code)}: Mã công ty phải trùng Mã đơn vị, đang là ${q(v)}.`
    : `Công ty row ${q(code)}: the company code must equal the unit code; it is ${q(v)}.`)),
  wrongCompany: text((l, v: string, info: string) => (l === 'vi'
    ? `Mã công ty ${q(v)} khác công ty báo cáo ${q(info)} (sheet Thông tin).`
    : `Company code ${q(v)} differs from the submitting company ${q(info)} (sheet Thông tin).`)),
  /** `sum` and `total` are exact decimal strings (`1234567.5`). */
  inconsistentTotal: text((l, field: string, code: string, sum: string, total: string) => (l === 'vi'
    ? `${q(field)} của công ty ${q(code)} là ${decimalIn(total, 'vi')}, nhỏ hơn tổng các Điện lực ${decimalIn(sum, 'vi')} (quá 0,1 %).`
    : `${q(field)} of company ${q(code)} is ${decimalIn(total, 'en')}, below the sum of its units ${decimalIn(sum, 'en')} (by more than 0.1 %).`)),
  missingServiceRow: text((l, code: string) => (l === 'vi'
    ? `Đơn vị ${q(code)} chưa có dòng ở sheet Dịch vụ khách hàng: không được xếp hạng dịch vụ khách hàng.`
    : `Unit ${q(code)} has no row in sheet Dịch vụ khách hàng: it is not ranked for customer service.`)),
  weightsSum: text((l, sum: string) => (l === 'vi'
    ? `Tổng trọng số các tiêu chí là ${sum}, phải bằng 100.`
    : `The criteria weights sum to ${sum}; they must sum to 100.`)),
  noCriteria: text((l) => (l === 'vi'
    ? `Bảng TieuChi không có tiêu chí nào.`
    : `Table TieuChi holds no criterion.`)),
  criteriaDiffer: text((l, file: string, reference: string) => (l === 'vi'
    ? `Tệp ${q(file)} có sheet Tiêu chí khác với ${q(reference)}; đang dùng tiêu chí của ${q(reference)}.`
    : `File ${q(file)} has a Tiêu chí sheet that differs from ${q(reference)}; the criteria of ${q(reference)} are used.`)),
  unreadable: text((l, file: string, why: string) => (l === 'vi'
    ? `Không đọc được tệp ${q(file)}: ${why}`
    : `Cannot read file ${q(file)}: ${why}`)),
  // --- bad-decision (sheet Quyết định Hội đồng) ---
  decisionCategory: text((l, area: string, level: string) => (l === 'vi'
    ? `Hạng mục ${q(area)} không đi với cấp ${q(level)}: quyết định này không được áp dụng, suất đồng hạng vẫn chờ Hội đồng.`
    : `Category ${q(area)} does not go with level ${q(level)}: the decision is not applied; the tie stays pending.`)),
  decisionNoName: text((l) => (l === 'vi'
    ? `Quyết định cho Cá nhân phải ghi "Họ và tên": suất đồng hạng vẫn chờ Hội đồng.`
    : `A decision for Cá nhân needs "Họ và tên": the tie stays pending.`)),
  decisionUnknownUnit: text((l, code: string, level: string) => (l === 'vi'
    ? `Mã đơn vị ${q(code)} không phải một đơn vị cấp ${level} trong dữ liệu: suất đồng hạng vẫn chờ Hội đồng.`
    : `Unit code ${q(code)} is not a ${level} unit of the data: the tie stays pending.`)),
  decisionUnknownPerson: text((l, name: string, code: string) => (l === 'vi'
    ? `Không có cá nhân ${q(name)} của đơn vị ${q(code)} trong sheet Cá nhân: suất đồng hạng vẫn chờ Hội đồng.`
    : `There is no individual ${q(name)} of unit ${q(code)} in sheet Cá nhân: the tie stays pending.`)),
  decisionNotInTie: text((l, who: string, category: string) => (l === 'vi'
    ? `${who} không thuộc nhóm đồng hạng nào trình Hội đồng (${category}): quyết định không được áp dụng, suất đồng hạng vẫn chờ Hội đồng.`
    : `${who} is not in a tie left to the council (${category}): the decision is not applied; the tie stays pending.`)),
  decisionTooMany: text((l, who: string, places: number) => (l === 'vi'
    ? `${who}: nhóm đồng hạng chỉ có ${places} suất, quyết định ghi nhiều hơn: suất đồng hạng vẫn chờ Hội đồng.`
    : `${who}: the tie has only ${places} place(s) and the decisions name more: the tie stays pending.`)),
  decisionTwice: text((l, who: string) => (l === 'vi'
    ? `${who} được ghi hai lần: suất đồng hạng vẫn chờ Hội đồng.`
    : `${who} is named twice: the tie stays pending.`)),
  decisionStale: text((l, who: string, category: string) => (l === 'vi'
    ? `${who}: không còn suất đồng hạng nào trình Hội đồng (${category}) vì dữ liệu đã thay đổi; quyết định này không được áp dụng.`
    : `${who}: there is no longer a tie left to the council (${category}) because the data changed; this decision is not applied.`)),
  decisionSheetMissing: text((l, file: string) => (l === 'vi'
    ? `Tệp quyết định ${q(file)} không có sheet "Quyết định Hội đồng".`
    : `The decisions file ${q(file)} has no sheet "Quyết định Hội đồng".`)),
} as const;
