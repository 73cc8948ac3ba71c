/**
 * The BUILT add-in: runs the real production webpack build (in beforeAll, into test/.tmp), then
 * loads the functions bundle in a Node vm context with a stand-in CustomFunctions and checks that
 * every id of the generated functions.json is associated with a function that gives the spec's
 * results (errors as CustomFunctions.Error with the spec's codes).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { EvnResult, isEvnError, prize, savingEligible, savingPct, serviceScoreFn, vndTextFn } from '../src/functions/evn';
import { DEFAULT_CRITERIA } from '../src/core/format';
import { ROOT, buildAddin } from './support/webpack-build';

/** Stand-in for the runtime's CustomFunctions namespace. */
class CFError {
  constructor(readonly code: string, readonly message?: string) {}
}
const ErrorCode = {
  invalidValue: '#VALUE!', notAvailable: '#N/A', divisionByZero: '#DIV/0!', invalidNumber: '#NUM!',
  nullReference: '#NULL!', invalidName: '#NAME?', invalidReference: '#REF!',
};

type Fn = (...args: unknown[]) => unknown;
interface Metadata {
  functions: Array<{
    id: string; name: string; description: string;
    parameters: Array<{ name: string; description: string; type: string; dimensionality?: string; optional?: boolean }>;
    result: { type: string; dimensionality?: string };
  }>;
}

let out = '';
let metadata: Metadata;
const associated = new Map<string, Fn>();

beforeAll(() => {
  out = buildAddin('bundle', 'production');
  metadata = JSON.parse(fs.readFileSync(path.join(out, 'functions.json'), 'utf8'));
  const CustomFunctions = {
    Error: CFError,
    ErrorCode,
    associate(id: string, fn: Fn) {
      if (associated.has(id)) throw new Error(`${id} associated twice`);
      associated.set(id, fn);
    },
  };
  const context = vm.createContext({ CustomFunctions });
  vm.runInContext(fs.readFileSync(path.join(out, 'functions.js'), 'utf8'), context, { filename: 'functions.js' });
}, 180000);

/** Call an associated function: its value, or the CustomFunctions.Error it threw. */
function call(id: string, ...args: unknown[]): { value?: unknown; code?: string; message?: string; error?: CFError } {
  const fn = associated.get(id);
  if (!fn) throw new Error(`${id} is not associated`);
  try {
    return { value: fn(...args) };
  } catch (e) {
    if (e instanceof CFError) return { code: e.code, message: e.message, error: e };
    throw e;
  }
}

const col = (...xs: unknown[]) => xs.map((x) => [x]);
const row = (...xs: unknown[]) => [xs];

