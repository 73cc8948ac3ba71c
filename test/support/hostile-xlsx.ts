/**
 * Generated .xlsx files for the reader's tests and benchmark: a clean submission stored the way
 * Excel stores it (shared strings, a styles part), and the hostile or careless variants of issue 14
 * built from it by editing its parts or its zip bytes. Deterministic.
 */
import JSZip from 'jszip';
import type { CellValue, WorkbookGrid } from '../../src/core/cells';
import { a1 } from '../../src/core/cells';
import { MAX_SHEET_ROWS } from '../../src/core/xlsx-limits';
import { book, UnitRow } from './grids';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A grid → .xlsx bytes the way Excel stores it: shared strings, a styles part, one part per sheet. */
export async function excelLikeXlsx(grid: WorkbookGrid): Promise<Buffer> {
  const zip = new JSZip();
  const n = grid.sheets.length;
  const strings = new Map<string, number>();
  const sst: string[] = [];
  const si = (s: string) => {
    let i = strings.get(s);
    if (i === undefined) { i = sst.length; strings.set(s, i); sst.push(s); }
    return i;
  };
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    + grid.sheets.map((_s, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')
    + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>');
  zip.file('_rels/.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  zip.file('xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ${ns} xmlns:r="${rel}"><sheets>`
    + grid.sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') + '</sheets></workbook>');
  zip.file('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    + grid.sheets.map((_s, i) => `<Relationship Id="rId${i + 1}" Type="${rel}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')
    + `<Relationship Id="rId${n + 1}" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId${n + 2}" Type="${rel}/styles" Target="styles.xml"/></Relationships>`);
  zip.file('xl/styles.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet ${ns}><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`);
  grid.sheets.forEach((s, i) => {
    const parts: string[] = [`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${ns}><sheetData>`];
    s.rows.forEach((row, r) => {
      const cells = row.map((v: CellValue, c) => {
        const ref = a1(s.originRow + r, s.originCol + c);
        if (v === null) return '';
        if (typeof v === 'number') return `<c r="${ref}" s="1"><v>${v}</v></c>`;
        if (typeof v === 'boolean') return `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
        if (typeof v === 'object') return `<c r="${ref}" t="e"><v>${esc(v.error)}</v></c>`;
        return `<c r="${ref}" t="s"><v>${si(v)}</v></c>`;
      }).join('');
      parts.push(`<row r="${s.originRow + r + 1}">${cells}</row>`);
    });
    parts.push('</sheetData></worksheet>');
    zip.file(`xl/worksheets/sheet${i + 1}.xml`, parts.join(''));
  });
  zip.file('xl/sharedStrings.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst ${ns} count="${sst.length}" uniqueCount="${sst.length}">`
    + sst.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('') + '</sst>');
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

/** One PC05 submission of `units` district units (no service rows: every unit gets a missing-row warning). */
export function submission(units: number): WorkbookGrid {
  const rows: UnitRow[] = [{ code: 'PC05', commercial: 1e12, saved: 2e10 }];
  for (let i = 1; i <= units; i++) rows.push({ code: `PC05U${i}`, commercial: 1_000_000 + i * 7, saved: 10_000 + (i % 5000) });
  const g = book({ company: 'PC05', units: rows });
  // Keep the service sheet's header only (book() would list every unit).
  return { ...g, sheets: g.sheets.map((s) => (s.name === g.sheets[2].name ? { ...s, rows: s.rows.slice(0, 1) } : s)) };
}

// --- The hostile corpus (issue 14) -------------------------------------------------------------------

/** The clean base: PC05 and three district units, every sheet filled, valid. */
export const CLEAN_UNITS: UnitRow[] = [
  { code: 'PC05', commercial: 9_000_000, saved: 200_000 },
  { code: 'PC05AA', commercial: 3_000_000, saved: 40_000 },
  { code: 'PC05BB', commercial: 2_900_000, saved: 30_000 },
  { code: 'PC05CC', commercial: 2_000_000, saved: 25_000 },
];
export const SAVING_PART = 'xl/worksheets/sheet2.xml';
export const SAVING_SHEET_NAME = 'Tiết kiệm điện';

export function cleanGrid(units: UnitRow[] = CLEAN_UNITS): WorkbookGrid {
  return book({ company: 'PC05', units, individuals: [{ name: 'Nguyễn Văn An', unit: 'PC05AA', points: 90 }] });
}

export async function cleanXlsx(units: UnitRow[] = CLEAN_UNITS): Promise<Buffer> {
  return excelLikeXlsx(cleanGrid(units));
}

async function editParts(buf: Buffer, f: (zip: JSZip) => Promise<void> | void): Promise<Buffer> {
  const zip = await JSZip.loadAsync(buf);
  await f(zip);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } });
}

async function editSheet(buf: Buffer, part: string, f: (xml: string) => string): Promise<Buffer> {
  return editParts(buf, async (zip) => {
    const xml = await zip.file(part)!.async('string');
    const out = f(xml);
    if (out === xml) throw new Error(`edit of ${part} changed nothing`);
    zip.file(part, out);
  });
}

/** Rename zip entry `from` to `to` (same length) in the local and central headers: names JSZip cannot write. */
function renameEntry(buf: Buffer, from: string, to: string, nth = 0): Buffer {
  if (Buffer.byteLength(from) !== Buffer.byteLength(to)) throw new Error('same length only');
  const out = Buffer.from(buf);
  let seenLocal = 0;
  let seenCentral = 0;
  for (let i = 0; i + 46 <= out.length; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50 && out.toString('latin1', i + 30, i + 30 + out.readUInt16LE(i + 26)) === from) {
      if (seenLocal++ === nth) out.write(to, i + 30, 'latin1');
    } else if (sig === 0x02014b50 && out.toString('latin1', i + 46, i + 46 + out.readUInt16LE(i + 28)) === from) {
      if (seenCentral++ === nth) out.write(to, i + 46, 'latin1');
    }
  }
  return out;
}

/** The unit row `r` (1-based sheet row) of the saving sheet gets extra XML or a replaced cell. */
const savingRow = (r: number) => new RegExp(`<row r="${r}">(.*?)</row>`);

export type Outcome =
  /** Refused as unreadable: exit 2, one line matching. */
  | { readonly refused: RegExp }
  /** Read: the validation issues equal the clean file's. */
  | { readonly sameAsClean: true }
  /** Read: these issues (code, cell, raw text quoted) are among those reported. */
  | { readonly issues: readonly { code: string; sheet: string; cell: string; text?: string }[] };

export interface HostileCase {
  readonly name: string;
  readonly what: string;
  readonly build: () => Promise<Buffer>;
  readonly outcome: Outcome;
}

const MAX_ROW = 1_048_576;

export function hostileCases(): HostileCase[] {
  const sheetEdit = (f: (xml: string) => string) => async () => editSheet(await cleanXlsx(), SAVING_PART, f);
  const bad: [string, string][] = [['2,900,000', 'F3'], ['0x10', 'F4'], ['2900000abc', 'F5'], ['NaN', 'E3'], ['INF', 'E4'], ['1e400', 'E5']];
  return [
    { name: 'merge-whole-grid', what: 'one merge J1:XFD1048576 on a small sheet', outcome: { sameAsClean: true },
      build: sheetEdit((x) => x.replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="J1:XFD1048576"/></mergeCells>')) },
    { name: 'col-range', what: '<col min="1" max="100000000"/>', outcome: { sameAsClean: true },
      build: sheetEdit((x) => x.replace('<sheetData>', '<cols><col min="1" max="100000000" width="9" customWidth="1"/></cols><sheetData>')) },
    { name: 'defined-name-whole-grid', what: 'a defined name over $A$1:$XFD$1048576', outcome: { sameAsClean: true },
      build: async () => editSheet(await cleanXlsx(), 'xl/workbook.xml', (x) => x.replace('</sheets>', `</sheets><definedNames><definedName name="Tat_ca">'${SAVING_SHEET_NAME}'!$A$1:$XFD$1048576</definedName></definedNames>`)) },
    { name: 'validation-whole-grid', what: 'a data validation sqref="A1:XFD1048576"', outcome: { sameAsClean: true },
      build: sheetEdit((x) => x.replace('</sheetData>', '</sheetData><dataValidations count="1"><dataValidation type="whole" sqref="A1:XFD1048576"><formula1>0</formula1></dataValidation></dataValidations>')) },
    { name: 'conditional-format-whole-grid', what: 'a conditional format over A1:XFD1048576', outcome: { sameAsClean: true },
      build: sheetEdit((x) => x.replace('</sheetData>', '</sheetData><conditionalFormatting sqref="A1:XFD1048576"><cfRule type="expression" priority="1"><formula>TRUE</formula></cfRule></conditionalFormatting>')) },
    { name: 'merges-30000', what: '30,000 small merges below the data', outcome: { sameAsClean: true },
      build: sheetEdit((x) => x.replace('</sheetData>', '</sheetData><mergeCells count="30000">'
        + Array.from({ length: 30_000 }, (_, i) => `<mergeCell ref="A${100 + i}:B${100 + i}"/>`).join('') + '</mergeCells>')) },
    { name: 'merges-overlap', what: 'two merges that overlap', outcome: { refused: /overlap/ },
      build: sheetEdit((x) => x.replace('</sheetData>', '</sheetData><mergeCells count="2"><mergeCell ref="J1:K5"/><mergeCell ref="K4:L9"/></mergeCells>')) },
    { name: 'row-2e9', what: 'a row numbered 2,000,000,000', outcome: { refused: /Tiết kiệm điện.*row 2,000,000,000 lies past Excel's last row/ },
      build: sheetEdit((x) => x.replace('</sheetData>', '<row r="2000000000"><c r="A2000000000" t="s"><v>0</v></c></row></sheetData>')) },
    { name: 'row-1e8', what: 'a row numbered 100,000,000', outcome: { refused: /row 100,000,000 lies past/ },
      build: sheetEdit((x) => x.replace('</sheetData>', '<row r="100000000"><c r="A100000000"><v>1</v></c></row></sheetData>')) },
    { name: 'row-past-grid', what: 'a unit on row 1,048,577', outcome: { refused: /row 1,048,577 lies past/ },
      build: sheetEdit((x) => x.replace(savingRow(5), (_m, cells: string) => `<row r="${MAX_ROW + 1}">${cells.replace(/r="([A-Z]+)5"/g, `r="$1${MAX_ROW + 1}"`)}</row>`)) },
    { name: 'row-2pow32', what: 'a unit row at 2^32 + 1', outcome: { refused: /not a valid row number|lies past/ },
      build: sheetEdit((x) => x.replace(savingRow(5), (_m, cells: string) => `<row r="4294967297">${cells.replace(/r="([A-Z]+)5"/g, 'r="$14294967297"')}</row>`)) },
    { name: 'row-0', what: '<row r="0">', outcome: { refused: /Tiết kiệm điện.*numbered "0", which is not a valid row number/ },
      build: sheetEdit((x) => x.replace(savingRow(5), (_m, cells: string) => `<row r="0">${cells.replace(/r="([A-Z]+)5"/g, 'r="$10"')}</row>`)) },
    { name: 'row-repeated', what: 'a row number used twice', outcome: { refused: /Tiết kiệm điện.*row 4 appears twice/ },
      build: sheetEdit((x) => x.replace(savingRow(5), (_m, cells: string) => `<row r="4">${cells.replace(/r="([A-Z]+)5"/g, 'r="$14"')}</row>`)) },
    { name: 'cell-repeated', what: 'cell E3 twice in its row', outcome: { refused: /Tiết kiệm điện.*cell E3 appears twice/ },
      build: sheetEdit((x) => x.replace(/(<c r="E3"[^>]*><v>[^<]*<\/v><\/c>)/, '$1<c r="E3" s="1"><v>1</v></c>')) },
    { name: 'cell-past-xfd', what: 'a cell in column XFE', outcome: { refused: /cell XFE3 lies outside Excel's grid/ },
      build: sheetEdit((x) => x.replace(savingRow(3), (m) => m.replace('</row>', '<c r="XFE3"><v>1</v></c></row>'))) },
    { name: 'leading-slash-over-row-cap', what: `a ${(MAX_SHEET_ROWS + 1).toLocaleString('en-US')}-row sheet stored as /xl/worksheets/sheet2.xml`,
      outcome: { refused: new RegExp(`more than ${MAX_SHEET_ROWS.toLocaleString('en-US')} rows`) },
      build: async () => editParts(await cleanXlsx(), async (zip) => {
        const xml = await zip.file(SAVING_PART)!.async('string');
        const rows = Array.from({ length: MAX_SHEET_ROWS + 1 }, (_, i) => `<row r="${i + 10}"><c r="A${i + 10}"><v>1</v></c></row>`).join('');
        zip.remove(SAVING_PART);
        zip.file('/' + SAVING_PART, xml.replace('</sheetData>', rows + '</sheetData>'));
      }) },
    { name: 'unreferenced-3.5M-cells', what: 'an unreferenced zz/xl/worksheets/sheet9.xml of 3,500,000 cells', outcome: { sameAsClean: true },
      build: async () => editParts(await cleanXlsx(), (zip) => {
        zip.file('zz/xl/worksheets/sheet9.xml', '<worksheet><sheetData><row r="1">' + '<c r="A1"><v>1</v></c>'.repeat(3_500_000) + '</row></sheetData></worksheet>');
      }) },
    { name: 'duplicate-entry', what: 'two zip entries named xl/worksheets/sheet2.xml', outcome: { refused: /two parts named xl\/worksheets\/sheet2\.xml/ },
      build: async () => renameEntry(await editParts(await cleanXlsx(), async (zip) => {
        const xml = await zip.file(SAVING_PART)!.async('string');
        zip.file('xl/worksheets/sheet2.xmz', xml.replace(/<v>40000<\/v>/, '<v>1</v>'));
      }), 'xl/worksheets/sheet2.xmz', SAVING_PART) },
    { name: 'equivalent-entries', what: 'xl/worksheets/sheet2.xml and XL/Worksheets/Sheet2.xml', outcome: { refused: /two parts (with the same name|named)/ },
      build: async () => editParts(await cleanXlsx(), async (zip) => {
        zip.file('XL/Worksheets/Sheet2.xml', await zip.file(SAVING_PART)!.async('string'));
      }) },
    { name: 'backslash-name', what: 'the sheet stored as xl\\worksheets\\sheet2.xml', outcome: { sameAsClean: true },
      build: async () => renameEntry(await cleanXlsx(), SAVING_PART, 'xl\\worksheets\\sheet2.xml') },
    { name: 'not-numbers', what: '<v> texts that are not numbers: 2,900,000 0x10 2900000abc NaN INF 1e400',
      outcome: { issues: bad.map(([raw, cell]) => ({ code: 'type-error', sheet: SAVING_SHEET_NAME, cell, text: `"${raw}"` })) },
      build: sheetEdit((x) => {
        let out = x;
        for (const [raw, cell] of bad) out = out.replace(new RegExp(`(<c r="${cell}"[^>]*><v>)[^<]*(</v>)`), `$1${raw}$2`);
        return out;
      }) },
    { name: 'shared-without-part', what: 't="s" with no shared-strings part', outcome: { refused: /refers to the shared strings, but the file has none/ },
      build: async () => editParts(await cleanXlsx(), async (zip) => {
        zip.remove('xl/sharedStrings.xml');
        const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
        zip.file('xl/_rels/workbook.xml.rels', rels.replace(/<Relationship [^>]*sharedStrings[^>]*\/>/, ''));
      }) },
    { name: 'shared-index-out-of-range', what: 'a shared-string index past the table', outcome: { refused: /refers to shared string "99999", but the file has only/ },
      build: sheetEdit((x) => x.replace(/(<c r="B3" t="s"><v>)\d+(<\/v>)/, '$199999$2')) },
    { name: 'invalid-utf8', what: 'bytes that are not UTF-8 in the shared strings', outcome: { refused: /is not valid UTF-8 text/ },
      build: async () => editParts(await cleanXlsx(), async (zip) => {
        const b = Buffer.from(await zip.file('xl/sharedStrings.xml')!.async('nodebuffer'));
        const at = b.indexOf(Buffer.from('PC05AA'));
        b[at + 2] = 0xff;
        zip.file('xl/sharedStrings.xml', b);
      }) },
    { name: 'text-1mb', what: 'a 1 MB unit name', outcome: { issues: [{ code: 'type-error', sheet: SAVING_SHEET_NAME, cell: 'B4', text: '1,048,576 characters' }] },
      build: sheetEdit((x) => x.replace(/<c r="B4" t="s"><v>\d+<\/v><\/c>/, `<c r="B4" t="inlineStr"><is><t>${'Đ'.repeat(1 << 20)}</t></is></c>`)) },
    { name: 'invisible-duplicate-person', what: 'the same person twice, once with a U+2060 word joiner',
      outcome: { issues: [{ code: 'duplicate-key', sheet: 'Cá nhân', cell: 'A3' }] },
      build: async () => excelLikeXlsx(book({ company: 'PC05', units: CLEAN_UNITS, individuals: [
        { name: 'Nguyễn Văn An', unit: 'PC05AA', points: 90 }, { name: 'Nguyễn\u2060 Văn An', unit: 'PC05AA', points: 95 }] })) },
    { name: 'doctype-xxe', what: 'a DOCTYPE with an external entity', outcome: { refused: /DOCTYPE/ },
      build: async () => editSheet(await cleanXlsx(), 'xl/sharedStrings.xml', (x) => x.replace('<sst ', '<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]><sst ').replace('PC05AA', 'PC05AA&x;')) },
  ];
}
