/**
 * The test Excel host: executes the RichApi requests that Microsoft's Excel client library sends
 * (`{ Actions, ObjectPaths }`, the JSON `context.sync()` puts on the wire) against a
 * `StandinWorkbook`, and answers the way Excel does:
 * - `Results: [{ ActionId, Value }]`, values keyed by PascalCase property names, collections as
 *   `{ _Items: [...] }`, a null object (`…OrNullObject`) as `null`;
 * - objects with an id (worksheets, tables, table columns) answer their instantiation with `Id`, so
 *   the client can use them in later requests; other objects (ranges) are gone after the request;
 * - actions run in order and a failing one stops the request: what ran before it stays done (Excel
 *   does not roll a batch back), the answer is `Error: { Code, Message, ActionIndex }`;
 * - Excel on the web's limits: a request over 5 MB of JSON is refused whole
 *   (`RequestPayloadSizeLimitExceeded`), a response over 5 MB fails (`ResponsePayloadSizeLimitExceeded`);
 * - members above the host's ExcelApi version fail with `ApiNotFound`; a protected sheet refuses
 *   writes (`AccessDenied`);
 * - a member the host does not implement fails loudly (`NotImplemented`, naming type and member);
 *   it never succeeds silently.
 */
import { a1, errorFromString, isCellError } from '../../../src/core/cells';
import {
  Box, CellModel, ConditionalFormatModel, MAX_COLS, MAX_ROWS, NamedItemModel, REQUEST_LIMIT_BYTES, RESPONSE_LIMIT_BYTES,
  SheetModel, StandinError, StandinWorkbook, TableModel, ValidationModel, boxAddress, parseAddress, quoteSheet, sheetOfAddress,
} from './workbook';

// --- Wire types ----------------------------------------------------------------------------------

interface ArgumentInfo { Arguments?: unknown[]; ReferencedObjectPathIds?: (number | null)[] }
interface ObjectPathInfo { Id: number; ObjectPathType: number; Name: string; ParentObjectPathId?: number; ArgumentInfo?: ArgumentInfo }
interface ActionInfo { Id: number; ActionType: number; Name: string; ObjectPathId: number; ArgumentInfo?: ArgumentInfo; QueryInfo?: { Select?: string[]; Expand?: string[]; Top?: number; Skip?: number } }
export interface RequestBody { Actions: ActionInfo[]; ObjectPaths: Record<string, ObjectPathInfo> }

const enum PathType { GlobalObject = 1, NewObject = 2, Method = 3, Property = 4, Indexer = 5, ReferenceId = 6, NullObject = 7 }
const enum ActionType { Instantiate = 1, Query = 2, Method = 3, SetProperty = 4, Trace = 5, EnsureUnchanged = 6, RecursiveQuery = 7 }

/**
 * The ExcelApi version each member needs (`Type.Member`, or `Type.*`); members not listed are 1.1
 * to 1.8 sets that every SharedRuntime host has. Requests above the host's version fail.
 */
export const REQUIREMENTS: Readonly<Record<string, number>> = {
  'Table.Resize': 1.13,
  'Worksheet.CustomProperties': 1.12,
  'WorksheetCustomPropertyCollection.*': 1.12,
  'WorksheetCustomProperty.*': 1.12,
  'Worksheet.PageLayout': 1.9,
  'Worksheet.HorizontalPageBreaks': 1.9,
  'Worksheet.VerticalPageBreaks': 1.9,
  'Worksheet.Names': 1.4,
  'Worksheet.Protection': 1.2,
  'Worksheet.FreezePanes': 1.7,
  'Worksheet.TabColor': 1.7,
  'Worksheet.GetRangeByIndexes': 1.7,
  'Worksheet.GetUsedRangeOrNullObject': 1.4,
  'WorksheetCollection.GetItemOrNullObject': 1.4,
  'TableCollection.GetItemOrNullObject': 1.4,
  'Range.Hyperlink': 1.7,
  'Range.DataValidation': 1.8,
  'Range.ConditionalFormats': 1.6,
  'RangeFormat.AutofitColumns': 1.2,
  'Workbook.Properties': 1.7,
  'DocumentProperties.*': 1.7,
  'CustomPropertyCollection.*': 1.7,
  'TableColumn.*': 1.1,
};

function requirementOf(type: string, member: string): number {
  return REQUIREMENTS[`${type}.${member}`] ?? REQUIREMENTS[`${type}.*`] ?? 1.1;
}

/** The minor number of an ExcelApi 1.x version given as a number or text (1.13 → 13, 1.7 → 7). */
export function minorOf(v: number | string): number {
  const [major, minor = '0'] = String(v).split('.');
  if (major !== '1') throw new Error(`ExcelApi version ${v} is not 1.x`);
  return Number(minor);
}

const notImplemented = (type: string, member: string, kind: string): StandinError =>
  new StandinError('NotImplemented', `the test Excel host does not implement ${kind} ${type}.${member}; add it to test/support/excel-host/richapi.ts`);

// --- Host objects --------------------------------------------------------------------------------

/** One Excel object as the host sees it. Every member is looked up by its RichApi (PascalCase) name. */
abstract class HostObject {
  abstract readonly type: string;
  constructor(readonly wb: StandinWorkbook) {}
  /** Navigation properties (object-valued). */
  protected navs(): Record<string, () => HostObject | null> { return {}; }
  /** Readable scalar properties. */
  protected getters(): Record<string, () => unknown> { return {}; }
  /** Writable scalar properties. */
  protected setters(): Record<string, (v: unknown) => void> { return {}; }
  /** Methods; those returning objects return HostObject (or null: a null object). */
  protected methods(): Record<string, (...args: unknown[]) => unknown> { return {}; }
  /** Items of a collection, or null. */
  items(): HostObject[] | null { return null; }
  /** What the instantiation answers (`{ Id }` for objects the client may reuse), or undefined. */
  identity(): Record<string, unknown> | undefined { return undefined; }
  /** The sheet whose protection guards writes to this object, if any. */
  guardSheet(): SheetModel | null { return null; }

  nav(name: string): HostObject | null {
    const f = this.navs()[name];
    if (!f) throw notImplemented(this.type, name, 'navigation property');
    return f();
  }
  get(name: string): unknown {
    const f = this.getters()[name];
    if (!f) throw notImplemented(this.type, name, 'property');
    return f();
  }
  set(name: string, v: unknown): void {
    const f = this.setters()[name];
    if (!f) throw notImplemented(this.type, name, 'writable property');
    this.checkWrite();
    f(v);
  }
  call(name: string, args: unknown[]): unknown {
    const f = this.methods()[name];
    if (!f) throw notImplemented(this.type, name, 'method');
    return f(...args);
  }
  index(args: unknown[]): HostObject | null {
    return this.call('GetItem', args) as HostObject | null;
  }
  scalarNames(): string[] {
    return Object.keys(this.getters());
  }
  checkWrite(): void {
    const s = this.guardSheet();
    if (s?.protected) throw new StandinError('AccessDenied', `the sheet "${s.name}" is protected; ${this.type} cannot be changed`);
  }
}

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new StandinError('InvalidArgument', `${what}: expected text, got ${JSON.stringify(v)}`);
  return v;
};
const num = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new StandinError('InvalidArgument', `${what}: expected a number, got ${JSON.stringify(v)}`);
  return v;
};
const bool = (v: unknown, what: string): boolean => {
  if (typeof v !== 'boolean') throw new StandinError('InvalidArgument', `${what}: expected true or false, got ${JSON.stringify(v)}`);
  return v;
};
const oneOf = (v: unknown, allowed: readonly string[], what: string): string => {
  if (typeof v !== 'string' || !allowed.some((a) => a.toLowerCase() === v.toLowerCase())) {
    throw new StandinError('InvalidArgument', `${what}: ${JSON.stringify(v)} is not one of ${allowed.join(', ')}`);
  }
  return allowed.find((a) => a.toLowerCase() === v.toLowerCase())!;
};

// Workbook ---------------------------------------------------------------------------------------

class WorkbookHost extends HostObject {
  readonly type = 'Workbook';
  protected override navs() {
    return {
      Worksheets: () => new WorksheetCollectionHost(this.wb),
      Tables: () => new TableCollectionHost(this.wb, null),
      Names: () => new NamedItemCollectionHost(this.wb, null),
      Properties: () => new DocumentPropertiesHost(this.wb),
    };
  }
  protected override getters() {
    return { Name: () => 'Book1.xlsx', ReadOnly: () => false };
  }
  protected override methods() {
    return {
      GetSelectedRange: () => {
        const sel = this.wb.selection;
        const s = sel ? this.wb.sheet(sel.sheet) : this.wb.activeSheet;
        if (!s) throw new StandinError('ItemNotFound', 'no active sheet');
        return new RangeHost(this.wb, s, parseAddress(sel?.address ?? 'A1'));
      },
      GetActiveWorksheet: () => (this.wb.activeSheet ? new WorksheetHost(this.wb, this.wb.activeSheet) : null),
    };
  }
}

class DocumentPropertiesHost extends HostObject {
  readonly type = 'DocumentProperties';
  protected override navs() {
    return { Custom: () => new CustomPropertyCollectionHost(this.wb) };
  }
}

class CustomPropertyCollectionHost extends HostObject {
  readonly type = 'CustomPropertyCollection';
  override items(): HostObject[] {
    return [...this.wb.customProperties.keys()].map((k) => new CustomPropertyHost(this.wb, k));
  }
  private find(key: string): string | undefined {
    return [...this.wb.customProperties.keys()].find((k) => k.toLowerCase() === key.toLowerCase());
  }
  protected override methods() {
    return {
      Add: (key: unknown, value: unknown) => {
        const k = str(key, 'CustomPropertyCollection.add key');
        const old = this.find(k);
        if (old !== undefined) this.wb.customProperties.delete(old);
        this.wb.customProperties.set(k, value);
        return new CustomPropertyHost(this.wb, k);
      },
      GetItem: (key: unknown) => {
        const k = this.find(str(key, 'key'));
        if (k === undefined) throw new StandinError('ItemNotFound', `no custom property ${String(key)}`);
        return new CustomPropertyHost(this.wb, k);
      },
      GetItemOrNullObject: (key: unknown) => {
        const k = this.find(str(key, 'key'));
        return k === undefined ? null : new CustomPropertyHost(this.wb, k);
      },
      GetCount: () => this.wb.customProperties.size,
      DeleteAll: () => { this.wb.customProperties.clear(); },
    };
  }
}

class CustomPropertyHost extends HostObject {
  readonly type = 'CustomProperty';
  constructor(wb: StandinWorkbook, readonly key: string) { super(wb); }
  protected override getters() {
    const v = () => this.wb.customProperties.get(this.key);
    return { Key: () => this.key, Value: v, Type: () => (typeof v() === 'number' ? 'Number' : typeof v() === 'boolean' ? 'Boolean' : 'String') };
  }
  protected override setters() {
    return { Value: (v: unknown) => { this.wb.customProperties.set(this.key, v); } };
  }
  protected override methods() {
    return { Delete: () => { this.wb.customProperties.delete(this.key); } };
  }
}

