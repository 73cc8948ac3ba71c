/**
 * The approval of the ranking, recorded on `Xếp hạng` by `rankingSheetPlan(r, madeAt, { approval })`
 * (issue 10's layout): the screen title and the printed status line say `ĐÃ PHÊ DUYỆT (who, when)`
 * instead of `DỰ THẢO TRÌNH DUYỆT`. The fingerprint approved is the one the sheet records (an
 * approval is only given while it matches the data). Pure: the pane writes the plan and reads the
 * cells back with `approvalOf`.
 */
import { SheetGrid, cellAt, normalizeSpace } from './cells';
import { FINGERPRINT_CELL, MADE_AT_CELL, RANKING_STATUS_CELL, isAddinSheet, rankingFingerprint } from './sheets';

export const DRAFT_MARK = 'DỰ THẢO TRÌNH DUYỆT';
export const APPROVED_MARK = 'ĐÃ PHÊ DUYỆT';

export interface Approval {
  /** Who approved, as typed (spaces normalised). */
  readonly by: string;
  /** When, as shown (local time, `2013-01-15 09:30`). */
  readonly at: string;
  /** The data fingerprint approved (the ranking's). */
  readonly fingerprint: string;
}

const text = (sheet: SheetGrid, at: { row: number; col: number }): string => {
  const v = cellAt(sheet, at.row, at.col);
  return typeof v === 'string' ? normalizeSpace(v) : typeof v === 'number' ? String(v) : '';
};

/**
 * The approval recorded on an add-in `Xếp hạng` sheet, or null (a draft, or not the add-in's).
 * Read from the screen title (row 0, in the head the adapter reads of output sheets), which ends
 * like the printed status line: `– ĐÃ PHÊ DUYỆT (by, at)`; `at` has no comma, so the last ", "
 * splits them whatever the name holds.
 */
export function approvalOf(sheet: SheetGrid): Approval | null {
  if (!isAddinSheet(sheet)) return null;
  const m = / – ĐÃ PHÊ DUYỆT \((.+), ([^,()]+)\)$/u.exec(text(sheet, { row: 0, col: 0 }));
  const fingerprint = rankingFingerprint(sheet);
  if (!m || !fingerprint) return null;
  return { by: m[1], at: m[2], fingerprint };
}

/** `Lập lúc` of a ranking sheet (kept when the approval rewrites it). */
export function madeAtOf(sheet: SheetGrid): string {
  return text(sheet, MADE_AT_CELL);
}

export { FINGERPRINT_CELL, RANKING_STATUS_CELL };
