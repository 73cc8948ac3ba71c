/**
 * The command line writes `--json` in pieces (src/core/output.ts `jsonPieces`, lists mapped a batch
 * at a time): the text must be `JSON.stringify(…, null, 2)` of the same report, exactly, for the
 * bundled examples (read from their .xlsx files) and for shapes at and around the batch sizes.
 */
import fc from 'fast-check';
import { rank, validateGrids } from '../src/core/engine';
import { jsonPieces, lazyList, rankingJson, validationJson } from '../src/core/output';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { exampleFiles } from './support/xlsx-cli';

const pieces = (v: unknown) => [...jsonPieces(v)].join('');

test('the examples\' ranking and validation JSON, written in pieces, is JSON.stringify of the same data', async () => {
  const grids = await Promise.all(exampleFiles().map((f) => readXlsxGrid(f)));
  const ds = validateGrids(grids);
  const r = rank(ds);
  expect(ds.issues.length).toBeGreaterThan(0);
  for (const lang of ['vi', 'en'] as const) {
    expect(pieces(rankingJson(r, lang, lazyList))).toBe(JSON.stringify(rankingJson(r, lang), null, 2));
    expect(pieces(validationJson(ds, lang, lazyList))).toBe(JSON.stringify(validationJson(ds, lang), null, 2));
    expect(pieces(rankingJson(r, lang))).toBe(JSON.stringify(rankingJson(r, lang), null, 2));
  }
});

test('any JSON value, with lists long and short, nested and empty, is written as JSON.stringify writes it', () => {
  const leaf = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('object')),
    list: fc.oneof(fc.array(tie('node'), { maxLength: 5 }), fc.array(leaf, { minLength: 60, maxLength: 1100 })),
    object: fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 4 }),
  }));
  // A report is an object or a list at the top (JSON.stringify(undefined) is no text at all).
  fc.assert(fc.property(fc.oneof(value.list, value.object), (v) => {
    expect(pieces(v)).toBe(JSON.stringify(v, null, 2));
  }), { numRuns: 300 });
  // A lazily mapped list of every length around the batch (512) maps each item once, in order.
  for (const n of [0, 1, 511, 512, 513, 1025]) {
    const items = Array.from({ length: n }, (_, i) => i);
    const seen: number[] = [];
    const text = pieces({ a: lazyList(items, (i) => { seen.push(i); return { i, s: `é${i}\n` }; }) });
    expect(text).toBe(JSON.stringify({ a: items.map((i) => ({ i, s: `é${i}\n` })) }, null, 2));
    expect(seen).toEqual(items);
  }
});