// Worksheets -------------------------------------------------------------------------------------

class WorksheetCollectionHost extends HostObject {
  readonly type = 'WorksheetCollection';
  override items(): HostObject[] {
    return this.wb.sheets.map((s) => new WorksheetHost(this.wb, s));
  }
  private find(key: unknown): SheetModel | undefined {
    const k = str(key, 'worksheet name or id');
    return this.wb.sheets.find((s) => s.id === k) ?? this.wb.sheet(k);
  }
  protected override methods() {
    return {
      Add: (name?: unknown) => {
        let n = name === undefined || name === null ? '' : str(name, 'worksheet name');
        if (!n) for (let i = 1; !n || this.wb.sheet(n); i++) n = `Sheet${i}`;
        return new WorksheetHost(this.wb, this.wb.addSheet(n));
      },
      GetItem: (key: unknown) => {
        const s = this.find(key);
        if (!s) throw new StandinError('ItemNotFound', `no worksheet ${String(key)}`);
        return new WorksheetHost(this.wb, s);
      },
      GetItemOrNullObject: (key: unknown) => {
        const s = this.find(key);
        return s ? new WorksheetHost(this.wb, s) : null;
      },
      GetItemAt: (i: unknown) => {
        const s = this.wb.sheets[num(i, 'index')];
        if (!s) throw new StandinError('ItemNotFound', `no worksheet at ${String(i)}`);
        return new WorksheetHost(this.wb, s);
      },
      GetActiveWorksheet: () => {
        if (!this.wb.activeSheet) throw new StandinError('ItemNotFound', 'no active worksheet');
        return new WorksheetHost(this.wb, this.wb.activeSheet);
      },
      GetCount: () => this.wb.sheets.length,
    };
  }
}

class WorksheetHost extends HostObject {
  readonly type = 'Worksheet';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel) { super(wb); }
  private live(): SheetModel {
    if (!this.wb.sheets.includes(this.sheet)) throw new StandinError('ItemNotFound', `the worksheet "${this.sheet.name}" was deleted`);
    return this.sheet;
  }
  override identity() { return { Id: this.sheet.id }; }
  override guardSheet(): SheetModel { return this.sheet; }
  protected override navs() {
    return {
      Tables: () => new TableCollectionHost(this.wb, this.live()),
      FreezePanes: () => new FreezePanesHost(this.wb, this.live()),
      PageLayout: () => new PageLayoutHost(this.wb, this.live()),
      CustomProperties: () => new WorksheetCustomPropertyCollectionHost(this.wb, this.live()),
      Protection: () => new WorksheetProtectionHost(this.wb, this.live()),
      Names: () => new NamedItemCollectionHost(this.wb, this.live()),
      HorizontalPageBreaks: () => new PageBreakCollectionHost(this.wb, this.live(), 'row'),
      VerticalPageBreaks: () => new PageBreakCollectionHost(this.wb, this.live(), 'column'),
    };
  }
  protected override getters() {
    return {
      Name: () => this.live().name,
      Id: () => this.sheet.id,
      Position: () => this.wb.sheets.indexOf(this.live()),
      TabColor: () => this.live().tabColor,
      Visibility: () => this.live().visibility,
      StandardWidth: () => 8.43,
      StandardHeight: () => 15,
    };
  }
  protected override setters() {
    return {
      Name: (v: unknown) => {
        const n = str(v, 'Worksheet.name');
        const other = this.wb.sheet(n);
        if (other && other !== this.sheet) throw new StandinError('ItemAlreadyExists', `sheet ${n} exists`);
        this.live().name = n;
      },
      Position: (v: unknown) => {
        const list = this.wb.sheets;
        list.splice(list.indexOf(this.live()), 1);
        list.splice(Math.max(0, Math.min(num(v, 'position'), list.length)), 0, this.sheet);
      },
      TabColor: (v: unknown) => { this.live().tabColor = str(v, 'tabColor'); },
      Visibility: (v: unknown) => { this.live().visibility = oneOf(v, ['Visible', 'Hidden', 'VeryHidden'], 'visibility'); },
    };
  }
  // Renaming, moving, colouring or deleting a sheet is workbook structure, not sheet content.
  override checkWrite(): void {}
  protected override methods() {
    const box = (r: number, c: number, rows: number, cols: number): Box => {
      if (rows < 1 || cols < 1 || r < 0 || c < 0 || r + rows > MAX_ROWS || c + cols > MAX_COLS) {
        throw new StandinError('InvalidArgument', `getRangeByIndexes(${r}, ${c}, ${rows}, ${cols}) is outside the sheet`);
      }
      return { r0: r, c0: c, r1: r + rows - 1, c1: c + cols - 1 };
    };
    return {
      Activate: () => { this.wb.activeSheet = this.live(); },
      Delete: () => { this.wb.deleteSheet(this.live()); },
      GetRange: (address?: unknown) => new RangeHost(this.wb, this.live(), address === undefined || address === null || address === ''
        ? { r0: 0, c0: 0, r1: MAX_ROWS - 1, c1: MAX_COLS - 1 } : this.rangeOf(str(address, 'address'))),
      GetRangeByIndexes: (r: unknown, c: unknown, rows: unknown, cols: unknown) =>
        new RangeHost(this.wb, this.live(), box(num(r, 'startRow'), num(c, 'startColumn'), num(rows, 'rowCount'), num(cols, 'columnCount'))),
      GetCell: (r: unknown, c: unknown) => new RangeHost(this.wb, this.live(), box(num(r, 'row'), num(c, 'column'), 1, 1)),
      GetUsedRange: (valuesOnly?: unknown) => new RangeHost(this.wb, this.live(), this.live().usedBox(!!valuesOnly) ?? { r0: 0, c0: 0, r1: 0, c1: 0 }),
      GetUsedRangeOrNullObject: (valuesOnly?: unknown) => {
        const b = this.live().usedBox(!!valuesOnly);
        return b ? new RangeHost(this.wb, this.sheet, b) : null;
      },
    };
  }
  /** An address on this sheet, or a defined name. */
  private rangeOf(address: string): Box {
    const named = findName(this.wb, this.sheet, address);
    if (named) {
      const s = sheetOfAddress(named.formula);
      if (s && this.wb.sheet(s) !== this.sheet) throw new StandinError('InvalidArgument', `${address} is on another sheet`);
      return parseAddress(named.formula.replace(/^=/, ''));
    }
    return parseAddress(address);
  }
}

class FreezePanesHost extends HostObject {
  readonly type = 'WorksheetFreezePanes';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel) { super(wb); }
  protected override methods() {
    return {
      FreezeRows: (n: unknown) => { this.sheet.frozenRows = n === undefined ? 1 : num(n, 'count'); },
      FreezeColumns: (n: unknown) => { this.sheet.frozenCols = n === undefined ? 1 : num(n, 'count'); },
      Unfreeze: () => { this.sheet.frozenRows = 0; this.sheet.frozenCols = 0; },
    };
  }
}

const ORIENTATIONS = ['Portrait', 'Landscape'];
const PAPER = ['A3', 'A4', 'A5', 'Letter', 'Legal', 'B4', 'B5', 'Executive', 'Tabloid'];

class PageLayoutHost extends HostObject {
  readonly type = 'PageLayout';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel) { super(wb); }
  private static readonly NUMBERS = ['LeftMargin', 'RightMargin', 'TopMargin', 'BottomMargin', 'HeaderMargin', 'FooterMargin', 'FirstPageNumber'];
  private static readonly BOOLS = ['CenterHorizontally', 'CenterVertically', 'PrintGridlines', 'PrintHeadings', 'BlackAndWhite', 'DraftMode'];
  protected override navs() {
    return { HeadersFooters: () => new HeaderFooterGroupHost(this.wb, this.sheet) };
  }
  protected override getters() {
    const g: Record<string, () => unknown> = {};
    for (const k of ['Orientation', 'PaperSize', 'Zoom', 'PrintOrder', 'PrintErrors', 'PrintComments', ...PageLayoutHost.NUMBERS, ...PageLayoutHost.BOOLS]) {
      g[k] = () => this.sheet.page[lower(k)] ?? null;
    }
    return g;
  }
  protected override setters() {
    const put = (k: string) => (v: unknown) => { this.sheet.page[lower(k)] = v; };
    const s: Record<string, (v: unknown) => void> = {
      Orientation: (v) => { this.sheet.page.orientation = oneOf(v, ORIENTATIONS, 'orientation'); },
      PaperSize: (v) => { this.sheet.page.paperSize = oneOf(v, PAPER, 'paperSize'); },
      Zoom: (v) => {
        const z = v as Record<string, unknown>;
        if (typeof z !== 'object' || z === null) throw new StandinError('InvalidArgument', 'zoom: expected an object');
        // The documented shape: `scale` (10–400), or fit to `horizontalFitToPages` × `verticalFitToPages`, where a
        // dimension not constrained is null; 0 is not documented.
        for (const k of Object.keys(z)) if (!['scale', 'horizontalFitToPages', 'verticalFitToPages'].includes(k)) throw new StandinError('InvalidArgument', `zoom.${k} is not a zoom option`);
        for (const k of ['horizontalFitToPages', 'verticalFitToPages']) {
          if (z[k] !== undefined && z[k] !== null && !(typeof z[k] === 'number' && (z[k] as number) >= 1)) {
            throw new StandinError('InvalidArgument', `zoom.${k} must be a page count of 1 or more, or null; got ${JSON.stringify(z[k])}`);
          }
        }
        if (z.scale !== undefined && z.scale !== null && !(typeof z.scale === 'number' && z.scale >= 10 && z.scale <= 400)) {
          throw new StandinError('InvalidArgument', `zoom.scale ${JSON.stringify(z.scale)} is outside 10–400`);
        }
        this.sheet.page.zoom = { ...z };
      },
      PrintOrder: put('PrintOrder'),
      PrintErrors: put('PrintErrors'),
      PrintComments: put('PrintComments'),
    };
    for (const k of PageLayoutHost.NUMBERS) s[k] = (v) => { this.sheet.page[lower(k)] = num(v, k); };
    for (const k of PageLayoutHost.BOOLS) s[k] = (v) => { this.sheet.page[lower(k)] = bool(v, k); };
    return s;
  }
  protected override methods() {
    const addressOf = (v: unknown): string => (v instanceof RangeHost ? boxAddress(v.box) : str(v, 'address'));
    return {
      SetPrintTitleRows: (v: unknown) => {
        const a = addressOf(v);
        if (!/^\$?\d+(:\$?\d+)?$/.test(a.replace(/^.*!/, '')) && !(v instanceof RangeHost)) throw new StandinError('InvalidArgument', `print title rows must be whole rows like $1:$3, got ${a}`);
        this.sheet.page.printTitleRows = a;
      },
      SetPrintTitleColumns: (v: unknown) => { this.sheet.page.printTitleColumns = addressOf(v); },
      SetPrintArea: (v: unknown) => {
        const a = addressOf(v);
        for (const part of a.split(',')) parseAddress(part);
        this.sheet.page.printArea = a;
      },
      SetPrintMargins: (unit: unknown, options: unknown) => {
        const factor = oneOf(unit, ['Points', 'Inches', 'Centimeters'], 'unit') === 'Inches' ? 72 : unit === 'Centimeters' ? 72 / 2.54 : 1;
        for (const [k, v] of Object.entries(options as Record<string, number>)) {
          if (!['top', 'bottom', 'left', 'right', 'header', 'footer'].includes(k)) throw new StandinError('InvalidArgument', `margin ${k}`);
          this.sheet.page[`${k}Margin`] = num(v, k) * factor;
        }
      },
      GetPrintArea: () => { throw notImplemented(this.type, 'GetPrintArea', 'method'); },
    };
  }
}

