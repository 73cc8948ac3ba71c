/**
 * The input fingerprint: SHA-256 over the canonical parsed input, first 16 hex digits. The ranking
 * sheet stores it, so the task pane can tell when the data changed after ranking.
 *
 * Canonical means independent of row order, of which file a row came from and in which order the
 * files were given (one master or one file per company: the same fingerprint), and of cell
 * formatting: numbers as their values, text as read (trimmed, NFC). In it: the year, the criteria,
 * every record's fields, and which of them the reader found wrong (a typo and a blank cell leave
 * no value alike but rank differently).
 *
 * Version 2 (issue 12) hashes without building text: each record is encoded as 32-bit words into
 * one reused buffer and hashed to 128 bits (MurmurHash3 x86_128's block function); a section's
 * digests are added lane by lane modulo 2³² — a multiset hash, so row order does not count and a
 * repeated row counts twice. SHA-256 then covers the head (year, criteria) and each
 * section's count and sum. It detects changes, it does not resist someone forging a collision on
 * purpose (neither did 16 hex digits).
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { CriteriaSet, IndividualRecord, SavingRecord, ServiceRecord } from './model';

const n = (x: number | undefined): string | null => (x === undefined ? null : String(x));

// --- Encoding a record as words ---------------------------------------------------------------

const ABSENT = 0;
const TEXT = 1;
const NUMBER = 2;
/** Or-ed into a field's tag when the reader reported an error in that cell. */
const BAD = 0x100;

let buf = new Int32Array(1024);
let len = 0;
// Explicit little-endian words, so the fingerprint is the same on every machine.
const f64 = new DataView(new ArrayBuffer(8));

function room(words: number): void {
  if (len + words <= buf.length) return;
  const grown = new Int32Array(Math.max(buf.length * 2, len + words));
  grown.set(buf.subarray(0, len));
  buf = grown;
}

function text(s: string, bad: number): void {
  const l = s.length;
  room(2 + ((l + 1) >> 1));
  const b = buf;
  let j = len;
  b[j++] = TEXT | bad;
  b[j++] = l;
  let i = 0;
  for (; i + 1 < l; i += 2) b[j++] = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
  if (i < l) b[j++] = s.charCodeAt(i);
  len = j;
}

function num(x: number, bad: number): void {
  room(3);
  buf[len++] = NUMBER | bad;
  f64.setFloat64(0, x === 0 ? 0 : x, true); // -0 reads as 0
  buf[len++] = f64.getInt32(0, true);
  buf[len++] = f64.getInt32(4, true);
}

function field(v: string | number | undefined, bad: boolean): void {
  const b = bad ? BAD : 0;
  if (v === undefined) {
    room(1);
    buf[len++] = ABSENT | b;
  } else if (typeof v === 'number') num(v, b);
  else text(v, b);
}

// --- MurmurHash3 x86_128 over the buffer, summed per section --------------------------------------

/** A section's running sum of record digests (four 32-bit lanes) and its record count. */
class Section {
  readonly sum = new Int32Array(4);
  count = 0;
  constructor(private readonly seed: number) {}

  /** Hash `buf[0..len)` and add the digest. */
  add(): void {
    const seed = this.seed;
    let h1 = seed ^ 0x239b961b;
    let h2 = seed ^ 0xab0e9789;
    let h3 = seed ^ 0x38b34ae5;
    let h4 = seed ^ 0xa1e38b93;
    const words = len;
    const blocks = words & ~3;
    let k1 = 0;
    let k2 = 0;
    let k3 = 0;
    let k4 = 0;
    for (let i = 0; i < blocks; i += 4) {
      k1 = Math.imul(buf[i], 0x239b961b); k1 = (k1 << 15) | (k1 >>> 17); h1 ^= Math.imul(k1, 0xab0e9789);
      h1 = (h1 << 19) | (h1 >>> 13); h1 = (h1 + h2) | 0; h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
      k2 = Math.imul(buf[i + 1], 0xab0e9789); k2 = (k2 << 16) | (k2 >>> 16); h2 ^= Math.imul(k2, 0x38b34ae5);
      h2 = (h2 << 17) | (h2 >>> 15); h2 = (h2 + h3) | 0; h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
      k3 = Math.imul(buf[i + 2], 0x38b34ae5); k3 = (k3 << 17) | (k3 >>> 15); h3 ^= Math.imul(k3, 0xa1e38b93);
      h3 = (h3 << 15) | (h3 >>> 17); h3 = (h3 + h4) | 0; h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;
      k4 = Math.imul(buf[i + 3], 0xa1e38b93); k4 = (k4 << 18) | (k4 >>> 14); h4 ^= Math.imul(k4, 0x239b961b);
      h4 = (h4 << 13) | (h4 >>> 19); h4 = (h4 + h1) | 0; h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
    }
    const tail = words - blocks;
    if (tail >= 3) { k3 = Math.imul(buf[blocks + 2], 0x38b34ae5); k3 = (k3 << 17) | (k3 >>> 15); h3 ^= Math.imul(k3, 0xa1e38b93); }
    if (tail >= 2) { k2 = Math.imul(buf[blocks + 1], 0xab0e9789); k2 = (k2 << 16) | (k2 >>> 16); h2 ^= Math.imul(k2, 0x38b34ae5); }
    if (tail >= 1) { k1 = Math.imul(buf[blocks], 0x239b961b); k1 = (k1 << 15) | (k1 >>> 17); h1 ^= Math.imul(k1, 0xab0e9789); }
    const bytes = words * 4;
    h1 ^= bytes; h2 ^= bytes; h3 ^= bytes; h4 ^= bytes;
    h1 = (h1 + h2 + h3 + h4) | 0; h2 = (h2 + h1) | 0; h3 = (h3 + h1) | 0; h4 = (h4 + h1) | 0;
    h1 = fmix(h1); h2 = fmix(h2); h3 = fmix(h3); h4 = fmix(h4);
    h1 = (h1 + h2 + h3 + h4) | 0; h2 = (h2 + h1) | 0; h3 = (h3 + h1) | 0; h4 = (h4 + h1) | 0;
    const s = this.sum;
    s[0] = (s[0] + h1) | 0;
    s[1] = (s[1] + h2) | 0;
    s[2] = (s[2] + h3) | 0;
    s[3] = (s[3] + h4) | 0;
    this.count++;
  }

