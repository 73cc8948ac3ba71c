/**
 * The ranking order at sizes where the engine sorts through radix passes over numeric keys
 * (engine.ts, from 64 rows of a category) — checked against an order computed here from the
 * figures alone, with exact rational arithmetic: rates that doubles cannot tell apart, codes past
 * the 10 characters the key holds, people of one unit told apart by name, ties sharing a rank.
 */
import fc from 'fast-check';
import { rankGrids } from '../src/core/engine';
import type { Entry } from '../src/core/model';
import { book, perfectService, UnitRow } from './support/grids';

const COMPANY = 'PC05';

interface Unit { code: string; commercial: number; saved: number }
interface Person { name: string; unit: string; points: number }

/** b/a compared exactly (integers below 2⁵³): > 0 when s1/c1 > s2/c2. */
function compareRate(s1: number, c1: number, s2: number, c2: number): number {
  const d = BigInt(s1) * BigInt(c2) - BigInt(s2) * BigInt(c1);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Unit-saving candidates in ranking order (rate, then saved kWh, both descending; then code), with ranks. */
function expectedSaving(units: readonly Unit[], threshold: number): { code: string; rank: number }[] {
  const eligible = units.filter((u) => compareRate(u.saved, u.commercial, threshold * 1000, 1000) >= 0);
  const measure = (a: Unit, b: Unit) => compareRate(a.saved, a.commercial, b.saved, b.commercial) || Math.sign(a.saved - b.saved);
  const sorted = [...eligible].sort((a, b) => measure(b, a) || byString(a.code, b.code));
  return sorted.map((u) => ({ code: u.code, rank: sorted.findIndex((v) => measure(u, v) === 0) + 1 }));
}

function expectedPeople(people: readonly Person[]): { code: string; name: string; rank: number }[] {
  const sorted = [...people].sort((a, b) => b.points - a.points || byString(a.unit, b.unit) || byString(a.name, b.name));
  return sorted.map((p) => ({ code: p.unit, name: p.name, rank: sorted.findIndex((q) => q.points === p.points) + 1 }));
}

const ranked = (entries: readonly Entry[]) => entries.filter((e) => e.eligible);

/** Units whose rates crowd together: a few base rates, each met by several (commercial, saved) pairs. */
const unitsArb = fc.array(fc.record({
  digits: fc.integer({ min: 3, max: 9 }), n: fc.nat({ max: 999_999_999 }),
  commercial: fc.integer({ min: 100_000_000_000, max: 900_000_000_000 }), rate: fc.constantFrom(0.011, 0.0125, 0.02, 0.0333, 0.05),
  nudge: fc.integer({ min: -2, max: 2 }),
}), { minLength: 70, maxLength: 400 }).map((rows) => {
  const seen = new Set<string>();
  const units: Unit[] = [];
  for (const r of rows) {
    // Codes of 9 to 15 characters: past 10, the engine's packed key sees only a prefix.
    const code = `${COMPANY}DL${String(r.n).padStart(9, '0').slice(0, r.digits)}`;
    if (seen.has(code)) continue;
    seen.add(code);
    const saved = Math.floor(r.commercial * r.rate) + r.nudge;
    units.push({ code, commercial: r.commercial, saved });
    // Every tenth unit gets a twin whose rate is the next fraction above its own (s'·c − s·c' = 1,
    // c' < c): so close that the doubles of the two rates are often equal, though the twin saved
    // fewer kWh. Only the exact comparison puts the twin first.
    const twin = units.length % 10 === 0 ? fareyAbove(saved, r.commercial) : undefined;
    if (twin) units.push({ code: `${code}T`, commercial: twin.commercial, saved: twin.saved });
  }
  return units;
});

/** The fraction s'/c' just above s/c with c' < c (needs gcd(s, c) = 1), by the extended Euclid. */
function fareyAbove(s: number, c: number): { saved: number; commercial: number } | undefined {
  // s' ≡ c⁻¹ (mod s), then c' = (s'·c − 1) / s.
  let [r0, r1] = [BigInt(c), BigInt(s)];
  let [t0, t1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (r0 !== 1n) return undefined;
  const S = BigInt(s);
  const s2 = ((t0 % S) + S) % S;
  const c2 = (s2 * BigInt(c) - 1n) / S;
  if (c2 < 10_000_000n) return undefined;
  return { saved: Number(s2), commercial: Number(c2) };
}

const peopleArb = fc.array(fc.record({
  unit: fc.integer({ min: 0, max: 4 }), name: fc.constantFrom('Nguyễn Văn An', 'Trần Thị Bình', 'Lê Hữu Cường', 'Phạm Minh Dũng', 'Hoàng Thu Hà', 'Võ Quốc Việt'),
  suffix: fc.nat({ max: 40 }), points: fc.integer({ min: 150, max: 200 }).map((p) => p / 2),
}), { minLength: 70, maxLength: 400 });

test('at sizes past the radix threshold, the ranking order and ranks are exactly the figures\' order', () => {
  fc.assert(fc.property(unitsArb, peopleArb, fc.nat(), (units, rawPeople, seed) => {
    const unitCodes = units.slice(0, 5).map((u) => u.code);
    const seenPerson = new Set<string>();
    const people: Person[] = [];
    for (const p of rawPeople) {
      const person = { name: `${p.name} ${p.suffix}`, unit: unitCodes[p.unit % unitCodes.length], points: p.points };
      const key = `${person.unit}|${person.name.toLowerCase()}`;
      if (seenPerson.has(key)) continue;
      seenPerson.add(key);
      people.push(person);
    }
    // The company's own figures cover its units (no inconsistent-total error).
    const company: UnitRow = { code: COMPANY, commercial: units.reduce((s, u) => s + u.commercial, 0), saved: units.reduce((s, u) => s + u.saved, 0) };
    const rows: UnitRow[] = [company, ...units.map((u) => ({ code: u.code, commercial: u.commercial, saved: u.saved }))];
    // Input order is shuffled: the result must not depend on it.
    let s = seed;
    for (let i = rows.length - 1; i > 1; i--) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const j = 1 + (s % i);
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    const service = Object.fromEntries(rows.map((u) => [u.code, perfectService()]));
    const r = rankGrids([book({ company: COMPANY, units: rows, service, individuals: people.map((p) => ({ name: p.name, unit: p.unit, points: p.points })) })]);
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);

    const saving = ranked(r.categories.find((c) => c.id === 'unit-saving')!.entries);
    expect(saving.map((e) => ({ code: e.code, rank: e.rank }))).toEqual(expectedSaving(units, 0.01));

    const individual = ranked(r.categories.find((c) => c.id === 'individual')!.entries);
    expect(individual.map((e) => ({ code: e.code, name: e.name, rank: e.rank }))).toEqual(expectedPeople(people));

    // Every unit has a perfect service score: one tie of all of them, in code order.
    const service_ = ranked(r.categories.find((c) => c.id === 'unit-service')!.entries);
    expect(service_.map((e) => e.code)).toEqual([...units.map((u) => u.code)].sort(byString));
    expect(new Set(service_.map((e) => e.rank))).toEqual(new Set([1]));
  }), { numRuns: 25 });
});