const lower = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
const upper = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

class HeaderFooterGroupHost extends HostObject {
  readonly type = 'HeaderFooterGroup';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel) { super(wb); }
  protected override navs() {
    const part = (which: string) => () => new HeaderFooterHost(this.wb, this.sheet, which);
    return { DefaultForAllPages: part('defaultForAllPages'), FirstPage: part('firstPage'), EvenPages: part('evenPages'), OddPages: part('oddPages') };
  }
  protected override getters() {
    return { State: () => this.sheet.page.headerFooterState ?? 'Default', UseSheetMargins: () => true, UseSheetScale: () => true };
  }
  protected override setters() {
    return {
      State: (v: unknown) => { this.sheet.page.headerFooterState = oneOf(v, ['Default', 'FirstAndDefault', 'OddAndEven', 'FirstOddAndEven'], 'state'); },
      UseSheetMargins: (v: unknown) => { this.sheet.page.headerFooterUseSheetMargins = bool(v, 'useSheetMargins'); },
      UseSheetScale: (v: unknown) => { this.sheet.page.headerFooterUseSheetScale = bool(v, 'useSheetScale'); },
    };
  }
}

class HeaderFooterHost extends HostObject {
  readonly type = 'HeaderFooter';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel, readonly which: string) { super(wb); }
  private static readonly PARTS = ['LeftHeader', 'CenterHeader', 'RightHeader', 'LeftFooter', 'CenterFooter', 'RightFooter'];
  protected override getters() {
    return Object.fromEntries(HeaderFooterHost.PARTS.map((p) => [p, () => this.sheet.headerFooter[`${this.which}.${lower(p)}`] ?? '']));
  }
  protected override setters() {
    return Object.fromEntries(HeaderFooterHost.PARTS.map((p) => [p, (v: unknown) => {
      const t = str(v, p);
      if (t.length > 255) throw new StandinError('InvalidArgument', `${p} of ${t.length} characters (Excel takes 255)`);
      this.sheet.headerFooter[`${this.which}.${lower(p)}`] = t;
    }]));
  }
}

class PageBreakCollectionHost extends HostObject {
  readonly type = 'PageBreakCollection';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel, readonly dir: 'row' | 'column') { super(wb); }
  private list(): number[] { return this.dir === 'row' ? this.sheet.rowBreaks : this.sheet.columnBreaks; }
  protected override methods() {
    return {
      Add: (where: unknown) => {
        const b = where instanceof RangeHost ? where.box : parseAddress(str(where, 'pageBreakRange'));
        const at = this.dir === 'row' ? b.r0 : b.c0;
        if (at === 0) throw new StandinError('InvalidArgument', 'a page break cannot be before the first row or column');
        if (!this.list().includes(at)) this.list().push(at);
        this.list().sort((x, y) => x - y);
        return null;
      },
      RemovePageBreaks: () => { this.list().length = 0; },
      GetCount: () => this.list().length,
    };
  }
}

class WorksheetProtectionHost extends HostObject {
  readonly type = 'WorksheetProtection';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel) { super(wb); }
  protected override getters() {
    return { Protected: () => this.sheet.protected, Options: () => ({ ...this.sheet.protectionOptions }) };
  }
  protected override methods() {
    return {
      Protect: (options?: unknown, password?: unknown) => {
        if (this.sheet.protected) throw new StandinError('InvalidOperation', `the sheet "${this.sheet.name}" is already protected`);
        this.sheet.protected = true;
        this.sheet.protectionOptions = (options as Record<string, unknown>) ?? {};
        this.sheet.protectionPassword = password === undefined || password === null ? undefined : str(password, 'password');
      },
      Unprotect: (password?: unknown) => {
        if (this.sheet.protectionPassword !== undefined && password !== this.sheet.protectionPassword) {
          throw new StandinError('InvalidArgument', 'wrong password');
        }
        this.sheet.protected = false;
      },
    };
  }
}

function findProperty(s: SheetModel, key: string): string | undefined {
  const k = key.toLowerCase();
  return [...s.customProperties.keys()].find((x) => x.toLowerCase() === k);
}

class WorksheetCustomPropertyCollectionHost extends HostObject {
  readonly type = 'WorksheetCustomPropertyCollection';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel) { super(wb); }
  override items(): HostObject[] {
    return [...this.sheet.customProperties.keys()].map((k) => new WorksheetCustomPropertyHost(this.wb, this.sheet, k));
  }
  protected override methods() {
    return {
      Add: (key: unknown, value: unknown) => {
        const k = str(key, 'key');
        if (!k || k.length > 255) throw new StandinError('InvalidArgument', `custom property key of ${k.length} characters`);
        const old = findProperty(this.sheet, k);
        if (old !== undefined) this.sheet.customProperties.delete(old);
        this.sheet.customProperties.set(k, String(value));
        return new WorksheetCustomPropertyHost(this.wb, this.sheet, k);
      },
      GetItem: (key: unknown) => {
        const k = findProperty(this.sheet, str(key, 'key'));
        if (k === undefined) throw new StandinError('ItemNotFound', `no custom property ${String(key)}`);
        return new WorksheetCustomPropertyHost(this.wb, this.sheet, k);
      },
      GetItemOrNullObject: (key: unknown) => {
        const k = findProperty(this.sheet, str(key, 'key'));
        return k === undefined ? null : new WorksheetCustomPropertyHost(this.wb, this.sheet, k);
      },
      GetCount: () => this.sheet.customProperties.size,
    };
  }
}

class WorksheetCustomPropertyHost extends HostObject {
  readonly type = 'WorksheetCustomProperty';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel, readonly key: string) { super(wb); }
  protected override getters() {
    return { Key: () => this.key, Value: () => this.sheet.customProperties.get(this.key) };
  }
  protected override setters() {
    return { Value: (v: unknown) => { this.sheet.customProperties.set(this.key, String(v)); } };
  }
  protected override methods() {
    return { Delete: () => { this.sheet.customProperties.delete(this.key); } };
  }
}

// Names ------------------------------------------------------------------------------------------

function findName(wb: StandinWorkbook, sheet: SheetModel | null, name: string): NamedItemModel | undefined {
  const k = name.toLowerCase();
  return (sheet ? sheet.names.find((n) => n.name.toLowerCase() === k) : undefined) ?? wb.names.find((n) => n.name.toLowerCase() === k);
}

class NamedItemCollectionHost extends HostObject {
  readonly type = 'NamedItemCollection';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel | null) { super(wb); }
  private list(): NamedItemModel[] { return this.sheet ? this.sheet.names : this.wb.names; }
  override items(): HostObject[] {
    return this.list().map((n) => new NamedItemHost(this.wb, n));
  }
  protected override methods() {
    const find = (name: unknown) => this.list().find((n) => n.name.toLowerCase() === str(name, 'name').toLowerCase());
    return {
      Add: (name: unknown, reference: unknown, comment?: unknown) => {
        const n = str(name, 'name');
        if (!/^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(n) || /^[A-Z]{1,3}\d+$/i.test(n) || /^R\d*C\d*$/i.test(n)) throw new StandinError('InvalidArgument', `${n} is not a valid name`);
        if (find(n)) throw new StandinError('ItemAlreadyExists', `the name ${n} exists`);
        const formula = reference instanceof RangeHost
          ? `=${quoteSheet(reference.sheet.name)}!${absolute(reference.box)}`
          : (() => { const r = str(reference, 'reference'); return r.startsWith('=') ? r : `=${r}`; })();
        const item: NamedItemModel = { name: n, formula, visible: true, comment: comment === undefined ? undefined : String(comment), sheet: this.sheet ?? undefined };
        this.list().push(item);
        return new NamedItemHost(this.wb, item);
      },
      GetItem: (name: unknown) => {
        const n = find(name);
        if (!n) throw new StandinError('ItemNotFound', `no name ${String(name)}`);
        return new NamedItemHost(this.wb, n);
      },
      GetItemOrNullObject: (name: unknown) => {
        const n = find(name);
        return n ? new NamedItemHost(this.wb, n) : null;
      },
      GetCount: () => this.list().length,
    };
  }
}

const absolute = (b: Box): string => boxAddress(b).split(':').map((p) => p.replace(/^([A-Z]+)(\d+)$/, '$$$1$$$2')).join(':');

class NamedItemHost extends HostObject {
  readonly type = 'NamedItem';
  constructor(wb: StandinWorkbook, readonly item: NamedItemModel) { super(wb); }
  protected override getters() {
    return {
      Name: () => this.item.name, Formula: () => this.item.formula, Comment: () => this.item.comment ?? '', Visible: () => this.item.visible,
      Type: () => 'Range', Scope: () => (this.item.sheet ? 'Worksheet' : 'Workbook'), Value: () => this.item.formula.replace(/^=/, ''),
    };
  }
  protected override setters() {
    return {
      Visible: (v: unknown) => { this.item.visible = bool(v, 'visible'); },
      Comment: (v: unknown) => { this.item.comment = str(v, 'comment'); },
      Formula: (v: unknown) => { this.item.formula = str(v, 'formula'); },
    };
  }
  protected override methods() {
    const range = (): RangeHost | null => {
      const s = sheetOfAddress(this.item.formula);
      const sheet = s ? this.wb.sheet(s) : this.item.sheet;
      return sheet ? new RangeHost(this.wb, sheet, parseAddress(this.item.formula.replace(/^=/, ''))) : null;
    };
    return {
      Delete: () => {
        const list = this.item.sheet ? this.item.sheet.names : this.wb.names;
        list.splice(list.indexOf(this.item), 1);
      },
      GetRange: () => {
        const r = range();
        if (!r) throw new StandinError('InvalidOperation', `${this.item.name} is not a range`);
        return r;
      },
      GetRangeOrNullObject: () => range(),
    };
  }
}

// Tables -----------------------------------------------------------------------------------------

let nextTableId = 1;

function tableOverlaps(wb: StandinWorkbook, sheet: SheetModel, b: Box, except?: TableModel): boolean {
  return wb.tables.some((t) => t !== except && t.sheet === sheet && !(b.r1 < t.r0 || b.r0 > t.r1 || b.c1 < t.c0 || b.c0 > t.c1));
}

