/**
 * The manifest: well-formed, every resid defined, https only, the shared-runtime structure,
 * Vietnamese and English strings, icons; and the production build (with a custom ADDIN_PROD_URL,
 * run for real in beforeAll) has no localhost left and every URL names a built file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, buildAddin } from './support/webpack-build';

interface Check { errors: string[]; info: { unusedResources?: string[]; urls?: string[] } }
interface XmlEl { name: string; attrs: Record<string, string>; children: XmlEl[]; text: string }
/* eslint-disable @typescript-eslint/no-require-imports */
const validator = require('../scripts/validate-manifest') as {
  parseXml(text: string): XmlEl;
  checkManifest(text: string, o?: { production?: boolean; baseUrl?: string; distDir?: string; assetsDir?: string }): Check;
  checkIcons(dir: string): string[];
  pngSize(buf: Buffer): { width: number; height: number } | null;
};
const urls = require('../scripts/manifest-urls') as {
  DEV_URL: string; DEFAULT_PROD_URL: string;
  prodUrl(env?: Record<string, string | undefined>): string;
  toProduction(text: string, prod?: string, dev?: string): string;
};
const localePlugin = require('../scripts/functions-locale-plugin') as {
  localize(metadata: unknown, texts: unknown): { metadata: unknown; problems: string[] };
};

const SOURCE = fs.readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8');
const PROD = 'https://example.evncpc.vn/thidua/';

function* walk(el: XmlEl): Generator<XmlEl> {
  yield el;
  for (const c of el.children) yield* walk(c);
}

