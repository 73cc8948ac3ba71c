/**
 * `thidua` — the command-line contract of ranking.md over .xlsx files:
 *   rank FILE.xlsx… [--criteria FILE.xlsx] [--decisions FILE.xlsx] [--out ranking.xlsx] [--json]
 *   validate FILE.xlsx… [--json]
 *   template [--out FILE.xlsx] [--year N]
 *   demo
 * Exit codes: 0 no errors (warnings allowed), 1 errors found (the ranking is still printed),
 * 2 unusable input — one line on stderr, no stack trace, nothing written.
 */
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import type { WorkbookGrid } from '../core/cells';
import { CATEGORIES, hasErrors, rank, validateGrids } from '../core/engine';
import { AREA, LEVEL } from '../core/format';
import type { CategoryId, Entry, Issue, Ranking } from '../core/model';
import { Lang, jsonChunks, lazyList, rankingJson, validationJson } from '../core/output';
import { formatNum, plural } from '../core/messages';
import { categoryDecimals, isAddinSheet, rankingSheetPlan, reportSheetPlan } from '../core/sheets';
import { awardListPlan, certificatesPlan } from '../core/awards-print';
import { inputSheetPlans } from '../core/template';
import { checkFileSize } from '../core/xlsx-limits';
import { READ_LIMITS, UnreadableFileError, readXlsxGrid } from '../node/xlsx-read';

export interface Io {
  readonly out: (s: string) => void;
  /** UTF-8 bytes for stdout (`--json`); without it they are decoded and given to `out`. */
  readonly outBytes?: (b: Uint8Array) => void;
  readonly err: (s: string) => void;
  readonly cwd: string;
  /** Warnings about the command line itself (a file given twice, the tool's own output): stderr. */
  readonly warn?: (s: string) => void;
  /** Resolves once what `out` was given has gone out (a pipe holds 64 KB; the rest waits in memory). */
  readonly drained?: () => Promise<void>;
}

/** Bad command line or unusable input: exit 2 with this one line. */
class UsageError extends Error {
  constructor(readonly vi: string, readonly en: string) {
    super(vi);
  }
}

const EXIT = { ok: 0, errors: 1, unusable: 2 } as const;

export const DEFAULT_TEMPLATE_NAME = 'mau-bao-cao-thi-dua.xlsx';
export const DEMO_OUTPUT_NAME = 'ranking.xlsx';
/** The bundled example submissions (relative to lib/cli once compiled, or src/cli under ts-jest). */
export const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'assets', 'examples');

// --- Texts -------------------------------------------------------------------------------------------