  /** Count and sum as bytes for SHA-256. */
  bytes(): Uint8Array {
    const out = new DataView(new ArrayBuffer(20));
    out.setInt32(0, this.count, true);
    for (let i = 0; i < 4; i++) out.setInt32(4 + 4 * i, this.sum[i], true);
    return new Uint8Array(out.buffer);
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

// --- The fingerprint -------------------------------------------------------------------------------

// Fields by name, not in a loop over keys: records differ in shape (absent fields), and named
// loads stay fast where keyed ones would not.
function savingSection(saving: readonly SavingRecord[]): Section {
  const s = new Section(1);
  for (let i = 0; i < saving.length; i++) {
    const r = saving[i];
    len = 0;
    const e = r.errorFields.size ? r.errorFields : null;
    field(r.unitCode, e !== null && e.has('unitCode'));
    field(r.unitName, e !== null && e.has('unitName'));
    field(r.level, e !== null && e.has('level'));
    field(r.companyCode, e !== null && e.has('companyCode'));
    field(r.commercial, e !== null && e.has('commercial'));
    field(r.saved, e !== null && e.has('saved'));
    field(r.note, e !== null && e.has('note'));
    s.add();
  }
  return s;
}

function serviceSection(service: readonly ServiceRecord[], codes: readonly string[]): Section {
  const v = new Section(2);
  for (let i = 0; i < service.length; i++) {
    const r = service[i];
    len = 0;
    const e = r.errorFields.size ? r.errorFields : null;
    field(r.unitCode, e !== null && e.has('unitCode'));
    const values = r.values;
    for (let j = 0; j < codes.length; j++) field(values[codes[j]], e !== null && e.has(codes[j]));
    v.add();
  }
  return v;
}

function individualSection(individuals: readonly IndividualRecord[]): Section {
  const p = new Section(3);
  for (let i = 0; i < individuals.length; i++) {
    const r = individuals[i];
    len = 0;
    const e = r.errorFields.size ? r.errorFields : null;
    field(r.name, e !== null && e.has('name'));
    field(r.unitCode, e !== null && e.has('unitCode'));
    field(r.position, e !== null && e.has('position'));
    field(r.area, e !== null && e.has('area'));
    field(r.achievement, e !== null && e.has('achievement'));
    field(r.points, e !== null && e.has('points'));
    p.add();
  }
  return p;
}

export function fingerprintOf(
  year: number | null, criteria: CriteriaSet, saving: readonly SavingRecord[], service: readonly ServiceRecord[], individuals: readonly IndividualRecord[],
): string {
  const codes = criteria.criteria.map((c) => c.code);
  const head = JSON.stringify({
    v: 2,
    year,
    params: [n(criteria.params.companyThreshold), n(criteria.params.unitThreshold), n(criteria.params.minScore)],
    ok: criteria.ok,
    criteria: criteria.criteria.map((c) => [c.code, c.name, c.unit, c.direction, n(c.target), n(c.weight)]),
    awards: criteria.awards.map((a) => [a.area, a.level, a.count, a.title, a.form, n(a.prize)]),
  });

  // A section per record type, each a function of its own: a loop over 100,000 rows is compiled
  // while it runs (on-stack replacement), and the code after it, not yet run, would throw that away.
  const sections = [savingSection(saving), serviceSection(service, codes), individualSection(individuals)];

  const h = sha256.create();
  h.update(utf8ToBytes(head));
  for (const sec of sections) h.update(sec.bytes());
  return bytesToHex(h.digest()).slice(0, 16);
}
