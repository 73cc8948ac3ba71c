/**
 * EVN.VNDTEXT and the award list's "Bằng chữ" line: a VND amount in Vietnamese words.
 * Each case below is written out by hand the way invoices and award decisions write it.
 */
import { numberWords, vndText, vndTextOf } from '../src/core/vndtext';
import { vndTextFn } from '../src/functions/evn';

const CASES: ReadonlyArray<[number, string]> = [
  // functions.md
  [59000000, 'Năm mươi chín triệu đồng'],
  [105000, 'Một trăm linh năm nghìn đồng'],
  [1015000, 'Một triệu không trăm mười lăm nghìn đồng'],
  [21, 'Hai mươi mốt đồng'],
  [0, 'Không đồng'],
  // units, tens: mười / mươi, mốt, tư, lăm
  [1, 'Một đồng'], [4, 'Bốn đồng'], [5, 'Năm đồng'], [10, 'Mười đồng'], [11, 'Mười một đồng'],
  [14, 'Mười bốn đồng'], [15, 'Mười lăm đồng'], [20, 'Hai mươi đồng'], [24, 'Hai mươi tư đồng'],
  [25, 'Hai mươi lăm đồng'], [31, 'Ba mươi mốt đồng'], [55, 'Năm mươi lăm đồng'], [99, 'Chín mươi chín đồng'],
  // hundreds: linh before a lone unit (bốn, năm, một stay themselves)
  [100, 'Một trăm đồng'], [101, 'Một trăm linh một đồng'], [104, 'Một trăm linh bốn đồng'],
  [105, 'Một trăm linh năm đồng'], [110, 'Một trăm mười đồng'], [115, 'Một trăm mười lăm đồng'],
  [121, 'Một trăm hai mươi mốt đồng'], [999, 'Chín trăm chín mươi chín đồng'],
  // thousands: a lower group after a higher one is read in full (không trăm, linh)
  [1000, 'Một nghìn đồng'], [1001, 'Một nghìn không trăm linh một đồng'], [1005, 'Một nghìn không trăm linh năm đồng'],
  [1010, 'Một nghìn không trăm mười đồng'], [1021, 'Một nghìn không trăm hai mươi mốt đồng'],
  [1100, 'Một nghìn một trăm đồng'], [10000, 'Mười nghìn đồng'], [15000, 'Mười lăm nghìn đồng'],
  [21000, 'Hai mươi mốt nghìn đồng'], [500000, 'Năm trăm nghìn đồng'], [2000000, 'Hai triệu đồng'],
  [1000005, 'Một triệu không trăm linh năm đồng'], [1500000, 'Một triệu năm trăm nghìn đồng'],
  [5000000, 'Năm triệu đồng'], [7000000, 'Bảy triệu đồng'], [12500000, 'Mười hai triệu năm trăm nghìn đồng'],
  [24000000, 'Hai mươi tư triệu đồng'], [14000, 'Mười bốn nghìn đồng'], [104000, 'Một trăm linh bốn nghìn đồng'],
  [1234567, 'Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng'],
  // tỷ and above: nghìn tỷ, triệu tỷ
  [1e9, 'Một tỷ đồng'], [1000000005, 'Một tỷ không trăm linh năm đồng'],
  [1000015000, 'Một tỷ không trăm mười lăm nghìn đồng'], [2500000000, 'Hai tỷ năm trăm triệu đồng'],
  [1e12, 'Một nghìn tỷ đồng'], [1005e9, 'Một nghìn không trăm linh năm tỷ đồng'],
  [1000500000000, 'Một nghìn tỷ năm trăm triệu đồng'],
  [123456789012345, 'Một trăm hai mươi ba nghìn bốn trăm năm mươi sáu tỷ bảy trăm tám mươi chín triệu không trăm mười hai nghìn ba trăm bốn mươi lăm đồng'],
  [1e15, 'Một triệu tỷ đồng'],
];

