/**
 * What the task pane's buttons do, over an injectable `Excel.run`: read the workbook once, call the
 * engine (pure), write the output sheet once. No DOM here; the pane renders what these return.
 */
import { SheetGrid, matchKey, parseA1 } from '../core/cells';
import { Approval, approvalOf, madeAtOf } from '../core/approval';
import { CouncilTie, councilTies, entryKey } from '../core/decisions';
import { rank as rankDataset, validateGrids } from '../core/engine';
import { DECISIONS, INPUT_SHEETS, MASTER_COMPANY_CODE, NUMFMT, OUTPUT_SHEETS, SHEETS } from '../core/format';
import type { Dataset, DecisionRecord, Issue } from '../core/model';
import { decisionsLayout, findSheet, readDecisions, IssueSink } from '../core/reader';
import { rankingFingerprint, rankingSheetPlan, reportSheetPlan } from '../core/sheets';
import { DecisionRowContent, decisionsSheetPlan, inputSheetPlans } from '../core/template';
import { awardListPlan, certificatesPlan } from '../core/awards-print';
import {
  Run, RowsWrite, UserError, WorkbookRead, boxAddress, queueProtection, readWorkbookGrid, selectCell, sheetState, writeRows, writeSheetPlan, writeSheetPlans,
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

/**
 * Create the five input sheets; refuses when any of them exists. In a new workbook the empty
 * default sheet (`Sheet1`) goes: it is deleted in the last write, only when it is the workbook's
 * only sheet and holds nothing (no value, no format, no table).
 */
export async function createTemplate(run: Run, opts: { kind: TemplateKind; year: number }): Promise<TemplateResult> {
  return run(async (ctx) => {
    const ws = ctx.workbook.worksheets;
    ws.load('items/name');
    const active = ws.getActiveWorksheet();
    active.load('name');
    const used = active.getUsedRangeOrNullObject(false);
    used.load('address');
    await ctx.sync();
    // eslint-disable-next-line office-addins/call-sync-before-read, office-addins/call-sync-after-load -- read after the sync above (the rule loses track of it)
    const emptyDefault = ws.items.length === 1 && used.isNullObject ? active.name : null;
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
    for (const [i, plan] of plans.entries()) {
      const last = i === plans.length - 1;
      await writeSheetPlan(ctx, plan, 'absent', {
        activate: i === 0,
        before: last && emptyDefault ? () => ctx.workbook.worksheets.getItem(emptyDefault).delete() : undefined,
      });
    }
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
    const approved = approvalOfRead(read) !== null;
    const report = sheetState(read, SHEETS.report);
    // An approved workbook keeps its output sheets protected: the report is rewritten, then protected again.
    if (approved && report === 'addin') queueProtection(ctx, [realName(read, SHEETS.report)], false);
    await writeSheetPlan(ctx, reportSheetPlan(ds.issues, madeAt, { links: true }), report, { activate: true, read });
    if (approved) {
      queueProtection(ctx, [SHEETS.report], true);
      await ctx.sync();
    }
    return { issues: ds.issues, counts: countIssues(ds.issues), fingerprint: ds.fingerprint };
  });
}

export interface RankResult {
  readonly issues: readonly Issue[];
  readonly counts: Counts;
  readonly fingerprint: string;
  readonly totals: { readonly prize: number; readonly flags: number; readonly certificates: number; readonly pending: number };
  /** Rows of the ranking table (one per entry of every category), ranked or not. */
  readonly rows: number;
  readonly ranked: number;
  readonly awarded: number;
  /** The ties left to the council, for the pane's decision step. */
  readonly ties: readonly CouncilTie[];
}

/** The ranking was approved: ranking again drops the approval, so it must be asked for. */
export class ApprovedError extends UserError {
  constructor(readonly approval: Approval) {
    super(
      `Bảng xếp hạng đã được ${approval.by} phê duyệt lúc ${approval.at}; xếp hạng lại sẽ huỷ phê duyệt. Hãy xác nhận trong khung.`,
      `The ranking was approved by ${approval.by} at ${approval.at}; ranking again drops the approval. Confirm it in the pane.`,
    );
  }
}

/**
 * Rank and write `Xếp hạng` (one read, one write). An approved ranking is replaced only with
 * `dropApproval` (the pane asks first): its output sheets are unprotected in the same request.
 */
export async function rank(run: Run, madeAt: string, opts: { dropApproval?: boolean } = {}): Promise<RankResult> {
  return run(async (ctx) => {
    const read = await readWorkbookGrid(ctx);
    const approval = approvalOfRead(read);
    if (approval && !opts.dropApproval) throw new ApprovedError(approval);
    if (approval) queueProtection(ctx, outputSheetsOf(read), false);
    const ds = validateGrids([read.grid]);
    const r = rankDataset(ds);
    // The award list and the certificates (issue 11) follow the ranking, each its own add-in sheet;
    // a user's sheet of one of these names stops the run before anything is written.
    await writeSheetPlans(ctx, [rankingSheetPlan(r, madeAt), awardListPlan(r, madeAt), certificatesPlan(r, madeAt)], read, { activate: 0 });
    const entries = r.categories.flatMap((c) => c.entries);
    return {
      issues: r.issues, counts: countIssues(r.issues), fingerprint: r.fingerprint, totals: r.totals,
      rows: entries.length, ranked: entries.filter((e) => e.rank !== null).length, awarded: entries.filter((e) => e.award).length,
      ties: councilTies(r, ds.criteria.awards),
    };
  });
}

export type Freshness = 'none' | 'fresh' | 'stale' | 'no-data' | 'approved' | 'approved-stale';

/** Is `Xếp hạng` up to date with the data? (one read) */
export async function rankingFreshness(run: Run): Promise<Freshness> {
  return run(async (ctx) => freshnessOf(await readWorkbookGrid(ctx)));
}

export function freshnessOf(read: WorkbookRead, ds?: Dataset): Freshness {
  if (!INPUT_SHEETS.some((n) => read.grid.sheets.some((s) => matchKey(s.name) === matchKey(n)))) return 'no-data';
  const sheet = read.grid.sheets.find((s) => matchKey(s.name) === matchKey(SHEETS.ranking));
  const recorded = sheet ? rankingFingerprint(sheet) : null;
  if (!recorded) return 'none';
  const same = (ds ?? validateGrids([read.grid])).fingerprint === recorded;
  if (sheet && approvalOf(sheet)) return same ? 'approved' : 'approved-stale';
  return same ? 'fresh' : 'stale';
}

/** What the pane needs when it opens on a workbook ranked earlier: the freshness and, while the
 * ranking matches the data, its pending places, errors and ties (one read; ranking is pure). */
export interface RankingState {
  readonly freshness: Freshness;
  readonly pending: number;
  readonly errors: number;
  readonly ties: readonly CouncilTie[];
}

export async function rankingState(run: Run): Promise<RankingState> {
  return run(async (ctx) => {
    const read = await readWorkbookGrid(ctx);
    const ds = validateGrids([read.grid]);
    const freshness = freshnessOf(read, ds);
    if (freshness !== 'fresh' && freshness !== 'approved') return { freshness, pending: 0, errors: 0, ties: [] };
    const r = rankDataset(ds);
    return { freshness, pending: r.totals.pending, errors: countIssues(r.issues).errors, ties: councilTies(r, ds.criteria.awards) };
  });
}

// --- The council's decisions and the approval ----------------------------------------------------

function rankingSheetOf(read: WorkbookRead): SheetGrid | undefined {
  return read.grid.sheets.find((s) => matchKey(s.name) === matchKey(SHEETS.ranking));
}

function approvalOfRead(read: WorkbookRead): Approval | null {
  const sheet = rankingSheetOf(read);
  return sheet ? approvalOf(sheet) : null;
}

/** The sheet's name as the workbook spells it. */
function realName(read: WorkbookRead, name: string): string {
  return read.sheetNames.find((n) => matchKey(n) === matchKey(name)) ?? name;
}

/** The add-in's output sheets present in the workbook (never a user's sheet of the same name). */
function outputSheetsOf(read: WorkbookRead): string[] {
  return OUTPUT_SHEETS.filter((n) => sheetState(read, n) === 'addin').map((n) => realName(read, n));
}

/** The approval as the workbook holds it (one read). */
export async function currentApproval(run: Run): Promise<Approval | null> {
  return run(async (ctx) => approvalOfRead(await readWorkbookGrid(ctx)));
}

/** One tie decided in the pane: the entries chosen, in award order. */
export interface TieChoice {
  readonly tie: CouncilTie;
  readonly chosen: readonly { readonly code: string; readonly name: string }[];
}

/** The sheet's rows after the pane's choices: rows about the ties decided now (or broken) go, the new ones follow. */
export function decisionRowsAfter(records: readonly DecisionRecord[], issues: readonly Issue[], choices: readonly TieChoice[], minutes: string): DecisionRowContent[] {
  const brokenRows = new Set(issues.filter((i) => i.code === 'bad-decision' && i.severity === 'error' && matchKey(i.sheet) === matchKey(DECISIONS.sheet) && i.cell)
    .map((i) => parseA1(i.cell).row));
  const replaced = new Set(choices.flatMap((c) => c.tie.members.map((m) => `${c.tie.id}|${entryKey(c.tie.id === 'individual', m.code, m.name)}`)));
  const categoryKey = (d: DecisionRecord) => {
    const tie = choices.find((c) => c.tie.area === d.area && c.tie.level === d.level);
    return tie ? `${tie.tie.id}|${entryKey(tie.tie.id === 'individual', d.unitCode ?? '', d.name ?? '')}` : '';
  };
  const kept = records.filter((d) => !brokenRows.has(d.origin.row) && !replaced.has(categoryKey(d)))
    .map((d): DecisionRowContent => ({ area: d.area ?? null, level: d.level ?? null, unitCode: d.unitCode ?? null, name: d.name ?? null, minutes: d.minutes ?? null, note: d.note ?? null }));
  const added = choices.flatMap((c) => c.chosen.map((m): DecisionRowContent => ({
    area: c.tie.area, level: c.tie.level, unitCode: m.code, name: c.tie.id === 'individual' ? m.name : null, minutes: minutes || null, note: null,
  })));
  return [...kept, ...added];
}

/**
 * Write the council's choices to `Quyết định Hội đồng` — the only input sheet written here, and
 * only its table's rows: created (sheet and table) when absent, else its rows rewritten in place
 * and the table resized. One read, one write. Returns the rows written.
 */
export async function writeDecisions(run: Run, choices: readonly TieChoice[], minutes: string): Promise<number> {
  return run(async (ctx) => {
    // With originals: a failed write puts back exactly what the sheet held.
    const read = await readWorkbookGrid(ctx, { originals: true });
    const ds = validateGrids([read.grid]);
    const sink = new IssueSink('');
    const records = readDecisions(read.grid, sink);
    const rows = decisionRowsAfter(records, ds.issues, choices, minutes.trim());
    const layout = decisionsLayout(read.grid);
    if (!layout) {
      if (findSheet(read.grid, DECISIONS.sheet) || read.sheetNames.some((n) => matchKey(n) === matchKey(DECISIONS.sheet))) {
        throw new UserError(
          `Sheet "${DECISIONS.sheet}" không có dòng tiêu đề của bảng ${DECISIONS.id} (${DECISIONS.fields.map((f) => f.header).join(', ')}); không ghi gì. Hãy sửa hoặc xoá sheet đó rồi thử lại.`,
          `Sheet "${DECISIONS.sheet}" has no header row of table ${DECISIONS.id}; nothing was written. Fix or delete that sheet and try again.`,
        );
      }
      await writeSheetPlan(ctx, decisionsSheetPlan(rows), 'absent', { activate: false });
      return rows.length;
    }
    const cols = DECISIONS.fields.map((f) => layout.cols[f.key]);
    const c0 = Math.min(...cols);
    const c1 = Math.max(...cols);
    const width = c1 - c0 + 1;
    const oldLast = Math.max(layout.lastRow, layout.headerRow + 1);
    const count = Math.max(rows.length, oldLast - layout.headerRow);
    const values: (string | number | null)[][] = [];
    const formats: (string | null)[][] = [];
    for (let n = 0; n < count; n++) {
      const row: (string | number | null)[] = Array.from({ length: width }, () => null);
      const fmt: (string | null)[] = Array.from({ length: width }, () => null);
      const content = rows[n] as unknown as Record<string, string | number | null | undefined> | undefined;
      for (const f of DECISIONS.fields) {
        const c = layout.cols[f.key] - c0;
        const v = content?.[f.key];
        // Values typed in the pane and copied rows are text, never formulas.
        row[c] = v === null || v === undefined ? '' : String(v);
        fmt[c] = NUMFMT.text;
      }
      values.push(row);
      formats.push(fmt);
    }
    const table = read.tables[DECISIONS.id];
    const write: RowsWrite = {
      sheet: layout.sheet, row: layout.headerRow + 1, col: c0, values, formats,
      table: table ? { name: DECISIONS.id, address: boxAddress(table.r0, table.c0, layout.headerRow + Math.max(1, rows.length), table.c1) } : undefined,
    };
    await writeRows(ctx, [write], read);
    return rows.length;
  });
}

/**
 * Approve the ranking: only when `Xếp hạng` is the add-in's and matches the data, with nothing
 * pending and no error. Rewrites it with the approval (who, when, fingerprint; the title
 * `ĐÃ PHÊ DUYỆT`), then protects the add-in's output sheets. One read, two writes.
 */
export async function approve(run: Run, by: string, at: string): Promise<Approval> {
  return run(async (ctx) => {
    const who = by.replace(/\s+/g, ' ').trim();
    if (!who) throw new UserError('Hãy nhập tên người phê duyệt.', 'Type the name of the person approving.');
    const read = await readWorkbookGrid(ctx);
    const sheet = rankingSheetOf(read);
    const recorded = sheet ? rankingFingerprint(sheet) : null;
    if (!sheet || !recorded) throw new UserError('Chưa có bảng Xếp hạng: hãy bấm Xếp hạng trước.', 'There is no ranking yet: rank first.');
    if (approvalOf(sheet)) throw new UserError('Bảng xếp hạng đã được phê duyệt.', 'The ranking is already approved.');
    const ds = validateGrids([read.grid]);
    if (ds.fingerprint !== recorded) throw new UserError('Dữ liệu đã thay đổi sau lần xếp hạng: hãy xếp hạng lại trước khi phê duyệt.', 'The data changed after ranking: rank again before approving.');
    const r = rankDataset(ds);
    if (r.issues.some((i) => i.severity === 'error')) throw new UserError('Dữ liệu còn lỗi: không phê duyệt được.', 'The data has errors: it cannot be approved.');
    if (r.totals.pending) throw new UserError(`Còn ${r.totals.pending} suất chờ Hội đồng quyết định: không phê duyệt được.`, `${r.totals.pending} place(s) still wait for the council: it cannot be approved.`);
    const approval: Approval = { by: who, at, fingerprint: r.fingerprint };
    await writeSheetPlan(ctx, rankingSheetPlan(r, madeAtOf(sheet) || at, { approval }), 'addin', { activate: true, read });
    // The ranking sheet was just made again under its standard name. Excel refuses to protect a
    // protected sheet (one a user protected by hand): unprotect first, in the same request.
    const outputs = [...outputSheetsOf(read).filter((n) => matchKey(n) !== matchKey(SHEETS.ranking)), SHEETS.ranking];
    queueProtection(ctx, outputs, false);
    queueProtection(ctx, outputs, true);
    await ctx.sync();
    return approval;
  });
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
    // The read brings what the rows hold now (formulas, formats) too: the rollback writes it back.
    const read = await readWorkbookGrid(ctx, { originals: true });
    const plan = planOrExplain(read, files);
    const unconfirmed = plan.replaces.filter((r) => !confirmed.includes(r.code));
    if (unconfirmed.length) {
      throw new UserError(
        `Dữ liệu của ${unconfirmed.map((r) => r.code).join(', ')} sẽ bị thay thế nhưng chưa được xác nhận; không ghi gì.`,
        `The rows of ${unconfirmed.map((r) => r.code).join(', ')} would be replaced without confirmation; nothing was written.`,
      );
    }
    if (plan.writes.length) await writeRows(ctx, plan.writes, read);
    return plan;
  });
}