const T = {
  vi: {
    usage: [
      'Thi đua EVNCPC — xếp hạng thi đua "Nâng cao công tác phục vụ khách hàng và tiết kiệm điện" từ các tệp .xlsx.',
      '',
      'Cách dùng:',
      '  thidua rank TỆP.xlsx… [--criteria TỆP.xlsx] [--decisions TỆP.xlsx] [--out ranking.xlsx] [--json]',
      '      Gộp các tệp báo cáo, kiểm tra và xếp hạng. --out ghi sheet Xếp hạng và Kiểm tra ra tệp.',
      '      --decisions: quyết định của Hội đồng Thi đua (sheet Quyết định Hội đồng) cho các suất đồng hạng.',
      '  thidua validate TỆP.xlsx… [--json]      Chỉ kiểm tra dữ liệu.',
      `  thidua template [--out ${DEFAULT_TEMPLATE_NAME}] [--year N]   Ghi mẫu báo cáo trống.`,
      `  thidua demo [--out ${DEMO_OUTPUT_NAME}]          Xếp hạng các tệp ví dụ kèm theo (có sẵn một lỗi và một trường hợp đồng hạng), ghi ${DEMO_OUTPUT_NAME} vào thư mục hiện tại.`,
      '',
      'Tuỳ chọn chung: --lang en (thông báo tiếng Anh), --help.',
      'Mã thoát: 0 không có lỗi (có thể có cảnh báo); 1 có lỗi (vẫn in kết quả xếp hạng); 2 không dùng được đầu vào. Lệnh demo thoát 0 khi chạy xong (lỗi trong ví dụ là cố ý).',
    ].join('\n'),
    unknownCommand: (c: string) => `Lệnh không hợp lệ "${c}"; xem thidua --help.`,
    noCommand: 'Thiếu lệnh (rank, validate, template, demo); xem thidua --help.',
    unknownOption: (o: string) => `Tuỳ chọn không hợp lệ "${o}"; xem thidua --help.`,
    optionNotFor: (o: string, c: string) => `Tuỳ chọn "${o}" không dùng với lệnh ${c}.`,
    needsValue: (o: string) => `Tuỳ chọn "${o}" cần một giá trị.`,
    noFiles: (c: string) => `Lệnh ${c} cần ít nhất một tệp .xlsx.`,
    noArgs: (c: string) => `Lệnh ${c} không nhận tên tệp.`,
    badYear: (v: string) => `Năm "${v}" không hợp lệ: nhập số nguyên từ 2000 đến 2100.`,
    badLang: (v: string) => `Ngôn ngữ "${v}" không hỗ trợ: dùng vi hoặc en.`,
    outIsInput: (f: string) => `Tệp kết quả "${f}" trùng một tệp đầu vào; chọn tên khác để không ghi đè báo cáo.`,
    cannotWrite: (f: string, why: string) => `Không ghi được tệp "${f}": ${why}`,
    noExamples: (d: string) => `Không tìm thấy tệp ví dụ nào trong ${d}.`,
    internal: (m: string) => `Lỗi không mong đợi: ${m}`,
    warning: (s: string) => `Cảnh báo: ${s}`,
    ownOutput: (f: string) => `bỏ qua "${f}": đây là tệp kết quả do thidua hoặc phần bổ trợ lập (có dấu của phần bổ trợ), không phải báo cáo của một công ty.`,
    sameArg: (f: string, n: number) => `tệp "${f}" được chỉ ra ${n} lần; chỉ đọc một lần.`,
    sameFile: (f: string, first: string) => `tệp "${f}" là cùng một tệp với "${first}"; chỉ đọc một lần.`,
    sameBytes: (f: string, first: string) => `tệp "${f}" có nội dung giống hệt "${first}" (bản sao); chỉ đọc một lần.`,
    noSubmissions: 'Không còn tệp báo cáo nào để xếp hạng (các tệp đã cho là tệp kết quả của thidua).',
    tooManyCells: (cells: number, cap: number, arg: string) => `Các tệp cộng lại tới ${arg} đã có ${formatNum(cells, 'vi')} ô dữ liệu, quá giới hạn ${formatNum(cap, 'vi')} ô của một lần chạy; hãy chạy từng phần.`,
    excluded: (note: string) => `không xếp hạng — ${note}`,
    written: (f: string) => `Đã ghi: ${f}`,
    templateWritten: (f: string) => `Đã ghi mẫu báo cáo: ${f}`,
    files: (n: number) => `Đã đọc ${formatNum(n, 'vi')} tệp.`,
    checkHeader: (e: number, w: number) => (e || w ? `Kiểm tra: ${formatNum(e, 'vi')} lỗi, ${formatNum(w, 'vi')} cảnh báo` : 'Kiểm tra: không có lỗi hay cảnh báo nào'),
    severity: { error: 'Lỗi', warning: 'Cảnh báo' },
    ok: 'Dữ liệu hợp lệ (không có lỗi).',
    notOk: (e: number) => `Có ${formatNum(e, 'vi')} lỗi: các đơn vị có lỗi không được xếp hạng ở hạng mục liên quan.`,
    fingerprint: (f: string) => `Dấu vân tay dữ liệu: ${f}`,
    year: (y: number | null) => `Năm: ${y ?? '—'}`,
    category: (label: string, n: number, eligible: number) => `${label} — ${formatNum(n, 'vi')} mục, ${formatNum(eligible, 'vi')} đủ điều kiện`,
    pending: 'chờ Hội đồng quyết định',
    others: (n: number, out: number) => `   … ${formatNum(n, 'vi')} đủ điều kiện không có giải, ${formatNum(out, 'vi')} không đủ điều kiện (xem --json hoặc --out).`,
    totals: (prize: string, flags: number, certs: number, pending: number) =>
      `Tổng khen thưởng: ${prize} đồng · ${formatNum(flags, 'vi')} cờ thi đua · ${formatNum(certs, 'vi')} giấy khen · ${formatNum(pending, 'vi')} suất chờ Hội đồng Thi đua quyết định`,
    unitScore: 'điểm',
  },
  en: {
    usage: [
      'Thi đua EVNCPC — ranks the "customer service and electricity saving" campaign from .xlsx files.',
      '',
      'Usage:',
      '  thidua rank FILE.xlsx… [--criteria FILE.xlsx] [--decisions FILE.xlsx] [--out ranking.xlsx] [--json]',
      '      Consolidate the submissions, validate, rank. --out writes the Xếp hạng and Kiểm tra sheets.',
      "      --decisions: the Emulation Council's decisions on ties (sheet Quyết định Hội đồng).",
      '  thidua validate FILE.xlsx… [--json]      Validate only.',
      `  thidua template [--out ${DEFAULT_TEMPLATE_NAME}] [--year N]   Write the blank standard workbook.`,
      `  thidua demo [--out ${DEMO_OUTPUT_NAME}]           Rank the bundled examples (they hold one error and one tie on purpose), write ${DEMO_OUTPUT_NAME} in the current folder.`,
      '',
      'Common options: --lang en (English messages), --help.',
      'Exit codes: 0 no errors (warnings allowed); 1 errors found (the ranking is still printed); 2 unusable input. demo exits 0 once done (its error is on purpose).',
    ].join('\n'),
    unknownCommand: (c: string) => `Unknown command "${c}"; see thidua --help.`,
    noCommand: 'No command given (rank, validate, template, demo); see thidua --help.',
    unknownOption: (o: string) => `Unknown option "${o}"; see thidua --help.`,
    optionNotFor: (o: string, c: string) => `Option "${o}" does not apply to ${c}.`,
    needsValue: (o: string) => `Option "${o}" needs a value.`,
    noFiles: (c: string) => `${c} needs at least one .xlsx file.`,
    noArgs: (c: string) => `${c} takes no file names.`,
    badYear: (v: string) => `Year "${v}" is not valid: a whole number from 2000 to 2100.`,
    badLang: (v: string) => `Language "${v}" is not supported: use vi or en.`,
    outIsInput: (f: string) => `The output file "${f}" is one of the input files; choose another name so no submission is overwritten.`,
    cannotWrite: (f: string, why: string) => `Cannot write "${f}": ${why}`,
    noExamples: (d: string) => `No example files found in ${d}.`,
    internal: (m: string) => `Unexpected error: ${m}`,
    warning: (s: string) => `Warning: ${s}`,
    ownOutput: (f: string) => `skipped "${f}": it is an output of thidua or the add-in (it carries the add-in's marker), not a company's submission.`,
    sameArg: (f: string, n: number) => `file "${f}" is given ${plural(n, 'time', 'times')}; it is read once.`,
    sameFile: (f: string, first: string) => `file "${f}" is the same file as "${first}"; it is read once.`,
    sameBytes: (f: string, first: string) => `file "${f}" has exactly the content of "${first}" (a copy); it is read once.`,
    noSubmissions: 'No submission left to rank (the files given are outputs of thidua).',
    tooManyCells: (cells: number, cap: number, arg: string) => `The files up to ${arg} hold ${formatNum(cells, 'en')} cells together, over the limit of ${formatNum(cap, 'en')} cells for one run; run them in parts.`,
    excluded: (note: string) => `not ranked — ${note}`,
    written: (f: string) => `Written: ${f}`,
    templateWritten: (f: string) => `Template written: ${f}`,
    files: (n: number) => `Read ${plural(n, 'file', 'files')}.`,
    checkHeader: (e: number, w: number) => (e || w ? `Validation: ${plural(e, 'error', 'errors')}, ${plural(w, 'warning', 'warnings')}` : 'Validation: no errors or warnings'),
    severity: { error: 'Error', warning: 'Warning' },
    ok: 'The data is valid (no errors).',
    notOk: (e: number) => `${plural(e, 'error', 'errors')}: units with errors are left out of the categories concerned.`,
    fingerprint: (f: string) => `Input fingerprint: ${f}`,
    year: (y: number | null) => `Year: ${y ?? '—'}`,
    category: (label: string, n: number, eligible: number) => `${label} — ${plural(n, 'entry', 'entries')}, ${formatNum(eligible, 'en')} eligible`,
    pending: 'left to the council',
    others: (n: number, out: number) => `   … ${formatNum(n, 'en')} more eligible without an award, ${formatNum(out, 'en')} not eligible (see --json or --out).`,
    totals: (prize: string, flags: number, certs: number, pending: number) =>
      `Awards: ${prize} VND · ${plural(flags, 'flag', 'flags')} · ${plural(certs, 'certificate', 'certificates')} · ${plural(pending, 'place', 'places')} left to the council`,
    unitScore: 'points',
  },
} as const;

