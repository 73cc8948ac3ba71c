/**
 * The task pane's import reader (browser-safe, loaded on demand) reads files exactly as the
 * command line's reader does: same grids for the bundled examples and for openpyxl-style files.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { XlsxReadError, readXlsxBytes, relativizeRels } from '../src/excel/xlsx-grid';

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

test('absolute relationship targets are made relative', () => {
  const xml = '<Relationships><Relationship Id="r1" Type="t" Target="/xl/tables/table1.xml"/><Relationship Id="r2" Target="http://x" TargetMode="External"/></Relationships>';
  expect(relativizeRels('xl/worksheets/_rels/sheet1.xml.rels', xml)).toContain('Target="../tables/table1.xml"');
  expect(relativizeRels('xl/_rels/workbook.xml.rels', '<Relationship Target="/xl/worksheets/sheet1.xml"/>')).toContain('Target="worksheets/sheet1.xml"');
  expect(relativizeRels('_rels/.rels', '<Relationship Target="/xl/workbook.xml"/>')).toContain('Target="xl/workbook.xml"');
});

test('not an xlsx: a clear message naming the file', async () => {
  const bytes = new TextEncoder().encode('hello').buffer as ArrayBuffer;
  await expect(readXlsxBytes(bytes, 'note.txt')).rejects.toThrow(XlsxReadError);
  await expect(readXlsxBytes(bytes, 'note.txt')).rejects.toThrow(/note\.txt/);
});
