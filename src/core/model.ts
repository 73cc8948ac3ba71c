/**
 * What the reader produces and the ranking consumes: typed records with the cells they came from,
 * and issues. Record shapes are zod schemas (src/core/schema.ts checks the JSON contract); these
 * are the plain types the engine passes around.
 */
import type { AwardRecord, CriterionRecord, LEVEL, ParamsRecord } from './format';
import type { Message } from './messages';

export type Severity = 'error' | 'warning';

export const ISSUE_CODES = [
  'missing-sheet', 'missing-column', 'missing-value', 'type-error', 'text-number', 'out-of-range',
  'duplicate-key', 'unknown-reference', 'wrong-company', 'inconsistent-total', 'formula-error',
  'missing-row', 'bad-config', 'legacy-encoding', 'unreadable-file', 'bad-decision',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export interface Issue {
  readonly severity: Severity;
  /** File name the issue is in; '' for a single workbook (the master in Excel). */
  readonly file: string;
  readonly sheet: string;
  /** A1 address, or '' where the spec says the cell is empty (missing sheet, missing column). */
  readonly cell: string;
  /** Header (or key) of the field concerned. */
  readonly field: string;
  readonly code: IssueCode;
  /** Vietnamese, for the accountant. */
  readonly message: string;
  readonly messageEn: string;
}

/** An issue as plain data, its texts made now: what to copy or change (a spread of a MessageIssue has no texts). */
export function plainIssue(i: Issue): Issue {
  return { severity: i.severity, file: i.file, sheet: i.sheet, cell: i.cell, field: i.field, code: i.code, message: i.message, messageEn: i.messageEn };
}

/**
 * An issue as the reader and the validator make it: the message's texts are made when read (see
 * Message), through getters, so a spread (`{ ...issue }`) would leave them out: copy one with
 * plainIssue. As JSON, a plain Issue.
 */
export class MessageIssue implements Issue {
  constructor(
    readonly severity: Severity, readonly file: string, readonly sheet: string, readonly cell: string, readonly field: string,
    readonly code: IssueCode, readonly texts: Message,
  ) {}
  get message(): string {
    return this.texts.vi;
  }
  get messageEn(): string {
    return this.texts.en;
  }
  toJSON(): Issue {
    return plainIssue(this);
  }
}

/**
 * Where a record came from: file, sheet, 0-based sheet row, and the 0-based column of each field
 * (shared by all rows of a block, so 100,000 rows cost no per-cell addresses).
 */
export interface Origin {
  readonly file: string;
  /** Index of the file among those ranked together (0 for a single workbook). */
  readonly fileIndex: number;
  readonly sheet: string;
  readonly row: number;
  readonly cols: Readonly<Record<string, number>>;
}

export interface InfoRecord {
  readonly companyCode?: string;
  readonly companyName?: string;
  readonly year?: number;
  readonly preparer?: string;
  readonly phone?: string;
  /** ISO date. */
  readonly date?: string;
  readonly file: string;
  readonly fileIndex: number;
  /** A1 cell of each key's value (keys present on the sheet). */
  readonly cells: Readonly<Record<string, string>>;
}

export type Level = (typeof LEVEL)['company' | 'unit'];

/**
 * The keys of a record's fields that carry an error: almost always none, so no hash set per row
 * (100,000 rows would hold 100,000 empty sets); the few keys live in a short list.
 */
export class FieldSet implements Iterable<string> {
  private list: string[] | undefined;
  constructor(keys?: readonly string[]) {
    if (keys?.length) this.list = [...new Set(keys)];
  }
  get size(): number {
    return this.list === undefined ? 0 : this.list.length;
  }
  has(key: string): boolean {
    return this.list !== undefined && this.list.includes(key);
  }
  add(key: string): this {
    if (this.list === undefined) this.list = [key];
    else if (!this.list.includes(key)) this.list.push(key);
    return this;
  }
  [Symbol.iterator](): Iterator<string> {
    return (this.list ?? []).values();
  }
}

export interface SavingRecord {
  readonly unitCode?: string;
  readonly unitName?: string;
  readonly level?: Level;
  readonly companyCode?: string;
  readonly commercial?: number;
  readonly saved?: number;
  readonly note?: string;
  readonly origin: Origin;
  /**
   * Keys of the fields that carry an error, filled by the reader and the validator; a column
   * missing from the sheet counts as an error field of every row read from it.
   */
  readonly errorFields: FieldSet;
}

export interface ServiceRecord {
  readonly unitCode?: string;
  /** Criterion code → value; absent when blank or invalid. */
  readonly values: Readonly<Record<string, number | undefined>>;
  readonly origin: Origin;
  readonly errorFields: FieldSet;
}

export interface IndividualRecord {
  readonly name?: string;
  readonly unitCode?: string;
  readonly position?: string;
  readonly area?: string;
  readonly achievement?: string;
  readonly points?: number;
  readonly origin: Origin;
  readonly errorFields: FieldSet;
}

/** A row of `Quyết định Hội đồng`: one entry the council awards a place of a tie (decisions.ts). */
export interface DecisionRecord {
  readonly area?: string;
  readonly level?: string;
  readonly unitCode?: string;
  readonly name?: string;
  readonly minutes?: string;
  readonly note?: string;
  readonly origin: Origin;
  readonly errorFields: FieldSet;
}

export interface CriteriaSet {
  readonly params: ParamsRecord;
  readonly criteria: readonly CriterionRecord[];
  readonly awards: readonly AwardRecord[];
  /** Which parts can be used: a part with an error (or missing) decides nothing. */
  readonly ok: {
    readonly criteria: boolean;
    readonly companyThreshold: boolean;
    readonly unitThreshold: boolean;
    readonly minScore: boolean;
    readonly awards: boolean;
  };
  /** A1 of each block's first header cell on `Tiêu chí` (for issues about a whole block). */
  readonly anchors: Readonly<Partial<Record<'ThamSo' | 'TieuChi' | 'GiaiThuong', string>>>;
}

/** One workbook (a submission or the master), read. */
export interface ParsedWorkbook {
  readonly file: string;
  readonly fileIndex: number;
  readonly info: InfoRecord;
  readonly saving: readonly SavingRecord[];
  readonly service: readonly ServiceRecord[];
  readonly individuals: readonly IndividualRecord[];
  readonly criteria: CriteriaSet;
  /** Whether the sheet `Dịch vụ khách hàng` was found (missing-row is reported only then). */
  readonly hasServiceSheet: boolean;
  /** Rows of `Quyết định Hội đồng` (absent or empty when the sheet is missing). */
  readonly decisions?: readonly DecisionRecord[];
  readonly issues: readonly Issue[];
}

/** Several workbooks consolidated, validated, ready to rank. */
export interface Dataset {
  readonly year: number | null;
  readonly criteria: CriteriaSet;
  readonly saving: readonly SavingRecord[];
  readonly service: readonly ServiceRecord[];
  readonly individuals: readonly IndividualRecord[];
  readonly issues: readonly Issue[];
  readonly fingerprint: string;
  /** The council's decisions from every file read (and `--decisions`); applied by `rank`. */
  readonly decisions?: readonly DecisionRecord[];
}

export type CategoryId = 'company-service' | 'company-saving' | 'unit-service' | 'unit-saving' | 'individual';

export interface Award {
  readonly title: string;
  readonly form: string;
  readonly prize: number;
}

export interface Entry {
  readonly rank: number | null;
  readonly code: string;
  readonly name: string;
  readonly value: number | null;
  readonly eligible: boolean;
  readonly award: Award | null;
  readonly pending: boolean;
  readonly note: string;
}

export interface CategoryResult {
  readonly id: CategoryId;
  readonly entries: readonly Entry[];
}

export interface Totals {
  readonly prize: number;
  readonly flags: number;
  readonly certificates: number;
  readonly pending: number;
}

export interface CategoryTotals extends Totals {
  readonly id: CategoryId;
}

export interface Ranking {
  readonly year: number | null;
  readonly fingerprint: string;
  readonly categories: readonly CategoryResult[];
  readonly totals: Totals;
  readonly categoryTotals: readonly CategoryTotals[];
  readonly issues: readonly Issue[];
  /** The thresholds the ranking used (printed in the category headings). */
  readonly params?: ParamsRecord;
  /** Units and companies by code (names and company), for the award list and certificates. */
  readonly units?: Readonly<Record<string, { readonly name: string; readonly companyCode?: string }>>;
}
