/**
 * The JSON of ranking.md's command-line contract, exactly: the key set and order of the spec.
 */
import type { Dataset, Entry, Issue, Ranking } from './model';

export type Lang = 'vi' | 'en';

export interface IssueJson {
  severity: Issue['severity'];
  file: string;
  sheet: string;
  cell: string;
  field: string;
  code: Issue['code'];
  message: string;
}

export function issueJson(i: Issue, lang: Lang = 'vi'): IssueJson {
  return { severity: i.severity, file: i.file, sheet: i.sheet, cell: i.cell, field: i.field, code: i.code, message: lang === 'en' ? i.messageEn : i.message };
}

/** The mapping of a report's issue list, one per language: jsonChunks knows them (issueLines). */
const issueMappers = { vi: (i: Issue) => issueJson(i, 'vi'), en: (i: Issue) => issueJson(i, 'en') } as const;

/**
 * How a JSON list is made from the model's: at once (`xs.map(f)`, the default: plain data), or
 * lazily for `jsonChunks`, which maps a batch at a time as it writes (`lazyList`).
 */
export type ListOf = <T, U>(items: readonly T[], f: (x: T) => U) => readonly U[];
const eagerList: ListOf = (items, f) => items.map(f);

/** A list mapped only as jsonChunks writes it. */
class LazyList<T, U> {
  constructor(readonly items: readonly T[], readonly f: (x: T) => U) {}
}
/** Only for jsonChunks: the value it gives is not an array to anyone else. */
export const lazyList: ListOf = <T, U>(items: readonly T[], f: (x: T) => U) => new LazyList(items, f) as unknown as readonly U[];

function entryJson(e: Entry) {
  return {
    rank: e.rank, code: e.code, name: e.name, value: e.value, eligible: e.eligible,
    award: e.award ? { title: e.award.title, form: e.award.form, prize: e.award.prize } : null,
    pending: e.pending, note: e.note,
  };
}

export function rankingJson(r: Ranking, lang: Lang = 'vi', list: ListOf = eagerList) {
  return {
    year: r.year,
    fingerprint: r.fingerprint,
    categories: r.categories.map((c) => ({ id: c.id, entries: list(c.entries, entryJson) })),
    totals: { prize: r.totals.prize, flags: r.totals.flags, certificates: r.totals.certificates, pending: r.totals.pending },
    issues: list(r.issues, issueMappers[lang]),
  };
}

export function validationJson(ds: Pick<Dataset, 'issues' | 'fingerprint'>, lang: Lang = 'vi', list: ListOf = eagerList) {
  return { ok: !ds.issues.some((i) => i.severity === 'error'), fingerprint: ds.fingerprint, issues: list(ds.issues, issueMappers[lang]) };
}

/** Arrays longer than this are written element by element (each element stringified natively). */
const STREAM_ABOVE = 64;
/** Small elements stringified at once. */
const BATCH = 512;

function holdsBigArray(v: unknown): boolean {
  if (v instanceof LazyList) return true;
  if (Array.isArray(v)) return v.length > STREAM_ABOVE || v.some(holdsBigArray);
  if (v !== null && typeof v === 'object') return Object.values(v).some(holdsBigArray);
  return false;
}

/**
 * The elements of `batch` as JSON.stringify writes them inside a list at `indent`, without the
 * brackets: the batch is stringified inside as many outer lists as the indent has levels, so the
 * native stringifier indents it (no pass over the text to re-indent it), and the wrapping is cut off.
 */
function listBody(batch: readonly unknown[], indent: string): string {
  const levels = indent.length / 2;
  let wrapped: unknown = batch;
  for (let k = 0; k < levels; k++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  // Opening: "[\n" then, per level k, 2k spaces and "[\n"; closing likewise "\n", 2k spaces, "]".
  let cut = 0;
  for (let k = 0; k <= levels; k++) cut += 2 * k + 2;
  return text.slice(cut, text.length - cut);
}

/**
 * A lazily mapped list met on the way. A report of 100,000 issues is 35 MB of JSON (60 MB as a
 * JavaScript string with Vietnamese in it): it is written as it is made, never held whole.
 */
interface ListPart {
  readonly list: LazyList<unknown, unknown>;
  readonly indent: string;
}

/**
 * The text of `JSON.stringify(value, null, 2)` in order, a non-empty lazy list left as a ListPart.
 * Small parts are left to the native stringifier; JSON text never holds a raw line break, so
 * re-indenting is a plain replace.
 */
function* parts(value: unknown, indent = ''): Generator<string | ListPart> {
  if (!holdsBigArray(value)) {
    const text = JSON.stringify(value, null, 2);
    yield indent ? text.replace(/\n/g, '\n' + indent) : text;
    return;
  }
  const inner = indent + '  ';
  if (value instanceof LazyList) {
    if (!value.items.length) yield '[]';
    else yield { list: value, indent };
    return;
  }
  if (Array.isArray(value)) {
    if (!value.length) { yield '[]'; return; }
    yield '[\n';
    // Runs of small elements go to the native stringifier together, brackets cut off.
    for (let i = 0; i < value.length;) {
      if (i) yield ',\n';
      if (holdsBigArray(value[i])) {
        yield inner;
        yield* parts(value[i], inner);
        i++;
        continue;
      }
      let j = i + 1;
      while (j < value.length && j - i < BATCH && !holdsBigArray(value[j])) j++;
      yield listBody(value.slice(i, j), indent);
      i = j;
    }
    yield '\n' + indent + ']';
    return;
  }
  let first = true;
  yield '{';
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    yield (first ? '\n' : ',\n') + inner + JSON.stringify(k) + ': ';
    first = false;
    yield* parts(v, inner);
  }
  yield first ? '}' : '\n' + indent + '}';
}

