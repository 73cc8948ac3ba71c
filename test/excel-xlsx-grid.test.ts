/**
 * The task pane's import reader (browser-safe, loaded on demand) reads files exactly as the
 * command line's reader does: same grids for the bundled examples and for openpyxl-style files,
 * and the same refusals with the same messages for files over the caps (parts, zip bombs, rows).
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import JSZip from 'jszip';
import type { ReadLimits } from '../src/core/xlsx-limits';
import { MAX_SHEET_ROWS, MAX_ZIP_ENTRIES, UnreadableFileError, readXlsxGrid } from '../src/node/xlsx-read';
import { XlsxReadError, readXlsxBytes } from '../src/excel/xlsx-grid';

const examples = path.join(__dirname, '..', 'assets', 'examples');

test('same grid as the node reader for every bundled example', async () => {
  const files = (await fs.readdir(examples)).filter((f) => f.endsWith('.xlsx'));
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    const buf = await fs.readFile(path.join(examples, f));
    const bytes = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    expect(await readXlsxBytes(bytes, f)).toEqual(await readXlsxGrid(path.join(examples, f)));
  }
});

test('absolute relationship targets (as openpyxl writes them) are followed', async () => {
  const zip = await exampleZip();
  const before = await readXlsxBytes(arrayBuffer(await zip.generateAsync({ type: 'nodebuffer' })), 'a.xlsx');
  const rels = 'xl/_rels/workbook.xml.rels';
  const xml = await zip.file(rels)!.async('string');
  const abs = xml.replace(/Target="(?!\/)([^"]+)"/g, 'Target="/xl/$1"');
  expect(abs).not.toEqual(xml);
  zip.file(rels, abs);
  const after = await readXlsxBytes(arrayBuffer(await zip.generateAsync({ type: 'nodebuffer' })), 'a.xlsx');
  expect(after.sheets.length).toBeGreaterThan(0);
  expect(after.sheets).toEqual(before.sheets);
});

test('not an xlsx: a clear message naming the file', async () => {
  const bytes = new TextEncoder().encode('hello').buffer as ArrayBuffer;
  await expect(readXlsxBytes(bytes, 'note.txt')).rejects.toThrow(XlsxReadError);
  await expect(readXlsxBytes(bytes, 'note.txt')).rejects.toThrow(/note\.txt/);
});

// --- The command line's caps, enforced by the pane's reader with the same messages ----------------

const arrayBuffer = (buf: Buffer) => buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;

/** A real workbook (the first bundled example) opened for editing. */
async function exampleZip(): Promise<JSZip> {
  const f = (await fs.readdir(examples)).filter((n) => n.endsWith('.xlsx')).sort()[0];
  return JSZip.loadAsync(await fs.readFile(path.join(examples, f)));
}

/** Both readers refuse `buf`; the pane's message is the command line's, in Vietnamese and English. */
async function refusedByBoth(buf: Buffer, file: string, limits?: Partial<ReadLimits>): Promise<XlsxReadError> {
  const pane = await readXlsxBytes(arrayBuffer(buf), file, { limits }).then(() => null, (e: unknown) => e);
  const cli = await readXlsxGrid(buf, file, { limits }).then(() => null, (e: unknown) => e);
  expect(pane).toBeInstanceOf(XlsxReadError);
  expect(cli).toBeInstanceOf(UnreadableFileError);
  const { vi, en } = pane as XlsxReadError;
  expect([vi, en]).toEqual([(cli as UnreadableFileError).message, (cli as UnreadableFileError).messageEn]);
  expect(vi).toContain(file);
  return pane as XlsxReadError;
}

/** Set the uncompressed size a zip declares for `name` (local and central headers) to `size`: a lying header. */
function declareSize(buf: Buffer, name: string, size: number): void {
  for (let i = 0; i + 4 <= buf.length; i++) {
    const sig = buf.readUInt32LE(i);
    if (sig === 0x04034b50 && buf.toString('latin1', i + 30, i + 30 + buf.readUInt16LE(i + 26)) === name) buf.writeUInt32LE(size, i + 22);
    if (sig === 0x02014b50 && buf.toString('latin1', i + 46, i + 46 + buf.readUInt16LE(i + 28)) === name) buf.writeUInt32LE(size, i + 24);
  }
}