class TableCollectionHost extends HostObject {
  readonly type = 'TableCollection';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel | null) { super(wb); }
  override guardSheet(): SheetModel | null { return this.sheet; }
  private list(): TableModel[] { return this.wb.tables.filter((t) => !this.sheet || t.sheet === this.sheet); }
  override items(): HostObject[] { return this.list().map((t) => new TableHost(this.wb, t)); }
  private find(key: unknown): TableModel | undefined {
    const k = str(key, 'table name or id').toLowerCase();
    return this.list().find((t) => t.id.toLowerCase() === k || t.name.toLowerCase() === k);
  }
  protected override methods() {
    return {
      Add: (where: unknown, hasHeaders: unknown) => {
        let sheet: SheetModel | null | undefined = this.sheet;
        let b: Box;
        if (where instanceof RangeHost) {
          sheet = where.sheet;
          b = where.box;
        } else {
          const a = str(where, 'address');
          const s = sheetOfAddress(a);
          if (s) sheet = this.wb.sheet(s);
          b = parseAddress(a);
        }
        if (!sheet) throw new StandinError('InvalidArgument', `no sheet for a table at ${String(where)}`);
        if (sheet.protected) throw new StandinError('AccessDenied', `the sheet "${sheet.name}" is protected`);
        if (!bool(hasHeaders, 'hasHeaders')) throw new StandinError('NotImplemented', 'the test Excel host only makes tables with headers');
        if (tableOverlaps(this.wb, sheet, b)) throw new StandinError('InvalidOperation', 'tables cannot overlap');
        let n = 1;
        while (this.wb.tables.some((t) => t.name === `Table${n}`)) n++;
        const t: TableModel = { name: `Table${n}`, id: String(nextTableId++), sheet, ...b, calculated: new Map() };
        // Excel turns the header cells into text column names; blank headers become Column1, Column2…
        for (let c = b.c0; c <= b.c1; c++) {
          const m = sheet.cell(b.r0, c);
          if (!m || m.v === null || m.v === '') sheet.touch(b.r0, c).v = `Column${c - b.c0 + 1}`;
        }
        this.wb.tables.push(t);
        return new TableHost(this.wb, t);
      },
      GetItem: (key: unknown) => {
        const t = this.find(key);
        if (!t) throw new StandinError('ItemNotFound', `no table ${String(key)}`);
        return new TableHost(this.wb, t);
      },
      GetItemOrNullObject: (key: unknown) => {
        const t = this.find(key);
        return t ? new TableHost(this.wb, t) : null;
      },
      GetItemAt: (i: unknown) => {
        const t = this.list()[num(i, 'index')];
        if (!t) throw new StandinError('ItemNotFound', `no table at ${String(i)}`);
        return new TableHost(this.wb, t);
      },
      GetCount: () => this.list().length,
    };
  }
}

/** Data rows of a table (header excluded): first and last row, 0-based. */
const bodyRows = (t: TableModel): { from: number; to: number } => ({ from: t.r0 + 1, to: t.r1 - (t.showTotals ? 1 : 0) });

class TableHost extends HostObject {
  readonly type = 'Table';
  constructor(wb: StandinWorkbook, readonly table: TableModel) { super(wb); }
  private live(): TableModel {
    if (!this.wb.tables.includes(this.table)) throw new StandinError('ItemNotFound', `the table ${this.table.name} was deleted`);
    return this.table;
  }
  override identity() { return { Id: this.table.id }; }
  override guardSheet(): SheetModel { return this.table.sheet; }
  protected override navs() {
    return {
      Columns: () => new TableColumnCollectionHost(this.wb, this.live()),
      Rows: () => new TableRowCollectionHost(this.wb, this.live()),
      Worksheet: () => new WorksheetHost(this.wb, this.live().sheet),
    };
  }
  protected override getters() {
    return {
      Name: () => this.live().name, Id: () => this.table.id, Style: () => this.live().style ?? 'TableStyleMedium2',
      ShowBandedRows: () => this.live().showBandedRows ?? true, ShowFilterButton: () => this.live().showFilterButton ?? true,
      ShowHeaders: () => true, ShowTotals: () => !!this.live().showTotals,
    };
  }
  protected override setters() {
    return {
      Name: (v: unknown) => {
        const n = str(v, 'Table.name');
        if (!/^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(n) || /^[A-Z]{1,3}\d+$/i.test(n)) throw new StandinError('InvalidArgument', `${n} is not a valid table name`);
        if (this.wb.tables.some((x) => x !== this.table && x.name.toLowerCase() === n.toLowerCase()) || this.wb.names.some((x) => x.name.toLowerCase() === n.toLowerCase())) {
          throw new StandinError('InvalidArgument', `the table name ${n} is taken`);
        }
        this.live().name = n;
      },
      Style: (v: unknown) => { this.live().style = str(v, 'style'); },
      ShowBandedRows: (v: unknown) => { this.live().showBandedRows = bool(v, 'showBandedRows'); },
      ShowFilterButton: (v: unknown) => { this.live().showFilterButton = bool(v, 'showFilterButton'); },
    };
  }
  protected override methods() {
    return {
      GetRange: () => { const t = this.live(); return new RangeHost(this.wb, t.sheet, { r0: t.r0, c0: t.c0, r1: t.r1, c1: t.c1 }); },
      GetHeaderRowRange: () => { const t = this.live(); return new RangeHost(this.wb, t.sheet, { r0: t.r0, c0: t.c0, r1: t.r0, c1: t.c1 }); },
      GetDataBodyRange: () => {
        const t = this.live();
        const { from, to } = bodyRows(t);
        return new RangeHost(this.wb, t.sheet, { r0: from, c0: t.c0, r1: Math.max(from, to), c1: t.c1 });
      },
      Resize: (where: unknown) => {
        const t = this.live();
        this.checkWrite();
        const b = where instanceof RangeHost ? where.box : parseAddress(str(where, 'address'));
        const s = where instanceof RangeHost ? where.sheet : (sheetOfAddress(String(where)) ? this.wb.sheet(sheetOfAddress(String(where))!) : t.sheet);
        if (s !== t.sheet) throw new StandinError('InvalidArgument', 'a table stays on its sheet');
        if (b.r0 !== t.r0 || b.c0 !== t.c0 || b.c1 !== t.c1) throw new StandinError('InvalidArgument', 'the test host resizes a table by rows only, keeping its header row');
        if (b.r1 <= t.r0) throw new StandinError('InvalidArgument', 'a table keeps at least one data row');
        if (tableOverlaps(this.wb, t.sheet, b, t)) throw new StandinError('InvalidOperation', 'the resized table would overlap another table');
        const oldEnd = t.r1;
        t.r1 = b.r1;
        // Calculated columns fill the rows the table gains.
        for (const [c, f] of t.calculated) for (let r = oldEnd + 1; r <= t.r1; r++) setFormula(t.sheet.touch(r, t.c0 + c), shiftFormula(f, r - (t.r0 + 1)));
      },
      Delete: () => { this.wb.tables.splice(this.wb.tables.indexOf(this.live()), 1); },
      ConvertToRange: () => { this.wb.tables.splice(this.wb.tables.indexOf(this.live()), 1); return new RangeHost(this.wb, this.table.sheet, this.table); },
    };
  }
}

class TableColumnCollectionHost extends HostObject {
  readonly type = 'TableColumnCollection';
  constructor(wb: StandinWorkbook, readonly table: TableModel) { super(wb); }
  override items(): HostObject[] {
    return Array.from({ length: this.table.c1 - this.table.c0 + 1 }, (_, i) => new TableColumnHost(this.wb, this.table, i));
  }
  private find(key: unknown): number {
    if (typeof key === 'number') return key - 1; // by id (1-based)
    const k = str(key, 'column name').toLowerCase();
    for (let c = this.table.c0; c <= this.table.c1; c++) if (String(this.table.sheet.cell(this.table.r0, c)?.v ?? '').toLowerCase() === k) return c - this.table.c0;
    const asId = Number(key);
    return Number.isInteger(asId) && asId >= 1 ? asId - 1 : -1;
  }
  protected override methods() {
    const at = (i: number) => {
      if (i < 0 || i > this.table.c1 - this.table.c0) return null;
      return new TableColumnHost(this.wb, this.table, i);
    };
    return {
      GetItem: (key: unknown) => at(this.find(key)) ?? (() => { throw new StandinError('ItemNotFound', `no column ${String(key)} in ${this.table.name}`); })(),
      GetItemOrNullObject: (key: unknown) => at(this.find(key)),
      GetItemAt: (i: unknown) => at(num(i, 'index')) ?? (() => { throw new StandinError('ItemNotFound', `no column ${String(i)} in ${this.table.name}`); })(),
      GetCount: () => this.table.c1 - this.table.c0 + 1,
    };
  }
}

class TableColumnHost extends HostObject {
  readonly type = 'TableColumn';
  constructor(wb: StandinWorkbook, readonly table: TableModel, readonly offset: number) { super(wb); }
  override identity() { return { Id: this.offset + 1 }; }
  override guardSheet(): SheetModel { return this.table.sheet; }
  private col(): number { return this.table.c0 + this.offset; }
  protected override getters() {
    return { Id: () => this.offset + 1, Index: () => this.offset, Name: () => String(this.table.sheet.cell(this.table.r0, this.col())?.v ?? '') };
  }
  protected override setters() {
    return { Name: (v: unknown) => { this.table.sheet.touch(this.table.r0, this.col()).v = str(v, 'name'); } };
  }
  protected override methods() {
    const c = this.col();
    return {
      GetRange: () => new RangeHost(this.wb, this.table.sheet, { r0: this.table.r0, c0: c, r1: this.table.r1, c1: c }),
      GetHeaderRowRange: () => new RangeHost(this.wb, this.table.sheet, { r0: this.table.r0, c0: c, r1: this.table.r0, c1: c }),
      GetDataBodyRange: () => {
        const { from, to } = bodyRows(this.table);
        return new RangeHost(this.wb, this.table.sheet, { r0: from, c0: c, r1: Math.max(from, to), c1: c });
      },
    };
  }
}

class TableRowCollectionHost extends HostObject {
  readonly type = 'TableRowCollection';
  constructor(wb: StandinWorkbook, readonly table: TableModel) { super(wb); }
  override guardSheet(): SheetModel { return this.table.sheet; }
  protected override getters() {
    return { Count: () => this.table.r1 - this.table.r0 };
  }
  protected override methods() {
    return {
      GetCount: () => this.table.r1 - this.table.r0,
      Add: (index: unknown, values: unknown) => {
        this.checkWrite();
        if (index !== null && index !== undefined && index !== -1) throw new StandinError('NotImplemented', 'the test host appends table rows only (index null)');
        const t = this.table;
        const rows = Array.isArray(values) ? values as unknown[][] : [[]];
        const width = t.c1 - t.c0 + 1;
        const grow: Box = { r0: t.r0, c0: t.c0, r1: t.r1 + rows.length, c1: t.c1 };
        if (tableOverlaps(this.wb, t.sheet, grow, t)) throw new StandinError('InvalidOperation', 'the table would overlap another table');
        const start = t.r1 + 1;
        t.r1 += rows.length;
        rows.forEach((row, i) => {
          if (row.length && row.length !== width) throw new StandinError('InvalidArgument', `row of ${row.length} values for ${width} columns`);
          for (let c = 0; c < width; c++) {
            const f = t.calculated.get(c);
            const m = t.sheet.touch(start + i, t.c0 + c);
            if (row.length && row[c] !== null && row[c] !== undefined && row[c] !== '') storeValue(m, row[c], false);
            else if (f) setFormula(m, shiftFormula(f, start + i - (t.r0 + 1)));
          }
        });
        return null;
      },
    };
  }
}