/** A lazy list's text, mapped a batch at a time; a mapped element holds no big list (entries, issues). */
function* listTexts({ list: { items, f }, indent }: ListPart): Generator<string> {
  yield '[\n';
  for (let i = 0; i < items.length; i += BATCH) {
    if (i) yield ',\n';
    yield listBody(items.slice(i, i + BATCH).map(f), indent);
  }
  yield '\n' + indent + ']';
}

const utf8 = new TextEncoder();

/** Bytes gathered into chunks of about `size`; a chunk handed out is never written to again. */
class Chunks {
  private buf: Uint8Array;
  private pos = 0;
  constructor(private readonly size: number) {
    this.buf = new Uint8Array(size);
  }
  /** The chunk so far, when `n` more bytes would not fit in it (then there is room for them). */
  room(n: number): Uint8Array | undefined {
    if (this.pos + n <= this.buf.length) return undefined;
    const full = this.take();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
    return full.length ? full : undefined;
  }
  take(): Uint8Array {
    const full = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(this.size);
    this.pos = 0;
    return full;
  }
  /** Needs room(3 × s.length): UTF-8 takes at most three bytes per UTF-16 unit. */
  text(s: string): void {
    this.pos += utf8.encodeInto(s, this.buf.subarray(this.pos)).written;
  }
  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

/**
 * An issue list's elements as JSON.stringify writes them at `indent` (see IssueJson, whose keys
 * these are, in its order): the lines that repeat from one issue to the next (severity, file and
 * sheet; field and code) are copied as bytes, only the cell and the message are stringified.
 */
function* issueLines(out: Chunks, issues: readonly Issue[], lang: Lang, indent: string): Generator<Uint8Array> {
  const inner = indent + '  ';
  const field = inner + '  ';
  const line = (k: keyof IssueJson, v: string) => `,\n${field}"${k}": ${JSON.stringify(v)}`;
  const close = `\n${inner}}`;
  // Up to the cell's value, and from the cell's value to the message's, each with the comma
  // that comes before every issue but the first.
  let head: Uint8Array | undefined;
  let middle: Uint8Array | undefined;
  let severity = '';
  let file = '';
  let sheet = '';
  let fieldName = '';
  let code = '';
  for (let n = 0; n < issues.length; n++) {
    const i = issues[n];
    if (head === undefined || i.severity !== severity || i.file !== file || i.sheet !== sheet) {
      ({ severity, file, sheet } = i);
      head = utf8.encode(`,\n${inner}{\n${field}"severity": ${JSON.stringify(severity)}${line('file', file)}${line('sheet', sheet)},\n${field}"cell": `);
    }
    if (middle === undefined || i.field !== fieldName || i.code !== code) {
      ({ field: fieldName, code } = i);
      middle = utf8.encode(`${line('field', fieldName)}${line('code', code)},\n${field}"message": `);
    }
    const cell = JSON.stringify(i.cell);
    const message = JSON.stringify(lang === 'en' ? i.messageEn : i.message);
    const full = out.room(head.length + middle.length + 3 * (cell.length + message.length + close.length));
    if (full) yield full;
    out.bytes(n ? head : head.subarray(2));
    out.text(cell);
    out.bytes(middle);
    out.text(message);
    out.text(close);
  }
}

/**
 * The UTF-8 bytes of `JSON.stringify(value, null, 2)`, exactly, in chunks of about `size` bytes,
 * each ending between two characters: what the command line writes for `--json`. A report's issue
 * list (100,000 warnings are 35 MB) is written by issueLines; any other part by the native
 * stringifier, then encoded.
 */
export function* jsonChunks(value: unknown, size = 1 << 18): Generator<Uint8Array> {
  const out = new Chunks(size);
  for (const p of parts(value)) {
    if (typeof p !== 'string' && (p.list.f === issueMappers.vi || p.list.f === issueMappers.en)) {
      const full = out.room(2);
      if (full) yield full;
      out.text('[\n');
      yield* issueLines(out, p.list.items as readonly Issue[], p.list.f === issueMappers.en ? 'en' : 'vi', p.indent);
      const end = '\n' + p.indent + ']';
      const last = out.room(end.length);
      if (last) yield last;
      out.text(end);
      continue;
    }
    for (const t of typeof p === 'string' ? [p] : listTexts(p)) {
      const full = out.room(3 * t.length);
      if (full) yield full;
      out.text(t);
    }
  }
  const last = out.take();
  if (last.length) yield last;
}
