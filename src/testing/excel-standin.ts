/**
 * A strict stand-in for the subset of Office.js (Excel) that src/excel uses — for tests only, never
 * part of the production bundle. It behaves like Excel where mistakes hide:
 * - reading a property that was not `load()`ed and `sync()`ed throws `PropertyNotLoaded`;
 * - queued operations run only at `context.sync()`, in order; every sync is counted;
 * - a request whose queued writes serialize to more than 5 MB is rejected whole
 *   (`RequestPayloadSizeLimitExceeded`), as Excel on the web does;
 * - `null` in a written 2-D array leaves that cell alone, `""` clears it, a string starting with
 *   `=` becomes a formula unless the cell is formatted as text (`@`), a leading `'` forces text;
 * - blank cells read back as `""` (desktop) or `null` (switch `blanks`).
 * The workbook model is plain data (`StandinWorkbook`), loaded from and compared as grids, so the
 * same fixture files drive the engine, the CLI and the add-in tests.
 */
import type { CellValue, SheetGrid, WorkbookGrid } from '../core/cells';
import { a1, columnLetters, errorFromString, isCellError, parseA1 } from '../core/cells';

export const REQUEST_LIMIT_BYTES = 5 * 1024 * 1024;
const MAX_ROWS = 1048576;
const MAX_COLS = 16384;

export class StandinError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'RichApi.Error';
  }
}

// --- The workbook model --------------------------------------------------------------------------

export interface CellModel {
  v: CellValue;
  /** Formula text with the leading `=`. */
  f?: string;
  fmt?: string;
  bold?: boolean;
  italic?: boolean;
  color?: string;
  size?: number;
  fill?: string;
  wrap?: boolean;
  align?: string;
  link?: string;
}

export interface TableModel {
  name: string;
  sheet: SheetModel;
  r0: number; c0: number; r1: number; c1: number;
  style?: string;
}

export interface ValidationModel {
  r0: number; c0: number; r1: number; c1: number;
  rule: unknown;
  prompt?: unknown;
}

/** A conditional format as Excel keeps it; a sheet's list is in priority order (first wins). */
export interface ConditionalFormatModel {
  r0: number; c0: number; r1: number; c1: number;
  type: string;
  /** Custom rule formula, with the leading `=`. */
  formula?: string;
  fill?: string;
  stopIfTrue?: boolean;
}

export class SheetModel {
  readonly cells = new Map<string, CellModel>();
  readonly conditionalFormats: ConditionalFormatModel[] = [];
  readonly colWidths = new Map<number, number>();
  readonly validations: ValidationModel[] = [];
  readonly merges: string[] = [];
  /** Worksheet custom properties by key as written (Excel finds keys case-insensitively). */
  readonly customProperties = new Map<string, string>();
  frozenRows = 0;
  tabColor = '';
  page: Record<string, unknown> = {};
  constructor(public name: string) {}

  static key(r: number, c: number): string {
    return `${r},${c}`;
  }
  cell(r: number, c: number): CellModel | undefined {
    return this.cells.get(SheetModel.key(r, c));
  }
  touch(r: number, c: number): CellModel {
    const k = SheetModel.key(r, c);
    let m = this.cells.get(k);
    if (!m) {
      m = { v: null };
      this.cells.set(k, m);
    }
    return m;
  }
  /** Bounding box of cells with a value or formula (`valuesOnly`) or anything at all. */
  usedBox(valuesOnly: boolean): { r0: number; c0: number; r1: number; c1: number } | null {
    let box: { r0: number; c0: number; r1: number; c1: number } | null = null;
    for (const [k, m] of this.cells) {
      if (valuesOnly && m.v === null && m.f === undefined) continue;
      const [r, c] = k.split(',').map(Number);
      if (!box) box = { r0: r, c0: c, r1: r, c1: c };
      else {
        box.r0 = Math.min(box.r0, r); box.c0 = Math.min(box.c0, c);
        box.r1 = Math.max(box.r1, r); box.c1 = Math.max(box.c1, c);
      }
    }
    return box;
  }
}

export interface StandinOptions {
  /** How a blank cell reads back in `Range.values`: `""` (Excel desktop) or `null`. */
  readonly blanks?: 'empty' | 'null';
  readonly displayLanguage?: string;
  /** The ExcelApi requirement set the host supports (default 1.13); newer APIs fail with ApiNotFound. */
  readonly excelApi?: number;
}

export class StandinWorkbook {
  readonly sheets: SheetModel[] = [];
  readonly tables: TableModel[] = [];
  syncCount = 0;
  /** Serialized bytes of the writes of each sync, in order. */
  readonly requestSizes: number[] = [];
  activeSheet: SheetModel | null = null;
  selection: { sheet: string; address: string } | null = null;
  blanks: 'empty' | 'null';
  displayLanguage: string;
  excelApi: number;

  constructor(opts: StandinOptions = {}) {
    this.blanks = opts.blanks ?? 'empty';
    this.displayLanguage = opts.displayLanguage ?? 'vi-VN';
    this.excelApi = opts.excelApi ?? 1.13;
  }

  static fromGrid(grid: WorkbookGrid, opts: StandinOptions = {}): StandinWorkbook {
    const wb = new StandinWorkbook(opts);
    for (const s of grid.sheets) {
      const sheet = wb.addSheet(s.name);
      s.rows.forEach((row, i) => row.forEach((v, j) => {
        if (v === null || v === undefined || v === '') return;
        sheet.touch(s.originRow + i, s.originCol + j).v = v;
      }));
    }
    return wb;
  }