// Ranges -----------------------------------------------------------------------------------------

function forEachCell(b: Box, fn: (r: number, c: number, i: number, j: number) => void): void {
  for (let r = b.r0; r <= b.r1; r++) for (let c = b.c0; c <= b.c1; c++) fn(r, c, r - b.r0, c - b.c0);
}

const cellsOf = (b: Box): number => (b.r1 - b.r0 + 1) * (b.c1 - b.c0 + 1);

/**
 * A written 2-D array must have the range's shape. A single value for a multi-cell range is taken
 * only where `scalarOk` (Office.js documents it for none of values/formulas/numberFormat; Excel
 * happens to broadcast values, so only number formats are held to the letter).
 */
function cellArg(b: Box, arg: unknown, what: string, scalarOk: boolean): (i: number, j: number) => unknown {
  const rows = b.r1 - b.r0 + 1;
  const cols = b.c1 - b.c0 + 1;
  if (!Array.isArray(arg)) {
    if (!scalarOk && rows * cols > 1) throw new StandinError('InvalidArgument', `${what}: a single value for a ${rows}×${cols} range; give a ${rows}×${cols} array`);
    return () => arg;
  }
  if (arg.length !== rows || arg.some((row) => !Array.isArray(row) || row.length !== cols)) {
    throw new StandinError('InvalidArgument', `${what}: the array is ${arg.length}×${(arg[0] as unknown[] | undefined)?.length ?? 0}, the range ${rows}×${cols}`);
  }
  return (i, j) => (arg as unknown[][])[i][j];
}

function setFormula(m: CellModel, f: string): void {
  m.f = f;
  m.v = null; // the host does not calculate
}

function storeValue(m: CellModel, v: unknown, asFormula: boolean): void {
  if (v === null || v === undefined) return; // null leaves the cell unchanged
  delete m.f;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new StandinError('InvalidArgument', `not a finite number: ${v}`);
    m.v = v;
  } else if (typeof v === 'boolean') m.v = v;
  else if (typeof v === 'string') {
    if (v === '') m.v = null;
    else if (v.startsWith("'")) m.v = v.slice(1);
    else if (m.fmt === '@') m.v = v;
    else if (v.startsWith('=') && v.length > 1) setFormula(m, v);
    else if (!asFormula && errorFromString(v)) m.v = errorFromString(v);
    else m.v = v;
  } else throw new StandinError('InvalidArgument', `unsupported cell value ${JSON.stringify(v)}`);
}

/** Cell references of a formula outside string literals, as `{ start, end, col, row, absRow }`. */
function cellRefsOf(f: string): { start: number; end: number; absRow: boolean; row: number }[] {
  const out: { start: number; end: number; absRow: boolean; row: number }[] = [];
  const re = /(?<![A-Za-z0-9_.\]])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(])/g;
  let inString = false;
  let segStart = 0;
  const scan = (seg: string, offset: number) => {
    for (const m of seg.matchAll(re)) out.push({ start: offset + m.index! + m[1].length + m[2].length, end: offset + m.index! + m[0].length, absRow: m[3] === '$', row: Number(m[4]) });
  };
  for (let i = 0; i <= f.length; i++) {
    if (i === f.length || f[i] === '"') {
      if (!inString) scan(f.slice(segStart, i), segStart);
      inString = !inString;
      segStart = i + 1;
    }
  }
  return out;
}

/** The formula with its relative row references moved down by `d` rows (as Excel fills). */
export function shiftFormula(f: string, d: number): string {
  if (!d) return f;
  let s = f;
  for (const ref of cellRefsOf(f).reverse()) {
    if (ref.absRow) continue;
    const row = ref.row + d;
    s = s.slice(0, ref.start) + (ref.absRow ? '$' : '') + String(row) + s.slice(ref.end);
  }
  return s.replace(/\$(\$)/g, '$1');
}

/** Are these formulas one formula filled down (the same in R1C1 terms)? */
function sameFilledDown(formulas: string[]): boolean {
  return formulas.every((f, i) => shiftFormula(formulas[0], i) === f);
}

class RangeHost extends HostObject {
  readonly type = 'Range';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel, readonly box: Box) { super(wb); }
  override guardSheet(): SheetModel { return this.sheet; }
  private grid<V>(fn: (m: CellModel | undefined, r: number, c: number) => V): V[][] {
    if (cellsOf(this.box) > 5_000_000) throw new StandinError('InvalidArgument', 'the range is too large to read cell by cell');
    const out: V[][] = [];
    for (let r = this.box.r0; r <= this.box.r1; r++) {
      const row: V[] = [];
      for (let c = this.box.c0; c <= this.box.c1; c++) row.push(fn(this.sheet.cell(r, c), r, c));
      out.push(row);
    }
    return out;
  }
  private writeCells(fn: (m: CellModel, i: number, j: number) => void): void {
    if (cellsOf(this.box) > 5_000_000) throw new StandinError('InvalidArgument', 'the range is too large to format cell by cell');
    forEachCell(this.box, (r, c, i, j) => {
      const m = this.sheet.touch(r, c);
      fn(m, i, j);
      // A blank cell in the General format is no cell at all (Excel keeps nothing for it).
      if (m.v === null && m.f === undefined && (m.fmt === undefined || m.fmt === 'General') && Object.keys(m).every((k) => k === 'v' || k === 'fmt')) {
        this.sheet.cells.delete(SheetModel.key(r, c));
      }
    });
  }
  /** Writes into one part of a merged area are refused, as Excel does for values. */
  protected override navs() {
    return {
      Format: () => new RangeFormatHost(this.wb, this),
      DataValidation: () => new DataValidationHost(this.wb, this),
      ConditionalFormats: () => new ConditionalFormatCollectionHost(this.wb, this),
      Worksheet: () => new WorksheetHost(this.wb, this.sheet),
    };
  }
  protected override getters() {
    const blank = this.wb.blanks === 'null' ? null : '';
    const value = (m: CellModel | undefined) => (m === undefined || m.v === null ? (m?.f ? 0 : blank) : isCellError(m.v) ? m.v.error : m.v);
    return {
      Address: () => `${quoteSheet(this.sheet.name)}!${boxAddress(this.box)}`,
      AddressLocal: () => `${quoteSheet(this.sheet.name)}!${boxAddress(this.box)}`,
      RowIndex: () => this.box.r0,
      ColumnIndex: () => this.box.c0,
      RowCount: () => this.box.r1 - this.box.r0 + 1,
      ColumnCount: () => this.box.c1 - this.box.c0 + 1,
      CellCount: () => cellsOf(this.box),
      Values: () => this.grid(value),
      ValueTypes: () => this.grid((m) => (m === undefined || (m.v === null && !m.f) ? 'Empty'
        : m.v === null ? 'Double' : isCellError(m.v) ? 'Error' : typeof m.v === 'number' ? 'Double' : typeof m.v === 'boolean' ? 'Boolean' : 'String')),
      Formulas: () => this.grid((m) => (m?.f ?? (m === undefined || m.v === null ? '' : isCellError(m.v) ? m.v.error : m.v))),
      NumberFormat: () => this.grid((m) => m?.fmt ?? 'General'),
      Text: () => this.grid((m) => (m?.v === null || m === undefined ? '' : String(isCellError(m.v) ? m.v.error : m.v))),
      Hyperlink: () => {
        const m = this.sheet.cell(this.box.r0, this.box.c0);
        return m?.link ? { documentReference: m.link, textToDisplay: String(m.v ?? '') } : null;
      },
    };
  }
  protected override setters() {
    return {
      Values: (v: unknown) => {
        const at = cellArg(this.box, v, 'values', true);
        this.checkMerged();
        this.writeCells((m, i, j) => storeValue(m, at(i, j), false));
      },
      Formulas: (v: unknown) => {
        const at = cellArg(this.box, v, 'formulas', true);
        this.checkMerged();
        this.writeCells((m, i, j) => storeValue(m, at(i, j), true));
        this.recordCalculatedColumn(v);
      },
      NumberFormat: (v: unknown) => {
        const at = cellArg(this.box, v, 'numberFormat', false);
        this.writeCells((m, i, j) => {
          const x = at(i, j);
          if (x === null || x === undefined) return;
          // General is every cell's format until another is set: the host keeps no format for it.
          if (str(x, 'numberFormat') === 'General') delete m.fmt;
          else m.fmt = x as string;
        });
      },
      Hyperlink: (v: unknown) => {
        const h = v as { documentReference?: string; address?: string; textToDisplay?: string; screenTip?: string } | null;
        if (h === null || typeof h !== 'object') throw new StandinError('InvalidArgument', 'hyperlink: expected an object');
        for (const k of Object.keys(h)) if (!['documentReference', 'address', 'textToDisplay', 'screenTip'].includes(k)) throw new StandinError('InvalidArgument', `hyperlink.${k}`);
        this.writeCells((m) => {
          m.link = h.documentReference ?? h.address ?? '';
          // The text shown: Excel writes it into the cell; an empty cell gets it here, a filled one keeps its value.
          if (h.textToDisplay !== undefined && m.v === null && !m.f) storeValue(m, h.textToDisplay, false);
        });
      },
    };
  }
  private checkMerged(): void {
    // A write that covers part of a merged area fails in Excel.
    for (const m of this.sheet.merges) {
      const b = parseAddress(m.split(' ')[0]);
      const inter = !(b.r1 < this.box.r0 || b.r0 > this.box.r1 || b.c1 < this.box.c0 || b.c0 > this.box.c1);
      const covers = this.box.r0 <= b.r0 && this.box.r1 >= b.r1 && this.box.c0 <= b.c0 && this.box.c1 >= b.c1;
      const topLeftOnly = this.box.r0 === b.r0 && this.box.c0 === b.c0 && this.box.r1 === this.box.r0 && this.box.c1 === this.box.c0;
      if (inter && !covers && !topLeftOnly) throw new StandinError('InvalidOperation', `the write covers part of the merged cells ${m}`);
    }
  }
  private intersect(other: unknown): RangeHost | null {
    const o = other instanceof RangeHost ? other : new RangeHost(this.wb, this.sheet, parseAddress(str(other, 'address')));
    if (o.sheet !== this.sheet) throw new StandinError('InvalidArgument', 'ranges on two sheets');
    const b = { r0: Math.max(this.box.r0, o.box.r0), c0: Math.max(this.box.c0, o.box.c0), r1: Math.min(this.box.r1, o.box.r1), c1: Math.min(this.box.c1, o.box.c1) };
    return b.r0 > b.r1 || b.c0 > b.c1 ? null : new RangeHost(this.wb, this.sheet, b);
  }
  /** Formulas written over exactly one table column's data rows, one formula filled down: a calculated column. */
  private recordCalculatedColumn(v: unknown): void {
    if (this.box.c0 !== this.box.c1) return;
    const t = this.wb.tables.find((x) => x.sheet === this.sheet && x.c0 <= this.box.c0 && this.box.c0 <= x.c1);
    if (!t) return;
    const { from, to } = bodyRows(t);
    if (this.box.r0 !== from || this.box.r1 !== to) return;
    const fs = Array.isArray(v) ? (v as unknown[][]).map((r) => r[0]) : Array.from({ length: to - from + 1 }, () => v);
    if (!fs.every((f) => typeof f === 'string' && f.startsWith('='))) return;
    const list = fs as string[];
    if (Array.isArray(v) && !sameFilledDown(list)) return;
    t.calculated.set(this.box.c0 - t.c0, list[0]);
    if (!Array.isArray(v)) forEachCell(this.box, (r, c) => setFormula(this.sheet.touch(r, c), shiftFormula(list[0], r - from)));
  }
  protected override methods() {
    return {
      GetCell: (r: unknown, c: unknown) => {
        const b = { r0: this.box.r0 + num(r, 'row'), c0: this.box.c0 + num(c, 'column'), r1: 0, c1: 0 };
        b.r1 = b.r0; b.c1 = b.c0;
        return new RangeHost(this.wb, this.sheet, b);
      },
      GetRow: (i: unknown) => { const r = this.box.r0 + num(i, 'row'); return new RangeHost(this.wb, this.sheet, { ...this.box, r0: r, r1: r }); },
      GetColumn: (i: unknown) => { const c = this.box.c0 + num(i, 'column'); return new RangeHost(this.wb, this.sheet, { ...this.box, c0: c, c1: c }); },
      GetLastRow: () => new RangeHost(this.wb, this.sheet, { ...this.box, r0: this.box.r1 }),
      GetLastColumn: () => new RangeHost(this.wb, this.sheet, { ...this.box, c0: this.box.c1 }),
      GetLastCell: () => new RangeHost(this.wb, this.sheet, { r0: this.box.r1, c0: this.box.c1, r1: this.box.r1, c1: this.box.c1 }),
      GetBoundingRect: (other: unknown) => {
        const o = other instanceof RangeHost ? other : null;
        if (!o) throw new StandinError('NotImplemented', 'getBoundingRect with an address');
        if (o.sheet !== this.sheet) throw new StandinError('InvalidArgument', 'getBoundingRect of ranges on two sheets');
        return new RangeHost(this.wb, this.sheet, { r0: Math.min(this.box.r0, o.box.r0), c0: Math.min(this.box.c0, o.box.c0), r1: Math.max(this.box.r1, o.box.r1), c1: Math.max(this.box.c1, o.box.c1) });
      },
      GetIntersection: (other: unknown) => {
        const x = this.intersect(other);
        if (!x) throw new StandinError('ItemNotFound', 'the ranges do not intersect');
        return x;
      },
      GetIntersectionOrNullObject: (other: unknown) => this.intersect(other),
      _ValidateArraySize: (rows: unknown, cols: unknown) => {
        if (rows !== this.box.r1 - this.box.r0 + 1 || cols !== this.box.c1 - this.box.c0 + 1) {
          throw new StandinError('InvalidArgument', `an array of ${String(rows)}×${String(cols)} for a range of ${this.box.r1 - this.box.r0 + 1}×${this.box.c1 - this.box.c0 + 1}`);
        }
      },
      GetEntireColumn: () => new RangeHost(this.wb, this.sheet, { r0: 0, c0: this.box.c0, r1: MAX_ROWS - 1, c1: this.box.c1 }),
      GetEntireRow: () => new RangeHost(this.wb, this.sheet, { r0: this.box.r0, c0: 0, r1: this.box.r1, c1: MAX_COLS - 1 }),
      GetResizedRange: (dr: unknown, dc: unknown) => new RangeHost(this.wb, this.sheet, { ...this.box, r1: this.box.r1 + num(dr, 'deltaRows'), c1: this.box.c1 + num(dc, 'deltaColumns') }),
      GetOffsetRange: (dr: unknown, dc: unknown) => new RangeHost(this.wb, this.sheet, {
        r0: this.box.r0 + num(dr, 'rowOffset'), r1: this.box.r1 + num(dr, 'rowOffset'), c0: this.box.c0 + num(dc, 'columnOffset'), c1: this.box.c1 + num(dc, 'columnOffset'),
      }),
      Merge: (across?: unknown) => {
        this.checkWrite();
        if (across) for (let r = this.box.r0; r <= this.box.r1; r++) this.sheet.merges.push(boxAddress({ ...this.box, r0: r, r1: r }));
        else this.sheet.merges.push(boxAddress(this.box));
      },
      Unmerge: () => {
        this.checkWrite();
        for (let i = this.sheet.merges.length - 1; i >= 0; i--) {
          const b = parseAddress(this.sheet.merges[i]);
          if (!(b.r1 < this.box.r0 || b.r0 > this.box.r1 || b.c1 < this.box.c0 || b.c0 > this.box.c1)) this.sheet.merges.splice(i, 1);
        }
      },
      Select: () => {
        this.wb.activeSheet = this.sheet;
        this.wb.selection = { sheet: this.sheet.name, address: boxAddress(this.box) };
      },
      Clear: (applyTo?: unknown) => {
        this.checkWrite();
        const what = applyTo === undefined || applyTo === null ? 'All' : oneOf(applyTo, ['All', 'Formats', 'Contents', 'Hyperlinks', 'RemoveHyperlinks'], 'applyTo');
        for (const [k, m] of [...this.sheet.cells]) {
          const [r, c] = k.split(',').map(Number);
          if (r < this.box.r0 || r > this.box.r1 || c < this.box.c0 || c > this.box.c1) continue;
          if (what === 'Contents') { m.v = null; delete m.f; } else if (what === 'Hyperlinks' || what === 'RemoveHyperlinks') delete m.link;
          else if (what === 'Formats') this.sheet.cells.set(k, { v: m.v, ...(m.f ? { f: m.f } : {}), ...(m.link ? { link: m.link } : {}) });
          else this.sheet.cells.delete(k);
        }
      },
    };
  }
}

