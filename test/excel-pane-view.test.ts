/**
 * The pane's view models (pure): counts by severity, errors listed first, clickable only where the
 * issue has a cell in this workbook, the list capped with the rest counted, both languages.
 */
import { validateGrids } from '../src/core/engine';
import { langOf } from '../src/taskpane/i18n';
import { MAX_LISTED_ISSUES, issueView, importView } from '../src/taskpane/view';
import type { Issue } from '../src/core/model';
import { book } from './support/grids';

const issue = (severity: Issue['severity'], n: number, file = ''): Issue => ({
  severity, file, sheet: 'Tiết kiệm điện', cell: `F${n}`, field: 'Điện tiết kiệm (kWh)', code: 'out-of-range', message: `vi ${n}`, messageEn: `en ${n}`,
});

test('display language: English only for en-*', () => {
  expect(langOf('en-US')).toBe('en');
  expect(langOf('vi-VN')).toBe('vi');
  expect(langOf('fr-FR')).toBe('vi');
  expect(langOf(undefined)).toBe('vi');
});

test('errors first, counts by severity, links only to cells of this workbook', () => {
  const v = issueView([issue('warning', 2), issue('error', 3), issue('error', 4, 'pc05.xlsx')], 'vi');
  expect([v.errors, v.warnings]).toEqual([2, 1]);
  expect(v.items.map((i) => i.severity)).toEqual(['error', 'error', 'warning']);
  expect(v.items[0].target).toEqual({ sheet: 'Tiết kiệm điện', cell: 'F3' });
  expect(v.items[1].target).toBeUndefined();
  expect(v.items[1].location).toBe('pc05.xlsx · Tiết kiệm điện!F4');
  expect(issueView([issue('error', 3)], 'en').items[0].message).toBe('en 3');
  // No aria-label of its own: the button's name is its visible text (WCAG 2.5.3).
  expect(Object.keys(v.items[0])).not.toContain('ariaLabel');
});

test('a long list is capped; the rest is counted', () => {
  const many = Array.from({ length: MAX_LISTED_ISSUES + 25 }, (_, i) => issue('warning', i + 2));
  const v = issueView(many, 'vi');
  expect(v.items).toHaveLength(MAX_LISTED_ISSUES);
  expect(v.more).toBe(25);
});

test('a real workbook with a mistake gives the issue at its cell', () => {
  const ds = validateGrids([book({ units: [{ code: 'PC05', commercial: 1000, saved: -1 }] })]);
  const v = issueView(ds.issues, 'vi');
  expect(v.errors).toBeGreaterThan(0);
  expect(v.items[0].target?.sheet).toBe('Tiết kiệm điện');
});

test('import summary counts added, replaced and rejected', () => {
  const v = importView({
    outcomes: [
      { file: 'a.xlsx', status: 'added', company: 'PC01', companyName: 'Công ty Điện lực Quảng Bình', units: 9, individuals: 2 },
      { file: 'b.xlsx', status: 'replaced', company: 'PC02', units: 3, individuals: 0 },
      { file: 'c.xlsx', status: 'rejected', units: 0, individuals: 0, reason: { vi: 'hỏng', en: 'broken' } },
    ],
    replaces: [], writes: [],
  }, 'en');
  expect(v.summary).toBe('Added 1 companies, replaced 1, rejected 1 file(s).');
  expect(v.rejected).toBe(1); // the pane gives the summary a warning look, not a success one
  expect(v.rows.map((r) => r.detail)).toEqual(['9 units, 2 individuals', '3 units, 0 individuals', 'broken']);
});
