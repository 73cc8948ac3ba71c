/**
 * Wires Microsoft's Excel client library (`@microsoft/office-js`, `excel-web-16.00.js`, loaded in a
 * Node `vm` context or in the browser page) to the test host: every request the client sends goes
 * through `OfficeExtension.HttpUtility.setCustomSendRequestFunc` to `executeRequest`, and
 * `Office.context` (display language, requirement sets) answers for the workbook. What loads,
 * batches, serializes and reads back the results is Microsoft's code; only the Excel side is ours.
 */
import { executeRequest, minorOf } from './richapi';

import type { StandinWorkbook } from './workbook';

/** The base URL of a workbook's RichApi endpoint (never fetched: the send function answers). */
export const HOST_URL = 'https://excel-host.test/';

/** The window-like global the client library was loaded into. */
export interface ClientWindow {
  Excel: { run: (...args: unknown[]) => Promise<unknown>; RequestContext: new (url?: string) => unknown };
  OfficeExtension: {
    HttpUtility: { setCustomSendRequestFunc: (f: (req: { url: string; body: unknown }) => Promise<unknown>) => void };
    ClientRequestContext: { defaultRequestUrlAndHeaders?: { url: string; headers: Record<string, string> } };
  };
  Office: Record<string, unknown>;
  OSF: Record<string, unknown>;
  CustomFunctions?: Record<string, unknown>;
}

/** Requirement sets a SharedRuntime Excel host reports besides ExcelApi. */
const OTHER_SETS: Readonly<Record<string, number>> = { sharedruntime: 1.1, customfunctionsruntime: 1.3, ribbonapi: 1.1, dialogapi: 1.2 };

export function isSetSupportedBy(model: StandinWorkbook, name: string, version?: string | number): boolean {
  const n = name.toLowerCase();
  if (n === 'excelapi') return minorOf(version ?? '1.1') <= minorOf(model.excelApi);
  const has = OTHER_SETS[n];
  const [a, b = '0'] = String(version ?? '1.1').split('.');
  const [x, y = '0'] = String(has ?? '0').split('.');
  return has !== undefined && (Number(a) < Number(x) || (Number(a) === Number(x) && Number(b) <= Number(y)));
}

/**
 * Route the client's requests to workbooks: `url` of a request names the workbook (`HOST_URL` +
 * key); `current` is the workbook `Office.context` describes.
 */
export function wireClient(win: ClientWindow, lookup: (key: string) => StandinWorkbook | undefined, current: () => StandinWorkbook): void {
  win.OfficeExtension.HttpUtility.setCustomSendRequestFunc((req) => {
    const key = req.url.startsWith(HOST_URL) ? req.url.slice(HOST_URL.length).split('/')[0] : '';
    const model = lookup(key);
    if (!model) return Promise.resolve({ statusCode: 404, headers: {}, body: JSON.stringify({ error: { code: 'NotFound', message: `no workbook at ${req.url}` } }) });
    const text = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const out = executeRequest(model, text);
    // Excel answers asynchronously; so does the host.
    return new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: out }), 0));
  });
  const context = {
    get displayLanguage() { return current().displayLanguage; },
    get contentLanguage() { return current().displayLanguage; },
    host: 'Excel',
    get platform() { return current().platform === 'web' ? 'OfficeOnline' : 'PC'; },
    requirements: { isSetSupported: (name: string, version?: string | number) => isSetSupportedBy(current(), name, version) },
    diagnostics: { host: 'Excel', version: '16.0', get platform() { return current().platform === 'web' ? 'OfficeOnline' : 'PC'; } },
  };
  const factory = { getContext: () => context, getHostInfo: () => ({ isDialog: false, hostType: 'excel', hostPlatform: 'web' }) };
  win.OSF._OfficeAppFactory = factory;
  const office = win.Office;
  office.HostType = { Excel: 'Excel', Word: 'Word', PowerPoint: 'PowerPoint', Outlook: 'Outlook', OneNote: 'OneNote', Project: 'Project', Access: 'Access' };
  office.PlatformType = { PC: 'PC', OfficeOnline: 'OfficeOnline', Mac: 'Mac', iOS: 'iOS', Android: 'Android', Universal: 'Universal' };
  office.onReady = (cb?: (info: { host: string; platform: string }) => void) => {
    const info = { host: 'Excel', platform: context.platform };
    return new Promise((resolve) => setTimeout(() => { cb?.(info); resolve(info); }, 0));
  };
}

/** The shared runtime's `CustomFunctions` global: functions register here (the host does not calculate). */
export function installCustomFunctions(target: Record<string, unknown>): void {
  const associated = new Map<string, unknown>();
  class CustomFunctionError extends Error {
    constructor(readonly code: string, message?: string) {
      super(message ?? code);
    }
  }
  target.CustomFunctions = {
    associate: (id: string | Record<string, unknown>, fn?: unknown) => {
      if (typeof id === 'string') associated.set(id, fn);
      else for (const [k, v] of Object.entries(id)) associated.set(k, v);
    },
    Error: CustomFunctionError,
    ErrorCode: {
      invalidValue: '#VALUE!', notAvailable: '#N/A', divisionByZero: '#DIV/0!', invalidNumber: '#NUM!',
      nullReference: '#NULL!', invalidName: '#NAME?', invalidReference: '#REF!',
    },
    associated,
  };
}