const HALIGN = ['General', 'Left', 'Center', 'Right', 'Fill', 'Justify', 'CenterAcrossSelection', 'Distributed'];
const VALIGN = ['Top', 'Center', 'Bottom', 'Justify', 'Distributed'];

class RangeFormatHost extends HostObject {
  readonly type = 'RangeFormat';
  constructor(wb: StandinWorkbook, readonly range: RangeHost) { super(wb); }
  override guardSheet(): SheetModel { return this.range.sheet; }
  private cells(fn: (m: CellModel) => void): void {
    const b = this.range.box;
    if (cellsOf(b) > 5_000_000) throw new StandinError('InvalidArgument', 'the range is too large to format cell by cell');
    forEachCell(b, (r, c) => fn(this.range.sheet.touch(r, c)));
  }
  private first(): CellModel | undefined { return this.range.sheet.cell(this.range.box.r0, this.range.box.c0); }
  protected override navs() {
    return {
      Font: () => new RangeFontHost(this.wb, this),
      Fill: () => new RangeFillHost(this.wb, this),
      Borders: () => new RangeBorderCollectionHost(this.wb, this),
    };
  }
  /** Internal: apply to every cell of the range. */
  each(fn: (m: CellModel) => void): void { this.checkWrite(); this.cells(fn); }
  firstCell(): CellModel | undefined { return this.first(); }
  protected override getters() {
    return {
      ColumnWidth: () => this.range.sheet.colWidths.get(this.range.box.c0) ?? 48,
      RowHeight: () => this.range.sheet.rowHeights.get(this.range.box.r0) ?? 15,
      WrapText: () => !!this.first()?.wrap,
      HorizontalAlignment: () => this.first()?.align ?? 'General',
      VerticalAlignment: () => this.first()?.valign ?? 'Bottom',
    };
  }
  protected override setters() {
    const b = this.range.box;
    return {
      ColumnWidth: (v: unknown) => { const w = num(v, 'columnWidth'); if (w < 0 || w > 255 * 7.5) throw new StandinError('InvalidArgument', `columnWidth ${w}`); for (let c = b.c0; c <= b.c1; c++) this.range.sheet.colWidths.set(c, w); },
      RowHeight: (v: unknown) => { const h = num(v, 'rowHeight'); if (h < 0 || h > 409) throw new StandinError('InvalidArgument', `rowHeight ${h} (Excel takes 0–409)`); for (let r = b.r0; r <= Math.min(b.r1, b.r0 + 100_000); r++) this.range.sheet.rowHeights.set(r, h); },
      WrapText: (v: unknown) => { const x = bool(v, 'wrapText'); this.cells((m) => { m.wrap = x; }); },
      HorizontalAlignment: (v: unknown) => { const x = oneOf(v, HALIGN, 'horizontalAlignment'); this.cells((m) => { m.align = x; }); },
      VerticalAlignment: (v: unknown) => { const x = oneOf(v, VALIGN, 'verticalAlignment'); this.cells((m) => { m.valign = x; }); },
    };
  }
  protected override methods() {
    return {
      AutofitColumns: () => { this.checkWrite(); },
      AutofitRows: () => { this.checkWrite(); },
    };
  }
}

