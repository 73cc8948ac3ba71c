/**
 * The lean .xlsx reader both adapters share — the command line's (src/node/xlsx-read.ts) and the
 * task pane's import (src/excel/xlsx-grid.ts): a pre-flight over the package, then every sheet's
 * XML read as a stream of cells straight into the grid (src/core/cells.ts). No object model is
 * built and nothing is expanded: merges are applied to the cells present, column ranges, defined
 * names, data validations and conditional formats are never read.
 *
 * Pre-flight (issue 14): part names are normalised the way a reader matches them (`\` → `/`, a
 * leading `/`, `.` and `..` segments, case) and two parts with equivalent names are refused; only
 * parts reachable from xl/workbook.xml's relationships are inflated and parsed; every cell, row and
 * merge reference is checked against Excel's grid (XFD, 1,048,576); the caps of xlsx-limits.ts are
 * counted while inflating and scanning.
 *
 * Reading rules (as ExcelJS read them before, so grids stay identical): shared and inline strings,
 * rich text as its plain text, cached formula results, error values, booleans, numbers with a date
 * format as serials (rounded to the millisecond, the 1904 system shifted), sheet order and names
 * from workbook.xml, hidden sheets included, slave cells of a merge blank. Not silently changed: a
 * `<v>` that is not a number by the XML grammar becomes `#VALUE!` carrying its raw text (the
 * reader reports a type-error quoting it); a row or cell the reader cannot place, a shared-string
 * index without its string, invalid UTF-8 are refused with one sentence.
 *
 * Pure: it works on an opened zip (JSZip, typed structurally); the adapters do the I/O.
 */
import { formatNum } from './messages';
import type { CellValue, SheetGrid } from './cells';
import { columnLetters, digitsAt } from './cells';
import { READ_LIMITS, ReadLimits, XlsxRefusal } from './xlsx-limits';
import { XmlHandler, XmlScanner, attr, attributes, decodeXml } from './xlsx-xml';

/** Excel's grid. */
export const MAX_ROW = 1_048_576;
export const MAX_COL = 16_384;

/** JSZip's streaming API (the same in its Node and browser builds). */
interface ZipStream {
  on(ev: 'data', f: (chunk: Uint8Array) => void): ZipStream;
  on(ev: 'error', f: (e: Error) => void): ZipStream;
  on(ev: 'end', f: () => void): ZipStream;
  pause(): ZipStream;
  resume(): ZipStream;
}
export interface LeanZipEntry {
  readonly name: string;
  readonly dir: boolean;
}
export interface LeanZip {
  readonly files: { readonly [name: string]: LeanZipEntry };
}

const thousands = (n: number) => formatNum(n, 'en');
/** Vietnamese digit groups (10.000) in the Vietnamese sentence. */
const thousandsVi = (n: number) => formatNum(n, 'vi');
const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
/** A part's or sheet's name as shown in a message: any bytes made printable, whole characters, short. */
export function shownName(name: string): string {
  const clean = name.replace(/[^\x20-\x7E\u00A0-\u024F\u1E00-\u1EFF]/g, '?');
  const chars = Array.from(clean);
  return chars.length > 80 ? chars.slice(0, 80).join('') + '…' : clean;
}

/**
 * A part name as a reader matches it: `\` as `/`, no leading `/`, `.`/`..` resolved, lower case
 * (OPC part names compare case-insensitively). Null when it climbs above the package root.
 */
export function normalizePartName(name: string): string | null {
  const out: string[] = [];
  for (const seg of name.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!out.length) return null;
      out.pop();
      continue;
    }
    out.push(seg);
  }
  return out.join('/').toLowerCase();
}

/** `target` of a relationship of the part in folder `base`, as a normalised part name (or null). */
function resolveTarget(base: string, target: string): string | null {
  let t = target.trim();
  try {
    t = decodeURIComponent(t);
  } catch {
    // keep as written
  }
  t = t.replace(/[?#].*$/, '');
  return normalizePartName(t.startsWith('/') ? t : base + '/' + t);
}

/**
 * The names in a zip's central directory, in order, duplicates kept (JSZip keeps only the last of
 * two entries with one name). Null when the directory cannot be found this simple way (ZIP64): the
 * caller then relies on the names the zip library lists.
 */
export function centralDirectoryNames(bytes: Uint8Array): string[] | null {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const min = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= min; i--) if (dv.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  if (eocd === -1) return null;
  const count = dv.getUint16(eocd + 10, true);
  let at = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || at === 0xffffffff) return null;
  const names: string[] = [];
  const latin = new TextDecoder('latin1');
  const utf8 = new TextDecoder('utf-8');
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || dv.getUint32(at, true) !== 0x02014b50) return null;
    const flags = dv.getUint16(at + 8, true);
    const n = dv.getUint16(at + 28, true);
    const extra = dv.getUint16(at + 30, true);
    const comment = dv.getUint16(at + 32, true);
    const raw = bytes.subarray(at + 46, at + 46 + n);
    names.push((flags & 0x800 ? utf8 : latin).decode(raw));
    at += 46 + n + extra + comment;
  }
  return names;
}

// --- Cells ----------------------------------------------------------------------------------------

const XSD_NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const MS_PER_DAY = 86_400_000;

const plainDigits = (raw: string): number => digitsAt(raw, 0, raw.length);

/** A `<v>` number by the XML grammar (surrounding white space allowed), finite; else undefined. */
export function xmlNumber(raw: string): number | undefined {
  const d = plainDigits(raw);
  if (d >= 0) return d;
  const s = raw.trim();
  if (!XSD_NUMBER.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** The value a malformed `<v>` stands for: an error value carrying the raw text. */
function badNumber(raw: string): CellValue {
  return { error: '#VALUE!', raw } as CellValue;
}

/** A cell reference `B12` → [row, col] 1-based; undefined when it is not one. */
function parseRef(ref: string): [number, number] | undefined {
  let col = 0;
  let i = 0;
  const n = ref.length;
  while (i < n) {
    const ch = ref.charCodeAt(i);
    if (ch >= 65 && ch <= 90) col = col * 26 + (ch - 64);
    else if (ch >= 97 && ch <= 122) col = col * 26 + (ch - 96);
    else break;
    i++;
    if (i > 3) return undefined;
  }
  if (i === 0 || i === n) return undefined;
  let row = 0;
  for (let k = i; k < n; k++) {
    const ch = ref.charCodeAt(k);
    if (ch < 48 || ch > 57) return undefined;
    row = row * 10 + (ch - 48);
    if (row > 1e10) return undefined;
  }
  return [row, col];
}

/** ExcelJS's date-format test, kept so dates read as before. */
function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const f = fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhMsb]+/.test(f);
}
const DATE_BUILTINS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** ExcelJS decodes `t="str"` text once more (a second pass over the five named entities). */
function xmlDecodeAgain(s: string): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(/&([a-z]*);/g, (c) => ({ '&lt;': '<', '&gt;': '>', '&amp;': '&', '&apos;': "'", '&quot;': '"' } as Record<string, string>)[c] ?? c);
}
/**
 * The same text in a string of its own. V8 keeps a substring of 13 characters or more as a view
 * of the string it was cut from, here a decoded chunk of some 64 KB of XML: every kept value (each
 * shared string, a name) would keep its whole chunk alive, 20 MB for 100,000 names. Joining it
 * to a character and cutting that off again makes V8 copy it (the joined text is flattened).
 */