describe('manifest.xml (source, development URLs)', () => {
  const root = validator.parseXml(SOURCE);
  const all = [...walk(root)];

  test('is well-formed and passes every offline check', () => {
    expect(root.name).toBe('OfficeApp');
    expect(validator.checkManifest(SOURCE, { assetsDir: path.join(ROOT, 'assets') }).errors).toEqual([]);
  });

  test('every resid is defined under <Resources>, and every resource is used', () => {
    const defined = new Set(all.filter((e) => /^bt:(Image|Url|String)$/.test(e.name) && e.attrs.id).map((e) => e.attrs.id));
    const used = all.filter((e) => e.attrs.resid !== undefined).map((e) => e.attrs.resid);
    expect(used.length).toBeGreaterThan(10);
    for (const r of used) expect([r, defined.has(r)]).toEqual([r, true]);
    expect(validator.checkManifest(SOURCE).info.unusedResources).toEqual([]);
  });

  test('every URL is https', () => {
    const found = validator.checkManifest(SOURCE).info.urls ?? [];
    expect(found.length).toBeGreaterThan(10);
    for (const u of found) expect(u).toMatch(/^https:\/\//);
    // Namespace names are not URLs; no other http:// anywhere.
    expect(SOURCE.replace(/xmlns(:\w+)?="http:\/\/[^"]+"/g, '')).not.toMatch(/http:\/\//);
  });

  test('Excel, SharedRuntime 1.1, one long-lived runtime, CustomFunctions in namespace EVN, a Home-tab group', () => {
    expect(all.some((e) => e.name === 'Host' && e.attrs.Name === 'Workbook')).toBe(true);
    expect(all.some((e) => e.name === 'Set' && e.attrs.Name === 'SharedRuntime' && e.attrs.MinVersion === '1.1')).toBe(true);
    const runtimes = all.filter((e) => e.name === 'Runtime');
    expect(runtimes).toHaveLength(1);
    expect(runtimes[0].attrs.lifetime).toBe('long');
    expect(all.find((e) => e.name === 'bt:String' && e.attrs.id === 'Functions.Namespace')?.attrs.DefaultValue).toBe('EVN');
    const group = all.find((e) => e.name === 'Group');
    const label = all.find((e) => e.name === 'bt:String' && e.attrs.id === group?.children.find((c) => c.name === 'Label')?.attrs.resid);
    expect(label?.attrs.DefaultValue).toBe('Thi đua EVNCPC');
    expect(all.some((e) => e.name === 'OfficeTab' && e.attrs.id === 'TabHome')).toBe(true);
    expect(all.some((e) => e.name === 'Action' && e.attrs['xsi:type'] === 'ShowTaskpane')).toBe(true);
  });

  test('Vietnamese and English: vi-VN overrides, and Vietnamese function metadata', () => {
    const overrides = all.filter((e) => /Override$/.test(e.name) && e.attrs.Locale === 'vi-VN');
    expect(overrides.length).toBeGreaterThanOrEqual(8);
    const meta = all.find((e) => e.name === 'bt:Url' && e.attrs.id === 'Functions.Metadata.Url');
    expect(meta?.attrs.DefaultValue).toBe('https://localhost:3000/functions.json');
    expect(meta?.children[0].attrs).toEqual({ Locale: 'vi-VN', Value: 'https://localhost:3000/functions.vi.json' });
  });

  test('icons 16/32/64/80 px exist in assets/ with those pixel sizes', () => {
    expect(validator.checkIcons(path.join(ROOT, 'assets'))).toEqual([]);
    for (const s of [16, 32, 64, 80]) {
      expect(validator.pngSize(fs.readFileSync(path.join(ROOT, 'assets', `icon-${s}.png`)))).toEqual({ width: s, height: s });
    }
  });
});

describe('the offline validator catches what it must', () => {
  test('an undefined resid', () => {
    const bad = SOURCE.replace('resid="TaskpaneButton.Tooltip"', 'resid="TaskpaneButton.Tip"');
    expect(validator.checkManifest(bad).errors.join('\n')).toMatch(/resid 'TaskpaneButton.Tip'.*not defined/);
  });

  test('a resid of the wrong kind, or longer than 32 characters', () => {
    const wrongKind = SOURCE.replace('<SourceLocation resid="Functions.Script.Url" />', '<SourceLocation resid="Icon.16x16" />');
    expect(validator.checkManifest(wrongKind).errors.join('\n')).toMatch(/Images resource, expected Urls/);
    const long = SOURCE.split('"Group.Label"').join('"Group.Label.That.Is.Far.Too.Long.For.Office"');
    expect(validator.checkManifest(long).errors.join('\n')).toMatch(/longer than 32/);
  });

  test('an http URL', () => {
    const bad = SOURCE.replace('https://localhost:3000/functions.js', 'http://localhost:3000/functions.js');
    expect(validator.checkManifest(bad).errors.join('\n')).toMatch(/not https: http:\/\/localhost:3000\/functions.js/);
  });

  test('XML that is not well-formed', () => {
    expect(validator.checkManifest(SOURCE.replace('</Hosts>', '</Host>')).errors[0]).toMatch(/not well-formed/);
    expect(validator.checkManifest(SOURCE.replace('DefaultValue="Thi đua EVNCPC"', 'DefaultValue="Thi đua & EVNCPC"')).errors[0]).toMatch(/not well-formed/);
    expect(validator.checkManifest(SOURCE + '<Extra/>').errors[0]).toMatch(/not well-formed/);
  });

  test('localhost in a production manifest', () => {
    expect(validator.checkManifest(SOURCE, { production: true }).errors.join('\n')).toMatch(/localhost/);
  });
});

describe('production URL rewriting', () => {
  test('EVERY dev URL is replaced (a global RegExp), the bare origin by the production origin', () => {
    const text = 'a https://localhost:3000/x.js b https://localhost:3000/y.json c https://localhost:3000 d';
    expect(urls.toProduction(text, PROD)).toBe(`a ${PROD}x.js b ${PROD}y.json c https://example.evncpc.vn d`);
    const n = SOURCE.split(urls.DEV_URL).length - 1;
    expect(n).toBeGreaterThan(10);
    const out = urls.toProduction(SOURCE, PROD);
    expect(out).not.toMatch(/localhost/);
    expect(out.split(PROD).length - 1).toBe(n);
  });

  test('ADDIN_PROD_URL: default, trailing slash added, https required, never localhost', () => {
    expect(urls.prodUrl({})).toBe(urls.DEFAULT_PROD_URL);
    expect(urls.DEFAULT_PROD_URL).toBe('https://thidua.evncpc.vn/addin/');
    expect(urls.prodUrl({ ADDIN_PROD_URL: 'https://x.vn/a' })).toBe('https://x.vn/a/');
    expect(() => urls.prodUrl({ ADDIN_PROD_URL: 'http://x.vn/' })).toThrow(/https/);
    expect(() => urls.prodUrl({ ADDIN_PROD_URL: 'https://localhost:8443/' })).toThrow(/localhost/);
  });

  test('the Vietnamese metadata step fails on a missing or stale text', () => {
    const meta = { functions: [{ id: 'F', name: 'F', description: 'd', parameters: [{ name: 'a', description: 'x', type: 'any' }], result: { type: 'number' } }] };
    expect(localePlugin.localize(meta, { functions: { F: { description: 'v', parameters: { a: 'y' } } } }).problems).toEqual([]);
    expect(localePlugin.localize(meta, { functions: { F: { description: 'v', parameters: {} } } }).problems).toEqual(['no Vietnamese text for parameter F.a']);
    expect(localePlugin.localize(meta, { functions: { F: { description: 'v', parameters: { a: 'y' } }, G: { description: 'g' } } }).problems)
      .toEqual(['Vietnamese text for unknown function G']);
  });
});

describe('the production build (npm run build, ADDIN_PROD_URL set)', () => {
  let dist = '';
  let built = '';
  beforeAll(() => {
    dist = buildAddin('manifest', 'production', { ADDIN_PROD_URL: PROD });
    built = fs.readFileSync(path.join(dist, 'manifest.xml'), 'utf8');
  }, 180000);

  test('dist/manifest.xml has no localhost left, every URL https under the production URL, every file built', () => {
    expect(built).not.toMatch(/localhost/);
    const check = validator.checkManifest(built, { production: true, baseUrl: PROD, distDir: dist, assetsDir: path.join(dist, 'assets') });
    expect(check.errors).toEqual([]);
    for (const u of check.info.urls ?? []) expect(u.startsWith(PROD) || u === 'https://example.evncpc.vn').toBe(true);
    expect(check.info.urls).toContain(`${PROD}functions.vi.json`);
  });

  test('only the URLs changed', () => {
    expect(built).toBe(urls.toProduction(SOURCE, PROD));
  });
});
