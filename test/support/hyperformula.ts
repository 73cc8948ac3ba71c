/**
 * A real formula engine for the workbook's derived cells: HyperFormula (GPL-3.0, test-only) with the
 * `EVN.*` functions registered from the production code (`src/functions/evn.ts`, what functions.ts
 * wraps for Excel). A file is loaded as it is written — formulas, values, defined names — and can be
 * recalculated after cells change. Blank cells reach the functions as Excel on the web passes them
 * (`null`) or as the desktop does (`0`), chosen per workbook.
 */
import { promises as fs } from 'fs';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import {
  CellError, DetailedCellError, ErrorType, FunctionArgumentType, FunctionPlugin, HyperFormula, SimpleRangeValue,
} from 'hyperformula';
import type { CellValue, WorkbookGrid } from '../../src/core/cells';
import { relativizeRels } from '../../scripts/bench/exceljs-cells';
import { checkXlsxZip } from '../../scripts/bench/exceljs-reader';
import { EvnResult, isEvnError, prize, savingEligible, savingPct, serviceScoreFn } from '../../src/functions/evn';

export type Blanks = 'null' | 'zero';

let blanks: Blanks = 'null';

const ERROR_TYPES: Record<string, ErrorType> = {
  '#DIV/0!': ErrorType.DIV_BY_ZERO, '#NUM!': ErrorType.NUM, '#VALUE!': ErrorType.VALUE, '#N/A': ErrorType.NA,
  '#REF!': ErrorType.REF, '#NAME?': ErrorType.NAME,
};

/** A HyperFormula argument as Excel hands it to a custom function: a matrix for a range. */
function excelArg(v: unknown): unknown {
  const cell = (x: unknown): unknown => {
    if (x instanceof CellError) return { code: `#${x.type === ErrorType.DIV_BY_ZERO ? 'DIV/0!' : x.type === ErrorType.NA ? 'N/A' : x.type === ErrorType.NAME ? 'NAME?' : `${x.type}!`}` };
    if (x === null || x === undefined || typeof x === 'symbol') return blanks === 'null' ? null : 0;
    if (typeof x === 'object' && x !== null && 'val' in x) return (x as { val: unknown }).val; // rich numbers
    return x;
  };
  if (v instanceof SimpleRangeValue) return v.rawData().map((row) => row.map(cell));
  return cell(v);
}

function fromResult<T>(r: EvnResult<T>): T | CellError {
  if (!isEvnError(r)) return r.value;
  return new CellError(ERROR_TYPES[r.code] ?? ErrorType.VALUE, r.message);
}

class EvnPlugin extends FunctionPlugin {
  savingpct(ast: never, state: never) {
    return this.runFunction((ast as { args: never }).args, state, this.metadata('EVN.SAVINGPCT'),
      (a: unknown, b: unknown) => fromResult(savingPct(excelArg(a), excelArg(b))));
  }
  savingeligible(ast: never, state: never) {
    return this.runFunction((ast as { args: never }).args, state, this.metadata('EVN.SAVINGELIGIBLE'),
      (a: unknown, b: unknown, t: unknown) => fromResult(savingEligible(excelArg(a), excelArg(b), t === undefined ? null : excelArg(t))));
  }
  servicescore(ast: never, state: never) {
    return this.runFunction((ast as { args: never }).args, state, this.metadata('EVN.SERVICESCORE'),
      (v: unknown, t: unknown, w: unknown, d: unknown) => fromResult(serviceScoreFn(excelArg(v), excelArg(t), excelArg(w), excelArg(d))));
  }
  prize(ast: never, state: never) {
    return this.runFunction((ast as { args: never }).args, state, this.metadata('EVN.PRIZE'),
      (l: unknown, r: unknown, c: unknown) => fromResult(prize(excelArg(l), excelArg(r), c === undefined ? null : excelArg(c))));
  }
}
const RANGE = { argumentType: FunctionArgumentType.RANGE };
const ANY = { argumentType: FunctionArgumentType.ANY };
(EvnPlugin as unknown as { implementedFunctions: unknown }).implementedFunctions = {
  'EVN.SAVINGPCT': { method: 'savingpct', parameters: [RANGE, RANGE] },
  'EVN.SAVINGELIGIBLE': { method: 'savingeligible', parameters: [RANGE, RANGE, { ...ANY, optionalArg: true }] },
  'EVN.SERVICESCORE': { method: 'servicescore', parameters: [RANGE, RANGE, RANGE, RANGE] },
  'EVN.PRIZE': { method: 'prize', parameters: [ANY, ANY, { ...ANY, optionalArg: true }] },
};
const NAMES = ['EVN.SAVINGPCT', 'EVN.SAVINGELIGIBLE', 'EVN.SERVICESCORE', 'EVN.PRIZE'];
HyperFormula.registerFunctionPlugin(EvnPlugin as never, { enGB: Object.fromEntries(NAMES.map((n) => [n, n])), enUS: Object.fromEntries(NAMES.map((n) => [n, n])) });