function ownCopy(s: string): string {
  return s.length < 13 ? s : (s + ' ').slice(0, -1);
}

/** `_x000D_` escapes in shared and rich strings (as ExcelJS decodes them). */
function xstring(s: string): string {
  return s.indexOf('_x') === -1 ? s : s.replace(/_x([0-9A-F]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

// --- The package ------------------------------------------------------------------------------------

interface SheetRef {
  readonly name: string;
  readonly part: string;
}

interface Styles {
  /** cellXfs index → the cell is a date. */
  readonly dateXf: boolean[];
}

export interface LeanWorkbook {
  readonly sheets: SheetGrid[];
}

class Package {
  private readonly byName = new Map<string, LeanZipEntry>();
  private total = 0;
  private cells = 0;

  constructor(zip: LeanZip, private readonly limits: ReadLimits, names: readonly string[] | null) {
    const entries = Object.values(zip.files).filter((f) => !f.dir);
    // Two central-directory entries with one name: the library shows only one of them.
    if (names) {
      names = names.filter((n) => !n.endsWith('/') && !n.endsWith('\\'));
      const seen = new Set<string>();
      for (const n of names) {
        const key = normalizePartName(n) ?? n;
        if (seen.has(key)) {
          throw new XlsxRefusal(`tệp có hai phần cùng tên ${shownName(n)}; không biết phần nào đúng.`,
            `the file has two parts named ${shownName(n)}; it is not known which one is right.`);
        }
        seen.add(key);
      }
      if (names.length > limits.zipEntries) {
        throw new XlsxRefusal(`tệp có ${thousandsVi(names.length)} phần, quá giới hạn ${thousandsVi(limits.zipEntries)}.`,
          `the file has ${thousands(names.length)} parts, over the limit of ${thousands(limits.zipEntries)}.`);
      }
    }
    if (entries.length > limits.zipEntries) {
      throw new XlsxRefusal(`tệp có ${thousandsVi(entries.length)} phần, quá giới hạn ${thousandsVi(limits.zipEntries)}.`,
        `the file has ${thousands(entries.length)} parts, over the limit of ${thousands(limits.zipEntries)}.`);
    }
    let declared = 0;
    for (const e of entries) {
      const key = normalizePartName(e.name);
      if (key !== null) {
        const prior = this.byName.get(key);
        if (prior) {
          throw new XlsxRefusal(`tệp có hai phần cùng tên ${shownName(prior.name)} và ${shownName(e.name)}; không biết phần nào đúng.`,
            `the file has two parts with the same name, ${shownName(prior.name)} and ${shownName(e.name)}; it is not known which one is right.`);
        }
        this.byName.set(key, e);
      }
      const size = (e as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0;
      if (size > limits.entryBytes) throw this.tooBig(e.name, size);
      declared += size;
    }
    if (declared > limits.unzippedBytes) throw this.tooBigTotal(declared);
    if (this.byName.has('mimetype') && !this.byName.has('xl/workbook.xml')) {
      throw new XlsxRefusal('đây là tệp OpenDocument (.ods); hãy lưu lại dạng .xlsx.', 'this is an OpenDocument file (.ods); save it as .xlsx.');
    }
    if (!this.byName.has('xl/workbook.xml') || !this.byName.has('[content_types].xml')) {
      throw new XlsxRefusal('không phải bảng tính Excel .xlsx (thiếu xl/workbook.xml).', 'not an Excel .xlsx workbook (no xl/workbook.xml).');
    }
  }

  has(part: string): boolean {
    return this.byName.has(part);
  }

  private tooBig(part: string, size: number): XlsxRefusal {
    return new XlsxRefusal(`phần ${shownName(part)} khi giải nén lớn hơn ${mb(this.limits.entryBytes)} (${mb(size)}).`,
      `part ${shownName(part)} is over ${mb(this.limits.entryBytes)} uncompressed (${mb(size)}).`);
  }

  private tooBigTotal(size: number): XlsxRefusal {
    return new XlsxRefusal(`nội dung giải nén lớn hơn ${mb(this.limits.unzippedBytes)} (${mb(size)}).`,
      `the uncompressed content is over ${mb(this.limits.unzippedBytes)} (${mb(size)}).`);
  }

  /** Count cells against the workbook's cap. */
  countCell(): void {
    if (++this.cells > this.limits.cells) {
      throw new XlsxRefusal(`tệp có hơn ${thousandsVi(this.limits.cells)} ô dữ liệu, quá giới hạn.`, `the file has more than ${thousands(this.limits.cells)} cells, over the limit.`);
    }
  }

  /** Inflate a part (normalised name) into the handler, under the caps, as UTF-8 text. */
  scan(part: string, h: XmlHandler): Promise<void> {
    const entry = this.byName.get(part);
    if (!entry) return Promise.reject(new Error(`no part ${part}`));
    const shown = shownName(entry.name);
    const scanner = new XmlScanner(h, shown);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    return new Promise((resolve, reject) => {
      let size = 0;
      let done = false;
      const stream = (entry as unknown as { internalStream(t: 'uint8array'): ZipStream }).internalStream('uint8array');
      const fail = (e: unknown) => {
        if (done) return;
        done = true;
        stream.pause();
        reject(e);
      };
      const decode = (chunk?: Uint8Array): string => {
        try {
          return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
        } catch {
          throw new XlsxRefusal(`phần ${shown} không phải văn bản UTF-8 hợp lệ.`, `part ${shown} is not valid UTF-8 text.`);
        }
      };
      stream
        .on('data', (chunk: Uint8Array) => {
          if (done) return;
          size += chunk.length;
          this.total += chunk.length;
          try {
            if (size > this.limits.entryBytes) throw this.tooBig(entry.name, size);
            if (this.total > this.limits.unzippedBytes) throw this.tooBigTotal(this.total);
            scanner.feed(decode(chunk));
          } catch (e) {
            fail(e);
          }
        })
        .on('error', (e: Error) => fail(new XlsxRefusal(`phần ${shown} của tệp nén bị hỏng (${e.message}).`, `part ${shown} of the zip is corrupt (${e.message}).`)))
        .on('end', () => {
          if (done) return;
          try {
            scanner.feed(decode());
            scanner.end();
          } catch (e) {
            fail(e);
            return;
          }
          done = true;
          resolve();
        });
      stream.resume();
    });
  }

  /** A relationships part → id → { target part, type }; absent part → empty. */
  async rels(ofPart: string): Promise<Map<string, { part: string | null; type: string }>> {
    const slash = ofPart.lastIndexOf('/');
    const folder = slash === -1 ? '' : ofPart.slice(0, slash);
    const relsPart = (folder ? folder + '/' : '') + '_rels/' + ofPart.slice(slash + 1) + '.rels';
    const out = new Map<string, { part: string | null; type: string }>();
    if (!this.byName.has(relsPart)) return out;
    const shown = shownName(this.byName.get(relsPart)!.name);
    await this.scan(relsPart, {
      wantText: false,
      open(name, raw) {
        if (name !== 'Relationship') return;
        const a = attributes(raw, shown);
        if (!a.Id || a.Target === undefined) return;
        if ((a.TargetMode ?? '').toLowerCase() === 'external') return;
        out.set(a.Id, { part: resolveTarget(folder, a.Target), type: a.Type ?? '' });
      },
      close() {},
      text() {},
    });
    return out;
  }
}

const relType = (type: string, kind: string) => type.endsWith('/' + kind);

async function workbookParts(pkg: Package): Promise<{ sheets: SheetRef[]; date1904: boolean; strings?: string; styles?: string }> {
  const rels = await pkg.rels('xl/workbook.xml');
  const sheets: SheetRef[] = [];
  let date1904 = false;
  await pkg.scan('xl/workbook.xml', {
    wantText: false,
    open(name, raw) {
      if (name === 'workbookPr') {
        const d = attr(raw, 'date1904');
        date1904 = d === '1' || d === 'true';
      } else if (name === 'sheet') {
        const a = attributes(raw, 'xl/workbook.xml');
        const id = Object.keys(a).find((k) => k === 'id' || k.endsWith(':id'));
        const rel = id ? rels.get(a[id]) : undefined;
        const sheetName = a.name ?? '';
        // Chart and dialog sheets hold no cells.
        if (rel && !relType(rel.type, 'worksheet')) return;
        if (!rel || rel.part === null || !pkg.has(rel.part)) {
          throw new XlsxRefusal(`sheet ${JSON.stringify(shownName(sheetName))} không có phần dữ liệu trong tệp (tệp bị hỏng).`,
            `sheet ${JSON.stringify(shownName(sheetName))} has no data part in the file (the file is damaged).`);
        }
        sheets.push({ name: sheetName, part: rel.part });
      }
    },
    close() {},
    text() {},
  });
  let strings: string | undefined;
  let styles: string | undefined;
  for (const r of rels.values()) {
    if (r.part === null || !pkg.has(r.part)) continue;
    if (relType(r.type, 'sharedStrings')) strings = r.part;
    else if (relType(r.type, 'styles')) styles = r.part;
  }
  // Files without the relationship still name the parts conventionally.
  if (!strings && pkg.has('xl/sharedstrings.xml')) strings = 'xl/sharedstrings.xml';
  if (!styles && pkg.has('xl/styles.xml')) styles = 'xl/styles.xml';
  return { sheets, date1904, strings, styles };
}

async function readStyles(pkg: Package, part: string | undefined): Promise<Styles> {
  const dateXf: boolean[] = [];
  if (!part) return { dateXf };
  const xfFmt: number[] = [];
  const custom = new Map<number, string>();
  let inXfs = 0;
  let depthInXf = 0;
  await pkg.scan(part, {
    wantText: false,
    open(name, raw, self) {
      if (name === 'cellXfs') {
        if (!self) inXfs++;
      } else if (inXfs && name === 'xf') {
        if (depthInXf === 0) xfFmt.push(parseInt(attr(raw, 'numFmtId') ?? '0', 10) || 0);
        if (!self) depthInXf++;
      } else if (name === 'numFmt') {
        const a = attributes(raw, part);
        const id = parseInt(a.numFmtId ?? '', 10);
        if (!Number.isNaN(id) && a.formatCode !== undefined) custom.set(id, a.formatCode.replace(/[\\](.)/g, '$1'));
      }
    },
    close(name) {
      if (name === 'cellXfs' && inXfs) inXfs--;
      else if (name === 'xf' && depthInXf) depthInXf--;
    },
    text() {},
  });
  for (const id of xfFmt) dateXf.push(id !== 0 && (custom.has(id) ? isDateFormat(custom.get(id)) : DATE_BUILTINS.has(id)));
  return { dateXf };
}

const PRESERVE = ' xml:space="preserve">';

async function readSharedStrings(pkg: Package, part: string | undefined, limits: ReadLimits): Promise<string[] | undefined> {
  if (!part) return undefined;
  const out: string[] = [];
  let inSi = false;
  let plain: string | undefined;
  let rich: string[] | undefined;
  let run = '';
  let inR = false;
  let inPh = 0;
  let inT = false;
  const checkCount = () => {
    if (out.length > limits.cells) {
      throw new XlsxRefusal(`tệp có hơn ${thousandsVi(limits.cells)} chuỗi ký tự dùng chung, quá giới hạn.`, `the file has more than ${thousands(limits.cells)} shared strings, over the limit.`);
    }
  };
  const h: XmlHandler = {
    wantText: false,
    // The plain form every writer uses, `<si><t>…</t></si>` (`xml:space="preserve"` or not), read
    // whole; anything else (rich runs, phonetic text, a chunk boundary) goes tag by tag below.
    elementAt(buf, lt, n, shown) {
      // No read past the buffer (TurboFan's code would be thrown away): near its end, tag by tag.
      if (inSi || lt + 7 >= n || buf.charCodeAt(lt + 1) !== 115 || buf.charCodeAt(lt + 2) !== 105 || buf.charCodeAt(lt + 3) !== 62
        || buf.charCodeAt(lt + 4) !== 60 || buf.charCodeAt(lt + 5) !== 116) return -1;
      let from: number;
      if (buf.charCodeAt(lt + 6) === 62) from = lt + 7;
      else if (buf.startsWith(PRESERVE, lt + 6)) from = lt + 6 + PRESERVE.length;
      else return -1;
      const to = buf.indexOf('<', from);
      if (to === -1 || !buf.startsWith('</t></si>', to)) return -1;
      checkCount();
      out.push(ownCopy(xstring(to > from ? decodeXml(buf.slice(from, to), shown) : '')));
      return to + 9;
    },
    open(name, _raw, self) {
      if (name === 'si') {
        inSi = true;
        plain = undefined;
        rich = undefined;
        checkCount();
      } else if (!inSi) {
        // nothing
      } else if (name === 'rPh') {
        if (!self) inPh++;
      } else if (name === 'r' && !inPh) {
        inR = true;
        run = '';
      } else if (name === 't' && !inPh && !self) {
        inT = true;
        h.wantText = true;
      }
    },
    close(name) {
      if (name === 't' && inT) {
        inT = false;
        h.wantText = false;
      } else if (name === 'r' && inR) {
        inR = false;
        (rich ??= []).push(xstring(run));
      } else if (name === 'rPh' && inPh) {
        inPh--;
      } else if (name === 'si' && inSi) {
        inSi = false;
        out.push(ownCopy(rich ? rich.join('') : xstring(plain ?? '')));
      }
    },
    text(s) {
      if (!inT) return;
      if (inR) run += s;
      else plain = (plain ?? '') + s;
    },
  };
  await pkg.scan(part, h);
  return out;
}

// --- One sheet ----------------------------------------------------------------------------------

interface Merge { top: number; left: number; bottom: number; right: number }

function parseRange(ref: string): Merge | undefined {
  const [a, b = a] = ref.trim().split(':');
  const p = parseRef(a.replace(/\$/g, ''));
  const q = parseRef(b.replace(/\$/g, ''));
  if (!p || !q) return undefined;
  return { top: Math.min(p[0], q[0]), left: Math.min(p[1], q[1]), bottom: Math.max(p[0], q[0]), right: Math.max(p[1], q[1]) };
}

/** A cell's reference as written, for a sentence. */
function shownRef(sr: SheetReader, ref: string | undefined): string {
  return shownName(ref || sr.cellRef() || '');
}

/** Which of a cell's attributes were met (SheetReader.attributeAt). */
const SEEN_R = 1;
const SEEN_T = 2;
const SEEN_S = 4;

class SheetReader implements XmlHandler {
  wantText = false;
  // Cells found: 1-based row and column, value.
  readonly rs: number[] = [];
  readonly cs: number[] = [];
  readonly vs: CellValue[] = [];
  readonly merges: Merge[] = [];
  private rowCount = 0;
  private seenRows: Set<number> | undefined;
  private readonly rowList: number[] = [];
  private maxRow = 0;
  private lastRow = 0;
  private row = 0;
  private lastCol = 0;
  private inData = false;
  private inCell = false;
  private ref = '';
  // The current cell's attribute text: cellBuf[cellFrom, cellTo).
  private cellBuf = '';
  private cellFrom = 0;
  private cellTo = 0;

  cellRef(): string | undefined {
    return attr(this.cellBuf.slice(this.cellFrom, this.cellTo), 'r');
  }
  private col = 0;
  private t: string | undefined;
  private s = 0;
  private v: string | undefined;
  /** The `<v>` as a number when it was plain digits (textAt), else -1. */
  private vNum = -1;
  private formula = false;
  private inF = false;
  private fText = '';
  private inV = false;
  private inIs = false;
  private inR = false;
  private inPh = 0;
  private inT = false;
  private plain: string | undefined;
  private rich: string[] | undefined;
  private run = '';

  constructor(
    private readonly pkg: Package,
    private readonly sheet: string,
    private readonly limits: ReadLimits,
    private readonly strings: string[] | undefined,
    private readonly styles: Styles,
    private readonly date1904: boolean,
  ) {}

  private where(): string {
    return `sheet ${JSON.stringify(shownName(this.sheet))}`;
  }

  private refuse(vi: string, en: string): XlsxRefusal {
    return new XlsxRefusal(`${this.where()}: ${vi}`, `${this.where()}: ${en}`);
  }

  /**
   * The scanner's cheapest call: a cell in the plain form every writer uses, read whole —
   * `<c …/>`, `<c …></c>` or `<c …><v>…</v></c>` with attributes cellTagEnd reads — through
   * the same steps as tag by tag (openCellAt, textAt, close). Anything else (a formula, an inline
   * string, other spacing, a chunk boundary) returns -1 and goes tag by tag.
   */
  elementAt(buf: string, lt: number, n: number, part: string): number {
    if (!this.inData || this.inCell) return -1;
    // The cells of a row follow one another: read on while the next one is plain too.
    let past = -1;
    for (let at = lt; at < n && buf.charCodeAt(at) === 60 /* < */; at = past) {
      const next = this.plainCell(buf, at, part);
      if (next < 0) break;
      past = next;
    }
    return past;
  }

  private plainCell(buf: string, lt: number, part: string): number {
    if (lt + 2 >= buf.length || buf.charCodeAt(lt + 1) !== 99 /* c */) return -1;
    const c2 = buf.charCodeAt(lt + 2);
    if (c2 !== 32 && c2 !== 62 && c2 !== 47) return -1;
    const gt = this.cellTagEnd(buf, lt + 2);
    if (gt < 0) return -1;
    const self = this.aSelf;
    const end = self ? gt - 1 : gt;
    // What follows, compared character by character: `</c>`, or `<v>` … `</v></c>`; a cell cut by
    // the end of the buffer goes tag by tag (no read past the end, see cellTagEnd).
    const n = buf.length;
    let past: number;
    let vFrom = -1;
    let vTo = -1;
    let d = -1;
    if (self) past = gt + 1;
    else if (gt + 4 >= n || buf.charCodeAt(gt + 1) !== 60) return -1;
    else if (buf.charCodeAt(gt + 2) === 47 && buf.charCodeAt(gt + 3) === 99 && buf.charCodeAt(gt + 4) === 62) past = gt + 5;
    else if (buf.charCodeAt(gt + 2) === 118 && buf.charCodeAt(gt + 3) === 62) {
      vFrom = gt + 4;
      // Plain digits, the bulk of a sheet (numbers, shared strings' numbers), read on the way.
      const most = this.aT === 's' ? 10 : 15;
      let k = vFrom;
      let v = 0;
      for (; k < n; k++) {
        const ch = buf.charCodeAt(k);
        if (ch < 48 || ch > 57) break;
        v = v * 10 + (ch - 48);
      }
      if (k > vFrom && k - vFrom <= most && k < n && buf.charCodeAt(k) === 60) { vTo = k; d = v; } else vTo = buf.indexOf('<', k);
      if (vTo === -1 || vTo + 7 >= n || buf.charCodeAt(vTo + 1) !== 47 || buf.charCodeAt(vTo + 2) !== 118 || buf.charCodeAt(vTo + 3) !== 62
        || buf.charCodeAt(vTo + 4) !== 60 || buf.charCodeAt(vTo + 5) !== 47 || buf.charCodeAt(vTo + 6) !== 99 || buf.charCodeAt(vTo + 7) !== 62) return -1;
      past = vTo + 8;
    } else return -1;
    this.openCellAt(buf, lt + 2, end, true);
    const t = this.t;
    if (d >= 0 && (t === 's' || t === undefined || t === 'n')) {
      this.inCell = false;
      this.rs.push(this.row);
      this.cs.push(this.col);
      this.vs.push(t === 's' ? this.shared(d) : this.numberOf(d));
      return past;
    }
    if (vTo > vFrom) {
      this.inV = true;
      this.textAt(buf, vFrom, vTo, part);
      this.inV = false;
    }
    this.close('c');
    return past;
  }

  /** The scanner's cheaper call: attribute text as buf[from, to); only a cell's is read in place. */
  openAt(name: string, buf: string, from: number, to: number, self: boolean): void {
    if (name === 'c' && this.inData && !this.inCell) this.openCellAt(buf, from, to);
    else this.open(name, from < to ? buf.slice(from, to) : '', self);
  }

  open(name: string, raw: string, self: boolean): void {
    if (this.inCell) {
      switch (name) {
        case 'v': if (!self) { this.inV = true; this.wantText = true; } break;
        case 'f':
          if (attr(raw, 't') !== undefined) this.formula = true;
          if (!self) { this.inF = true; this.fText = ''; this.wantText = true; }
          break;
        case 'is': this.inIs = true; break;
        case 'rPh': if (this.inIs && !self) this.inPh++; break;
        case 'r': if (this.inIs && !this.inPh) { this.inR = true; this.run = ''; } break;
        case 't':
          if (this.inIs && !this.inPh && !self) {
            this.inT = true;
            this.wantText = true;
          }
          break;
        default: break;
      }
      return;
    }
    if (name === 'c' && this.inData) {
      this.openCellAt(raw, 0, raw.length);
    } else if (name === 'row' && this.inData) {
      this.openRow(raw);
    } else if (name === 'sheetData') {
      this.inData = !self;
    } else if (name === 'mergeCell') {
      const ref = attr(raw, 'ref');
      const m = ref === undefined ? undefined : parseRange(ref);
      if (!m || m.top < 1 || m.left < 1 || m.bottom > MAX_ROW || m.right > MAX_COL) {
        throw this.refuse(`vùng gộp ô ${JSON.stringify(shownName(ref ?? ''))} nằm ngoài lưới của Excel (XFD1048576).`,
          `the merged range ${JSON.stringify(shownName(ref ?? ''))} lies outside Excel's grid (XFD1048576).`);
      }
      if (m.bottom > m.top || m.right > m.left) this.merges.push(m);
    }
  }

  private openRow(raw: string): void {
    if (++this.rowCount > this.limits.sheetRows) {
      throw new XlsxRefusal(`một sheet (${shownName(this.sheet)}) có hơn ${thousandsVi(this.limits.sheetRows)} dòng, quá giới hạn ${thousandsVi(this.limits.sheetRows)} dòng.`,
        `a sheet (${shownName(this.sheet)}) has more than ${thousands(this.limits.sheetRows)} rows, over the limit of ${thousands(this.limits.sheetRows)} rows.`);
    }
    const r = attr(raw, 'r');
    let n: number;
    if (r === undefined) {
      n = this.lastRow + 1;
    } else {
      const t = r.trim();
      n = digitsAt(t, 0, t.length, 10);
      if (!(n >= 1)) {
        throw this.refuse(`có dòng mang số ${JSON.stringify(shownName(r))}, không phải số dòng hợp lệ (từ 1).`,
          `a row is numbered ${JSON.stringify(shownName(r))}, which is not a valid row number (from 1).`);
      }
    }
    if (n > MAX_ROW) {
      throw this.refuse(`dòng ${thousandsVi(n)} nằm ngoài lưới của Excel (tối đa ${thousandsVi(MAX_ROW)} dòng).`,
        `row ${thousands(n)} lies past Excel's last row (${thousands(MAX_ROW)}).`);
    }
    // Rows come in ascending order from every writer: a set of the rows seen is made only when one does not.
    if (n > this.maxRow) {
      this.maxRow = n;
      if (this.seenRows) this.seenRows.add(n);
      else this.rowList.push(n);
    } else {
      this.seenRows ??= new Set(this.rowList);
      if (this.seenRows.has(n)) {
        throw this.refuse(`dòng ${thousandsVi(n)} xuất hiện hai lần; không biết giá trị nào đúng.`,
          `row ${thousands(n)} appears twice; it is not known which values are right.`);
      }
      this.seenRows.add(n);
    }
    this.row = n;
    this.lastRow = n;
    this.lastCol = 0;
  }

  // What the last cell's start tag said, from cellTagEnd (no string per attribute).
  private aRow = 0;
  private aCol = 0;
  private aHasRef = false;
  private aT: string | undefined;
  private aS = 0;

  /**
   * One attribute of a cell's start tag, its name at raw[nameFrom, nameTo) and its value at
   * raw[from, to): `r` (letters then digits, as parseRef), `t`, `s` (digits) read into aRow/aCol,
   * aT, aS. `seen` says which were met (SEEN_*); the new set, or -1 for a value the general path
   * must read (it has the sentences).
   */
  private attributeAt(raw: string, nameFrom: number, nameTo: number, from: number, to: number, seen: number): number {
    if (nameTo - nameFrom !== 1) return seen;
    const name = raw.charCodeAt(nameFrom);
    if (name === 114 /* r */ && !(seen & SEEN_R)) {
      let col = 0;
      let k = from;
      while (k < to && k - from < 3) {
        const ch = raw.charCodeAt(k);
        if (ch >= 65 && ch <= 90) col = col * 26 + (ch - 64);
        else if (ch >= 97 && ch <= 122) col = col * 26 + (ch - 96);
        else break;
        k++;
      }
      if (k === from || k === to || k - from > 3) return -1;
      // Past 10 digits parseRef refuses the reference: the general path says so.
      const row = digitsAt(raw, k, to, 10);
      if (row < 0) return -1;
      this.aRow = row;
      this.aCol = col;
      return seen | SEEN_R;
    }
    if (name === 116 /* t */ && !(seen & SEEN_T)) {
      this.aT = to - from === 1 ? raw[from] : raw.slice(from, to);
      return seen | SEEN_T;
    }
    if (name === 115 /* s */ && !(seen & SEEN_S)) {
      const v = digitsAt(raw, from, to, 9);
      if (v < 0) return -1;
      this.aS = v;
      return seen | SEEN_S;
    }
    return seen;
  }

  /** Set by cellTagEnd: the tag ends `/>`. */
  private aSelf = false;

  /**
   * `r`, `t` and `s` of a cell's start tag in one pass, from `start` (past `<c`) to the tag's end,
   * found on the way: the index of its `>` (aSelf: written `/>`). Only the plain form every writer
   * uses (` name="value"` pairs apart by white space, a valid reference, a numeric style, no `>` in
   * a value); -1 for anything else, which takes the general path (attr, parseRef) and its sentences.
   */
  private cellTagEnd(buf: string, start: number): number {
    const n = buf.length;
    let seen = 0;
    this.aT = undefined;
    this.aS = 0;
    let i = start;
    for (;;) {
      if (i >= n) return -1;
      const c0 = buf.charCodeAt(i);
      if (c0 === 32 || c0 === 9 || c0 === 10 || c0 === 13) { i++; continue; }
      if (c0 === 62) { this.aSelf = false; break; }
      if (c0 === 47) {
        if (i + 1 >= n || buf.charCodeAt(i + 1) !== 62) return -1;
        this.aSelf = true;
        i++;
        break;
      }
      const nameFrom = i;
      while (i < n) {
        const c = buf.charCodeAt(i);
        if (c === 61 || c === 32 || c === 9 || c === 10 || c === 13 || c === 34 || c === 39 || c === 62 || c === 47) break;
        i++;
      }
      // Never a read past the buffer: TurboFan's code for charCodeAt would be thrown away.
      if (i + 2 >= n || buf.charCodeAt(i) !== 61) return -1;
      const q = buf.charCodeAt(i + 1);
      if (q !== 34 && q !== 39) return -1;
      const from = i + 2;
      let to = from;
      for (;;) {
        if (to >= n) return -1;
        const c = buf.charCodeAt(to);
        if (c === q) break;
        if (c === 62) return -1;
        to++;
      }
      seen = this.attributeAt(buf, nameFrom, i, from, to, seen);
      if (seen < 0) return -1;
      i = to + 1;
      if (i >= n) return -1;
      // Attributes are apart by white space (attr would not see one glued to the last).
      const c = buf.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 62 && c !== 47) return -1;
    }
    this.aHasRef = (seen & SEEN_R) !== 0;
    return i;
  }

  /**
   * A cell's start tag; its attribute text is buf[from, to) (cut out only when needed).
   * `attributesRead`: cellTagEnd has just read exactly this tag.
   */
  openCellAt(buf: string, from: number, to: number, attributesRead = false): void {
    this.pkg.countCell();
    if (this.row === 0) throw this.refuse('có ô nằm ngoài mọi dòng.', 'a cell lies outside any row.');
    let ref: string | undefined;
    let refRow = 0;
    let refCol = 0;
    let raw = '';
    // A tag the scanner cut out (its end found outside quotes) ends where cellTagEnd finds it, if it
    // reads it at all; the text of a tag alone (`open`) has no end to find and goes the general way.
    if (attributesRead || this.cellTagEnd(buf, from) === (to < buf.length && buf.charCodeAt(to) === 47 ? to + 1 : to)) {
      if (this.aHasRef) { refRow = this.aRow; refCol = this.aCol; ref = ''; }
      this.cellBuf = buf;
      this.cellFrom = from;
      this.cellTo = to;
    } else {
      raw = buf.slice(from, to);
      this.cellBuf = raw;
      this.cellFrom = 0;
      this.cellTo = raw.length;
      ref = attr(raw, 'r');
      if (ref !== undefined) {
        const p = parseRef(ref);
        if (!p || p[0] < 1 || p[1] < 1) {
          throw this.refuse(`dòng ${thousandsVi(this.row)} có ô mang địa chỉ ${JSON.stringify(shownName(ref))}, không phải địa chỉ ô hợp lệ.`,
            `row ${thousands(this.row)} has a cell addressed ${JSON.stringify(shownName(ref))}, which is not a valid cell address.`);
        }
        [refRow, refCol] = p;
      }
      this.aT = attr(raw, 't');
      const s = attr(raw, 's');
      this.aS = s === undefined ? 0 : parseInt(s, 10) || 0;
    }
    let col: number;
    if (ref === undefined) {
      col = this.lastCol + 1;
    } else {
      // The reference as written (only for sentences, shownRef): the general path kept it, the
      // fast one did not. Not a closure here: one per cell was 40 MB of garbage at 600,000 cells.
      if (refRow < 1 || refCol < 1) {
        throw this.refuse(`dòng ${thousandsVi(this.row)} có ô mang địa chỉ ${JSON.stringify(shownRef(this, ref))}, không phải địa chỉ ô hợp lệ.`,
          `row ${thousands(this.row)} has a cell addressed ${JSON.stringify(shownRef(this, ref))}, which is not a valid cell address.`);
      }
      if (refCol > MAX_COL || refRow > MAX_ROW) {
        throw this.refuse(`ô ${shownRef(this, ref)} nằm ngoài lưới của Excel (XFD1048576).`, `cell ${shownRef(this, ref)} lies outside Excel's grid (XFD1048576).`);
      }
      if (refRow !== this.row) {
        throw this.refuse(`ô ${shownRef(this, ref)} được ghi trong dòng ${thousandsVi(this.row)}.`, `cell ${shownRef(this, ref)} is stored in row ${thousands(this.row)}.`);
      }
      col = refCol;
    }
    if (col > MAX_COL) throw this.refuse(`dòng ${thousandsVi(this.row)} có ô vượt cột XFD.`, `row ${thousands(this.row)} has a cell past column XFD.`);
    if (col <= this.lastCol) {
      const addr = columnLetters(col - 1) + this.row;
      throw this.refuse(`ô ${addr} xuất hiện hai lần hoặc sai thứ tự trong dòng ${thousandsVi(this.row)}; không biết giá trị nào đúng.`,
        `cell ${addr} appears twice or out of order in row ${thousands(this.row)}; it is not known which value is right.`);
    }
    this.lastCol = col;
    this.col = col;
    this.ref = ref ?? '';
    this.inCell = true;
    this.t = this.aT;
    this.s = this.aS;
    this.v = undefined;
    this.vNum = -1;
    this.formula = false;
    this.plain = undefined;
    this.rich = undefined;
  }

  close(name: string): void {
    if (!this.inCell) {
      if (name === 'sheetData') this.inData = false;
      else if (name === 'row') this.row = 0;
      return;
    }
    switch (name) {
      case 'v': if (this.inV) { this.inV = false; this.wantText = false; } return;
      case 'f':
        if (this.inF) {
          this.inF = false;
          this.wantText = false;
          if (this.fText) this.formula = true;
        }
        return;
      case 't': if (this.inT) { this.inT = false; this.wantText = false; } return;
      case 'r': if (this.inR) { this.inR = false; (this.rich ??= []).push(xstring(this.run)); } return;
      case 'rPh': if (this.inPh) this.inPh--; return;
      case 'is': this.inIs = false; return;
      case 'c': break;
      default: return;
    }
    this.inCell = false;
    this.wantText = false;
    const v = this.value();
    if (v === null) return;
    this.rs.push(this.row);
    this.cs.push(this.col);
    this.vs.push(v);
  }

  /**
   * A `<v>` of plain digits closed right after (`</v>`), in a cell whose type reads it as a number
   * or a shared string's number: parsed where it lies in the buffer, no string made. Anything
   * else is text as usual.
   */
  textAt(buf: string, from: number, to: number, part: string): void {
    if (this.inV && this.v === undefined && this.vNum < 0 && (this.t === undefined || this.t === 'n' || this.t === 's')
      && buf.charCodeAt(to + 1) === 47 && buf.charCodeAt(to + 2) === 118 && buf.charCodeAt(to + 3) === 62) {
      const n = digitsAt(buf, from, to, this.t === 's' ? 10 : 15);
      if (n >= 0) { this.vNum = n; return; }
    }
    this.text(decodeXml(buf.slice(from, to), part));
  }

  text(s: string): void {
    if (this.inV) this.v = this.v === undefined ? s : this.v + s;
    else if (this.inF) this.fText += s;
    else if (this.inT) {
      if (this.inR) this.run += s;
      else this.plain = (this.plain ?? '') + s;
    }
  }

  private addr(): string {
    return this.ref || this.cellRef() || columnLetters(this.col - 1) + this.row;
  }

  /** Shared string number `k` (-1: not a number), `raw` as the cell wrote it (for the sentence; `k` when omitted). */
  private shared(k: number, raw = String(k)): CellValue {
    if (!this.strings) {
      throw this.refuse(`ô ${this.addr()} trỏ tới bảng chuỗi dùng chung nhưng tệp không có bảng đó (tệp bị hỏng).`,
        `cell ${this.addr()} refers to the shared strings, but the file has none (the file is damaged).`);
    }
    const str = k >= 0 ? this.strings[k] : undefined;
    if (str === undefined) {
      throw this.refuse(`ô ${this.addr()} trỏ tới chuỗi dùng chung số ${JSON.stringify(shownName(raw))}, nhưng tệp chỉ có ${thousandsVi(this.strings.length)} chuỗi (tệp bị hỏng).`,
        `cell ${this.addr()} refers to shared string ${JSON.stringify(shownName(raw))}, but the file has only ${thousands(this.strings.length)} (the file is damaged).`);
    }
    return str;
  }

  private number(raw: string): CellValue {
    const n = xmlNumber(raw);
    if (n === undefined) return badNumber(raw);
    return this.numberOf(n);
  }

  private numberOf(n: number): CellValue {
    if (this.s > 0 && this.styles.dateXf[this.s]) {
      // As ExcelJS did: to a Date at whole milliseconds, back to a 1900-system serial.
      const ms = Math.round((n - 25569 + (this.date1904 ? 1462 : 0)) * 24 * 3600 * 1000);
      return ms / MS_PER_DAY + 25569;
    }
    return n;
  }

  private bool(raw: string): CellValue {
    const s = raw.trim();
    if (s === '1' || s === 'true') return true;
    if (s === '0' || s === 'false') return false;
    return badNumber(raw);
  }

  /** The cell's value as Excel shows it (null: blank). */
  private value(): CellValue {
    const { t, v } = this;
    // Plain digits read while scanning (textAt): a number, or a shared string's number.
    if (this.vNum >= 0 && this.plain === undefined && this.rich === undefined) {
      return t === 's' && !this.formula ? this.shared(this.vNum) : this.numberOf(this.vNum);
    }
    if (this.formula) {
      if (v === undefined || v === '') return null;
      if (t === 'str') return ownCopy(xmlDecodeAgain(v));
      if (t === 'b') return this.bool(v);
      if (t === 'e') return { error: v };
      return this.number(v);
    }
    if (t === 'inlineStr' || (this.plain !== undefined || this.rich !== undefined)) {
      // Inline strings carry Excel's `_xHHHH_` escapes as shared ones do (ExcelJS read them so too).
      if (this.rich) return ownCopy(this.rich.join('') + xstring(this.plain ?? ''));
      if (this.plain !== undefined) return ownCopy(xstring(this.plain));
      if (v === undefined) return null;
    }
    if (v === undefined) return null;
    switch (t) {
      case 's': {
        const i = v.trim();
        const d = digitsAt(i, 0, i.length, 10);
        return this.shared(d, i);
      }
      case 'str': return ownCopy(xmlDecodeAgain(v));
      case 'inlineStr': return ownCopy(v);
      case 'b': return this.bool(v);
      case 'e': return { error: v };
      case 'd': {
        const ms = Date.parse(v.trim());
        return Number.isNaN(ms) ? badNumber(v) : ms / MS_PER_DAY + 25569;
      }
      default: return this.number(v);
    }
  }
}

/**
 * Slave cells of merged areas dropped (a merge keeps its value at the top-left cell, as Excel's
 * used range shows it). A sweep over rows with the active merges sorted by first column, so the
 * cost is (cells + merges) × log; two merges that overlap are refused (Excel cannot open them).
 */
function applyMerges(sr: SheetReader, sheet: string): void {
  const merges = sr.merges;
  if (!merges.length || !sr.rs.length) return;
  merges.sort((a, b) => a.top - b.top || a.left - b.left);
  const order = sr.rs.map((_r, i) => i);
  const sortedRows = order.every((i) => i === 0 || sr.rs[i - 1] <= sr.rs[i]);
  if (!sortedRows) order.sort((a, b) => sr.rs[a] - sr.rs[b] || sr.cs[a] - sr.cs[b]);
  const active: Merge[] = [];
  let next = 0;
  let minBottom = Infinity;
  const expire = (row: number) => {
    if (minBottom >= row) return;
    let w = 0;
    minBottom = Infinity;
    for (const m of active) if (m.bottom >= row) { active[w++] = m; if (m.bottom < minBottom) minBottom = m.bottom; }
    active.length = w;
  };
  const insert = (m: Merge) => {
    let lo = 0;
    let hi = active.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (active[mid].left < m.left) lo = mid + 1; else hi = mid; }
    const before = active[lo - 1];
    const after = active[lo];
    if ((before && before.right >= m.left) || (after && after.left <= m.right)) {
      const r = (x: Merge) => `${columnLetters(x.left - 1)}${x.top}:${columnLetters(x.right - 1)}${x.bottom}`;
      const other = before && before.right >= m.left ? before : after;
      throw new XlsxRefusal(`sheet ${JSON.stringify(shownName(sheet))}: hai vùng gộp ô ${r(other)} và ${r(m)} chồng lên nhau.`,
        `sheet ${JSON.stringify(shownName(sheet))}: the merged ranges ${r(other)} and ${r(m)} overlap.`);
    }
    active.splice(lo, 0, m);
    if (m.bottom < minBottom) minBottom = m.bottom;
  };
  const advance = (row: number) => {
    while (next < merges.length && merges[next].top <= row) {
      expire(merges[next].top);
      insert(merges[next++]);
    }
    expire(row);
  };
  const keep = new Uint8Array(sr.rs.length).fill(1);
  let dropped = 0;
  for (const i of order) {
    const r = sr.rs[i];
    const c = sr.cs[i];
    advance(r);
    if (!active.length) continue;
    let lo = 0;
    let hi = active.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (active[mid].left <= c) lo = mid + 1; else hi = mid; }
    const m = active[lo - 1];
    if (m && c <= m.right && r >= m.top && !(r === m.top && c === m.left)) { keep[i] = 0; dropped++; }
  }
  // Merges that start below the last cell still overlap-check.
  advance(Infinity);
  if (!dropped) return;
  let w = 0;
  for (let i = 0; i < sr.rs.length; i++) {
    if (!keep[i]) continue;
    sr.rs[w] = sr.rs[i]; sr.cs[w] = sr.cs[i]; sr.vs[w] = sr.vs[i]; w++;
  }
  sr.rs.length = w; sr.cs.length = w; sr.vs.length = w;
}

// toGrid's loops, each a function of its own: a loop over 600,000 cells is compiled while it
// runs (on-stack replacement), and the code after it, not yet run, would throw that away.
function minOf(xs: readonly number[]): number {
  let m = Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] < m) m = xs[i];
  return m;
}
function maxOf(xs: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) if (xs[i] > m) m = xs[i];
  return m;
}
/** Each row's last column, by row from minR. */
function lastColumns(rs: readonly number[], cs: readonly number[], minR: number, rows: number): Int32Array {
  const last = new Int32Array(rows);
  for (let i = 0; i < rs.length; i++) { const k = rs[i] - minR; if (last[k] < cs[i]) last[k] = cs[i]; }
  return last;
}
function slotsOf(last: Int32Array, minC: number): number {
  let slots = last.length;
  for (let k = 0; k < last.length; k++) if (last[k]) slots += last[k] - minC + 1;
  return slots;
}
/** Each row made at its final length (a row grown by push holds room for 17 cells). */
function emptyRows(last: Int32Array, minC: number): CellValue[][] {
  const rows: CellValue[][] = new Array(last.length);
  for (let k = 0; k < rows.length; k++) rows[k] = last[k] ? new Array<CellValue>(last[k] - minC + 1).fill(null) : [];
  return rows;
}
function rowsOf(sr: SheetReader, last: Int32Array, minR: number, minC: number): CellValue[][] {
  const rows = emptyRows(last, minC);
  const { rs, cs, vs } = sr;
  for (let i = 0; i < rs.length; i++) rows[rs[i] - minR][cs[i] - minC] = vs[i];
  return rows;
}

