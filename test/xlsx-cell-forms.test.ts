/**
 * The lean reader reads a cell's attributes and plain-digit values in place (one pass, no strings
 * cut out), and everything else the general way. Both must read every legal way of writing the
 * same cells alike: attributes in another order, single quotes, spaces or line breaks around `=`
 * and between attributes, unknown attributes, no `r`, a style with leading zeros, values with
 * white space or leading zeros, a value split by a comment; rows with more attributes, without
 * `r`, in single quotes, with spaces in the number, over lines. Each form is checked to change the
 * XML and to give the clean file's grid exactly. The clean file takes the in-place path; spaces
 * around `=`, a glued or unknown form and values with white space take the general one, so the
 * two paths are checked against each other.
 */
import JSZip from 'jszip';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { SAVING_PART, cleanXlsx } from './support/hostile-xlsx';

type Form = [name: string, edit: (xml: string) => string];

const cellTags = (xml: string, f: (attrs: string) => string) => xml.replace(/<c( [^>]*?)>/g, (_m, a: string) => `<c${f(a)}>`);
const attrsOf = (a: string) => [...a.matchAll(/ (\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]] as const);

const FORMS: Form[] = [
  ['attributes reversed', (x) => cellTags(x, (a) => attrsOf(a).reverse().map(([k, v]) => ` ${k}="${v}"`).join(''))],
  ['single quotes', (x) => cellTags(x, (a) => a.replace(/"/g, "'"))],
  ['spaces around =', (x) => cellTags(x, (a) => a.replace(/="/g, ' = "'))],
  ['line breaks and tabs between attributes', (x) => cellTags(x, (a) => a.replace(/ /g, '\n\t '))],
  ['an unknown attribute first and last', (x) => cellTags(x, (a) => ` cm="1"${a} ph="0"`)],
  ['no r (cells in place, by position)', (x) => cellTags(x, (a) => a.replace(/ r="[A-Z]+\d+"/, ''))],
  ['lower-case references', (x) => cellTags(x, (a) => a.replace(/ r="([A-Z]+)(\d+)"/, (_m, c: string, r: string) => ` r="${c.toLowerCase()}${r}"`))],
  ['styles with leading zeros', (x) => cellTags(x, (a) => a.replace(/ s="(\d+)"/, ' s="00$1"'))],
  ['values with white space', (x) => x.replace(/<v>(\d+)<\/v>/g, '<v> $1\n</v>')],
  ['values with leading zeros', (x) => x.replace(/<v>(\d+)<\/v>/g, '<v>000$1</v>')],
  ['a value split by a comment', (x) => x.replace(/<v>(\d)(\d+)<\/v>/g, '<v>$1<!-- x -->$2</v>')],
  ['an end tag with a space', (x) => x.replace(/<\/v>/g, '</v >')],
  ['rows with more attributes', (x) => x.replace(/<row r="(\d+)">/g, '<row r="$1" spans="1:9" ht="15" x14ac:dyDescent="0.25">')],
  ['rows without r', (x) => x.replace(/<row r="\d+">/g, '<row>')],
  ['rows in single quotes, r last', (x) => x.replace(/<row r="(\d+)">/g, "<row ht='15' r='$1'>")],
  ['row numbers with white space', (x) => x.replace(/<row r="(\d+)">/g, '<row r=" $1 ">')],
  ['row tags over lines', (x) => x.replace(/<row r="(\d+)">/g, '<row\n r="$1"\n>')],
];

test.each(FORMS)('cells written with %s read as the clean file', async (_name, edit) => {
  const clean = await cleanXlsx();
  const zip = await JSZip.loadAsync(clean);
  const xml = await zip.file(SAVING_PART)!.async('string');
  const edited = edit(xml);
  expect(edited).not.toBe(xml);
  zip.file(SAVING_PART, edited);
  const file = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  expect(await readXlsxGrid(file, 'x.xlsx')).toEqual(await readXlsxGrid(clean, 'x.xlsx'));
});
