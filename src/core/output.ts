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
