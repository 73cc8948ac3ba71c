/**
 * What the pane shows, as plain data computed from the actions' results (no DOM: unit-testable).
 */
import type { Issue } from '../core/model';
import type { RankResult, ValidateResult } from '../excel/actions';
import type { ImportPlan } from '../excel/merge';
import { Lang, strings } from './i18n';

/** Issues shown in the pane at most; the sheet `Kiểm tra` has them all. */
export const MAX_LISTED_ISSUES = 300;

export interface IssueItem {
  readonly severity: Issue['severity'];
  readonly severityLabel: string;
  /** `Tiết kiệm điện!F7`, or the sheet alone. */
  readonly location: string;
  readonly message: string;
  /** Where clicking goes; absent when the issue has no cell in this workbook. Its accessible name is
   *  its visible text (WCAG 2.5.3); the "go to cell" hint is a shared description. */
  readonly target?: { readonly sheet: string; readonly cell: string };
}

export interface IssueView {
  readonly errors: number;
  readonly warnings: number;
  readonly items: readonly IssueItem[];
  readonly more: number;
  readonly empty: string | null;
}

export function issueView(issues: readonly Issue[], lang: Lang): IssueView {
  const t = strings(lang);
  const errors = issues.filter((i) => i.severity === 'error');
  const warnings = issues.filter((i) => i.severity === 'warning');
  // Errors first, then warnings; within each, the engine's order (sheet, row).
  const ordered = [...errors, ...warnings];
  const items = ordered.slice(0, MAX_LISTED_ISSUES).map((i): IssueItem => {
    const where = i.file ? `${i.file} · ${i.sheet}` : i.sheet;
    const location = i.cell ? `${where}!${i.cell}` : where;
    const message = lang === 'en' ? i.messageEn : i.message;
    const target = i.cell && !i.file ? { sheet: i.sheet, cell: i.cell } : undefined;
    const severityLabel = i.severity === 'error' ? t.severityError : t.severityWarning;
    return { severity: i.severity, severityLabel, location, message, target };
  });
  return {
    errors: errors.length, warnings: warnings.length, items, more: Math.max(0, ordered.length - items.length),
    empty: issues.length ? null : t.noIssues,
  };
}

export interface ImportRow {
  readonly file: string;
  readonly status: 'added' | 'replaced' | 'rejected';
  readonly statusLabel: string;
  readonly company: string;
  readonly detail: string;
  readonly issues: IssueView | null;
}

export interface ImportView {
  readonly summary: string;
  /** Any file rejected: the summary takes a warning look, not a success one. */
  readonly rejected: number;
  readonly rows: readonly ImportRow[];
}

export function importView(plan: ImportPlan, lang: Lang): ImportView {
  const t = strings(lang);
  const n = (s: string) => plan.outcomes.filter((o) => o.status === s).length;
  return {
    summary: t.importSummary(n('added'), n('replaced'), n('rejected')),
    rejected: n('rejected'),
    rows: plan.outcomes.map((o) => ({
      file: o.file,
      status: o.status,
      statusLabel: o.status === 'added' ? t.statusAdded : o.status === 'replaced' ? t.statusReplaced : t.statusRejected,
      company: o.company ? `${o.company}${o.companyName && o.companyName !== o.company ? ' – ' + o.companyName : ''}` : '',
      detail: o.status === 'rejected' ? (lang === 'en' ? o.reason?.en : o.reason?.vi) ?? '' : t.unitsPeople(o.units, o.individuals),
      issues: o.issues?.length ? issueView(o.issues, lang) : null,
    })),
  };
}

/** The confirmation's list: one line per company to be replaced. */
export function replaceLines(plan: ImportPlan): string[] {
  return plan.replaces.map((r) => `${r.code}${r.name && r.name !== r.code ? ' – ' + r.name : ''} (${r.file})`);
}

export function money(n: number, lang: Lang): string {
  return `${n.toLocaleString(lang === 'en' ? 'en-US' : 'vi-VN')} ${strings(lang).vnd}`;
}

export interface RankView {
  readonly headline: string;
  readonly figures: readonly { readonly label: string; readonly value: string }[];
  readonly pendingNote: string | null;
  readonly excludedNote: string | null;
  readonly issues: IssueView;
}

export function rankView(r: RankResult, lang: Lang): RankView {
  const t = strings(lang);
  const num = (n: number) => n.toLocaleString(lang === 'en' ? 'en-US' : 'vi-VN');
  return {
    headline: t.rankDone(r.rows, r.ranked, r.awarded),
    figures: [
      { label: t.prize, value: money(r.totals.prize, lang) },
      { label: t.flags, value: num(r.totals.flags) },
      { label: t.certificates, value: num(r.totals.certificates) },
      { label: t.pending, value: num(r.totals.pending) },
    ],
    pendingNote: r.totals.pending ? t.pendingNote : null,
    excludedNote: r.counts.errors ? t.excludedWarning : null,
    issues: issueView(r.issues, lang),
  };
}

export function validateView(v: ValidateResult, lang: Lang): IssueView {
  return issueView(v.issues, lang);
}