type Texts = (typeof T)[Lang];

const CATEGORY_EN: Readonly<Record<CategoryId, string>> = {
  'company-service': 'Customer service · Power Companies',
  'company-saving': 'Electricity saving · Power Companies',
  'unit-service': 'Customer service · district units (Điện lực)',
  'unit-saving': 'Electricity saving · district units (Điện lực)',
  individual: 'Individuals',
};

function categoryLabel(id: CategoryId, lang: Lang): string {
  if (lang === 'en') return CATEGORY_EN[id];
  const c = CATEGORIES.find((x) => x.id === id);
  return c ? (c.area === AREA.individual ? LEVEL.individual : `${c.area} · ${c.level}`) : id;
}

// --- Arguments ---------------------------------------------------------------------------------------

interface Args {
  command?: string;
  files: string[];
  json: boolean;
  help: boolean;
  lang: Lang;
  out?: string;
  criteria?: string;
  decisions?: string;
  year?: string;
  /** Options given, to refuse those that do not apply. */
  given: string[];
}

const VALUE_OPTIONS = new Set(['--out', '--criteria', '--decisions', '--year', '--lang']);
const FLAG_OPTIONS = new Set(['--json', '--help', '-h']);
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  rank: ['--out', '--criteria', '--decisions', '--json'],
  validate: ['--json'],
  template: ['--out', '--year'],
  demo: ['--out'],
};