export interface LoadedBook {
  readonly hf: HyperFormula;
  /** Sheet names in workbook order. */
  readonly sheets: readonly string[];
  /** `sheet!row,col` (0-based) of every formula cell in the file. */
  readonly formulas: ReadonlySet<string>;
  /** Workbook-scoped defined names of the file: name → reference. */
  readonly names: ReadonlyMap<string, string>;
  readonly blanks: Blanks;
}

function unescapeXml(s: string): string {
  return s.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Workbook-scoped names of an .xlsx (sheet-local ones, print titles, are left out). */
export function definedNamesOf(workbookXml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of workbookXml.matchAll(/<definedName\b([^>]*)>([^<]*)<\/definedName>/g)) {
    if (/\blocalSheetId=/.test(m[1])) continue;
    const name = /\bname="([^"]*)"/.exec(m[1])?.[1];
    if (name && !name.startsWith('_xlnm.')) out.set(unescapeXml(name), unescapeXml(m[2]));
  }
  return out;
}

/** Load an .xlsx into HyperFormula as written: values, formulas and defined names. */
export async function loadBook(file: string | Buffer, mode: Blanks = 'null'): Promise<LoadedBook> {
  const buf = typeof file === 'string' ? await fs.readFile(file) : file;
  const zip = await JSZip.loadAsync(buf, { checkCRC32: false });
  // The reader's own repairs (relationship paths, table parts ExcelJS cannot parse).
  await checkXlsxZip(zip, relativizeRels);
  const names = definedNamesOf(await zip.file('xl/workbook.xml')!.async('string'));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await zip.generateAsync({ type: 'nodebuffer' })) as unknown as ExcelJS.Buffer);
  const hf = HyperFormula.buildEmpty({ licenseKey: 'gpl-v3', useColumnIndex: true, smartRounding: false });
  const sheets = wb.worksheets.map((ws) => ws.name);
  for (const s of sheets) hf.addSheet(s);
  for (const [n, ref] of names) hf.addNamedExpression(n, '=' + ref);
  const formulas = new Set<string>();
  for (const ws of wb.worksheets) {
    const rows: (string | number | boolean | null)[][] = [];
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        const line = (rows[r - 1] ??= []);
        const v = cell.value as unknown;
        let out: string | number | boolean | null = null;
        if (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) {
          out = '=' + (cell.formula ?? (v as { formula: string }).formula);
          formulas.add(`${ws.name}!${r - 1},${c - 1}`);
        } else if (v instanceof Date) {
          out = (v.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000;
        } else if (v && typeof v === 'object' && 'richText' in v) {
          out = "'" + (v as { richText: { text: string }[] }).richText.map((t) => t.text).join('');
        } else if (v && typeof v === 'object' && 'text' in v) {
          out = "'" + String((v as { text: unknown }).text);
        } else if (v && typeof v === 'object' && 'error' in v) {
          out = (v as { error: string }).error;
        } else if (typeof v === 'string') {
          out = "'" + v; // text stays text (HyperFormula would parse "0123" or "=…")
        } else if (typeof v === 'number' || typeof v === 'boolean') {
          out = v;
        }
        line[c - 1] = out;
      });
    });
    for (let i = 0; i < rows.length; i++) rows[i] ??= [];
    hf.setSheetContent(hf.getSheetId(ws.name)!, rows.map((r) => Array.from({ length: r.length }, (_, i) => r[i] ?? null)));
  }
  return { hf, sheets, formulas, names, blanks: mode };
}

/** Recalculate under the book's blank mode and return every sheet's values as the reader's grid. */
export function gridOf(book: LoadedBook, file = 'hf.xlsx'): WorkbookGrid {
  blanks = book.blanks;
  book.hf.rebuildAndRecalculate();
  const sheets = book.sheets.map((name) => {
    const values = book.hf.getSheetValues(book.hf.getSheetId(name)!);
    const rows = values.map((r) => r.map((v): CellValue => {
      if (v instanceof DetailedCellError) return { error: v.value };
      if (v === undefined) return null;
      return v as CellValue;
    }));
    return { name, originRow: 0, originCol: 0, rows };
  });
  return { file, sheets };
}

/** Set one cell (0-based) of a sheet; the next gridOf recalculates. */
export function setCell(book: LoadedBook, sheet: string, row: number, col: number, value: string | number | null): void {
  book.hf.setCellContents({ sheet: book.hf.getSheetId(sheet)!, row, col }, [[typeof value === 'string' ? "'" + value : value]]);
}