  sheet(name: string): SheetModel | undefined {
    const k = name.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === k);
  }

  addSheet(name: string): SheetModel {
    if (this.sheet(name)) throw new StandinError('ItemAlreadyExists', `sheet ${name} exists`);
    const s = new SheetModel(name);
    this.sheets.push(s);
    if (!this.activeSheet) this.activeSheet = s;
    return s;
  }

  deleteSheet(s: SheetModel): void {
    const i = this.sheets.indexOf(s);
    if (i < 0) throw new StandinError('ItemNotFound', 'sheet already deleted');
    if (this.sheets.length === 1) throw new StandinError('InvalidOperation', 'a workbook must keep one sheet');
    this.sheets.splice(i, 1);
    for (let t = this.tables.length - 1; t >= 0; t--) if (this.tables[t].sheet === s) this.tables.splice(t, 1);
    if (this.activeSheet === s) this.activeSheet = this.sheets[Math.max(0, i - 1)];
  }

  /** A sheet as the engine sees it (values of its used range). */
  toSheetGrid(s: SheetModel): SheetGrid {
    const box = s.usedBox(true);
    if (!box) return { name: s.name, originRow: 0, originCol: 0, rows: [] };
    const rows: CellValue[][] = [];
    for (let r = box.r0; r <= box.r1; r++) {
      const row: CellValue[] = [];
      for (let c = box.c0; c <= box.c1; c++) row.push(s.cell(r, c)?.v ?? null);
      rows.push(row);
    }
    return { name: s.name, originRow: box.r0, originCol: box.c0, rows };
  }

  toGrid(file?: string): WorkbookGrid {
    return { file, sheets: this.sheets.map((s) => this.toSheetGrid(s)) };
  }

  /** Everything stored in a sheet's cells, in a stable text form, for byte-for-byte comparisons. */
  snapshot(name: string): string {
    const s = this.sheet(name);
    if (!s) return '<missing>';
    const keys = [...s.cells.keys()].sort((x, y) => {
      const [a, b] = x.split(',').map(Number);
      const [c, d] = y.split(',').map(Number);
      return a - c || b - d;
    });
    return JSON.stringify({
      name: s.name,
      cells: keys.map((k) => [k, s.cells.get(k)]),
      widths: [...s.colWidths.entries()].sort((x, y) => x[0] - y[0]),
      validations: s.validations,
      conditionalFormats: s.conditionalFormats,
      customProperties: [...s.customProperties.entries()],
      tables: this.tables.filter((t) => t.sheet === s).map((t) => ({ name: t.name, r0: t.r0, c0: t.c0, r1: t.r1, c1: t.c1, style: t.style })),
    });
  }
}

// --- Addresses -----------------------------------------------------------------------------------

interface Box { r0: number; c0: number; r1: number; c1: number }

function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

function boxAddress(b: Box): string {
  const tl = a1(b.r0, b.c0);
  return b.r0 === b.r1 && b.c0 === b.c1 ? tl : `${tl}:${a1(b.r1, b.c1)}`;
}

function parseLetters(s: string): number {
  let col = 0;
  for (const ch of s.toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return col - 1;
}

/** `A1`, `A1:C3`, `A:C`, `2:5`, with optional `$` and an optional `Sheet!` prefix (ignored). */
export function parseAddress(address: string): Box {
  const bare = address.includes('!') ? address.slice(address.lastIndexOf('!') + 1) : address;
  const parts = bare.replace(/\$/g, '').split(':');
  if (parts.length > 2 || !parts[0]) throw new StandinError('InvalidArgument', `bad address ${address}`);
  const one = parts[0];
  const two = parts[1] ?? parts[0];
  if (/^[A-Z]+$/i.test(one) && /^[A-Z]+$/i.test(two)) return { r0: 0, c0: parseLetters(one), r1: MAX_ROWS - 1, c1: parseLetters(two) };
  if (/^\d+$/.test(one) && /^\d+$/.test(two)) return { r0: Number(one) - 1, c0: 0, r1: Number(two) - 1, c1: MAX_COLS - 1 };
  try {
    const p = parseA1(one);
    const q = parseA1(two);
    return { r0: Math.min(p.row, q.row), c0: Math.min(p.col, q.col), r1: Math.max(p.row, q.row), c1: Math.max(p.col, q.col) };
  } catch {
    throw new StandinError('InvalidArgument', `bad address ${address}`);
  }
}

// --- The request context and proxies ------------------------------------------------------------

type Op = { readonly apply: () => void; readonly bytes: number };
const encoder = new TextEncoder();
const sizeOf = (x: unknown): number => encoder.encode(JSON.stringify(x ?? null)).length;

export class RequestContext {
  readonly workbook: WorkbookProxy;
  private queue: Op[] = [];
  private loadedAfterSync: Array<() => void> = [];
  constructor(readonly model: StandinWorkbook) {
    this.workbook = new WorkbookProxy(this);
  }

  /** Internal: queue an operation; `payload` is what Excel would serialize for it. */
  enqueue(apply: () => void, payload?: unknown): void {
    this.queue.push({ apply, bytes: payload === undefined ? 16 : sizeOf(payload) + 16 });
  }
  /** Internal: run after a successful sync (a load's results become visible). */
  afterSync(fn: () => void): void {
    this.loadedAfterSync.push(fn);
  }

  get pending(): number {
    return this.queue.length;
  }

  async sync(): Promise<void> {
    const ops = this.queue;
    const after = this.loadedAfterSync;
    this.queue = [];
    this.loadedAfterSync = [];
    this.model.syncCount++;
    const bytes = ops.reduce((s, o) => s + o.bytes, 0);
    this.model.requestSizes.push(bytes);
    await Promise.resolve();
    if (bytes > REQUEST_LIMIT_BYTES) {
      throw new StandinError('RequestPayloadSizeLimitExceeded', `request of ${bytes} bytes exceeds the 5 MB limit`);
    }
    for (const op of ops) op.apply();
    for (const fn of after) fn();
  }

  trackedObjects = { add: (): void => undefined, remove: (): void => undefined };
}

type Loadable = string | string[] | { select?: string | string[] } | undefined;

function propsOf(p: Loadable): string[] | null {
  if (p === undefined) return null;
  if (typeof p === 'string') return p.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(p)) return p;
  return propsOf(p.select);
}

