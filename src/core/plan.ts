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

export type CellStyle =
  | 'title' | 'subtitle' | 'muted' | 'label' | 'header' | 'total'
  // Print: the national heading block, document titles, section headings, signatures, certificates.
  | 'org' | 'motto' | 'doctitle' | 'status' | 'section' | 'note' | 'sign'
  | 'certTitle' | 'certName' | 'certText' | 'certSmall';
export type HAlign = 'left' | 'center' | 'right';
export type RowStyle = 'award' | 'pending' | 'excluded' | 'section';

export interface FreeCell {
  /** 0-based. */
  readonly row: number;
  readonly col: number;
  readonly value: PlanScalar;
  readonly style?: CellStyle;
  readonly numFmt?: string;
  /** Merge across this many columns (title rows). */
  readonly mergeAcross?: number;
  /** Horizontal alignment (over the merged area); the style's when not given. */
  readonly align?: HAlign;
  /** Wrap the text within the cell (or merged area). */
  readonly wrap?: boolean;
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
  /** Horizontal alignment of the data cells (short numbers centred keep clear of the next text). */
  readonly align?: HAlign;
  /** Wrap long text in the data cells (the row grows) instead of running into the next column. */
  readonly wrap?: boolean;
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
  /** Header cells wrap and centre (long headers over narrow columns stay whole). */
  readonly wrapHeader?: boolean;
  /** Thin borders round every cell of the table (a printed form). */
  readonly borders?: boolean;
  /** Empty rows below the table bordered like it, to fill in by hand on a printed blank form. */
  readonly formRows?: number;
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
  /** Scale the columns to one page wide (the zoom then follows); false prints at `zoom`. */
  readonly fitToWidth: boolean;
  /** Print scale in percent when not fitting to width (issue 10: never below 85). */
  readonly zoom?: number;
  /** 0-based inclusive rows repeated at the top of each printed page. */
  readonly printTitleRows?: readonly [number, number];
  /** 0-based rows that begin a new printed page (a manual break above each). */
  readonly rowBreaks?: readonly number[];
  /** The printed range, 0-based inclusive (rows above it, e.g. the add-in's marker, do not print). */
  readonly printArea?: { readonly r0: number; readonly c0: number; readonly r1: number; readonly c1: number };
  /** Margins in inches. */
  readonly margins?: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number; readonly header: number; readonly footer: number };
  readonly centerHorizontally?: boolean;
  /**
   * Page header and footer on every page, in Excel's codes (`&P` page, `&N` pages), by section.
   * The text is literal: `&` in data is doubled by the plan (see `headerFooterText`).
   */
  readonly header?: HeaderFooter;
  readonly footer?: HeaderFooter;
}

export interface HeaderFooter {
  readonly left?: string;
  readonly center?: string;
  readonly right?: string;
}

/** Text for a header/footer section: `&` doubled so data never reads as a code. */
export function headerFooterText(s: string): string {
  return s.replace(/&/g, '&&');
}

/** The sections as one Excel header/footer string (`&L…&C…&R…`), as `.xlsx` files store it. */
export function headerFooterString(h: HeaderFooter | undefined): string | undefined {
  if (!h) return undefined;
  const out = `${h.left ? `&L${h.left}` : ''}${h.center ? `&C${h.center}` : ''}${h.right ? `&R${h.right}` : ''}`;
  return out || undefined;
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
  /**
   * Row heights in points by 0-based row (wrapped rows sized by the plan, so print is predictable).
   * Long sheets give a sparse array (a record of 100,000+ numeric keys is a slow dictionary):
   * read it by index or with Object.entries, which both forms answer alike.
   */
  readonly rowHeights?: Readonly<Record<number, number>>;
}

/** One cell style as both renderers read it. */
export interface StyleDef {
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
  readonly size: number;
  readonly color: string;
  readonly fill?: string;
  readonly align?: HAlign;
}

/** The font every sheet uses (LibreOffice stands Carlito in for it, with the same metrics). */
export const FONT = 'Calibri';

/** Cell styles as plain data, shared by both renderers. Colors are RGB hex without `#`. */
export const STYLE = {
  title: { bold: true, size: 14, color: '1F3864' },
  subtitle: { bold: false, size: 11, color: '404040' },
  muted: { italic: true, size: 9, color: '7F7F7F' },
  label: { bold: true, size: 11, color: '000000' },
  header: { bold: true, size: 11, color: 'FFFFFF', fill: '1F4E79' },
  total: { bold: true, size: 11, color: '000000', fill: 'DDEBF7' },
  org: { bold: true, size: 11, color: '000000', align: 'center' },
  motto: { bold: true, size: 11, color: '000000', align: 'center', underline: true },
  doctitle: { bold: true, size: 14, color: '000000', align: 'center' },
  status: { bold: true, size: 12, color: 'C00000', align: 'center' },
  section: { bold: true, size: 12, color: '1F3864' },
  note: { italic: true, size: 10, color: '404040' },
  sign: { bold: true, size: 11, color: '000000', align: 'center' },
  certTitle: { bold: true, size: 36, color: 'C00000', align: 'center' },
  certName: { bold: true, size: 22, color: '1F3864', align: 'center' },
  certText: { size: 15, color: '000000', align: 'center' },
  certSmall: { italic: true, size: 13, color: '000000', align: 'center' },
  rows: { award: 'E2EFDA', pending: 'FFF2CC', excluded: 'F2F2F2', section: 'DDEBF7' },
  tableStyle: 'TableStyleMedium2',
} as const;

export const ADDIN_MARKER_PREFIX = 'Thi đua EVNCPC';
/** Key of the worksheet custom property that marks the add-in's sheets in Excel (ExcelApi 1.12). */
export const ADDIN_PROPERTY_KEY = 'ThiDuaEVNCPC';

export function isFormulaCell(c: PlanCell): c is FormulaCell {
  return typeof c === 'object' && c !== null && typeof (c as FormulaCell).formula === 'string';
}
