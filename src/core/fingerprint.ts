/**
 * The input fingerprint: SHA-256 of the canonical parsed input, first 16 hex digits. Canonical
 * means independent of row order, of which file a row came from, and of cell formatting: records
 * sorted, numbers as their shortest decimal, text as read (trimmed, NFC). The ranking sheet stores
 * it, so the task pane can tell when the data changed after ranking.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { CriteriaSet, IndividualRecord, SavingRecord, ServiceRecord } from './model';

type Canon = null | undefined | string | number | boolean;

const n = (x: number | undefined): string | null => (x === undefined ? null : String(x));

/** Rows as JSON lines, sorted: the order rows had on the sheet does not count. */
function sortRows(rows: Canon[][]): string {
  const lines = rows.map((r) => JSON.stringify(r));
  lines.sort();
  return lines.join('\n');
}

export function canonicalInput(
  year: number | null, criteria: CriteriaSet, saving: readonly SavingRecord[], service: readonly ServiceRecord[], individuals: readonly IndividualRecord[],
): string {
  const codes = criteria.criteria.map((c) => c.code);
  const head = JSON.stringify({
    v: 1,
    year,
    params: [n(criteria.params.companyThreshold), n(criteria.params.unitThreshold), n(criteria.params.minScore)],
    ok: criteria.ok,
    criteria: criteria.criteria.map((c) => [c.code, c.name, c.unit, c.direction, n(c.target), n(c.weight)]),
    awards: criteria.awards.map((a) => [a.area, a.level, a.count, a.title, a.form, n(a.prize)]),
  });
  return [
    head,
    // JSON writes a number as its shortest decimal and an absent value as null: canonical as is.
    '#saving', sortRows(saving.map((r) => [r.unitCode, r.unitName, r.level, r.companyCode, r.commercial, r.saved, r.note])),
    '#service', sortRows(service.map((r) => [r.unitCode, ...codes.map((c) => r.values[c])])),
    '#individuals', sortRows(individuals.map((r) => [r.name, r.unitCode, r.position, r.area, r.achievement, r.points])),
  ].join('\n');
}

export function fingerprintOf(
  year: number | null, criteria: CriteriaSet, saving: readonly SavingRecord[], service: readonly ServiceRecord[], individuals: readonly IndividualRecord[],
): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalInput(year, criteria, saving, service, individuals)))).slice(0, 16);
}
