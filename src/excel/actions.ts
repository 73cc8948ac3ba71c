/**
 * What the task pane's buttons do, over an injectable `Excel.run`: read the workbook once, call the
 * engine (pure), write the output sheet once. No DOM here; the pane renders what these return.
 */
import { matchKey } from '../core/cells';
import { rankGrids, validateGrids } from '../core/engine';
import { INPUT_SHEETS, MASTER_COMPANY_CODE, SHEETS } from '../core/format';
import type { Issue } from '../core/model';
import { rankingFingerprint, rankingSheetPlan, reportSheetPlan } from '../core/sheets';
import { inputSheetPlans } from '../core/template';
import { awardListPlan, certificatesPlan } from '../core/awards-print';
import {
  Run, UserError, WorkbookRead, readWorkbookGrid, selectCell, sheetState, writeRows, writeSheetPlan, writeSheetPlans,
} from './adapter';
import { ImportPlan, MasterError, Submission, planImport } from './merge';

export interface Counts {
  readonly errors: number;
  readonly warnings: number;
}

export function countIssues(issues: readonly Issue[]): Counts {
  const errors = issues.filter((i) => i.severity === 'error').length;
  return { errors, warnings: issues.length - errors };
}

/** `2013-01-10 08:30` in local time: the only part of an output sheet that changes between runs. */
export function stamp(d: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export type TemplateKind = 'master' | 'submission';

export interface TemplateResult {
  readonly sheets: readonly string[];
}

/** Create the five input sheets; refuses when any of them exists. */
export async function createTemplate(run: Run, opts: { kind: TemplateKind; year: number }): Promise<TemplateResult> {
  return run(async (ctx) => {
    const ws = ctx.workbook.worksheets;
    ws.load('items/name');
    await ctx.sync();
    const existing = ws.items.map((s) => s.name).filter((n) => INPUT_SHEETS.some((k) => matchKey(k) === matchKey(n)));
    if (existing.length) {
      throw new UserError(
        `Sổ tính đã có sheet ${existing.map((n) => `"${n}"`).join(', ')}; không tạo mẫu đè lên dữ liệu. Hãy mở một sổ tính mới để tạo mẫu.`,
        `The workbook already has sheet(s) ${existing.map((n) => `"${n}"`).join(', ')}; the template is not written over data. Open a new workbook to create it.`,
      );
    }
    const content = opts.kind === 'master'
      ? { info: { companyCode: MASTER_COMPANY_CODE, companyName: 'Tổng công ty Điện lực miền Trung' } }
      : {};
    const plans = inputSheetPlans(content, { year: opts.year });
    for (const [i, plan] of plans.entries()) await writeSheetPlan(ctx, plan, 'absent', { activate: i === 0 });
    return { sheets: plans.map((p) => p.name) };
  });
}

export interface ValidateResult {
  readonly issues: readonly Issue[];
  readonly counts: Counts;
  readonly fingerprint: string;
}

/** Validate the workbook and write `Kiểm tra` (one read, one write). */
export async function validate(run: Run, madeAt: string): Promise<ValidateResult> {
  return run(async (ctx) => {
    const read = await readWorkbookGrid(ctx);
    const ds = validateGrids([read.grid]);
    await writeSheetPlan(ctx, reportSheetPlan(ds.issues, madeAt, { links: true }), sheetState(read, SHEETS.report), { activate: true, read });
    return { issues: ds.issues, counts: countIssues(ds.issues), fingerprint: ds.fingerprint };
  });
}

export interface RankResult {
  readonly issues: readonly Issue[];
  readonly counts: Counts;
  readonly fingerprint: string;
  readonly totals: { readonly prize: number; readonly flags: number; readonly certificates: number; readonly pending: number };
  readonly ranked: number;
  readonly awarded: number;
}

/** Rank and write `Xếp hạng` (one read, one write). */
export async function rank(run: Run, madeAt: string): Promise<RankResult> {
  return run(async (ctx) => {
    const read = await readWorkbookGrid(ctx);
    const r = rankGrids([read.grid]);
    // The award list and the certificates (issue 11) follow the ranking, each its own add-in sheet;
    // a user's sheet of one of these names stops the run before anything is written.
    await writeSheetPlans(ctx, [rankingSheetPlan(r, madeAt), awardListPlan(r, madeAt), certificatesPlan(r, madeAt)], read, { activate: 0 });
    const entries = r.categories.flatMap((c) => c.entries);
    return {
      issues: r.issues, counts: countIssues(r.issues), fingerprint: r.fingerprint, totals: r.totals,
      ranked: entries.filter((e) => e.rank !== null).length, awarded: entries.filter((e) => e.award).length,
    };
  });
}

export type Freshness = 'none' | 'fresh' | 'stale' | 'no-data';

/** Is `Xếp hạng` up to date with the data? (one read) */
export async function rankingFreshness(run: Run): Promise<Freshness> {
  return run(async (ctx) => freshnessOf(await readWorkbookGrid(ctx)));
}

export function freshnessOf(read: WorkbookRead): Freshness {
  if (!INPUT_SHEETS.some((n) => read.grid.sheets.some((s) => matchKey(s.name) === matchKey(n)))) return 'no-data';
  const sheet = read.grid.sheets.find((s) => matchKey(s.name) === matchKey(SHEETS.ranking));
  const recorded = sheet ? rankingFingerprint(sheet) : null;
  if (!recorded) return 'none';
  return validateGrids([read.grid]).fingerprint === recorded ? 'fresh' : 'stale';
}

/** Select an issue's cell. */
export async function goToCell(run: Run, sheet: string, cell: string): Promise<boolean> {
  return run((ctx) => selectCell(ctx, sheet, cell));
}

/** Plan an import (reads the workbook once, writes nothing). */
export async function prepareImport(run: Run, files: readonly Submission[]): Promise<ImportPlan> {
  return run(async (ctx) => {
    const read = await readWorkbookGrid(ctx);
    return planOrExplain(read, files);
  });
}

function planOrExplain(read: WorkbookRead, files: readonly Submission[]): ImportPlan {
  try {
    return planImport(read.grid, read.tables, files);
  } catch (e) {
    if (e instanceof MasterError) throw new UserError(e.vi, e.en);
    throw e;
  }
}

/**
 * Carry out an import: the plan is computed again from a fresh read (the user may have edited the
 * sheet while the confirmation was open) and written only when every company it replaces was
 * confirmed. All sheets are written in one request (more only past the request budget), all or
 * nothing: when a request fails, the rows already written are put back and an ImportWriteError
 * (a UserError: rolled back, nothing changed) is thrown for the pane to show.
 */
export async function applyImport(run: Run, files: readonly Submission[], confirmed: readonly string[]): Promise<ImportPlan> {
  return run(async (ctx) => {
    const read = await readWorkbookGrid(ctx);
    const plan = planOrExplain(read, files);
    const unconfirmed = plan.replaces.filter((r) => !confirmed.includes(r.code));
    if (unconfirmed.length) {
      throw new UserError(
        `Dữ liệu của ${unconfirmed.map((r) => r.code).join(', ')} sẽ bị thay thế nhưng chưa được xác nhận; không ghi gì.`,
        `The rows of ${unconfirmed.map((r) => r.code).join(', ')} would be replaced without confirmation; nothing was written.`,
      );
    }
    if (plan.writes.length) await writeRows(ctx, plan.writes, read.grid);
    return plan;
  });
}
