/**
 * Numbers typed as text. Accountants in Vietnam write `1.234.567` and `12,5%` (vi-VN), others
 * `1,234,567.5` (en-US). Text is accepted when it reads as one number in either locale (or both
 * agree); when the two readings differ (`1.234`: 1234 or 1.234) it is ambiguous and refused.
 */

export type TextNumber =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'ambiguous'; readonly readings: readonly number[] }
  | { readonly kind: 'invalid' };

const SPACE = /[\s\u00A0\u2007\u202F\uFEFF\u200B]/g;

function readLocale(body: string, group: string, decimal: string): number | null {
  const parts = body.split(decimal);
  if (parts.length > 2) return null;
  const [intPart, frac] = parts;
  if (frac !== undefined && !/^\d+$/.test(frac)) return null;
  let digits: string;
  if (intPart.includes(group)) {
    const groups = intPart.split(group);
    // A grouped integer: 1–3 leading digits (not a leading zero) then groups of exactly three.
    if (!/^[1-9]\d{0,2}$/.test(groups[0])) return null;
    if (!groups.slice(1).every((g) => /^\d{3}$/.test(g))) return null;
    digits = groups.join('');
  } else {
    if (!/^\d+$/.test(intPart)) return null;
    digits = intPart;
  }
  const v = Number(frac === undefined ? digits : `${digits}.${frac}`);
  return Number.isFinite(v) ? v : null;
}

/** Read text as a number by the rules of workbook.md. */
export function parseTextNumber(raw: string): TextNumber {
  let s = raw.replace(SPACE, '');
  if (s === '') return { kind: 'invalid' };
  let percent = false;
  if (s.endsWith('%')) {
    percent = true;
    s = s.slice(0, -1);
  }
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  const scale = (v: number) => (percent ? Number((sign * v).toPrecision(15)) / 100 : sign * v);
  // Scientific notation is the same in both locales (1e6, 2.5E-3).
  if (/^\d+(\.\d+)?e[+-]?\d+$/i.test(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? { kind: 'number', value: scale(v) } : { kind: 'invalid' };
  }
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return { kind: 'invalid' };
  const vi = readLocale(s, '.', ',');
  const en = readLocale(s, ',', '.');
  if (vi === null && en === null) return { kind: 'invalid' };
  if (vi !== null && en !== null && vi !== en) return { kind: 'ambiguous', readings: [scale(vi), scale(en)] };
  return { kind: 'number', value: scale((vi ?? en) as number) };
}
