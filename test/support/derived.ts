/**
 * The template's derived formulas as one pattern, built from format.ts (any row): tests that check
 * "the only formulas are the derived ones" use it instead of copying a formula's text.
 */
import { columnLetters } from '../../src/core/cells';
import { DEFAULT_CRITERIA, FieldDef, SAVING, SERVICE_SCORE } from '../../src/core/format';

const ROW = 987654;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function pattern(f: FieldDef, letters: Record<string, string>): string {
  return escape(f.formula!(letters, ROW)).split(String(ROW)).join('\\d+');
}

const savingLetters = Object.fromEntries(SAVING.fields.map((f, i) => [f.key, columnLetters(i)]));
const scoreLetters = { firstCriterion: columnLetters(1), lastCriterion: columnLetters(DEFAULT_CRITERIA.length) };

/** A derived formula of the template, with or without the leading `=`, XML-unescaped. */
export const DERIVED_FORMULA = new RegExp(`^=?(?:${[
  ...SAVING.fields.filter((f) => f.type === 'derived').map((f) => pattern(f, savingLetters)),
  pattern(SERVICE_SCORE, scoreLetters),
].join('|')})$`);

export const xmlUnescape = (s: string): string =>
  s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
