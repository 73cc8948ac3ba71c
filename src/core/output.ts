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

function entryJson(e: Entry) {
  return {
    rank: e.rank, code: e.code, name: e.name, value: e.value, eligible: e.eligible,
    award: e.award ? { title: e.award.title, form: e.award.form, prize: e.award.prize } : null,
    pending: e.pending, note: e.note,
  };
}

export function rankingJson(r: Ranking, lang: Lang = 'vi') {
  return {
    year: r.year,
    fingerprint: r.fingerprint,
    categories: r.categories.map((c) => ({ id: c.id, entries: c.entries.map(entryJson) })),
    totals: { prize: r.totals.prize, flags: r.totals.flags, certificates: r.totals.certificates, pending: r.totals.pending },
    issues: r.issues.map((i) => issueJson(i, lang)),
  };
}

export function validationJson(ds: Dataset, lang: Lang = 'vi') {
  return { ok: !ds.issues.some((i) => i.severity === 'error'), fingerprint: ds.fingerprint, issues: ds.issues.map((i) => issueJson(i, lang)) };
}

/** Arrays longer than this are written element by element (each element stringified natively). */
const STREAM_ABOVE = 64;
/** Small elements stringified at once. */
const BATCH = 512;

function holdsBigArray(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > STREAM_ABOVE || v.some(holdsBigArray);
  if (v !== null && typeof v === 'object') return Object.values(v).some(holdsBigArray);
  return false;
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
      const text = JSON.stringify(value.slice(i, j), null, 2);
      const body = text.slice(2, -2);
      yield indent ? indent + body.replace(/\n/g, '\n' + indent) : body;
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