/** The cells found → the grid: the box of non-empty cells; charged at the slots it holds. */
function toGrid(sr: SheetReader, name: string, budget: { slots: number; readonly cap: number }): SheetGrid {
  if (!sr.rs.length) return { name, originRow: 0, originCol: 0, rows: [] };
  const minR = minOf(sr.rs);
  const maxR = maxOf(sr.rs);
  const minC = minOf(sr.cs);
  // Slots: every row of the box plus each row's cells up to its last one (rows are ragged).
  const last = lastColumns(sr.rs, sr.cs, minR, maxR - minR + 1);
  budget.slots -= slotsOf(last, minC);
  if (budget.slots < 0) {
    const widest = maxOf(Array.from(last));
    throw new XlsxRefusal(`sheet ${JSON.stringify(shownName(name))}: vùng dữ liệu quá rộng (các ô nằm rải rác trên ${thousandsVi(maxR - minR + 1)} dòng và tới cột ${columnLetters(widest - 1)}), quá giới hạn ${thousandsVi(budget.cap)} ô của tệp.`,
      `sheet ${JSON.stringify(shownName(name))}: the data spreads too wide (cells scattered over ${thousands(maxR - minR + 1)} rows and out to column ${columnLetters(widest - 1)}), over the file's limit of ${thousands(budget.cap)} cells.`);
  }
  return { name, originRow: minR - 1, originCol: minC - 1, rows: rowsOf(sr, last, minR, minC) };
}

/**
 * Read an opened .xlsx zip into grids (every sheet, in workbook order, hidden ones included),
 * under the caps. Throws XlsxRefusal with a sentence for anything it cannot read.
 */
export async function readLeanWorkbook(zip: LeanZip, limits: ReadLimits = READ_LIMITS, bytes?: Uint8Array): Promise<LeanWorkbook> {
  const pkg = new Package(zip, limits, bytes ? centralDirectoryNames(bytes) : null);
  const wb = await workbookParts(pkg);
  const styles = await readStyles(pkg, wb.styles);
  const strings = await readSharedStrings(pkg, wb.strings, limits);
  const budget = { slots: limits.gridSlots, cap: limits.gridSlots };
  const sheets: SheetGrid[] = [];
  for (const s of wb.sheets) {
    const sr = new SheetReader(pkg, s.name, limits, strings, styles, wb.date1904);
    await pkg.scan(s.part, sr);
    applyMerges(sr, s.name);
    sheets.push(toGrid(sr, s.name, budget));
  }
  return { sheets };
}

export { decodeXml };
