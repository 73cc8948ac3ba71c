/**
 * Microsoft's Excel client library in Node: `excel-web-16.00.js` runs in a `vm` context with the few
 * globals it needs (`window`, `navigator`, timers); `runOf(model)` gives the add-in an `Excel.run`
 * whose requests that library builds and serializes, and the test host answers.
 */
import * as fs from 'fs';
import * as vm from 'vm';
import type { StandinWorkbook } from './workbook';
import { ClientWindow, HOST_URL, installCustomFunctions, wireClient } from './office';

/** The client library file (the one the add-in gets from Office on the web). */
export const OFFICE_JS_FILE = require.resolve('@microsoft/office-js/dist/excel-web-16.00.js');

let loaded: ClientWindow | null = null;
const books = new Map<string, StandinWorkbook>();
const keys = new WeakMap<StandinWorkbook, string>();
let current: StandinWorkbook | null = null;
let nextKey = 1;

/** The client library, loaded once per test file. */
export function client(): ClientWindow {
  if (loaded) return loaded;
  const sandbox: Record<string, unknown> = { console, setTimeout, clearTimeout, setInterval, clearInterval };
  sandbox.window = sandbox;
  sandbox.self = sandbox;
  sandbox.navigator = { userAgent: 'Mozilla/5.0 (Node.js) excel-host', language: 'vi-VN' };
  sandbox.location = { href: 'https://localhost/taskpane.html', protocol: 'https:', host: 'localhost', hostname: 'localhost', search: '', hash: '', pathname: '/taskpane.html' };
  vm.createContext(sandbox);
  vm.runInContext(fs.readFileSync(OFFICE_JS_FILE, 'utf8'), sandbox, { filename: OFFICE_JS_FILE });
  const win = sandbox as unknown as ClientWindow;
  wireClient(win, (key) => books.get(key), () => {
    if (!current) throw new Error('no workbook is open in the test Excel host');
    return current;
  });
  loaded = win;
  // The add-in reads `Office` (requirement sets, display language) as a global.
  (globalThis as Record<string, unknown>).Office = win.Office;
  return win;
}

/** The URL the client sends a workbook's requests to. */
export function urlOf(model: StandinWorkbook): string {
  let key = keys.get(model);
  if (!key) {
    key = `book${nextKey++}`;
    keys.set(model, key);
    books.set(key, model);
  }
  return `${HOST_URL}${key}/`;
}

/** Make `model` the workbook `Office.context` describes (the one the pane is open in). */
export function open(model: StandinWorkbook): void {
  client();
  urlOf(model);
  current = model;
}

/** `Excel.run` over `model`, through Microsoft's client. */
export function runOf(model: StandinWorkbook): <T>(batch: (ctx: Excel.RequestContext) => Promise<T>) => Promise<T> {
  const win = client();
  const url = urlOf(model);
  return <T>(batch: (ctx: Excel.RequestContext) => Promise<T>) => {
    current = model;
    return win.Excel.run(url, batch as (ctx: unknown) => Promise<unknown>) as Promise<T>;
  };
}

/** A request context of the real client over `model` (for tests that sync by hand). */
export function contextOf(model: StandinWorkbook): Excel.RequestContext {
  const win = client();
  current = model;
  return new win.Excel.RequestContext(urlOf(model)) as Excel.RequestContext;
}

/** The `CustomFunctions` global of the shared runtime, installed on `target`. */
export { installCustomFunctions };