describe('dist/ after npm run build', () => {
  test('holds the manifest, the metadata (English and Vietnamese), the task pane page, the bundles and the icons', () => {
    for (const f of ['manifest.xml', 'functions.json', 'functions.vi.json', 'taskpane.html', 'taskpane.js', 'functions.js',
      'assets/icon-16.png', 'assets/icon-32.png', 'assets/icon-64.png', 'assets/icon-80.png']) {
      expect(fs.existsSync(path.join(out, f))).toBe(true);
    }
    expect(fs.existsSync(path.join(out, 'functions.js.map'))).toBe(false); // lean production build
  });

  test('functions.json: the 5 functions, matrix parameters with "dimensionality": "matrix"', () => {
    expect(metadata.functions.map((f) => f.id).sort()).toEqual(['PRIZE', 'SAVINGELIGIBLE', 'SAVINGPCT', 'SERVICESCORE', 'VNDTEXT']);
    for (const f of metadata.functions) expect(f.name).toBe(f.id); // names stay English
    const params = Object.fromEntries(metadata.functions.map((f) => [f.id, f.parameters]));
    const shape = (id: string) => params[id].map((p) => `${p.name}:${p.dimensionality ?? 'scalar'}${p.optional ? '?' : ''}`);
    expect(shape('SAVINGPCT')).toEqual(['saved:matrix', 'commercial:matrix']);
    expect(shape('SAVINGELIGIBLE')).toEqual(['saved:matrix', 'commercial:matrix', 'threshold:scalar?']);
    expect(shape('SERVICESCORE')).toEqual(['values:matrix', 'targets:matrix', 'weights:matrix', 'directions:matrix']);
    expect(shape('PRIZE')).toEqual(['level:scalar', 'rank:scalar', 'category:scalar?']);
    expect(shape('VNDTEXT')).toEqual(['amount:scalar']);
    // Raw values (text numbers follow workbook.md, not Excel's own coercion).
    for (const f of metadata.functions) for (const p of f.parameters) expect(p.type).toBe('any');
    const result = Object.fromEntries(metadata.functions.map((f) => [f.id, f.result.type]));
    expect(result).toEqual({ SAVINGPCT: 'number', SAVINGELIGIBLE: 'boolean', SERVICESCORE: 'number', PRIZE: 'number', VNDTEXT: 'string' });
  });

  test('functions.vi.json: the same functions with the Vietnamese texts of src/functions/functions.vi.json', () => {
    const vi: Metadata = JSON.parse(fs.readFileSync(path.join(out, 'functions.vi.json'), 'utf8'));
    const texts = JSON.parse(fs.readFileSync(path.join(ROOT, 'src/functions/functions.vi.json'), 'utf8')).functions;
    const strip = (m: Metadata) => m.functions.map((f) => ({
      id: f.id, name: f.name, result: f.result.type,
      parameters: f.parameters.map((p) => ({ name: p.name, type: p.type, dimensionality: p.dimensionality, optional: p.optional })),
    }));
    expect(strip(vi)).toEqual(strip(metadata));
    for (const f of vi.functions) {
      expect(f.description).toBe(texts[f.id].description);
      for (const p of f.parameters) expect(p.description).toBe(texts[f.id].parameters[p.name]);
    }
  });

  test('every id of functions.json is associated, and nothing else', () => {
    expect([...associated.keys()].sort()).toEqual(metadata.functions.map((f) => f.id).sort());
  });

  test('the task pane page loads Office.js and both bundles (one shared runtime), no inline script', () => {
    const html = fs.readFileSync(path.join(out, 'taskpane.html'), 'utf8');
    expect(html).toMatch(/<script[^>]+src="?https:\/\/appsforoffice\.microsoft\.com\/lib\/1\/hosted\/office\.js/);
    expect(html).toMatch(/<script[^>]+src="?taskpane\.js/);
    expect(html).toMatch(/<script[^>]+src="?functions\.js/);
    for (const m of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(m[1]).toMatch(/src=/);
      expect(m[2].trim()).toBe('');
    }
    const csp = /http-equiv="?Content-Security-Policy"?\s+content="([^"]+)"/.exec(html);
    expect(csp).not.toBeNull();
    const scriptSrc = /script-src ([^;]+)/.exec(csp![1])![1];
    expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval/);
    // Scripts come from this site and Office.js's host only (nothing loads from ajax.aspnetcdn.com).
    expect(scriptSrc.trim().split(/\s+/)).toEqual(["'self'", 'https://appsforoffice.microsoft.com']);
  });

  test('the import\'s .xlsx reader is a lazily loaded chunk of at most 150 KB minified, without ExcelJS', () => {
    const html = fs.readFileSync(path.join(out, 'taskpane.html'), 'utf8');
    const initial = [...html.matchAll(/<script\b[^>]*\bsrc="?([^"' >]+)/g)].map((m) => m[1]).filter((s) => !/^(https?:)?\/\//.test(s));
    const lazy = fs.readdirSync(out).filter((f) => f.endsWith('.js') && !initial.includes(f) && f !== 'functions.js');
    expect(lazy.length).toBeGreaterThan(0);
    const bytes = lazy.reduce((n, f) => n + fs.statSync(path.join(out, f)).size, 0);
    expect(bytes).toBeLessThanOrEqual(150 * 1024);
    const text = lazy.map((f) => fs.readFileSync(path.join(out, f), 'utf8')).join('');
    expect(text).toMatch(/PK|central|inflate/i); // JSZip's inflate is in it
    expect(text).not.toMatch(/WorkbookWriter|exceljs/i);
  });
});

describe('the bundled functions give the spec results', () => {
  test('SAVINGPCT', () => {
    expect(call('SAVINGPCT', [[1430]], [[100000]]).value).toBe(0.0143);
    expect(call('SAVINGPCT', row(0.7, 0.1), row(40, 40)).value).toBe(0.01);
    expect(call('SAVINGPCT', row(10, null, 20), row(1000, null, 1000)).value).toBe(0.015);
    expect(call('SAVINGPCT', row(10, 0, 20), row(1000, 0, 1000)).value).toBe(0.015);
    expect(call('SAVINGPCT', row(10, '', 20), row(1000, '', 1000)).value).toBe(0.015);
    expect(call('SAVINGPCT', [['12.345,6']], [['1.234.567']]).value).toBe(12345.6 / 1234567);
  });

  test('SAVINGELIGIBLE', () => {
    expect(call('SAVINGELIGIBLE', [[1]], [[100]]).value).toBe(true);
    expect(call('SAVINGELIGIBLE', [[0.99]], [[100]]).value).toBe(false);
    expect(call('SAVINGELIGIBLE', [[0.01]], [[1]]).value).toBe(true);
    expect(call('SAVINGELIGIBLE', [[123456789.0128]], [[12345678901.28]]).value).toBe(true);
    expect(call('SAVINGELIGIBLE', [[2]], [[100]], 0.025).value).toBe(false);
  });

  test('SERVICESCORE', () => {
    const t = col(...DEFAULT_CRITERIA.map((c) => c.target));
    const w = col(...DEFAULT_CRITERIA.map((c) => c.weight));
    const d = col(...DEFAULT_CRITERIA.map((c) => c.direction));
    expect(call('SERVICESCORE', row(4, 5000, 25, 6.3, 0.95, 0.15), t, w, d).value).toBe(91.25);
    expect(call('SERVICESCORE', [[0.08575]], [[1]], [[100]], [['higher']]).value).toBe(8.58);
    expect(call('SERVICESCORE', [[0]], [[4]], [[100]], [[-1]]).value).toBe(100);
  });

  test('PRIZE', () => {
    expect(call('PRIZE', 'Công ty', 1).value).toBe(7_000_000);
    expect(call('PRIZE', 'company', 2, 'Tiết kiệm điện').value).toBe(5_000_000);
    expect(call('PRIZE', 'Điện lực', 5).value).toBe(2_000_000);
    expect(call('PRIZE', 'unit', 6).value).toBe(0);
    expect(call('PRIZE', 'Cá nhân', 30).value).toBe(500_000);
    expect(call('PRIZE', 'individual', 31).value).toBe(0);
  });

  test('the error table: CustomFunctions.Error with the spec codes; messages on #VALUE! and #N/A', () => {
    const div0 = call('SAVINGPCT', [[5]], [[null]]);
    expect(div0.code).toBe('#DIV/0!');
    expect(div0.message).toBeUndefined(); // Excel shows no custom message for #DIV/0!
    expect(call('SAVINGPCT', [[-1]], [[100]]).code).toBe('#NUM!');
    expect(call('SAVINGPCT', [[101]], [[100]]).code).toBe('#NUM!');
    expect(call('SERVICESCORE', [[1]], [[0]], [[100]], [['higher']]).code).toBe('#NUM!');
    expect(call('SERVICESCORE', [[1]], [[1]], [[-1]], [['higher']]).code).toBe('#NUM!');
    expect(call('PRIZE', 'unit', 0).code).toBe('#NUM!');
    const text = call('SAVINGPCT', [['abc']], [[100]]);
    expect(text.code).toBe('#VALUE!');
    expect(text.message).toContain("Đối số 'saved'");
    const ambiguous = call('SAVINGPCT', [['1.234']], [[100000]]);
    expect(ambiguous.code).toBe('#VALUE!');
    expect(ambiguous.message).toContain('saved');
    expect(call('SERVICESCORE', [[1]], [[1]], [[100]], [['better']]).message).toContain("'directions'");
    expect(call('PRIZE', 'Tổng công ty', 1).message).toContain("'level'");
    expect(call('SAVINGPCT', row(1, 2), col(1, 2)).code).toBe('#VALUE!');
    const na = call('SERVICESCORE', row(1, null), row(1, 1), row(50, 50), row('higher', 'lower'));
    expect(na.code).toBe('#N/A');
    expect(na.message).toBe('Thiếu chỉ tiêu');
  });

  test('VNDTEXT', () => {
    expect(call('VNDTEXT', 59000000).value).toBe('Năm mươi chín triệu đồng');
    expect(call('VNDTEXT', 105000).value).toBe('Một trăm linh năm nghìn đồng');
    expect(call('VNDTEXT', 1015000).value).toBe('Một triệu không trăm mười lăm nghìn đồng');
    expect(call('VNDTEXT', 21).value).toBe('Hai mươi mốt đồng');
    expect(call('VNDTEXT', 0).value).toBe('Không đồng');
    expect(call('VNDTEXT', '59.000.000').value).toBe('Năm mươi chín triệu đồng');
    expect(call('VNDTEXT', 1.5).code).toBe('#NUM!');
    expect(call('VNDTEXT', -1).code).toBe('#NUM!');
    expect(call('VNDTEXT', 1e15 + 1000).code).toBe('#NUM!');
    expect(call('VNDTEXT', 'abc').code).toBe('#VALUE!');
  });

  test('an error value in an input cell is passed through', () => {
    const input = new CFError('#DIV/0!');
    const r = call('SAVINGPCT', row(1, input), row(100, 100));
    expect(r.error).toBe(input); // the very same object
    expect(call('SERVICESCORE', [[1]], [[1]], [[100]], [[new CFError('#N/A', 'x')]]).code).toBe('#N/A');
    expect(call('PRIZE', 'unit', new CFError('#NUM!')).code).toBe('#NUM!');
    // #REF! and #NAME? are input-only error codes for custom functions: reported as #VALUE! naming them.
    const ref = call('SAVINGPCT', [[new CFError('#REF!')]], [[100]]);
    expect(ref.code).toBe('#VALUE!');
    expect(ref.message).toContain('#REF!');
  });

  test('the bundle and the pure implementations agree over a grid of arguments', () => {
    const cells: unknown[] = [0, 1, 0.5, 100, -1, null, '', '1,5', '1.234', 'abc', true, 12345678901.28, 123456789.0128];
    const pure: Record<string, (...a: unknown[]) => EvnResult<unknown>> = {
      SAVINGPCT: savingPct, SAVINGELIGIBLE: savingEligible, SERVICESCORE: serviceScoreFn, PRIZE: prize, VNDTEXT: vndTextFn,
    };
    const same = (id: string, args: unknown[]) => {
      const p = pure[id](...args);
      const b = call(id, ...args);
      if (isEvnError(p)) {
        const expected = ['#REF!', '#NAME?'].includes(p.code) ? '#VALUE!' : p.code;
        expect([id, args, b.code]).toEqual([id, args, expected]);
      } else {
        expect([id, args, b.value]).toEqual([id, args, p.value]);
      }
    };
    for (const a of cells) {
      for (const b of cells) {
        same('SAVINGPCT', [[[a]], [[b]]]);
        same('SAVINGELIGIBLE', [[[a]], [[b]]]);
        same('SAVINGELIGIBLE', [[[a]], [[100]], b]);
        same('SERVICESCORE', [[[a]], [[b]], [[100]], [['lower']]]);
        same('PRIZE', ['unit', a, b]);
        same('VNDTEXT', [a]);
      }
    }
  });
});

describe('functions.json lets input errors reach the functions (allowErrorForDataTypeAny)', () => {
  test('both metadata files carry the flag, since every parameter is `any`', () => {
    expect((metadata as unknown as { allowErrorForDataTypeAny?: boolean }).allowErrorForDataTypeAny).toBe(true);
    const vi = JSON.parse(fs.readFileSync(path.join(out, 'functions.vi.json'), 'utf8'));
    expect(vi.allowErrorForDataTypeAny).toBe(true);
  });

  test('an error in a scalar `any` input now arrives and passes through the built functions', () => {
    // What Excel hands over with the flag: the input's CustomFunctions.Error, as the argument.
    const na = new CFError(ErrorCode.notAvailable);
    expect(call('PRIZE', 'Công ty', na).code).toBe('#N/A');
    expect(call('PRIZE', 'Công ty', 1, new CFError(ErrorCode.divisionByZero)).code).toBe('#DIV/0!');
    expect(call('SAVINGELIGIBLE', [[10]], [[1000]], na).code).toBe('#N/A');
    // An input error comes before the function's own #VALUE! (error precedence of functions.md).
    expect(call('PRIZE', 'không phải cấp', na).code).toBe('#N/A');
  });

  test('HyperFormula (tests only, GPL) is not in the bundles', () => {
    for (const f of fs.readdirSync(out).filter((n) => n.endsWith('.js'))) {
      expect(fs.readFileSync(path.join(out, f), 'utf8')).not.toMatch(/hyperformula|HyperFormula/);
    }
  });
});