/** First pass for --lang only, so that even errors about other options speak the right language. */
function langOf(argv: readonly string[]): Lang {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--lang' && argv[i + 1] === 'en') return 'en';
    if (argv[i] === '--lang=en') return 'en';
  }
  return 'vi';
}

function parseArgs(argv: readonly string[], t: Texts): Args {
  const a: Args = { files: [], json: false, help: false, lang: 'vi', given: [] };
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    if (!onlyFiles && raw === '--') { onlyFiles = true; continue; }
    if (!onlyFiles && raw.startsWith('-') && raw !== '-') {
      const eq = raw.indexOf('=');
      const name = eq > 0 ? raw.slice(0, eq) : raw;
      if (FLAG_OPTIONS.has(name)) {
        if (eq > 0) throw new UsageError(T.vi.unknownOption(raw), T.en.unknownOption(raw));
        if (name === '--json') a.json = true;
        else a.help = true;
        if (name === '--json') a.given.push(name);
        continue;
      }
      if (!VALUE_OPTIONS.has(name)) throw new UsageError(T.vi.unknownOption(raw), T.en.unknownOption(raw));
      const value = eq > 0 ? raw.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(T.vi.needsValue(name), T.en.needsValue(name));
      if (name === '--lang') {
        if (value !== 'vi' && value !== 'en') throw new UsageError(T.vi.badLang(value), T.en.badLang(value));
        a.lang = value;
        continue;
      }
      a.given.push(name);
      if (name === '--out') a.out = value;
      else if (name === '--criteria') a.criteria = value;
      else if (name === '--decisions') a.decisions = value;
      else a.year = value;
      continue;
    }
    if (a.command === undefined) a.command = raw;
    else a.files.push(raw);
  }
  void t;
  return a;
}

// --- System errors in the user's words ----------------------------------------------------------------

/**
 * A file-system error as one sentence (vi, en) naming the file, never Node's `ENOENT`: what went
 * wrong and what to do. `mode` says whether the file was being read or written.
 */