const COLOR = /^(#[0-9A-Fa-f]{6}|[A-Za-z]+)$/;
const color = (v: unknown, what: string): string => {
  const s = str(v, what);
  if (!COLOR.test(s)) throw new StandinError('InvalidArgument', `${what}: ${s} is not a colour (#RRGGBB or a name)`);
  return s;
};

class RangeFontHost extends HostObject {
  readonly type = 'RangeFont';
  constructor(wb: StandinWorkbook, readonly format: RangeFormatHost) { super(wb); }
  override guardSheet(): SheetModel { return this.format.range.sheet; }
  protected override getters() {
    const m = () => this.format.firstCell();
    return { Bold: () => !!m()?.bold, Italic: () => !!m()?.italic, Color: () => m()?.color ?? '#000000', Size: () => m()?.size ?? 11, Name: () => m()?.font ?? 'Calibri', Underline: () => m()?.underline ?? 'None' };
  }
  protected override setters() {
    return {
      Bold: (v: unknown) => { const x = bool(v, 'bold'); this.format.each((m) => { m.bold = x; }); },
      Italic: (v: unknown) => { const x = bool(v, 'italic'); this.format.each((m) => { m.italic = x; }); },
      Color: (v: unknown) => { const x = color(v, 'font.color'); this.format.each((m) => { m.color = x; }); },
      Size: (v: unknown) => { const x = num(v, 'size'); if (x < 1 || x > 409) throw new StandinError('InvalidArgument', `font size ${x}`); this.format.each((m) => { m.size = x; }); },
      Name: (v: unknown) => { const x = str(v, 'font.name'); this.format.each((m) => { m.font = x; }); },
      Underline: (v: unknown) => { const x = oneOf(v, ['None', 'Single', 'Double', 'SingleAccountant', 'DoubleAccountant'], 'underline'); this.format.each((m) => { m.underline = x; }); },
    };
  }
}

class RangeFillHost extends HostObject {
  readonly type = 'RangeFill';
  constructor(wb: StandinWorkbook, readonly format: RangeFormatHost) { super(wb); }
  override guardSheet(): SheetModel { return this.format.range.sheet; }
  protected override getters() {
    return { Color: () => this.format.firstCell()?.fill ?? '#FFFFFF' };
  }
  protected override setters() {
    return { Color: (v: unknown) => { const x = color(v, 'fill.color'); this.format.each((m) => { m.fill = x; }); } };
  }
  protected override methods() {
    return { Clear: () => { this.format.each((m) => { delete m.fill; }); } };
  }
}

const EDGES = ['EdgeTop', 'EdgeBottom', 'EdgeLeft', 'EdgeRight', 'InsideVertical', 'InsideHorizontal', 'DiagonalDown', 'DiagonalUp'];

class RangeBorderCollectionHost extends HostObject {
  readonly type = 'RangeBorderCollection';
  constructor(wb: StandinWorkbook, readonly format: RangeFormatHost) { super(wb); }
  protected override methods() {
    return { GetItem: (edge: unknown) => new RangeBorderHost(this.wb, this.format, oneOf(edge, EDGES, 'border index')) };
  }
}

class RangeBorderHost extends HostObject {
  readonly type = 'RangeBorder';
  constructor(wb: StandinWorkbook, readonly format: RangeFormatHost, readonly edge: string) { super(wb); }
  override guardSheet(): SheetModel { return this.format.range.sheet; }
  private put(k: string, v: unknown): void {
    this.format.each((m) => { (m.borders ??= {})[this.edge] = { ...(m.borders[this.edge] ?? {}), [k]: v }; });
  }
  protected override getters() {
    const b = () => this.format.firstCell()?.borders?.[this.edge] ?? {};
    return { Style: () => b().style ?? 'None', Color: () => b().color ?? '#000000', Weight: () => b().weight ?? 'Thin', SideIndex: () => this.edge };
  }
  protected override setters() {
    return {
      Style: (v: unknown) => this.put('style', oneOf(v, ['None', 'Continuous', 'Dash', 'DashDot', 'DashDotDot', 'Dot', 'Double', 'SlantDashDot'], 'border style')),
      Color: (v: unknown) => this.put('color', color(v, 'border color')),
      Weight: (v: unknown) => this.put('weight', oneOf(v, ['Hairline', 'Thin', 'Medium', 'Thick'], 'border weight')),
    };
  }
}

// Data validation --------------------------------------------------------------------------------

const RULE_KINDS = ['wholeNumber', 'decimal', 'textLength', 'date', 'time', 'list', 'custom'];

class DataValidationHost extends HostObject {
  readonly type = 'DataValidation';
  constructor(wb: StandinWorkbook, readonly range: RangeHost) { super(wb); }
  override guardSheet(): SheetModel { return this.range.sheet; }
  private find(): ValidationModel | undefined {
    const b = this.range.box;
    return this.range.sheet.validations.find((x) => x.r0 === b.r0 && x.c0 === b.c0 && x.r1 === b.r1 && x.c1 === b.c1);
  }
  private upsert(): ValidationModel {
    let v = this.find();
    if (!v) {
      const b = this.range.box;
      // Excel keeps one rule per cell: a new rule replaces the old rules of the cells it covers.
      const list = this.range.sheet.validations;
      for (let i = list.length - 1; i >= 0; i--) {
        const o = list[i];
        if (!(o.r1 < b.r0 || o.r0 > b.r1 || o.c1 < b.c0 || o.c0 > b.c1)) {
          if (o.r0 >= b.r0 && o.r1 <= b.r1 && o.c0 >= b.c0 && o.c1 <= b.c1) list.splice(i, 1);
          else throw new StandinError('InvalidOperation', `the rule for ${boxAddress(b)} overlaps the rule of ${boxAddress(o)}; clear it first`);
        }
      }
      v = { ...b, rule: null };
      list.push(v);
    }
    return v;
  }
  protected override getters() {
    return {
      Rule: () => this.find()?.rule ?? {}, Prompt: () => this.find()?.prompt ?? null, ErrorAlert: () => this.find()?.errorAlert ?? { showAlert: true, style: 'Stop', title: '', message: '' },
      IgnoreBlanks: () => this.find()?.ignoreBlanks ?? true, Type: () => Object.keys((this.find()?.rule ?? {}) as object)[0] ?? 'None', Valid: () => true,
    };
  }
  protected override setters() {
    return {
      Rule: (rule: unknown) => {
        const r = rule as Record<string, unknown>;
        const kinds = Object.keys(r ?? {});
        if (kinds.length !== 1 || !RULE_KINDS.includes(kinds[0])) throw new StandinError('InvalidArgument', `a data validation rule has one of ${RULE_KINDS.join(', ')}; got ${JSON.stringify(rule)}`);
        const existing = this.find();
        // Excel on the web rejects a rule set on cells that already have a prompt-only validation (OfficeDev/office-js#2594).
        if (existing && existing.rule === null && existing.prompt !== undefined) throw new StandinError('InvalidArgument', 'a rule after a prompt on the same cells (set the rule first)');
        if (kinds[0] === 'list') {
          const l = r.list as { source?: unknown; inCellDropDown?: unknown };
          const src = l.source;
          if (typeof src !== 'string' || !src) throw new StandinError('InvalidArgument', 'a list rule needs a source');
          if (!src.startsWith('=') && src.length > 255) throw new StandinError('InvalidArgument', `a list source of ${src.length} characters (Excel takes 255)`);
        }
        this.upsert().rule = rule;
      },
      Prompt: (p: unknown) => {
        const x = p as { message?: string; title?: string; showPrompt?: boolean };
        if ((x.title?.length ?? 0) > 32 || (x.message?.length ?? 0) > 255) throw new StandinError('InvalidArgument', 'a prompt title over 32 or message over 255 characters');
        this.upsert().prompt = p;
      },
      ErrorAlert: (p: unknown) => {
        const x = p as { style?: string; showAlert?: boolean; title?: string; message?: string };
        if (x.style !== undefined) oneOf(x.style, ['Stop', 'Warning', 'Information'], 'errorAlert.style');
        this.upsert().errorAlert = p;
      },
      IgnoreBlanks: (v: unknown) => { this.upsert().ignoreBlanks = bool(v, 'ignoreBlanks'); },
    };
  }
  protected override methods() {
    return {
      Clear: () => {
        this.checkWrite();
        const b = this.range.box;
        const list = this.range.sheet.validations;
        for (let i = list.length - 1; i >= 0; i--) {
          const v = list[i];
          if (v.r0 >= b.r0 && v.r1 <= b.r1 && v.c0 >= b.c0 && v.c1 <= b.c1) list.splice(i, 1);
        }
      },
    };
  }
}

// Conditional formats ----------------------------------------------------------------------------

const overlaps = (a: Box, b: Box): boolean => !(a.r1 < b.r0 || a.r0 > b.r1 || a.c1 < b.c0 || a.c0 > b.c1);

class ConditionalFormatCollectionHost extends HostObject {
  readonly type = 'ConditionalFormatCollection';
  constructor(wb: StandinWorkbook, readonly range: RangeHost) { super(wb); }
  override guardSheet(): SheetModel { return this.range.sheet; }
  private list(): ConditionalFormatModel[] { return this.range.sheet.conditionalFormats.filter((f) => overlaps(f, this.range.box)); }
  override items(): HostObject[] { return this.list().map((f) => new ConditionalFormatHost(this.wb, this.range.sheet, f)); }
  protected override methods() {
    return {
      Add: (type: unknown) => {
        this.checkWrite();
        const t = oneOf(type, ['Custom'], 'conditional format type (the test host has Custom)');
        const created: ConditionalFormatModel = { ...this.range.box, type: t };
        // Excel puts a new format at the top priority.
        this.range.sheet.conditionalFormats.unshift(created);
        return new ConditionalFormatHost(this.wb, this.range.sheet, created);
      },
      ClearAll: () => {
        this.checkWrite();
        const list = this.range.sheet.conditionalFormats;
        for (let i = list.length - 1; i >= 0; i--) if (overlaps(list[i], this.range.box)) list.splice(i, 1);
      },
      GetCount: () => this.list().length,
      GetItemAt: (i: unknown) => {
        const f = this.list()[num(i, 'index')];
        if (!f) throw new StandinError('ItemNotFound', `no conditional format at ${String(i)}`);
        return new ConditionalFormatHost(this.wb, this.range.sheet, f);
      },
    };
  }
}

class ConditionalFormatHost extends HostObject {
  readonly type = 'ConditionalFormat';
  constructor(wb: StandinWorkbook, readonly sheet: SheetModel, readonly model: ConditionalFormatModel) { super(wb); }
  override guardSheet(): SheetModel { return this.sheet; }
  protected override navs() {
    return { Custom: () => new CustomConditionalFormatHost(this.wb, this) };
  }
  protected override getters() {
    return { Priority: () => this.sheet.conditionalFormats.indexOf(this.model), StopIfTrue: () => !!this.model.stopIfTrue, Type: () => this.model.type };
  }
  protected override setters() {
    return {
      Priority: (v: unknown) => {
        const list = this.sheet.conditionalFormats;
        list.splice(list.indexOf(this.model), 1);
        list.splice(Math.max(0, Math.min(num(v, 'priority'), list.length)), 0, this.model);
      },
      StopIfTrue: (v: unknown) => { this.model.stopIfTrue = bool(v, 'stopIfTrue'); },
    };
  }
  protected override methods() {
    return {
      Delete: () => { this.checkWrite(); const l = this.sheet.conditionalFormats; l.splice(l.indexOf(this.model), 1); },
      GetRange: () => new RangeHost(this.wb, this.sheet, this.model),
    };
  }
}

class CustomConditionalFormatHost extends HostObject {
  readonly type = 'CustomConditionalFormat';
  constructor(wb: StandinWorkbook, readonly cf: ConditionalFormatHost) { super(wb); }
  protected override navs() {
    return { Rule: () => new ConditionalFormatRuleHost(this.wb, this.cf), Format: () => new ConditionalRangeFormatHost(this.wb, this.cf) };
  }
}

class ConditionalFormatRuleHost extends HostObject {
  readonly type = 'ConditionalFormatRule';
  constructor(wb: StandinWorkbook, readonly cf: ConditionalFormatHost) { super(wb); }
  override guardSheet(): SheetModel { return this.cf.sheet; }
  protected override getters() {
    return { Formula: () => this.cf.model.formula ?? '' };
  }
  protected override setters() {
    return {
      Formula: (v: unknown) => {
        // Excel rejects a rule formula without its `=`.
        if (typeof v !== 'string' || !v.startsWith('=') || v.length < 2) throw new StandinError('InvalidArgument', `bad conditional format formula ${String(v)}`);
        this.cf.model.formula = v;
      },
    };
  }
}

class ConditionalRangeFormatHost extends HostObject {
  readonly type = 'ConditionalRangeFormat';
  constructor(wb: StandinWorkbook, readonly cf: ConditionalFormatHost) { super(wb); }
  override guardSheet(): SheetModel { return this.cf.sheet; }
  protected override navs() {
    return { Fill: () => new ConditionalFillHost(this.wb, this.cf), Font: () => new ConditionalFontHost(this.wb, this.cf) };
  }
}

class ConditionalFillHost extends HostObject {
  readonly type = 'ConditionalRangeFill';
  constructor(wb: StandinWorkbook, readonly cf: ConditionalFormatHost) { super(wb); }
  override guardSheet(): SheetModel { return this.cf.sheet; }
  protected override getters() { return { Color: () => this.cf.model.fill ?? null }; }
  protected override setters() { return { Color: (v: unknown) => { this.cf.model.fill = color(v, 'fill.color'); } }; }
}

class ConditionalFontHost extends HostObject {
  readonly type = 'ConditionalRangeFont';
  constructor(wb: StandinWorkbook, readonly cf: ConditionalFormatHost) { super(wb); }
  override guardSheet(): SheetModel { return this.cf.sheet; }
  protected override getters() { return { Color: () => this.cf.model.fontColor ?? null, Bold: () => !!this.cf.model.bold }; }
  protected override setters() {
    return {
      Color: (v: unknown) => { this.cf.model.fontColor = color(v, 'font.color'); },
      Bold: (v: unknown) => { this.cf.model.bold = bool(v, 'bold'); },
    };
  }
}

// --- The request executor ------------------------------------------------------------------------

const utf8Length = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return n;
};

