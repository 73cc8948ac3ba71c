/**
 * The approval of the ranking, recorded on `Xếp hạng`: who approved (as typed in the pane), when,
 * and the fingerprint of the data approved; the title's `DỰ THẢO TRÌNH DUYỆT` becomes
 * `ĐÃ PHÊ DUYỆT`. Pure: the pane writes the plan this returns and reads the cells back.
 *
 * Interim: the ranking sheet's plan is being redesigned (with an approval input of its own); until
 * then this adds the approval to the plan `rankingSheetPlan` returns, on the blank row above the
 * table.
 */
import { SheetGrid, cellAt, normalizeSpace } from './cells';
import type { FreeCell, SheetPlan } from './plan';
import { FINGERPRINT_CELL, MADE_AT_CELL, isAddinSheet } from './sheets';

export const DRAFT_MARK = 'DỰ THẢO TRÌNH DUYỆT';
export const APPROVED_MARK = 'ĐÃ PHÊ DUYỆT';

export interface Approval {
  /** Who approved, as typed. */
  readonly by: string;
  /** When, as shown (local time, `2013-01-15 09:30`). */
  readonly at: string;
  /** The data fingerprint approved (the ranking's). */
  readonly fingerprint: string;
}

/** Where the approval sits on `Xếp hạng` (0-based): labels and values on one row. */
export const APPROVAL_CELLS = {
  byLabel: { row: 5, col: 0 }, by: { row: 5, col: 1 },
  atLabel: { row: 5, col: 4 }, at: { row: 5, col: 5 },
  fingerprintLabel: { row: 5, col: 7 }, fingerprint: { row: 5, col: 9 },
} as const;

export const APPROVAL_LABELS = { by: 'Người phê duyệt', at: 'Phê duyệt lúc', fingerprint: 'Dấu vân tay đã duyệt' } as const;

/** The ranking sheet's plan with the approval recorded. */
export function withApproval(plan: SheetPlan, a: Approval): SheetPlan {
  const c = APPROVAL_CELLS;
  const cells: FreeCell[] = plan.cells.map((cell) =>
    cell.row === 0 && cell.col === 0 && typeof cell.value === 'string' ? { ...cell, value: cell.value.replace(DRAFT_MARK, APPROVED_MARK) } : cell);
  cells.push(
    { row: c.byLabel.row, col: c.byLabel.col, value: APPROVAL_LABELS.by, style: 'label' },
    { row: c.by.row, col: c.by.col, value: normalizeSpace(a.by), mergeAcross: 2 },
    { row: c.atLabel.row, col: c.atLabel.col, value: APPROVAL_LABELS.at, style: 'label' },
    { row: c.at.row, col: c.at.col, value: a.at, mergeAcross: 1 },
    { row: c.fingerprintLabel.row, col: c.fingerprintLabel.col, value: APPROVAL_LABELS.fingerprint, style: 'label', mergeAcross: 1 },
    { row: c.fingerprint.row, col: c.fingerprint.col, value: a.fingerprint, mergeAcross: 1 },
  );
  return { ...plan, cells };
}

const text = (sheet: SheetGrid, at: { row: number; col: number }): string => {
  const v = cellAt(sheet, at.row, at.col);
  return typeof v === 'string' ? normalizeSpace(v) : typeof v === 'number' ? String(v) : '';
};

/** The approval recorded on an add-in `Xếp hạng` sheet, or null (a draft, or not the add-in's). */
export function approvalOf(sheet: SheetGrid): Approval | null {
  if (!isAddinSheet(sheet)) return null;
  if (!text(sheet, { row: 0, col: 0 }).includes(APPROVED_MARK)) return null;
  if (text(sheet, APPROVAL_CELLS.byLabel) !== APPROVAL_LABELS.by) return null;
  const fingerprint = text(sheet, APPROVAL_CELLS.fingerprint);
  if (!/^[0-9a-f]{16}$/.test(fingerprint)) return null;
  return { by: text(sheet, APPROVAL_CELLS.by), at: text(sheet, APPROVAL_CELLS.at), fingerprint };
}

/** `Lập lúc` of a ranking sheet (kept when the approval rewrites it). */
export function madeAtOf(sheet: SheetGrid): string {
  return text(sheet, MADE_AT_CELL);
}

export { FINGERPRINT_CELL };