describe('vndText', () => {
  test.each(CASES)('%d', (n, words) => {
    expect(vndText(n)).toBe(words);
  });

  test('every word is one of the number words; no doubled spaces; capital first letter only', () => {
    const vocabulary = new Set(['không', 'một', 'mốt', 'hai', 'ba', 'bốn', 'tư', 'năm', 'lăm', 'sáu', 'bảy', 'tám', 'chín',
      'mười', 'mươi', 'trăm', 'linh', 'nghìn', 'triệu', 'tỷ']);
    for (let n = 0; n < 200000; n += 97) {
      const w = numberWords(n);
      expect(w).toBe(w.trim());
      for (const word of w.split(' ')) expect(vocabulary.has(word)).toBe(true);
    }
  });

  test('the words read back to the number (an independent parser over many amounts)', () => {
    const value: Record<string, number> = {
      không: 0, một: 1, mốt: 1, hai: 2, ba: 3, bốn: 4, tư: 4, năm: 5, lăm: 5, sáu: 6, bảy: 7, tám: 8, chín: 9,
    };
    const parse = (text: string): number => {
      let total = 0;
      let ty = 0;
      let group = 0;
      let cur = 0;
      for (const w of text.split(' ')) {
        if (w in value) cur += value[w];
        else if (w === 'mười') cur += 10;
        else if (w === 'mươi') cur *= 10;
        else if (w === 'trăm') { group += cur * 100; cur = 0; }
        else if (w === 'linh') { /* a zero tens digit */ }
        else if (w === 'nghìn') { total += (group + cur) * 1000; group = 0; cur = 0; }
        else if (w === 'triệu') { total += (group + cur) * 1e6; group = 0; cur = 0; }
        else if (w === 'tỷ') { ty = (ty + total + group + cur) * 1e9; total = 0; group = 0; cur = 0; }
        else throw new Error(w);
        // `mươi` multiplies only the tens digit just read: units come after it.
      }
      return ty + total + group + cur;
    };
    let seed = 12345;
    const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
    const amounts = [0, 1, 10, 11, 101, 1001, 10001, 100001, 1000001, 1e9 + 1, 1e12 + 1, 1e15];
    for (let i = 0; i < 3000; i++) amounts.push(next() % 10 ** (1 + (i % 15)));
    for (const n of amounts) expect([n, parse(numberWords(n))]).toEqual([n, n]);
  });

  test('fractions, negatives and amounts over 10^15 are #NUM!; non-finite #VALUE!', () => {
    expect(vndTextOf(1.5)).toEqual({ error: 'num' });
    expect(vndTextOf(-1)).toEqual({ error: 'num' });
    expect(vndTextOf(1e15 + 1)).toEqual({ error: 'num' });
    expect(vndTextOf(Number.NaN)).toEqual({ error: 'value' });
    expect(vndTextOf(Infinity)).toEqual({ error: 'value' });
  });
});

describe('EVN.VNDTEXT (pure implementation)', () => {
  test('numbers, text numbers, blank', () => {
    expect(vndTextFn(59000000)).toEqual({ value: 'Năm mươi chín triệu đồng' });
    expect(vndTextFn([[105000]])).toEqual({ value: 'Một trăm linh năm nghìn đồng' });
    expect(vndTextFn('1.015.000')).toEqual({ value: 'Một triệu không trăm mười lăm nghìn đồng' });
    expect(vndTextFn(null)).toEqual({ value: 'Không đồng' });
  });
  test('errors', () => {
    expect(vndTextFn(0.5)).toMatchObject({ code: '#NUM!' });
    expect(vndTextFn(-21)).toMatchObject({ code: '#NUM!' });
    expect(vndTextFn('abc')).toMatchObject({ code: '#VALUE!' });
    expect(vndTextFn(true)).toMatchObject({ code: '#VALUE!' });
    expect(vndTextFn([[1, 2]])).toMatchObject({ code: '#VALUE!' });
    expect(vndTextFn({ code: '#REF!' })).toMatchObject({ error: 'passthrough', code: '#REF!' });
  });
});
