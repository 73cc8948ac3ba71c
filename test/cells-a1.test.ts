/** parseA1 is written by hand (issues are sorted by cell): it must accept and refuse what the A1 grammar does. */
import fc from 'fast-check';
import { a1, parseA1 } from '../src/core/cells';

function byGrammar(addr: string): { row: number; col: number } | 'refused' {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/.exec(addr.toUpperCase());
  if (!m) return 'refused';
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]) - 1, col: col - 1 };
}
const mine = (addr: string) => { try { return parseA1(addr); } catch { return 'refused'; } };

test('parseA1 agrees with the A1 grammar on any text made of address characters and their neighbours', () => {
  fc.assert(fc.property(fc.stringMatching(/^[$AaZz0-9@[`{B]{0,7}$/), (s) => { expect(mine(s)).toEqual(byGrammar(s)); }), { numRuns: 5000 });
  for (const s of ['A1', '$A$1', 'a1', 'XFD1048576', 'ABCD1', 'A', '1', '', 'A1B', 'A01', '$$A1', 'A1$']) expect(mine(s)).toEqual(byGrammar(s));
});

test('parseA1 inverts a1 over the whole grid\'s corners and a sample inside', () => {
  for (const [row, col] of [[0, 0], [1_048_575, 16_383], [9, 25], [9, 26], [99, 701], [99, 702]]) expect(parseA1(a1(row, col))).toEqual({ row, col });
});
