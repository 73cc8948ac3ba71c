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

/**
 * How a JSON list is made from the model's: at once (`xs.map(f)`, the default: plain data), or
 * lazily for `jsonPieces`, which maps a batch at a time as it writes (`lazyList`).
 */
export type ListOf = <T, U>(items: readonly T[], f: (x: T) => U) => readonly U[];
const eagerList: ListOf = (items, f) => items.map(f);

/** A list mapped only as jsonPieces writes it. */
class LazyList<T, U> {
  constructor(readonly items: readonly T[], readonly f: (x: T) => U) {}
}
/** Only for jsonPieces: the value it gives is not an array to anyone else. */
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
    issues: list(r.issues, (i) => issueJson(i, lang)),
  };
}

export function validationJson(ds: Pick<Dataset, 'issues' | 'fingerprint'>, lang: Lang = 'vi', list: ListOf = eagerList) {
  return { ok: !ds.issues.some((i) => i.severity === 'error'), fingerprint: ds.fingerprint, issues: list(ds.issues, (i) => issueJson(i, lang)) };
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
 * `JSON.stringify(value, null, 2)`, exactly, as a sequence of pieces: a report of 100,000 issues is
 * 30 MB of text (60 MB as a JavaScript string with Vietnamese in it), which the command line then
 * writes piece by piece instead of holding it whole. Small parts are left to the native
 * stringifier; JSON text never holds a raw line break, so re-indenting is a plain replace.
 */
export function* jsonPieces(value: unknown, indent = ''): Generator<string> {
  if (!holdsBigArray(value)) {
    const text = JSON.stringify(value, null, 2);
    yield indent ? text.replace(/\n/g, '\n' + indent) : text;
    return;
  }
  const inner = indent + '  ';
  if (value instanceof LazyList) {
    // Mapped a batch at a time; a mapped element holds no big list (entries, issues).
    const { items, f } = value as LazyList<unknown, unknown>;
    if (!items.length) { yield '[]'; return; }
    yield '[\n';
    for (let i = 0; i < items.length; i += BATCH) {
      if (i) yield ',\n';
      yield listBody(items.slice(i, i + BATCH).map(f), indent);
    }
    yield '\n' + indent + ']';
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
        yield* jsonPieces(value[i], inner);
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
    yield* jsonPieces(v, inner);
  }
  yield first ? '}' : '\n' + indent + '}';
}
