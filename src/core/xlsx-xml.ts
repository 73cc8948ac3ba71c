/**
 * A small streaming XML tokenizer for the parts of an .xlsx package (SpreadsheetML is plain,
 * namespaced XML with no DTD). Text arrives in chunks (as the zip inflates); the handler sees
 * start tags with their raw attribute text, end tags and, only while it asks for it, decoded text.
 * Nothing is expanded: a DOCTYPE (entity declarations, XXE) and undefined entities are refused.
 * Pure; refusals are XlsxRefusal with a sentence.
 */
import { XlsxRefusal } from './xlsx-limits';

export interface XmlHandler {
  /** Set while the handler wants the text of the current element (a value, a string). */
  wantText: boolean;
  /** A start tag: local name (prefix dropped), raw attribute text, and whether it was `<x/>`. */
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  text(s: string): void;
  /** Optional and cheaper: a start tag's attribute text as buf[from, to), not cut out. */
  openAt?(name: string, buf: string, from: number, to: number, selfClosing: boolean): void;
  /** Optional and cheaper: the raw text buf[from, to), to decode (decodeXml) unless read in place. */
  textAt?(buf: string, from: number, to: number, part: string): void;
  /**
   * Optional and cheapest: a start tag at buf[lt] (not an end tag, comment or declaration),
   * offered before it is tokenised. A handler that recognises the whole element in its plain form
   * (a cell, a shared string) reads it, and any like it that follow, and returns the position just
   * past them; -1 leaves it to the tokenizer. Only whole, balanced elements may be taken, so the
   * depth is unchanged.
   */
  elementAt?(buf: string, lt: number, n: number, part: string): number;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z][A-Za-z0-9]*))?;?/g;

/** Decode XML character and entity references; `part` names the part in a refusal. */
export function decodeXml(s: string, part: string): string {
  if (s.indexOf('&') === -1) return s.indexOf('\r') === -1 ? s : s.replace(/\r\n?/g, '\n');
  if (s.indexOf('\r') !== -1) s = s.replace(/\r\n?/g, '\n');
  return s.replace(ENTITY, (m: string, hex?: string, dec?: string, name?: string) => {
    if (!m.endsWith(';') || (hex === undefined && dec === undefined && name === undefined)) {
      throw new XlsxRefusal(`phần ${part} có ký tự "&" không hợp lệ trong XML.`, `part ${part} holds an "&" that is not valid XML.`);
    }
    if (name !== undefined) {
      const v = NAMED[name];
      if (v === undefined) {
        throw new XlsxRefusal(`phần ${part} dùng thực thể XML không được định nghĩa (&${name};).`, `part ${part} uses an undefined XML entity (&${name};).`);
      }
      return v;
    }
    const cp = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (!ok) throw new XlsxRefusal(`phần ${part} có tham chiếu ký tự XML không hợp lệ (${m}).`, `part ${part} holds an invalid XML character reference (${m}).`);
    return String.fromCodePoint(cp);
  });
}

const ATTR = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Every attribute of a start tag's raw text, values decoded (qualified names kept). */
export function attributes(raw: string, part: string): Record<string, string> {
  const out: Record<string, string> = {};
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(raw); m; m = ATTR.exec(raw)) {
    const v = m[2] ?? m[3];
    out[m[1]] = decodeXml(v.indexOf('\t') === -1 && v.indexOf('\n') === -1 ? v : v.replace(/[\t\n]/g, ' '), part);
  }
  return out;
}

/**
 * One attribute's raw value from a start tag's attribute text (fast path for the attributes of
 * cells and rows, which are plain ASCII); undefined when absent.
 */
const KEYS: Record<string, string> = {};
export function attr(raw: string, name: string): string | undefined {
  const key = KEYS[name] ?? (KEYS[name] = name + '=');
  let i = raw.indexOf(key);
  while (i !== -1) {
    const before = i === 0 ? 32 : raw.charCodeAt(i - 1);
    if (before === 32 || before === 9 || before === 10 || before === 13) {
      const q = raw.charCodeAt(i + name.length + 1);
      if (q === 34 || q === 39) {
        const end = raw.indexOf(q === 34 ? '"' : "'", i + name.length + 2);
        if (end !== -1) return raw.slice(i + name.length + 2, end);
      }
      return undefined;
    }
    i = raw.indexOf(key, i + 1);
  }
  // Spaces around `=` are legal; rare enough to take the slow path.
  if (raw.indexOf('=') !== -1 && /\s=|=\s/.test(raw)) {
    const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(raw);
    if (m) return m[1] ?? m[2];
  }
  return undefined;
}

function notWellFormed(part: string, why: string, whyEn: string): XlsxRefusal {
  return new XlsxRefusal(`phần ${part} không phải XML hợp lệ (${why}).`, `part ${part} is not well-formed XML (${whyEn}).`);
}

/** The names that come once per row or string (`row`, `si`), without cutting a new string each time. */
function knownName(buf: string, from: number, to: number): string | undefined {
  const n = to - from;
  if (n === 3 && buf.charCodeAt(from) === 114 && buf.charCodeAt(from + 1) === 111 && buf.charCodeAt(from + 2) === 119) return 'row';
  if (n === 2 && buf.charCodeAt(from) === 115 && buf.charCodeAt(from + 1) === 105) return 'si';
  return undefined;
}

/** A streaming tokenizer: feed decoded text chunks, then end(). */
export class XmlScanner {
  private rest = '';
  private depth = 0;
  constructor(private readonly h: XmlHandler, private readonly part: string) {}

  // Next `"` and `'` in the current buffer: -1 unknown, -2 none left. Searched again only past
  // the last one found, so a buffer is searched once whatever the number of tags.
  private dq = -1;
  private sq = -1;

