/**
 * The input fingerprint: SHA-256 of the canonical parsed input, first 16 hex digits. Canonical
 * means independent of row order, of which file a row came from, and of cell formatting: records
 * sorted, numbers as their shortest decimal, text as read (trimmed, NFC). The ranking sheet stores
 * it, so the task pane can tell when the data changed after ranking.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { CriteriaSet, IndividualRecord, SavingRecord, ServiceRecord } from './model';

type Canon = null | string | number | boolean | Canon[];

const n = (x: number | undefined): Canon => (x === undefined ? null : String(x));
const t = (x: string | undefined): Canon => (x === undefined ? null : x);

function sortRows(rows: Canon[][]): Canon[][] {
  const keyed = rows.map((r) => [JSON.stringify(r), r] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keyed.map((k) => k[1]);
}

export function canonicalInput(
  year: number | null, criteria: CriteriaSet, saving: readonly SavingRecord[], service: readonly ServiceRecord[], individuals: readonly IndividualRecord[],
): string {
  const codes = criteria.criteria.map((c) => c.code);
  return JSON.stringify({
    v: 1,
    year,
    params: [n(criteria.params.companyThreshold), n(criteria.params.unitThreshold), n(criteria.params.minScore)],
    ok: criteria.ok,
    criteria: criteria.criteria.map((c) => [c.code, c.name, c.unit, c.direction, n(c.target), n(c.weight)]),
    awards: criteria.awards.map((a) => [a.area, a.level, a.count, a.title, a.form, n(a.prize)]),
    saving: sortRows(saving.map((r) => [t(r.unitCode), t(r.unitName), t(r.level), t(r.companyCode), n(r.commercial), n(r.saved), t(r.note)])),
    service: sortRows(service.map((r) => [t(r.unitCode), codes.map((c) => n(r.values[c]))])),
    individuals: sortRows(individuals.map((r) => [t(r.name), t(r.unitCode), t(r.position), t(r.area), t(r.achievement), n(r.points)])),
  });
}

export function fingerprintOf(
  year: number | null, criteria: CriteriaSet, saving: readonly SavingRecord[], service: readonly ServiceRecord[], individuals: readonly IndividualRecord[],
): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalInput(year, criteria, saving, service, individuals)))).slice(0, 16);
}