export function fsErrorSentence(e: unknown, file: string, mode: 'read' | 'write'): UsageError {
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  const dir = path.dirname(file);
  const head: [string, string] = mode === 'read' ? [`Không đọc được tệp "${file}"`, `Cannot read "${file}"`] : [`Không ghi được tệp "${file}"`, `Cannot write "${file}"`];
  const why: Record<string, [string, string]> = {
    ENOENT: mode === 'read'
      ? ['không có tệp này (kiểm tra lại tên tệp và thư mục).', 'there is no such file (check the name and the folder).']
      : [`thư mục "${dir}" không tồn tại; hãy tạo thư mục trước hoặc chọn thư mục khác.`, `the folder "${dir}" does not exist; create it first or choose another folder.`],
    ENOTDIR: ['một phần của đường dẫn là tệp chứ không phải thư mục.', 'part of the path is a file, not a folder.'],
    EISDIR: mode === 'read'
      ? ['đây là một thư mục, không phải tệp .xlsx; hãy chỉ ra các tệp trong đó (ví dụ thu-muc/*.xlsx).', 'this is a folder, not an .xlsx file; name the files in it (for example folder/*.xlsx).']
      : [`đây là một thư mục; hãy ghi rõ tên tệp, ví dụ "${path.join(file, DEMO_OUTPUT_NAME)}".`, `it is a folder; give a file name, for example "${path.join(file, DEMO_OUTPUT_NAME)}".`],
    EACCES: mode === 'read'
      ? ['không có quyền đọc tệp này.', 'no permission to read this file.']
      : [`không có quyền ghi vào thư mục "${dir}"; hãy chọn thư mục khác.`, `no permission to write in the folder "${dir}"; choose another folder.`],
    EROFS: [`thư mục "${dir}" chỉ cho phép đọc; hãy chọn thư mục khác.`, `the folder "${dir}" is read-only; choose another folder.`],
    ENOSPC: ['ổ đĩa đã đầy; hãy giải phóng dung lượng hoặc ghi vào ổ khác rồi chạy lại.', 'the disk is full; free some space or write to another disk, then run again.'],
    EBUSY: ['tệp đang được chương trình khác sử dụng (có thể đang mở trong Excel); hãy đóng tệp rồi chạy lại.', 'the file is in use by another program (perhaps open in Excel); close it and run again.'],
    EMFILE: ['hệ thống đang mở quá nhiều tệp; hãy chạy lại.', 'too many files are open; run again.'],
  };
  why.EPERM = why.EACCES;
  why.EDQUOT = ['đã hết dung lượng được cấp trên ổ đĩa; hãy giải phóng dung lượng rồi chạy lại.', 'the disk quota is used up; free some space and run again.'];
  why.ENFILE = why.EMFILE;
  why.ETXTBSY = why.EBUSY;
  const [vi, en] = why[code] ?? [`lỗi hệ thống${code ? ` (${code})` : ''}.`, `system error${code ? ` (${code})` : ''}.`];
  return new UsageError(`${head[0]}: ${vi}`, `${head[1]}: ${en}`);
}

// --- Reading -----------------------------------------------------------------------------------------

interface Loaded {
  /** As given on the command line. */
  readonly arg: string;
  readonly abs: string;
  readonly grid: WorkbookGrid;
}

/** Read one file's bytes, every failure one sentence (the size cap before reading). */
async function loadBytes(abs: string, arg: string): Promise<{ real: string; bytes: Buffer }> {
  let real: string;
  try {
    real = await fs.realpath(abs);
    const st = await fs.stat(real);
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    const tooBig = checkFileSize(st.size);
    if (tooBig) throw new UnreadableFileError(path.basename(arg), tooBig.whyVi, tooBig.whyEn);
    return { real, bytes: await fs.readFile(real) };
  } catch (e) {
    if (e instanceof UnreadableFileError) throw e;
    throw fsErrorSentence(e, arg, 'read');
  }
}

/**
 * The submissions named on the command line, each read once: a file named twice (the same path,
 * the same file through another path, or a copy with the same bytes) is read once with one
 * warning naming it; the tool's own output (every sheet carries the add-in's marker, as
 * `rank --out` writes) is skipped with one warning.
 */
/** Cells holding a value (what the reader's cell cap counts, less the empty ones). */
function cellCount(grid: WorkbookGrid): number {
  let n = 0;
  for (const sheet of grid.sheets) for (const row of sheet.rows) for (const v of row) if (v !== null) n++;
  return n;
}

async function readSubmissions(args: readonly string[], cwd: string, t: Texts): Promise<{ grids: WorkbookGrid[]; skipped: Loaded[]; warnings: string[] }> {
  const warnings: string[] = [];
  const warn = (s: string) => { warnings.push(s); };
  const byReal = new Map<string, string>();
  const byHash = new Map<string, string>();
  const counted = new Map<string, number>();
  for (const a of args) counted.set(path.resolve(cwd, a), (counted.get(path.resolve(cwd, a)) ?? 0) + 1);
  const warned = new Set<string>();
  const grids: WorkbookGrid[] = [];
  const skipped: Loaded[] = [];
  // The files of one run share the one file's cell cap: each is bounded, and so is their sum.
  let cells = 0;
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    if (warned.has(abs)) continue;
    const { real, bytes } = await loadBytes(abs, arg);
    const n = counted.get(abs) ?? 1;
    if (n > 1) { warned.add(abs); warn(t.sameArg(arg, n)); }
    const sameReal = byReal.get(real);
    if (sameReal !== undefined) { warn(t.sameFile(arg, sameReal)); continue; }
    byReal.set(real, arg);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const sameBytes = byHash.get(hash);
    if (sameBytes !== undefined) { warn(t.sameBytes(arg, sameBytes)); continue; }
    byHash.set(hash, arg);
    const grid = await readXlsxGrid(bytes, path.basename(arg));
    cells += cellCount(grid);
    if (cells > READ_LIMITS.cells) throw new UsageError(T.vi.tooManyCells(cells, READ_LIMITS.cells, arg), T.en.tooManyCells(cells, READ_LIMITS.cells, arg));
    if (grid.sheets.length && grid.sheets.every(isAddinSheet)) {
      warn(t.ownOutput(arg));
      skipped.push({ arg, abs, grid });
      continue;
    }
    grids.push(grid);
  }
  return { grids, skipped, warnings };
}