/** Base of every proxy: loaded properties, strictness, null objects. */
abstract class Proxy<T> {
  private loaded = new Map<string, unknown>();
  private synced = false;
  private nullResult: boolean | undefined;
  private resolved: T | undefined;
  constructor(protected readonly ctx: RequestContext, protected readonly resolver: () => T | null, protected readonly orNull = false) {}

  /** Internal: properties already known (items of a loaded collection). */
  preload(snap: Map<string, unknown>): void {
    for (const [k, v] of snap) this.loaded.set(k, v);
    this.synced = true;
    this.nullResult = false;
  }

  /** Internal: the target at apply time; throws ItemNotFound unless this is an `OrNullObject`. */
  target(): T | null {
    // Like Excel, a proxy refers to the object it first resolved to (a renamed sheet stays itself).
    if (this.resolved !== undefined) return this.resolved;
    const t = this.resolver();
    if (t !== null) this.resolved = t;
    if (t === null && !this.orNull) throw new StandinError('ItemNotFound', `${this.constructor.name} not found`);
    return t;
  }
  protected abstract read(prop: string, t: T): unknown;
  protected abstract allProps(): string[];

  load(p?: Loadable): this {
    const props = propsOf(p) ?? this.allProps();
    let snap: Map<string, unknown> | null = null;
    let isNull = false;
    this.ctx.enqueue(() => {
      const t = this.target();
      isNull = t === null;
      snap = new Map();
      if (t !== null) for (const prop of props) this.snapProp(snap, prop, t);
    });
    this.ctx.afterSync(() => {
      this.synced = true;
      this.nullResult = isNull;
      if (snap) for (const [k, v] of snap) this.loaded.set(k, v);
    });
    return this;
  }
  protected snapProp(snap: Map<string, unknown>, prop: string, t: T): void {
    snap.set(prop, this.read(prop, t));
  }

  get isNullObject(): boolean {
    if (this.nullResult === undefined) throw new StandinError('PropertyNotLoaded', 'isNullObject read before sync');
    return this.nullResult;
  }

  protected get<V>(prop: string): V {
    if (!this.loaded.has(prop)) {
      throw new StandinError('PropertyNotLoaded', `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`);
    }
    return this.loaded.get(prop) as V;
  }
  protected set(apply: (t: T) => void, payload: unknown): void {
    this.ctx.enqueue(() => {
      const t = this.target();
      if (t !== null) apply(t);
      else throw new StandinError('ItemNotFound', 'write to a null object');
    }, payload);
  }
  /** Internal: did a sync already resolve this object? */
  get wasSynced(): boolean {
    return this.synced;
  }
}

// Workbook ---------------------------------------------------------------------------------------

class WorkbookProxy {
  readonly worksheets: WorksheetCollectionProxy;
  readonly tables: TableCollectionProxy;
  constructor(private readonly ctx: RequestContext) {
    this.worksheets = new WorksheetCollectionProxy(ctx);
    this.tables = new TableCollectionProxy(ctx, null);
  }
  getSelectedRange(): RangeProxy {
    const model = this.ctx.model;
    return new RangeProxy(this.ctx, () => {
      const sel = model.selection;
      const s = sel ? model.sheet(sel.sheet) : model.activeSheet;
      if (!s) return null;
      return { sheet: s, box: parseAddress(sel?.address ?? 'A1') };
    });
  }
}

