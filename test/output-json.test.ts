/**
 * The command line writes `--json` as UTF-8 chunks (src/core/output.ts `jsonChunks`: lists mapped
 * a batch at a time, issue lists line by line): the text must be `JSON.stringify(…, null, 2)` of
 * the same report, exactly, for the bundled examples (read from their .xlsx files) and for shapes
 * at and around the batch sizes, and every chunk must be whole characters.
 */
import fc from 'fast-check';
import { rank, validateGrids } from '../src/core/engine';
import { jsonChunks, lazyList, rankingJson, validationJson } from '../src/core/output';
import type { Issue } from '../src/core/model';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { exampleFiles } from './support/xlsx-cli';

/** The chunks decoded one by one (a chunk cut inside a character fails to decode). */
const chunked = (v: unknown, size?: number) => [...jsonChunks(v, size)].map((c) => new TextDecoder('utf-8', { fatal: true }).decode(c)).join('');

test('the examples\' ranking and validation JSON, written in chunks, is JSON.stringify of the same data', async () => {
  const grids = await Promise.all(exampleFiles().map((f) => readXlsxGrid(f)));
  const ds = validateGrids(grids);
  const r = rank(ds);
  expect(ds.issues.length).toBeGreaterThan(0);
  for (const lang of ['vi', 'en'] as const) {
    expect(chunked(rankingJson(r, lang))).toBe(JSON.stringify(rankingJson(r, lang), null, 2));
    expect(chunked(rankingJson(r, lang, lazyList))).toBe(JSON.stringify(rankingJson(r, lang), null, 2));
    expect(chunked(validationJson(ds, lang, lazyList))).toBe(JSON.stringify(validationJson(ds, lang), null, 2));
    // Chunks far smaller than an issue: each still ends between two characters.
    expect(chunked(validationJson(ds, lang, lazyList), 64)).toBe(JSON.stringify(validationJson(ds, lang), null, 2));
  }
});

test('issue lists written line by line are JSON.stringify of the same issues, whatever their text', () => {
  // Few distinct values, so that lines repeat from one issue to the next and change again; any
  // text in them: quotes, backslashes, control characters, lone surrogates, Vietnamese.
  const text = fc.oneof(fc.constantFrom('', 'Tiết kiệm điện', 'a"b\\c', '\u0000\n\t', '\ud800', 'x\udc00y', '😀'), fc.string({ unit: 'binary', maxLength: 12 }));
  const issue = fc.record({
    severity: fc.constantFrom('error', 'warning'), file: text, sheet: text, cell: fc.constantFrom('', 'A2', 'F7'),
    field: text, code: fc.constantFrom('missing-row', 'type-error'), message: text, messageEn: text,
  }) as fc.Arbitrary<Issue>;
  fc.assert(fc.property(fc.array(issue, { maxLength: 40 }), fc.boolean(), fc.constantFrom(8, 100, 1 << 18), (issues, ok, size) => {
    for (const lang of ['vi', 'en'] as const) {
      const report = validationJson({ issues, fingerprint: ok ? 'abc' : '' }, lang, lazyList);
      expect(chunked(report, size)).toBe(JSON.stringify(validationJson({ issues, fingerprint: ok ? 'abc' : '' }, lang), null, 2));
    }
  }), { numRuns: 300 });
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
    expect(chunked(v)).toBe(JSON.stringify(v, null, 2));
    expect(chunked(v, 16)).toBe(JSON.stringify(v, null, 2));
  }), { numRuns: 300 });
  // A lazily mapped list of every length around the batch (512) maps each item once, in order.
  for (const n of [0, 1, 511, 512, 513, 1025]) {
    const items = Array.from({ length: n }, (_, i) => i);
    const seen: number[] = [];
    const text = chunked({ a: lazyList(items, (i) => { seen.push(i); return { i, s: `é${i}\n` }; }) });
    expect(text).toBe(JSON.stringify({ a: items.map((i) => ({ i, s: `é${i}\n` })) }, null, 2));
    expect(seen).toEqual(items);
    expect(chunked({ a: lazyList(items, (i) => ({ i, s: `é${i}\n` })) }, 100)).toBe(text);
  }
});