  /** The first quote (`"` or `'`) in buf[from, to), or -1 (`from` only grows within a buffer). */
  private quoteBefore(buf: string, from: number, to: number): number {
    if (this.dq !== -2 && this.dq < from) {
      const p = buf.indexOf('"', from);
      this.dq = p === -1 ? -2 : p;
    }
    if (this.sq !== -2 && this.sq < from) {
      const p = buf.indexOf("'", from);
      this.sq = p === -1 ? -2 : p;
    }
    const d = this.dq >= 0 && this.dq < to ? this.dq : -1;
    const q = this.sq >= 0 && this.sq < to ? this.sq : -1;
    return d === -1 ? q : q === -1 ? d : Math.min(d, q);
  }

  feed(chunk: string): void {
    // A joined string is flat; a concatenation would be a rope read through an indirection.
    const buf = this.rest ? [this.rest, chunk].join('') : chunk;
    this.rest = '';
    this.dq = -1;
    this.sq = -1;
    const h = this.h;
    const n = buf.length;
    let pos = 0;
    while (pos < n) {
      const lt = buf.indexOf('<', pos);
      if (lt === -1) {
        if (h.wantText) this.rest = buf.slice(pos);
        return;
      }
      if (lt > pos && h.wantText) {
        if (h.textAt) h.textAt(buf, pos, lt, this.part);
        else h.text(decodeXml(buf.slice(pos, lt), this.part));
      }
      if (lt + 1 >= n) { this.rest = buf.slice(lt); return; }
      const c1 = buf.charCodeAt(lt + 1);
      if (c1 === 63 /* ? */) {
        const e = buf.indexOf('?>', lt + 2);
        if (e === -1) { this.rest = buf.slice(lt); return; }
        pos = e + 2;
        continue;
      }
      if (c1 === 33 /* ! */) {
        if (buf.startsWith('<!--', lt)) {
          const e = buf.indexOf('-->', lt + 4);
          if (e === -1) { this.rest = buf.slice(lt); return; }
          pos = e + 3;
          continue;
        }
        if (buf.startsWith('<![CDATA[', lt)) {
          const e = buf.indexOf(']]>', lt + 9);
          if (e === -1) { this.rest = buf.slice(lt); return; }
          if (h.wantText && e > lt + 9) h.text(buf.slice(lt + 9, e).replace(/\r\n?/g, '\n'));
          pos = e + 3;
          continue;
        }
        if (n - lt < 9) { this.rest = buf.slice(lt); return; }
        if (buf.startsWith('<!DOCTYPE', lt)) {
          throw new XlsxRefusal(`phần ${this.part} có khai báo DOCTYPE (thực thể XML), không được chấp nhận.`,
            `part ${this.part} has a DOCTYPE declaration (XML entities), which is not accepted.`);
        }
        throw notWellFormed(this.part, 'thẻ "<!" lạ', 'an unknown "<!" tag');
      }
      if (h.elementAt && c1 !== 47) {
        const past = h.elementAt(buf, lt, n, this.part);
        if (past >= 0) { pos = past; continue; }
      }
      // The tag's end: the first `>` outside quoted attribute values (native searches only).
      let gt = buf.indexOf('>', lt + 1);
      let q = gt === -1 ? -1 : this.quoteBefore(buf, lt + 1, gt);
      while (q !== -1) {
        const close = buf.indexOf(buf[q], q + 1);
        if (close === -1) { gt = -1; break; }
        if (close > gt) gt = buf.indexOf('>', close + 1);
        if (gt === -1) break;
        q = this.quoteBefore(buf, close + 1, gt);
      }
      if (gt === -1) { this.rest = buf.slice(lt); return; }
      if (c1 === 47 /* / */) {
        // One-letter names (c, v, f, t, r) come from V8's single-character string cache.
        let name = gt === lt + 3 ? buf[lt + 2] : knownName(buf, lt + 2, gt) ?? buf.slice(lt + 2, gt).trimEnd();
        const colon = name.length > 1 ? name.indexOf(':') : -1;
        if (colon !== -1) name = name.slice(colon + 1);
        this.depth--;
        if (this.depth < 0) throw notWellFormed(this.part, 'thẻ đóng thừa', 'an unmatched end tag');
        h.close(name);
      } else {
        const self = buf.charCodeAt(gt - 1) === 47;
        const end = self ? gt - 1 : gt;
        let k = lt + 1;
        while (k < end) {
          const ch = buf.charCodeAt(k);
          if (ch === 32 || ch === 9 || ch === 10 || ch === 13) break;
          if (ch === 60) throw notWellFormed(this.part, 'thẻ chưa đóng', 'an unclosed tag');
          k++;
        }
        let name = k === lt + 2 ? buf[lt + 1] : knownName(buf, lt + 1, k) ?? buf.slice(lt + 1, k);
        const colon = name.length > 1 ? name.indexOf(':') : -1;
        if (colon !== -1) name = name.slice(colon + 1);
        if (!name) throw notWellFormed(this.part, 'thẻ không tên', 'a tag without a name');
        if (h.openAt) {
          if (!self) this.depth++;
          h.openAt(name, buf, k, end, self);
          if (self) h.close(name);
        } else {
          const raw = k < end ? buf.slice(k, end) : '';
          if (!self) this.depth++;
          h.open(name, raw, self);
          if (self) h.close(name);
        }
      }
      pos = gt + 1;
    }
  }

  end(): void {
    if (this.rest.indexOf('<') !== -1) throw notWellFormed(this.part, 'kết thúc giữa chừng', 'it ends in the middle of a tag');
    if (this.depth !== 0) throw notWellFormed(this.part, 'thiếu thẻ đóng', 'an element is not closed');
  }
}