class WorksheetCollectionProxy extends Proxy<StandinWorkbook> {
  private itemsCache: WorksheetProxy[] | null = null;
  constructor(ctx: RequestContext) {
    super(ctx, () => ctx.model);
  }
  protected allProps(): string[] {
    return ['items'];
  }
  protected read(): unknown {
    return null;
  }
  override load(p?: Loadable): this {
    // `items/name`: materialise one proxy per sheet, each with its loaded properties.
    const props = (propsOf(p) ?? ['items']).map((x) => x.replace(/^items\//, ''));
    let sheets: SheetModel[] = [];
    this.ctx.enqueue(() => {
      sheets = [...this.ctx.model.sheets];
    });
    const snaps: Array<Map<string, unknown>> = [];
    this.ctx.enqueue(() => {
      for (const s of sheets) snaps.push(new Map(props.filter((x) => x !== 'items').map((x) => [x, readSheetProp(this.ctx.model, s, x)])));
    });
    this.ctx.afterSync(() => {
      this.itemsCache = sheets.map((s, i) => {
        const proxy = new WorksheetProxy(this.ctx, () => (this.ctx.model.sheets.includes(s) ? s : null));
        proxy.preload(snaps[i]);
        return proxy;
      });
    });
    return this;
  }
  get items(): WorksheetProxy[] {
    if (!this.itemsCache) throw new StandinError('PropertyNotLoaded', "The property 'items' is not available: load it and sync first.");
    return this.itemsCache;
  }
  getItem(name: string): WorksheetProxy {
    return new WorksheetProxy(this.ctx, () => this.ctx.model.sheet(name) ?? null);
  }
  getItemOrNullObject(name: string): WorksheetProxy {
    return new WorksheetProxy(this.ctx, () => this.ctx.model.sheet(name) ?? null, true);
  }
  getActiveWorksheet(): WorksheetProxy {
    return new WorksheetProxy(this.ctx, () => this.ctx.model.activeSheet);
  }
  add(name?: string): WorksheetProxy {
    let created: SheetModel | null = null;
    const model = this.ctx.model;
    this.ctx.enqueue(() => {
      let n = name;
      if (!n) for (let i = 1; !n || model.sheet(n); i++) n = `Sheet${i}`;
      created = model.addSheet(n);
    }, { add: name });
    return new WorksheetProxy(this.ctx, () => created);
  }
}

function readSheetProp(model: StandinWorkbook, s: SheetModel, prop: string): unknown {
  switch (prop) {
    case 'name': return s.name;
    case 'position': return model.sheets.indexOf(s);
    case 'tabColor': return s.tabColor;
    case 'visibility': return 'Visible';
    case 'id': return `{sheet-${s.name}}`;
    default: throw new StandinError('InvalidArgument', `Worksheet property ${prop} is not in the stand-in`);
  }
}

class WorksheetProxy extends Proxy<SheetModel> {
  readonly tables: TableCollectionProxy;
  readonly freezePanes: { freezeRows: (n: number) => void; unfreeze: () => void };
  readonly pageLayout: PageLayoutProxy;
  readonly customProperties: WorksheetCustomPropertyCollectionProxy;
  constructor(ctx: RequestContext, resolver: () => SheetModel | null, orNull = false) {
    super(ctx, resolver, orNull);
    this.tables = new TableCollectionProxy(ctx, this);
    this.freezePanes = {
      freezeRows: (n: number) => this.set((t) => { t.frozenRows = n; }, { freezeRows: n }),
      unfreeze: () => this.set((t) => { t.frozenRows = 0; }, { unfreeze: true }),
    };
    this.pageLayout = new PageLayoutProxy(this);
    this.customProperties = new WorksheetCustomPropertyCollectionProxy(ctx, this);
    this.horizontalPageBreaks = {
      add: (range: unknown) => {
        this.set((t) => { ((t.page.rowBreaks ??= []) as unknown[]).push(range instanceof RangeProxy ? 'range' : range); }, { pageBreak: true });
      },
    };
  }
  readonly horizontalPageBreaks: { add: (range: unknown) => void };
  protected allProps(): string[] {
    return ['name', 'position', 'tabColor', 'visibility', 'id'];
  }
  protected read(prop: string, t: SheetModel): unknown {
    return readSheetProp(this.ctx.model, t, prop);
  }
  /** Internal. */
  writeOp(apply: (t: SheetModel) => void, payload: unknown): void {
    this.set(apply, payload);
  }
  get name(): string {
    return this.get('name');
  }
  set name(v: string) {
    this.set((t) => { t.name = v; }, { name: v });
  }
  get position(): number {
    return this.get('position');
  }
  set position(v: number) {
    this.set((t) => {
      const list = this.ctx.model.sheets;
      list.splice(list.indexOf(t), 1);
      list.splice(Math.min(v, list.length), 0, t);
    }, { position: v });
  }
  get tabColor(): string {
    return this.get('tabColor');
  }
  set tabColor(v: string) {
    this.set((t) => { t.tabColor = v; }, { tabColor: v });
  }
  activate(): void {
    this.set((t) => { this.ctx.model.activeSheet = t; }, { activate: true });
  }
  delete(): void {
    this.set((t) => this.ctx.model.deleteSheet(t), { delete: true });
  }
  getRange(address?: string): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const s = this.target();
      return s ? { sheet: s, box: parseAddress(address ?? `A1:${a1(MAX_ROWS - 1, MAX_COLS - 1)}`) } : null;
    }, this.orNullSheet());
  }
  getRangeByIndexes(row: number, col: number, rowCount: number, colCount: number): RangeProxy {
    if (rowCount < 1 || colCount < 1) throw new StandinError('InvalidArgument', 'empty range');
    return new RangeProxy(this.ctx, () => {
      const s = this.target();
      return s ? { sheet: s, box: { r0: row, c0: col, r1: row + rowCount - 1, c1: col + colCount - 1 } } : null;
    }, this.orNullSheet());
  }
  getUsedRange(valuesOnly = false): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const s = this.target();
      if (!s) return null;
      return { sheet: s, box: s.usedBox(valuesOnly) ?? { r0: 0, c0: 0, r1: 0, c1: 0 } };
    }, this.orNullSheet());
  }
  getUsedRangeOrNullObject(valuesOnly = false): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const s = this.target();
      if (!s) return null;
      const box = s.usedBox(valuesOnly);
      return box ? { sheet: s, box } : null;
    }, true);
  }
  private orNullSheet(): boolean {
    return this.orNull;
  }
}

// Worksheet custom properties (ExcelApi 1.12) ----------------------------------------------------

function requireApi(model: StandinWorkbook, version: number, what: string): void {
  if (model.excelApi < version) throw new StandinError('ApiNotFound', `${what} needs ExcelApi ${version}; this host has ${model.excelApi}`);
}

function findProperty(s: SheetModel, key: string): string | undefined {
  const k = key.toLowerCase();
  return [...s.customProperties.keys()].find((x) => x.toLowerCase() === k);
}

interface PropertyTarget { sheet: SheetModel; key: string }

class WorksheetCustomPropertyCollectionProxy {
  private itemsCache: WorksheetCustomPropertyProxy[] | null = null;
  constructor(private readonly ctx: RequestContext, private readonly sheet: WorksheetProxy) {}
  /** Adds, or replaces the value of the property with that key (as Excel does). */
  add(key: string, value: string): WorksheetCustomPropertyProxy {
    this.sheet.writeOp((t) => {
      requireApi(this.ctx.model, 1.12, 'worksheet.customProperties');
      if (!key || key.length > 255) throw new StandinError('InvalidArgument', `custom property key of ${key.length} characters`);
      const old = findProperty(t, key);
      if (old !== undefined) t.customProperties.delete(old);
      t.customProperties.set(key, String(value));
    }, { key, value });
    return this.item(key, false);
  }
  getItem(key: string): WorksheetCustomPropertyProxy {
    return this.item(key, false);
  }
  getItemOrNullObject(key: string): WorksheetCustomPropertyProxy {
    return this.item(key, true);
  }
  private item(key: string, orNull: boolean): WorksheetCustomPropertyProxy {
    return new WorksheetCustomPropertyProxy(this.ctx, () => {
      requireApi(this.ctx.model, 1.12, 'worksheet.customProperties');
      const s = this.sheet.target();
      const found = s ? findProperty(s, key) : undefined;
      return s && found !== undefined ? { sheet: s, key: found } : null;
    }, orNull);
  }
  load(p?: Loadable): this {
    const props = (propsOf(p) ?? ['items']).map((x) => x.replace(/^items\/?/, '')).filter(Boolean);
    let snaps: Array<{ target: PropertyTarget; snap: Map<string, unknown> }> = [];
    this.ctx.enqueue(() => {
      requireApi(this.ctx.model, 1.12, 'worksheet.customProperties');
      const s = this.sheet.target();
      snaps = s ? [...s.customProperties.entries()].map(([key, value]) => ({
        target: { sheet: s, key },
        snap: new Map<string, unknown>((props.length ? props : ['key', 'value']).map((x) => [x, x === 'key' ? key : x === 'value' ? value : undefined])),
      })) : [];
    });
    this.ctx.afterSync(() => {
      this.itemsCache = snaps.map(({ target, snap }) => {
        const proxy = new WorksheetCustomPropertyProxy(this.ctx, () => target);
        proxy.preload(snap);
        return proxy;
      });
    });
    return this;
  }
  get items(): WorksheetCustomPropertyProxy[] {
    if (!this.itemsCache) throw new StandinError('PropertyNotLoaded', "The property 'items' is not available: load it and sync first.");
    return this.itemsCache;
  }
}