let nextRef = 1;
const refs = new WeakMap<StandinWorkbook, Map<string, HostObject>>();
function refsOf(wb: StandinWorkbook): Map<string, HostObject> {
  let m = refs.get(wb);
  if (!m) refs.set(wb, (m = new Map()));
  return m;
}

/** Members the requests of a workbook used, `Type.Member` → count (for the report and the requirement-set check). */
export const membersUsed = new WeakMap<StandinWorkbook, Map<string, number>>();

function use(wb: StandinWorkbook, type: string, member: string): void {
  let m = membersUsed.get(wb);
  if (!m) membersUsed.set(wb, (m = new Map()));
  const key = `${type}.${member}`;
  m.set(key, (m.get(key) ?? 0) + 1);
  const needs = requirementOf(type, member);
  if (minorOf(needs) > minorOf(wb.excelApi)) throw new StandinError('ApiNotFound', `${key} needs ExcelApi ${needs}; this host has ${wb.excelApi}`);
}

/** The highest ExcelApi version among the members a workbook's requests used. */
export function highestSetUsed(wb: StandinWorkbook): { version: number; members: string[] } {
  const used = [...(membersUsed.get(wb)?.keys() ?? [])];
  const minor = Math.max(1, ...used.map((k) => { const [t, m] = k.split('.'); return minorOf(requirementOf(t, m)); }));
  return { version: Number(`1.${minor}`), members: used.filter((k) => { const [t, m] = k.split('.'); return minorOf(requirementOf(t, m)) === minor; }) };
}

function errorBody(code: string, message: string, actionIndex?: number, location?: string): Record<string, unknown> {
  return { Error: { Code: code, Message: message, HttpStatusCode: 400, ...(actionIndex === undefined ? {} : { ActionIndex: actionIndex }), ...(location ? { Location: location } : {}) } };
}

/** Query a host object: PascalCase keys, collections as `_Items`. */
function query(obj: HostObject, select: string[] | undefined, expand: string[] | undefined): Record<string, unknown> {
  const items = obj.items();
  if (items) return { _Items: items.map((i) => query(i, select, expand)) };
  const out: Record<string, unknown> = {};
  const direct = new Set<string>();
  const nested = new Map<string, string[]>();
  for (const s of select ?? obj.scalarNames().map(lower)) {
    const parts = s.split('/');
    if (parts.length === 1) direct.add(upper(parts[0]));
    else {
      const k = upper(parts[0]);
      nested.set(k, [...(nested.get(k) ?? []), parts.slice(1).join('/')]);
    }
  }
  for (const k of direct) {
    use(obj.wb, obj.type, k);
    out[k] = obj.get(k);
  }
  for (const [k, sub] of nested) {
    use(obj.wb, obj.type, k);
    const child = obj.nav(k);
    out[k] = child ? query(child, sub, undefined) : null;
  }
  for (const e of expand ?? []) {
    const k = upper(e.split('/')[0]);
    if (nested.has(k)) continue;
    use(obj.wb, obj.type, k);
    const child = obj.nav(k);
    out[k] = child ? query(child, undefined, undefined) : null;
  }
  return out;
}

/**
 * Execute one request (its JSON text as the client sent it) and answer with the response body
 * text. Counts the request and records request and response sizes on the workbook.
 */
export function executeRequest(wb: StandinWorkbook, requestText: string): string {
  const requestBytes = utf8Length(requestText);
  // Excel.run releases the objects it tracked in a request of its own after the batch (not awaited):
  // counted apart, so a test's sync count is the add-in's.
  const cleanup = /"Name":"_RemoveReference"/.test(requestText) && !/"ActionType":(2|4)\b/.test(requestText)
    && (JSON.parse(requestText) as RequestBody).Actions.every((a) => a.ActionType === ActionType.Instantiate || a.Name === '_RemoveReference');
  if (cleanup) wb.cleanupRequests++;
  else {
    wb.syncCount++;
    wb.requestSizes.push(requestBytes);
  }
  const requestNo = wb.syncCount;
  const answer = (body: Record<string, unknown>): string => {
    let text = JSON.stringify(body);
    let bytes = utf8Length(text);
    if (wb.platform === 'web' && bytes > RESPONSE_LIMIT_BYTES) {
      text = JSON.stringify(errorBody('ResponsePayloadSizeLimitExceeded', `The response payload size has exceeded the limit (${bytes} bytes).`));
      bytes = utf8Length(text);
    }
    if (!cleanup) wb.responseSizes.push(bytes);
    return text;
  };
  if (wb.platform === 'web' && requestBytes > REQUEST_LIMIT_BYTES) {
    return answer(errorBody('RequestPayloadSizeLimitExceeded', `The request payload size has exceeded the limit (${requestBytes} bytes).`));
  }
  const body = JSON.parse(requestText) as RequestBody;
  const resolved = new Map<number, HostObject | null>();
  const resolve = (id: number): HostObject | null => {
    if (resolved.has(id)) return resolved.get(id)!;
    const p = body.ObjectPaths[String(id)];
    if (!p) throw new StandinError('InvalidArgument', `object path ${id} is not in the request`);
    let out: HostObject | null;
    const parent = () => resolve(p.ParentObjectPathId!);
    const args = () => (p.ArgumentInfo?.Arguments ?? []).map((a, i) => {
      const ref = p.ArgumentInfo?.ReferencedObjectPathIds?.[i];
      return ref ? resolve(ref) : a;
    });
    switch (p.ObjectPathType) {
      case PathType.GlobalObject: out = new WorkbookHost(wb); break;
      case PathType.Property: { const o = parent(); if (o) use(wb, o.type, p.Name); out = o ? o.nav(p.Name) : null; break; }
      case PathType.Method: {
        const o = parent();
        if (o) { use(wb, o.type, p.Name); if (/^(Add|Resize)$/.test(p.Name)) o.checkWrite(); }
        out = o ? (o.call(p.Name, args()) as HostObject | null) : null;
        if (out !== null && !(out instanceof HostObject)) throw new StandinError('InvalidArgument', `${o?.type}.${p.Name} does not return an object`);
        break;
      }
      case PathType.Indexer: { const o = parent(); if (o) use(wb, o.type, 'GetItem'); out = o ? o.index(args()) : null; break; }
      case PathType.NullObject: out = null; break;
      case PathType.ReferenceId: {
        const o = refsOf(wb).get(p.Name);
        if (!o) throw new StandinError('InvalidObjectPath', `the reference ${p.Name} was released or never kept`);
        out = o;
        break;
      }
      default: throw new StandinError('NotImplemented', `object path type ${p.ObjectPathType} (${p.Name}) is not in the test Excel host`);
    }
    resolved.set(id, out);
    return out;
  };
  const results: { ActionId: number; Value: unknown }[] = [];
  const keptByPath = new Map<number, string>();
  for (const [index, a] of body.Actions.entries()) {
    let location = '';
    try {
      if (wb.beforeAction) {
        const p = body.ObjectPaths[String(a.ObjectPathId)];
        wb.beforeAction({ request: requestNo, action: index, type: String(a.ActionType), member: a.Name || p?.Name || '' });
      }
      const obj = resolve(a.ObjectPathId);
      location = `${obj?.type ?? 'null'}.${a.Name}`;
      const args = (a.ArgumentInfo?.Arguments ?? []).map((x, i) => {
        const ref = a.ArgumentInfo?.ReferencedObjectPathIds?.[i];
        return ref ? resolve(ref) : x;
      });
      switch (a.ActionType) {
        case ActionType.Instantiate: {
          const ref = keptByPath.get(a.ObjectPathId);
          if (obj === null) results.push({ ActionId: a.Id, Value: null });
          else if (ref) results.push({ ActionId: a.Id, Value: { _ReferenceId: ref, ...obj.identity() } });
          else { const id = obj.identity(); if (id) results.push({ ActionId: a.Id, Value: id }); }
          break;
        }
        case ActionType.Query:
          results.push({ ActionId: a.Id, Value: obj === null ? null : query(obj, a.QueryInfo?.Select, a.QueryInfo?.Expand) });
          break;
        case ActionType.SetProperty:
          if (obj === null) break; // a null object ignores what is queued on it
          use(wb, obj.type, a.Name);
          obj.set(a.Name, args[0]);
          break;
        case ActionType.Method: {
          if (obj === null) break;
          // Excel.run tracks the objects it hands out: a kept object answers its next instantiation with a reference id.
          if (a.Name === '_KeepReference') {
            const id = `ref-${nextRef++}`;
            refsOf(wb).set(id, obj);
            keptByPath.set(a.ObjectPathId, id);
            break;
          }
          if (a.Name === '_RemoveReference' && obj instanceof WorkbookHost) {
            const ids = Array.isArray(args[0]) ? args[0] as string[] : [String(args[0])];
            for (const id of ids) refsOf(wb).delete(id);
            break;
          }
          use(wb, obj.type, a.Name);
          if (!/^(Get|Select|Activate$)/.test(a.Name)) obj.checkWrite();
          const v = obj.call(a.Name, args);
          if (v instanceof HostObject) throw new StandinError('InvalidArgument', `${obj.type}.${a.Name} returns an object; use it as an object path`);
          if (v !== undefined && v !== null) results.push({ ActionId: a.Id, Value: v });
          break;
        }
        case ActionType.Trace: break;
        default: throw new StandinError('NotImplemented', `action type ${a.ActionType} (${a.Name}) is not in the test Excel host`);
      }
    } catch (e) {
      const err = e instanceof StandinError ? e : new StandinError('GeneralException', e instanceof Error ? e.message : String(e));
      return answer(errorBody(err.code, err.message.replace(/^[A-Za-z]+: /, ''), index, location));
    }
  }
  return answer({ Results: results });
}

export { a1 };