async function readOne(arg: string, cwd: string): Promise<WorkbookGrid> {
  const { bytes } = await loadBytes(path.resolve(cwd, arg), arg);
  return readXlsxGrid(bytes, path.basename(arg));
}

// --- Printing ----------------------------------------------------------------------------------------

// One formatter per language and number of decimals: toLocaleString with options builds one per
// call (30 µs; 100,000 lines took 3 s).
const numberFormats = new Map<string, Intl.NumberFormat>();
function formatNumber(n: number, lang: Lang, digits: number): string {
  const key = `${lang}${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'vi-VN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    numberFormats.set(key, f);
  }
  return f.format(n);
}

/** `decimals`: the category's (categoryDecimals), so no shown number contradicts the ranking. */
function formatValue(id: CategoryId, v: number | null, lang: Lang, t: Texts, decimals = 2): string {
  if (v === null) return '—';
  if (id.endsWith('saving')) return `${formatNumber(Number((v * 100).toPrecision(15)), lang, decimals)} %`;
  return `${formatNumber(v, lang, decimals)} ${t.unitScore}`;
}

function issueLine(i: Issue, lang: Lang, t: Texts, withFile: boolean): string {
  const where = i.cell ? `${i.sheet}!${i.cell}` : i.sheet;
  const file = withFile && i.file ? `${i.file}: ` : '';
  return `  ${t.severity[i.severity]}: ${file}${where} [${i.code}] ${lang === 'en' ? i.messageEn : i.message}`;
}

async function printIssues(issues: readonly Issue[], lang: Lang, t: Texts, io: Io, withFile: boolean): Promise<void> {
  const errors = issues.filter((i) => i.severity === 'error').length;
  io.out(t.checkHeader(errors, issues.length - errors) + '\n');
  await writeLines(io, issues.map((i) => issueLine(i, lang, t, withFile)));
}

function entryLine(id: CategoryId, e: Entry, lang: Lang, t: Texts, decimals = 2): string {
  const award = e.award ? ` — ${e.award.title}, ${e.award.form}, ${formatNumber(e.award.prize, lang, 0)}` : '';
  const pending = e.pending ? ` — ${t.pending}` : '';
  const who = id === 'individual' ? `${e.name} (${e.code})` : `${e.code}  ${e.name}`;
  return `  ${String(e.rank).padStart(3)}. ${who}  ${formatValue(id, e.value, lang, t, decimals)}${award}${pending}`;
}

function excludedLine(id: CategoryId, e: Entry, t: Texts): string {
  const who = id === 'individual' ? `${e.name} (${e.code})` : `${e.code}  ${e.name}`;
  return `     — ${who}  ${t.excluded(e.note)}`;
}

async function printRanking(r: Ranking, lang: Lang, t: Texts, io: Io, fileCount: number): Promise<void> {
  await printIssues(r.issues, lang, t, io, fileCount > 1);
  io.out('\n' + t.year(r.year) + '\n');
  for (const cat of r.categories) {
    const eligible = cat.entries.filter((e) => e.eligible);
    io.out(`\n${t.category(categoryLabel(cat.id, lang), cat.entries.length, eligible.length)}\n`);
    const shown = eligible.filter((e) => e.award || e.pending);
    const decimals = categoryDecimals(cat, r.params);
    await writeLines(io, shown.map((e) => entryLine(cat.id, e, lang, t, decimals)));
    // Left out for missing or invalid data (no measure at all), with the reason: the rest of the
    // ineligible (below the threshold or the minimum) are only counted.
    const excluded = cat.entries.filter((e) => !e.eligible && e.value === null);
    await writeLines(io, excluded.map((e) => excludedLine(cat.id, e, t)));
    const rest = eligible.length - shown.length;
    const out = cat.entries.length - eligible.length - excluded.length;
    if (rest || out) io.out(t.others(rest, out) + '\n');
  }
  const tot = r.totals;
  io.out('\n' + t.totals(formatNumber(tot.prize, lang, 0), tot.flags, tot.certificates, tot.pending) + '\n');
  io.out(t.fingerprint(r.fingerprint) + '\n');
}

// --- Writing -----------------------------------------------------------------------------------------

function madeAtNow(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** ExcelJS takes a third of a second and 20 MB to load: only the commands that write load it. */
async function writeWorkbook(...args: Parameters<typeof import('../node/xlsx-write').writeWorkbook>): Promise<void> {
  const { writeWorkbook: write } = await import('../node/xlsx-write');
  return write(...args);
}

/**
 * Lines on stdout in pieces of about 256 KB, each sent once the last has gone out: 100,000 lines
 * are never held whole, neither here nor in the pipe's queue.
 */
async function writeLines(io: Io, lines: Iterable<string>): Promise<void> {
  let buf = '';
  for (const line of lines) {
    buf += line + '\n';
    if (buf.length >= 1 << 18) {
      io.out(buf);
      buf = '';
      await io.drained?.();
    }
  }
  if (buf) io.out(buf);
}

/** The JSON as UTF-8 chunks of about 256 KB, likewise (35 MB for 100,000 issues). */
async function writeJson(io: Io, value: unknown): Promise<void> {
  const text = io.outBytes ? undefined : new TextDecoder();
  for (const chunk of jsonChunks(value)) {
    if (io.outBytes) io.outBytes(chunk);
    else io.out((text as TextDecoder).decode(chunk, { stream: true }));
    await io.drained?.();
  }
  io.out('\n');
}

async function writeOutput(r: Ranking, target: string): Promise<void> {
  const madeAt = madeAtNow();
  await writeWorkbook([rankingSheetPlan(r, madeAt), awardListPlan(r, madeAt), certificatesPlan(r, madeAt), reportSheetPlan(r.issues, madeAt)], target);
}

async function writeOrExplain(target: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (e) {
    throw fsErrorSentence(e, target, 'write');
  }
}

function sameFile(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

// --- Commands ----------------------------------------------------------------------------------------

/** Warnings go out once the command is sure to run: an exit 2 stays one line. */
function flushWarnings(warnings: readonly string[], io: Io, t: Texts): void {
  for (const w of warnings) (io.warn ?? io.err)(`thidua: ${t.warning(w)}\n`);
}

async function rankCommand(a: Args, io: Io, t: Texts): Promise<number> {
  if (!a.files.length) throw new UsageError(T.vi.noFiles('rank'), T.en.noFiles('rank'));
  const out = a.out ? path.resolve(io.cwd, a.out) : undefined;
  const { grids, skipped, warnings } = await readSubmissions(a.files, io.cwd, t);
  if (out) {
    // Overwriting the tool's own previous output is the point of a rerun; a submission, never.
    const inputs = [...a.files, ...(a.criteria ? [a.criteria] : []), ...(a.decisions ? [a.decisions] : [])].map((f) => path.resolve(io.cwd, f))
      .filter((f) => !skipped.some((k) => sameFile(k.abs, f)));
    if (inputs.some((f) => sameFile(f, out))) throw new UsageError(T.vi.outIsInput(a.out as string), T.en.outIsInput(a.out as string));
  }
  if (!grids.length) throw new UsageError(T.vi.noSubmissions, T.en.noSubmissions);
  const criteriaGrid = a.criteria ? await readOne(a.criteria, io.cwd) : undefined;
  const decisionsGrid = a.decisions ? await readOne(a.decisions, io.cwd) : undefined;
  const files = grids.length;
  // The cells go once read into records (100,000 rows), before validating and writing.
  const r = rank(validateGrids(grids, { criteriaGrid, decisionsGrid, release: true }));
  if (out) await writeOrExplain(out, () => writeOutput(r, out));
  flushWarnings(warnings, io, t);
  if (a.json) await writeJson(io, rankingJson(r, a.lang, lazyList));
  else {
    await printRanking(r, a.lang, t, io, files);
    if (out) io.out(t.written(out) + '\n');
  }
  return hasErrors(r.issues) ? EXIT.errors : EXIT.ok;
}

async function validateCommand(a: Args, io: Io, t: Texts): Promise<number> {
  if (!a.files.length) throw new UsageError(T.vi.noFiles('validate'), T.en.noFiles('validate'));
  const { grids, warnings } = await readSubmissions(a.files, io.cwd, t);
  if (!grids.length) throw new UsageError(T.vi.noSubmissions, T.en.noSubmissions);
  // Only the report is kept: the cells go once read into records, the records before the report
  // is written (100,000 rows).
  const files = grids.length;
  const { issues, fingerprint } = validateGrids(grids, { release: true });
  flushWarnings(warnings, io, t);
  const ok = !hasErrors(issues);
  if (a.json) await writeJson(io, validationJson({ issues, fingerprint }, a.lang, lazyList));
  else {
    await printIssues(issues, a.lang, t, io, files > 1);
    const errors = issues.filter((i) => i.severity === 'error').length;
    io.out('\n' + (ok ? t.ok : t.notOk(errors)) + '\n' + t.fingerprint(fingerprint) + '\n');
  }
  return ok ? EXIT.ok : EXIT.errors;
}

async function templateCommand(a: Args, io: Io, t: Texts): Promise<number> {
  if (a.files.length) throw new UsageError(T.vi.noArgs('template'), T.en.noArgs('template'));
  let year: number | undefined;
  if (a.year !== undefined) {
    year = Number(a.year);
    if (!/^\d{4}$/.test(a.year.trim()) || year < 2000 || year > 2100) throw new UsageError(T.vi.badYear(a.year), T.en.badYear(a.year));
  }
  const out = path.resolve(io.cwd, a.out ?? DEFAULT_TEMPLATE_NAME);
  await writeOrExplain(out, () => writeWorkbook(inputSheetPlans({}, { year }), out));
  io.out(t.templateWritten(out) + '\n');
  return EXIT.ok;
}

async function demoCommand(a: Args, io: Io, t: Texts): Promise<number> {
  if (a.files.length) throw new UsageError(T.vi.noArgs('demo'), T.en.noArgs('demo'));
  let names: string[] = [];
  try {
    names = (await fs.readdir(EXAMPLES_DIR)).filter((n) => n.toLowerCase().endsWith('.xlsx')).sort();
  } catch {
    names = [];
  }
  if (!names.length) throw new UsageError(T.vi.noExamples(EXAMPLES_DIR), T.en.noExamples(EXAMPLES_DIR));
  const grids: WorkbookGrid[] = [];
  for (const n of names) grids.push(await readOne(path.join(EXAMPLES_DIR, n), io.cwd));
  const r = rank(validateGrids(grids));
  const out = path.resolve(io.cwd, a.out ?? DEMO_OUTPUT_NAME);
  await writeOrExplain(out, () => writeOutput(r, out));
  io.out(t.files(grids.length) + '\n');
  await printRanking(r, a.lang, t, io, grids.length);
  io.out(t.written(out) + '\n');
  // The examples' error and tie are there to be shown: the demo itself succeeded.
  return EXIT.ok;
}

const COMMANDS: Readonly<Record<string, (a: Args, io: Io, t: Texts) => Promise<number>>> = {
  rank: rankCommand, validate: validateCommand, template: templateCommand, demo: demoCommand,
};

/** Run the CLI; resolves to the exit code. Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let lang: Lang = langOf(argv);
  try {
    const a = parseArgs(argv, T[lang]);
    lang = a.lang;
    const t = T[lang];
    if (a.help || a.command === 'help') {
      io.out(t.usage + '\n');
      return EXIT.ok;
    }
    if (a.command === undefined) throw new UsageError(T.vi.noCommand, T.en.noCommand);
    const run = COMMANDS[a.command];
    if (!run) throw new UsageError(T.vi.unknownCommand(a.command), T.en.unknownCommand(a.command));
    for (const o of a.given) {
      if (!ALLOWED[a.command].includes(o)) throw new UsageError(T.vi.optionNotFor(o, a.command), T.en.optionNotFor(o, a.command));
    }
    return await run(a, io, t);
  } catch (e) {
    const line = (s: string) => io.err(`thidua: ${s.replace(/\s*[\r\n]+\s*/g, ' ')}\n`);
    if (e instanceof UsageError) line(lang === 'en' ? e.en : e.vi);
    else if (e instanceof UnreadableFileError) line(lang === 'en' ? e.messageEn : e.message);
    else {
      line(T[lang].internal((e as Error)?.message ?? String(e)));
      if (process.env.THIDUA_DEBUG) io.err(String((e as Error)?.stack) + '\n');
    }
    return EXIT.unusable;
  }
}

/** The process entry (bin/thidua.js). */
export function run(argv: readonly string[]): void {
  // A closed pipe (`thidua rank … | head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); });
  let full = false;
  const io: Io = {
    out: (s) => { if (!process.stdout.write(s)) full = true; },
    outBytes: (b) => { if (!process.stdout.write(b)) full = true; },
    err: (s) => { process.stderr.write(s); },
    cwd: process.cwd(),
    drained: () => (full ? new Promise<void>((resolve) => process.stdout.once('drain', () => { full = false; resolve(); })) : Promise.resolve()),
  };
  void main(argv, io).then((code) => { process.exitCode = code; });
}