class WorksheetCustomPropertyProxy extends Proxy<PropertyTarget> {
  protected allProps(): string[] {
    return ['key', 'value'];
  }
  protected read(prop: string, t: PropertyTarget): unknown {
    if (prop === 'key') return t.key;
    if (prop === 'value') return t.sheet.customProperties.get(t.key);
    throw new StandinError('InvalidArgument', `WorksheetCustomProperty property ${prop} is not in the stand-in`);
  }
  get key(): string { return this.get('key'); }
  get value(): string { return this.get('value'); }
  set value(v: string) {
    this.set((t) => { t.sheet.customProperties.set(t.key, String(v)); }, { value: v });
  }
  delete(): void {
    this.set((t) => { t.sheet.customProperties.delete(t.key); }, { delete: true });
  }
}

class PageLayoutProxy {
  constructor(private readonly sheet: WorksheetProxy) {}
  private put(key: string, v: unknown): void {
    this.sheet.writeOp((t) => { t.page[key] = v; }, { [key]: v });
  }
  set orientation(v: string) { this.put('orientation', v); }
  set paperSize(v: string) { this.put('paperSize', v); }
  set zoom(v: unknown) { this.put('zoom', v); }
  set centerHorizontally(v: boolean) { this.put('centerHorizontally', v); }
  set leftMargin(v: number) { this.put('leftMargin', v); }
  set rightMargin(v: number) { this.put('rightMargin', v); }
  set topMargin(v: number) { this.put('topMargin', v); }
  set bottomMargin(v: number) { this.put('bottomMargin', v); }
  set headerMargin(v: number) { this.put('headerMargin', v); }
  set footerMargin(v: number) { this.put('footerMargin', v); }
  setPrintTitleRows(address: string): void {
    this.put('printTitleRows', address);
  }
  setPrintArea(range: unknown): void {
    this.put('printArea', typeof range === 'string' ? range : 'range');
  }
  /** `headersFooters.defaultForAllPages`: each section recorded as `page.<section>`. */
  get headersFooters(): { defaultForAllPages: Record<string, string> } {
    const sections = ['leftHeader', 'centerHeader', 'rightHeader', 'leftFooter', 'centerFooter', 'rightFooter'];
    const all = {} as Record<string, string>;
    for (const k of sections) Object.defineProperty(all, k, { set: (v: string) => { this.put(k, v); } });
    return { defaultForAllPages: all };
  }
}

// Ranges -----------------------------------------------------------------------------------------

interface RangeTarget { sheet: SheetModel; box: Box }

function forEachCell(b: Box, fn: (r: number, c: number, i: number, j: number) => void): void {
  for (let r = b.r0; r <= b.r1; r++) for (let c = b.c0; c <= b.c1; c++) fn(r, c, r - b.r0, c - b.c0);
}

/** A value (scalar applies to every cell) or a 2-D array of exactly the range's shape. */
function cellArg<V>(b: Box, arg: V | V[][], what: string): (i: number, j: number) => V {
  if (!Array.isArray(arg)) return () => arg;
  const rows = b.r1 - b.r0 + 1;
  const cols = b.c1 - b.c0 + 1;
  if (arg.length !== rows || arg.some((row) => !Array.isArray(row) || row.length !== cols)) {
    throw new StandinError('InvalidArgument', `${what}: the array is ${arg.length}×${arg[0]?.length ?? 0}, the range ${rows}×${cols}`);
  }
  return (i, j) => arg[i][j];
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
    else if (v.startsWith('=') && v.length > 1) {
      m.f = v;
      m.v = null; // the stand-in does not calculate
    } else if (!asFormula && errorFromString(v)) m.v = errorFromString(v);
    else m.v = v;
  } else throw new StandinError('InvalidArgument', `unsupported cell value ${JSON.stringify(v)}`);
}