test(`a zip of more than ${MAX_ZIP_ENTRIES.toLocaleString('en-US')} parts is refused, as by the command line`, async () => {
  const zip = await exampleZip();
  const have = Object.values(zip.files).filter((f) => !f.dir).length;
  for (let i = have; i <= MAX_ZIP_ENTRIES; i++) zip.file(`xl/media/p${i}.bin`, '');
  const err = await refusedByBoth(await zip.generateAsync({ type: 'nodebuffer' }), 'nhieu-phan.xlsx');
  expect(err.en).toContain(`has ${(MAX_ZIP_ENTRIES + 1).toLocaleString('en-US')} parts, over the limit of ${MAX_ZIP_ENTRIES.toLocaleString('en-US')}`);
  expect(err.vi).toMatch(/phần, quá giới hạn/);
});

test('a zip bomb is refused while inflating, even when its header lies about the size', async () => {
  const limits = { entryBytes: 1024 * 1024 };
  const zip = await exampleZip();
  const sheet = Object.keys(zip.files).filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n)).sort()[0];
  const xml = await zip.file(sheet)!.async('string');
  zip.file(sheet, xml.replace('<sheetData>', '<sheetData>' + ' '.repeat(8 * 1024 * 1024))); // 8 MB in a few KB
  const honest = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  expect(honest.length).toBeLessThan(200 * 1024);
  const declared = await refusedByBoth(honest, 'bom.xlsx', limits);
  expect(declared.en).toContain(`part ${sheet} is over 1 MB uncompressed (8 MB)`);
  // The header now says 1,000 bytes: only inflating finds the size out.
  const lying = Buffer.from(honest);
  declareSize(lying, sheet, 1000);
  const measured = await refusedByBoth(lying, 'bom.xlsx', limits);
  expect(measured.en).toContain(`part ${sheet} is over 1 MB uncompressed`);
  expect(measured.en).not.toContain('(8 MB)'); // stopped as soon as it passed the cap
  expect(measured.vi).toMatch(/khi giải nén lớn hơn 1 MB/);
  // Under the real caps the same file is read.
  expect((await readXlsxBytes(arrayBuffer(honest), 'bom.xlsx')).sheets.length).toBeGreaterThan(0);
});

test('a part nothing refers to is never inflated: a lying bomb there costs nothing', async () => {
  const zip = await exampleZip();
  zip.file('xl/media/image1.bin', new Uint8Array(8 * 1024 * 1024));
  const buf = Buffer.from(await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  declareSize(buf, 'xl/media/image1.bin', 1000);
  const grid = await readXlsxBytes(arrayBuffer(buf), 'bom.xlsx', { limits: { entryBytes: 1024 * 1024 } });
  expect(grid.sheets.length).toBeGreaterThan(0);
});

test(`a sheet of more than ${MAX_SHEET_ROWS.toLocaleString('en-US')} rows is refused, as by the command line`, async () => {
  const zip = await exampleZip();
  const name = Object.keys(zip.files).filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n)).sort()[0];
  const xml = await zip.file(name)!.async('string');
  const rows: string[] = [];
  for (let r = 1000; r <= 1000 + MAX_SHEET_ROWS; r++) rows.push(`<row r="${r}"><c r="A${r}"><v>1</v></c></row>`);
  zip.file(name, xml.replace('</sheetData>', rows.join('') + '</sheetData>'));
  const buf = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } });
  const err = await refusedByBoth(buf, 'nhieu-dong.xlsx');
  expect(err.en).toMatch(new RegExp(`rows, over the limit of ${MAX_SHEET_ROWS.toLocaleString('en-US')} rows`));
  expect(err.vi).toMatch(/dòng, quá giới hạn/);
});
