/**
 * Detects Vietnamese typed with legacy 8-bit fonts (TCVN3 `.VnTime`, VNI-Times) and shown as
 * Unicode: `§iÖn lùc` or `Ñieän löïc` where `Điện lực` was meant. Both encodings put Vietnamese
 * letters on Latin-1 code points that Unicode Vietnamese never uses.
 */

// Latin-1 characters that are not Vietnamese letters but carry Vietnamese in TCVN3 or VNI.
const FOREIGN = /[\u00A1-\u00BF\u00C4-\u00C7\u00CB\u00CE-\u00D1\u00D6-\u00D8\u00DB\u00DC\u00DE\u00DF\u00E4-\u00E7\u00EB\u00EE\u00EF\u00F1\u00F6-\u00F8\u00FB\u00FC\u00FE\u00FF]/;
// VNI writes a circumflex as `â`/`ê`/`ô` after the vowel it belongs to (`Coâng`, `ñieän`).
const VNI_PAIRS = /[aeo][âê]|[ae]ô/i;

export function looksLegacyEncoded(text: string): boolean {
  return FOREIGN.test(text) || VNI_PAIRS.test(text);
}