export class RangeProxy extends Proxy<RangeTarget> {
  readonly format: RangeFormatProxy;
  readonly dataValidation: DataValidationProxy;
  readonly conditionalFormats: ConditionalFormatCollectionProxy;
  constructor(ctx: RequestContext, resolver: () => RangeTarget | null, orNull = false) {
    super(ctx, resolver, orNull);
    this.format = new RangeFormatProxy(this);
    this.dataValidation = new DataValidationProxy(this);
    this.conditionalFormats = new ConditionalFormatCollectionProxy(this);
  }
  protected allProps(): string[] {
    return ['address', 'rowIndex', 'columnIndex', 'rowCount', 'columnCount', 'values', 'valueTypes', 'formulas', 'numberFormat'];
  }
  protected read(prop: string, t: RangeTarget): unknown {
    const { sheet, box } = t;
    const grid = <V>(fn: (m: CellModel | undefined) => V): V[][] => {
      const out: V[][] = [];
      for (let r = box.r0; r <= box.r1; r++) {
        const row: V[] = [];
        for (let c = box.c0; c <= box.c1; c++) row.push(fn(sheet.cell(r, c)));
        out.push(row);
      }
      return out;
    };
    const blank = this.ctx.model.blanks === 'null' ? null : '';
    switch (prop) {
      case 'address': return `${quoteSheet(sheet.name)}!${boxAddress(box)}`;
      case 'rowIndex': return box.r0;
      case 'columnIndex': return box.c0;
      case 'rowCount': return box.r1 - box.r0 + 1;
      case 'columnCount': return box.c1 - box.c0 + 1;
      case 'values': return grid((m) => (m === undefined || m.v === null ? (m?.f ? 0 : blank) : isCellError(m.v) ? m.v.error : m.v));
      case 'valueTypes': return grid((m) => (m === undefined || (m.v === null && !m.f) ? 'Empty'
        : m.v === null ? 'Double' : isCellError(m.v) ? 'Error' : typeof m.v === 'number' ? 'Double' : typeof m.v === 'boolean' ? 'Boolean' : 'String'));
      case 'formulas': return grid((m) => (m?.f ?? (m === undefined || m.v === null ? '' : isCellError(m.v) ? m.v.error : m.v)));
      case 'numberFormat': return grid((m) => m?.fmt ?? 'General');
      case 'text': return grid((m) => (m?.v === null || m === undefined ? '' : String(isCellError(m.v) ? m.v.error : m.v)));
      default: throw new StandinError('InvalidArgument', `Range property ${prop} is not in the stand-in`);
    }
  }
  private guardHuge(t: RangeTarget): void {
    const n = (t.box.r1 - t.box.r0 + 1) * (t.box.c1 - t.box.c0 + 1);
    if (n > 5_000_000) throw new StandinError('InvalidArgument', 'range too large for a cell-by-cell operation');
  }
  /** Internal. */
  writeCells(apply: (m: CellModel, i: number, j: number) => void, payload: unknown): void {
    this.set((t) => {
      this.guardHuge(t);
      forEachCell(t.box, (r, c, i, j) => apply(t.sheet.touch(r, c), i, j));
    }, payload);
  }
  /** Internal. */
  writeRange(apply: (t: RangeTarget) => void, payload: unknown): void {
    this.set(apply, payload);
  }

  get address(): string { return this.get('address'); }
  get rowIndex(): number { return this.get('rowIndex'); }
  get columnIndex(): number { return this.get('columnIndex'); }
  get rowCount(): number { return this.get('rowCount'); }
  get columnCount(): number { return this.get('columnCount'); }
  get values(): unknown[][] { return this.get('values'); }
  get valueTypes(): string[][] { return this.get('valueTypes'); }
  get formulas(): unknown[][] { return this.get('formulas'); }
  get numberFormat(): string[][] { return this.get('numberFormat'); }
  get text(): string[][] { return this.get('text'); }

  set values(v: unknown) {
    this.set((t) => {
      const at = cellArg(t.box, v as unknown[][], 'values');
      forEachCell(t.box, (r, c, i, j) => {
        const x = at(i, j);
        if (x === null || x === undefined) return;
        storeValue(t.sheet.touch(r, c), x, false);
      });
    }, v);
  }
  set formulas(v: unknown) {
    this.set((t) => {
      const at = cellArg(t.box, v as unknown[][], 'formulas');
      forEachCell(t.box, (r, c, i, j) => {
        const x = at(i, j);
        if (x === null || x === undefined) return;
        storeValue(t.sheet.touch(r, c), x, true);
      });
    }, v);
  }
  set numberFormat(v: unknown) {
    this.set((t) => {
      const at = cellArg(t.box, v as unknown[][], 'numberFormat');
      this.guardHuge(t);
      forEachCell(t.box, (r, c, i, j) => {
        const x = at(i, j);
        if (x === null || x === undefined) return;
        t.sheet.touch(r, c).fmt = String(x);
      });
    }, v);
  }
  set hyperlink(v: { documentReference?: string; address?: string; textToDisplay?: string; screenTip?: string }) {
    this.writeCells((m) => { m.link = v.documentReference ?? v.address ?? ''; }, v);
  }
  merge(across = false): void {
    this.set((t) => { t.sheet.merges.push(`${boxAddress(t.box)}${across ? ' across' : ''}`); }, { merge: across });
  }
  select(): void {
    this.set((t) => {
      this.ctx.model.activeSheet = t.sheet;
      this.ctx.model.selection = { sheet: t.sheet.name, address: boxAddress(t.box) };
    }, { select: true });
  }
  clear(applyTo: string = 'All'): void {
    this.set((t) => {
      for (const [k, m] of [...t.sheet.cells]) {
        const [r, c] = k.split(',').map(Number);
        if (r < t.box.r0 || r > t.box.r1 || c < t.box.c0 || c > t.box.c1) continue;
        if (applyTo === 'Contents') { m.v = null; delete m.f; delete m.link; } else t.sheet.cells.delete(k);
      }
    }, { clear: applyTo });
  }
  getCell(row: number, col: number): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const t = this.target();
      return t ? { sheet: t.sheet, box: { r0: t.box.r0 + row, c0: t.box.c0 + col, r1: t.box.r0 + row, c1: t.box.c0 + col } } : null;
    });
  }
}

