/**
 * Sheet plans: a description of a sheet the add-in writes (template sheets, `Kiểm tra`,
 * `Xếp hạng`), made by pure code and rendered by two adapters — the `.xlsx` writer (ExcelJS) and
 * the Excel adapter (Office.js). The layout is written once, here; adapters only translate.
 *
 * Writers must honour one rule: a `string` value is always written as text, never as a formula,
 * even when it starts with `=`, `+`, `-` or `@`. Only `{ formula }` cells are formulas, and only
 * the engine creates those (the template's derived columns).
 */
import { columnLetters } from './cells';

export type PlanScalar = string | number | boolean | null;

export interface FormulaCell {
  /** Without the leading `=`, in en-US syntax (`EVN.SAVINGPCT(F7,E7)`). */
  readonly formula: string;
  /** Cached result to store with the formula in files (what the add-in would compute). */
  readonly result?: number | boolean | string;
}

export type PlanCell = PlanScalar | FormulaCell;

export type CellStyle = 'title' | 'subtitle' | 'muted' | 'label' | 'header' | 'total';
export type RowStyle = 'award' | 'pending' | 'excluded';

export interface FreeCell {
  /** 0-based. */
  readonly row: number;
  readonly col: number;
  readonly value: PlanScalar;
  readonly style?: CellStyle;
  readonly numFmt?: string;
  /** Merge across this many columns (title rows). */
  readonly mergeAcross?: number;
}

export interface ColumnPlan {
  readonly header: string;
  readonly numFmt?: string;
  /** Character width. */
  readonly width?: number;
  /** A dropdown list of allowed values (data validation), with the input message. */
  readonly list?: readonly string[];
  /** Dropdown whose source is a formula range, e.g. `=$A$2:$A$20`. */
  readonly listSource?: string;
  readonly prompt?: string;
  /**
   * A derived column: every data row holds a formula cell, the same formula relative to its row.
   * Writers make it a table calculated column, so a row a user adds in Excel gets the formula
   * (the .xlsx writer: `calculatedColumnFormula` of the first data row's formula).
   */
  readonly calculated?: boolean;
}

/** A workbook-scoped defined name: `ref` is an absolute A1 reference with its sheet, no `=`. */
export interface DefinedNamePlan {
  readonly name: string;
  readonly ref: string;
}

export interface TablePlan {
  /** Excel table (ListObject) name. */
  readonly name: string;
  /** 0-based position of the header row's first cell. */
  readonly topRow: number;
  readonly leftCol: number;
  readonly columns: readonly ColumnPlan[];
  readonly rows: ReadonlyArray<ReadonlyArray<PlanCell>>;
  /** Per-cell number formats overriding the column's (mixed measures in one column). */
  readonly cellFormats?: ReadonlyArray<ReadonlyArray<string | undefined>>;
  /** Fixed highlight of whole rows (a totals row, error rows); same length as rows. */
  readonly rowStyles?: ReadonlyArray<RowStyle | undefined>;
  /**
   * Highlights of whole data rows that follow the cells' values (Excel conditional formatting), so
   * a sorted or filtered table keeps them right. Earlier rules win where several hold.
   */
  readonly conditionalFormats?: readonly RowHighlight[];
  /** Internal hyperlinks per row: the column index and `'Sheet'!A1` target. */
  readonly links?: ReadonlyArray<{ readonly row: number; readonly col: number; readonly sheet: string; readonly cell: string } >;
  /** A title written in the row above the header (the `Tiêu chí` blocks). */
  readonly caption?: string;
}

/** A test on one cell of a data row; `column` is 0-based within the table. */
export interface RowTest {
  readonly column: number;
  /** The cell's text equals this (Excel compares case-insensitively). */
  readonly equals?: string;
  readonly nonEmpty?: boolean;
  /** The cell holds a number greater than this. */
  readonly greaterThan?: number;
}

/** Colour a whole data row while any of `when` holds. */
export interface RowHighlight {
  readonly when: readonly RowTest[];
  readonly style: RowStyle;
}

/**
 * A highlight as an Excel formula (en-US, without `=`) for the table's first data row: columns
 * absolute, rows relative, as conditional formatting over the data range wants it. Both writers use
 * this text, so a file and a live workbook carry the same rule.
 */
export function rowHighlightFormula(t: TablePlan, rule: RowHighlight): string {
  const row = t.topRow + 2; // 1-based first data row
  const parts = rule.when.flatMap((w) => {
    const ref = `$${columnLetters(t.leftCol + w.column)}${row}`;
    const tests: string[] = [];
    if (w.equals !== undefined) tests.push(`${ref}="${w.equals.replace(/"/g, '""')}"`);
    if (w.nonEmpty) tests.push(`LEN(${ref})>0`);
    // Text sorts above every number in Excel comparisons: only numbers count.
    if (w.greaterThan !== undefined) tests.push(`AND(ISNUMBER(${ref}),${ref}>${w.greaterThan})`);
    return tests;
  });
  if (!parts.length) throw new Error(`row highlight without a test (table ${t.name})`);
  return parts.length === 1 ? parts[0] : `OR(${parts.join(',')})`;
}

export interface PageSetup {
  readonly orientation: 'landscape' | 'portrait';
  readonly paperSize: 'A4';
  readonly fitToWidth: boolean;
  /** 0-based inclusive rows repeated at the top of each printed page. */
  readonly printTitleRows?: readonly [number, number];
}

export interface SheetPlan {
  readonly name: string;
  /**
   * Marks a sheet the add-in made, so that it may replace it later; a user's own sheet with the
   * same name never carries it. Written into `cell` and, in Excel, as the worksheet custom property
   * ADDIN_PROPERTY_KEY with the value `kind`.
   */
  readonly marker?: { readonly cell: { readonly row: number; readonly col: number }; readonly text: string; readonly kind: string };
  readonly cells: readonly FreeCell[];
  readonly tables: readonly TablePlan[];
  /** Character widths by 0-based column (tables' widths win where given). */
  readonly columnWidths?: readonly number[];
  /** Freeze panes below this many rows. */
  readonly freezeRows?: number;
  readonly page?: PageSetup;
  readonly tabColor?: string;
  /** Workbook-scoped names to define once this sheet exists (they refer to its cells). */
  readonly names?: readonly DefinedNamePlan[];
}

/** Cell styles as plain data, shared by both renderers. Colors are RGB hex without `#`. */
export const STYLE = {
  title: { bold: true, size: 14, color: '1F3864' },
  subtitle: { bold: false, size: 11, color: '404040' },
  muted: { italic: true, size: 9, color: '7F7F7F' },
  label: { bold: true, size: 11, color: '000000' },
  header: { bold: true, size: 11, color: 'FFFFFF', fill: '1F4E79' },
  total: { bold: true, size: 11, color: '000000', fill: 'DDEBF7' },
  rows: { award: 'E2EFDA', pending: 'FFF2CC', excluded: 'F2F2F2' },
  tableStyle: 'TableStyleMedium2',
} as const;

export const ADDIN_MARKER_PREFIX = 'Thi đua EVNCPC';
/** Key of the worksheet custom property that marks the add-in's sheets in Excel (ExcelApi 1.12). */
export const ADDIN_PROPERTY_KEY = 'ThiDuaEVNCPC';

export function isFormulaCell(c: PlanCell): c is FormulaCell {
  return typeof c === 'object' && c !== null && typeof (c as FormulaCell).formula === 'string';
}