class RangeFormatProxy {
  readonly font: { bold: boolean; italic: boolean; color: string; size: number; name: string };
  readonly fill: { color: string; clear: () => void };
  constructor(private readonly range: RangeProxy) {
    const put = (fn: (m: CellModel, v: never) => void) => (v: never) => range.writeCells((m) => fn(m, v), v);
    const font = {} as { bold: boolean; italic: boolean; color: string; size: number; name: string };
    Object.defineProperties(font, {
      bold: { set: put((m, v: boolean) => { m.bold = v; }) },
      italic: { set: put((m, v: boolean) => { m.italic = v; }) },
      color: { set: put((m, v: string) => { m.color = v; }) },
      size: { set: put((m, v: number) => { m.size = v; }) },
      name: { set: put(() => undefined) },
      underline: { set: put(() => undefined) },
    });
    this.font = font;
    const fill = { clear: () => range.writeCells((m) => { delete m.fill; }, { clear: true }) } as { color: string; clear: () => void };
    Object.defineProperty(fill, 'color', { set: put((m, v: string) => { m.fill = v; }) });
    this.fill = fill;
  }
  /** Borders are recorded as a write only (nothing reads them back). */
  readonly borders = {
    getItem: (edge: string) => {
      const b = {} as { style: string; color: string };
      Object.defineProperty(b, 'style', { set: (v: string) => { this.range.writeRange(() => undefined, { edge, style: v }); } });
      Object.defineProperty(b, 'color', { set: (v: string) => { this.range.writeRange(() => undefined, { edge, color: v }); } });
      return b;
    },
  };
  set columnWidth(v: number) {
    this.range.writeRange((t) => { for (let c = t.box.c0; c <= t.box.c1; c++) t.sheet.colWidths.set(c, v); }, v);
  }
  set rowHeight(v: number) {
    this.range.writeRange(() => undefined, v);
  }
  set wrapText(v: boolean) {
    this.range.writeCells((m) => { m.wrap = v; }, v);
  }
  set horizontalAlignment(v: string) {
    this.range.writeCells((m) => { m.align = v; }, v);
  }
  set verticalAlignment(v: string) {
    this.range.writeRange(() => undefined, v);
  }
  autofitColumns(): void {
    this.range.writeRange(() => undefined, 'autofit');
  }
}

class DataValidationProxy {
  constructor(private readonly range: RangeProxy) {}
  private upsert(fn: (v: ValidationModel) => void, payload: unknown): void {
    this.range.writeRange((t) => {
      let v = t.sheet.validations.find((x) => x.r0 === t.box.r0 && x.c0 === t.box.c0 && x.r1 === t.box.r1 && x.c1 === t.box.c1);
      if (!v) {
        v = { ...t.box, rule: null };
        t.sheet.validations.push(v);
      }
      fn(v);
    }, payload);
  }
  set rule(rule: unknown) {
    this.upsert((v) => { v.rule = rule; }, rule);
  }
  set prompt(p: unknown) {
    this.upsert((v) => { v.prompt = p; }, p);
  }
  set errorAlert(p: unknown) {
    this.upsert(() => undefined, p);
  }
  clear(): void {
    this.range.writeRange((t) => {
      const list = t.sheet.validations;
      for (let i = list.length - 1; i >= 0; i--) {
        const v = list[i];
        if (v.r0 >= t.box.r0 && v.r1 <= t.box.r1 && v.c0 >= t.box.c0 && v.c1 <= t.box.c1) list.splice(i, 1);
      }
    }, { clear: true });
  }
}

// Conditional formats ----------------------------------------------------------------------------

const overlaps = (a: Box, b: Box): boolean => !(a.r1 < b.r0 || a.r0 > b.r1 || a.c1 < b.c0 || a.c0 > b.c1);

/** Only custom (formula) rules: the kind the add-in writes. Excel adds a new format at the top priority. */
class ConditionalFormatCollectionProxy {
  constructor(private readonly range: RangeProxy) {}
  add(type: string): ConditionalFormatProxy {
    if (type !== 'Custom') throw new StandinError('InvalidArgument', `conditional format type ${type} is not in the stand-in`);
    let created: ConditionalFormatModel | null = null;
    this.range.writeRange((t) => {
      created = { ...t.box, type };
      t.sheet.conditionalFormats.unshift(created);
    }, { add: type });
    return new ConditionalFormatProxy(this.range, () => created);
  }
  clearAll(): void {
    this.range.writeRange((t) => {
      const list = t.sheet.conditionalFormats;
      for (let i = list.length - 1; i >= 0; i--) if (overlaps(list[i], t.box)) list.splice(i, 1);
    }, { clearAll: true });
  }
}

class ConditionalFormatProxy {
  readonly custom: { readonly rule: { formula: string }; readonly format: { readonly fill: { color: string } } };
  constructor(private readonly range: RangeProxy, private readonly created: () => ConditionalFormatModel | null) {
    const update = this.update.bind(this);
    this.custom = {
      rule: {
        set formula(v: string) {
          update((m) => {
            // Excel rejects a rule formula without its `=` (InvalidArgument at sync).
            if (typeof v !== 'string' || !v.startsWith('=') || v.length < 2) throw new StandinError('InvalidArgument', `bad conditional format formula ${String(v)}`);
            m.formula = v;
          }, v);
        },
      } as { formula: string },
      format: { fill: { set color(v: string) { update((m) => { m.fill = v; }, v); } } as { color: string } },
    };
  }
  private update(fn: (m: ConditionalFormatModel) => void, payload: unknown): void {
    this.range.writeRange(() => {
      const m = this.created();
      if (!m) throw new StandinError('ItemNotFound', 'conditional format not created');
      fn(m);
    }, payload);
  }
  set priority(v: number) {
    this.range.writeRange((t) => {
      const m = this.created();
      if (!m) throw new StandinError('ItemNotFound', 'conditional format not created');
      const list = t.sheet.conditionalFormats;
      list.splice(list.indexOf(m), 1);
      list.splice(Math.max(0, Math.min(v, list.length)), 0, m);
    }, { priority: v });
  }
  set stopIfTrue(v: boolean) {
    this.update((m) => { m.stopIfTrue = v; }, v);
  }
}

// Tables -----------------------------------------------------------------------------------------

class TableCollectionProxy {
  constructor(private readonly ctx: RequestContext, private readonly sheet: WorksheetProxy | null) {}
  add(where: string | RangeProxy, hasHeaders: boolean): TableProxy {
    let created: TableModel | null = null;
    const model = this.ctx.model;
    const ctxSheet = this.sheet;
    this.ctx.enqueue(() => {
      let s: SheetModel | null | undefined = ctxSheet ? ctxSheet.target() : null;
      let b: Box;
      if (typeof where === 'string') {
        const bang = where.lastIndexOf('!');
        if (bang > 0) s = model.sheet(where.slice(0, bang).replace(/^'|'$/g, '').replace(/''/g, "'"));
        b = parseAddress(where);
      } else {
        const t = where.target();
        if (!t) throw new StandinError('ItemNotFound', 'no range for the table');
        s = t.sheet;
        b = t.box;
      }
      if (!s) throw new StandinError('ItemNotFound', `no sheet for table ${String(where)}`);
      if (!hasHeaders) throw new StandinError('InvalidArgument', 'the stand-in only makes tables with headers');
      const sheetOf = s;
      if (model.tables.some((t) => t.sheet === sheetOf && !(b.r1 < t.r0 || b.r0 > t.r1 || b.c1 < t.c0 || b.c0 > t.c1))) {
        throw new StandinError('InvalidOperation', 'tables cannot overlap');
      }
      let n = 1;
      while (model.tables.some((t) => t.name === `Table${n}`)) n++;
      created = { name: `Table${n}`, sheet: s, ...b };
      model.tables.push(created);
    }, { address: typeof where === 'string' ? where : 'range', hasHeaders });
    return new TableProxy(this.ctx, () => created);
  }
  getItem(name: string): TableProxy {
    return new TableProxy(this.ctx, () => this.find(name));
  }
  getItemOrNullObject(name: string): TableProxy {
    return new TableProxy(this.ctx, () => this.find(name), true);
  }
  private find(name: string): TableModel | null {
    const k = name.toLowerCase();
    const s = this.sheet ? this.sheet.target() : null;
    return this.ctx.model.tables.find((t) => t.name.toLowerCase() === k && (!s || t.sheet === s)) ?? null;
  }
}

class TableProxy extends Proxy<TableModel> {
  protected allProps(): string[] {
    return ['name', 'style'];
  }
  protected read(prop: string, t: TableModel): unknown {
    if (prop === 'name') return t.name;
    if (prop === 'style') return t.style ?? 'TableStyleMedium2';
    throw new StandinError('InvalidArgument', `Table property ${prop} is not in the stand-in`);
  }
  get name(): string { return this.get('name'); }
  set name(v: string) {
    this.set((t) => {
      if (this.ctx.model.tables.some((x) => x !== t && x.name.toLowerCase() === v.toLowerCase())) throw new StandinError('InvalidArgument', `table name ${v} is taken`);
      t.name = v;
    }, { name: v });
  }
  set style(v: string) { this.set((t) => { t.style = v; }, v); }
  set showBandedRows(v: boolean) { this.set(() => undefined, v); }
  set showFilterButton(v: boolean) { this.set(() => undefined, v); }
  getRange(): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const t = this.target();
      return t ? { sheet: t.sheet, box: { r0: t.r0, c0: t.c0, r1: t.r1, c1: t.c1 } } : null;
    }, this.orNull);
  }
  resize(address: string): void {
    this.set((t) => {
      const b = parseAddress(address);
      if (b.r0 !== t.r0 || b.c0 !== t.c0) throw new StandinError('InvalidArgument', 'a table keeps its top-left header cell when resized');
      Object.assign(t, b);
    }, { address });
  }
  delete(): void {
    this.set((t) => {
      const list = this.ctx.model.tables;
      list.splice(list.indexOf(t), 1);
    }, { delete: true });
  }
}

// --- The globals ---------------------------------------------------------------------------------

export interface StandinHost {
  readonly model: StandinWorkbook;
  readonly Excel: { run: <T>(cb: (ctx: RequestContext) => Promise<T>) => Promise<T> };
  readonly Office: unknown;
}

/** The `Excel` and `Office` globals over a model. */
export function createHost(model: StandinWorkbook): StandinHost {
  const Excel = {
    async run<T>(cb: (ctx: RequestContext) => Promise<T>): Promise<T> {
      const ctx = new RequestContext(model);
      const out = await cb(ctx);
      if (ctx.pending) await ctx.sync();
      return out;
    },
  };
  const Office = {
    HostType: { Excel: 'Excel' },
    PlatformType: { OfficeOnline: 'OfficeOnline' },
    context: {
      get displayLanguage() { return model.displayLanguage; },
      requirements: { isSetSupported: (name: string, version?: string) => name === 'ExcelApi' && Number(version ?? '1') <= model.excelApi },
    },
    onReady(cb?: (info: { host: string; platform: string }) => void) {
      const info = { host: 'Excel', platform: 'OfficeOnline' };
      if (cb) setTimeout(() => cb(info), 0);
      return Promise.resolve(info);
    },
    actions: { associate: () => undefined },
  };
  return { model, Excel, Office };
}

/** Install the globals (browser test page, or a test that runs code expecting them). */
export function installHost(model: StandinWorkbook, target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): StandinHost {
  const host = createHost(model);
  target.Excel = host.Excel;
  target.Office = host.Office;
  // The shared runtime also hosts the custom functions: they register here.
  const associated = new Map<string, unknown>();
  class CustomFunctionError extends Error {
    constructor(readonly code: string, message?: string) {
      super(message ?? code);
    }
  }
  target.CustomFunctions = {
    associate: (id: string, fn: unknown) => { associated.set(id, fn); },
    Error: CustomFunctionError,
    ErrorCode: {
      invalidValue: '#VALUE!', notAvailable: '#N/A', divisionByZero: '#DIV/0!', invalidNumber: '#NUM!',
      nullReference: '#NULL!', invalidName: '#NAME?', invalidReference: '#REF!',
    },
    associated,
  };
  return host;
}

export { columnLetters };
