/**
 * The Emulation Council's decisions (`Quyết định Hội đồng`, workbook.md; ranking.md, Awards).
 *
 * A tie that straddles the last place of an award row is never decided by the program. The council
 * names the entries that take its places, in award order; the named ones get the awards of those
 * places, the others of the tie none, and every entry of the tie stops being pending. A row that
 * cannot be applied safely (unknown entry, not in a tie, too many for the places) is a
 * `bad-decision` error and its tie stays pending; a row whose category has no tie left any more
 * (the data changed) is a warning and is not applied. Pure: the engine calls this while ranking.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { a1, matchKey } from './cells';
import { AREA, AwardRecord, DECISIONS, LEVEL, fieldOf } from './format';
import { MSG, Message } from './messages';
import { MessageIssue } from './model';
import type { Award, CategoryId, DecisionRecord, Issue, Ranking, Severity } from './model';

/** The note of every entry of a tie the council decided. */
export const DECIDED_NOTE = 'Hội đồng Thi đua quyết định';

export function decidedNote(minutes: string | undefined): string {
  return minutes ? `${DECIDED_NOTE} (biên bản ${minutes})` : DECIDED_NOTE;
}

const CATEGORY_OF: Readonly<Record<string, CategoryId>> = {
  [`${AREA.service}|${LEVEL.company}`]: 'company-service',
  [`${AREA.saving}|${LEVEL.company}`]: 'company-saving',
  [`${AREA.service}|${LEVEL.unit}`]: 'unit-service',
  [`${AREA.saving}|${LEVEL.unit}`]: 'unit-saving',
  [`${AREA.individual}|${LEVEL.individual}`]: 'individual',
};

/** Hạng mục / Cấp of a category, for messages and for the pane's rows. */
export const CATEGORY_AREA_LEVEL: Readonly<Record<CategoryId, { area: string; level: string }>> = {
  'company-service': { area: AREA.service, level: LEVEL.company },
  'company-saving': { area: AREA.saving, level: LEVEL.company },
  'unit-service': { area: AREA.service, level: LEVEL.unit },
  'unit-saving': { area: AREA.saving, level: LEVEL.unit },
  individual: { area: AREA.individual, level: LEVEL.individual },
};

const isPerson = (d: DecisionRecord) => d.level === LEVEL.individual || d.area === AREA.individual;

/** The cell a decision's issue is reported at: `Mã đơn vị`, for a person `Họ và tên`. */
function keyCell(d: DecisionRecord): string {
  const key = isPerson(d) && d.origin.cols.name !== undefined ? 'name' : 'unitCode';
  const col = d.origin.cols[key];
  return col === undefined ? '' : a1(d.origin.row, col);
}

function issueAt(d: DecisionRecord, severity: Severity, msg: Message): Issue {
  const field = fieldOf(DECISIONS, isPerson(d) && d.origin.cols.name !== undefined ? 'name' : 'unitCode').header;
  return new MessageIssue(severity, d.origin.file, d.origin.sheet, keyCell(d), field, 'bad-decision', msg);
}

/** Who a row names, as its messages say it. */
function who(d: DecisionRecord): string {
  return isPerson(d) ? `"${d.name ?? ''}" (${d.unitCode ?? ''})` : `"${d.unitCode ?? ''}"`;
}

/** Identity of an entry within its category: the unit's code; a person's name and unit. */
export function entryKey(isIndividual: boolean, code: string, name: string): string {
  return isIndividual ? `${matchKey(name)}\u0000${code}` : code;
}

export interface DecisionsByCategory {
  readonly byCategory: Map<CategoryId, DecisionRecord[]>;
  /** Categories whose ties stay pending whatever else the rows say (a row there is broken). */
  readonly blocked: ReadonlySet<CategoryId>;
  readonly issues: Issue[];
}

/**
 * Rows by category. A row that fits no category or lacks a person's name is an error here; a row
 * with a cell problem (reported by the reader) names nothing for sure, so its category — all of
 * them when even that cannot be told — keeps its ties pending.
 */
export function decisionsByCategory(decisions: readonly DecisionRecord[]): DecisionsByCategory {
  const byCategory = new Map<CategoryId, DecisionRecord[]>();
  const blocked = new Set<CategoryId>();
  const issues: Issue[] = [];
  const all = Object.values(CATEGORY_OF);
  for (const d of decisions) {
    const id = d.area && d.level ? CATEGORY_OF[`${d.area}|${d.level}`] : undefined;
    if (d.errorFields.size || !d.area || !d.level || !d.unitCode) {
      for (const c of id ? [id] : all) blocked.add(c);
      continue;
    }
    if (!id) {
      issues.push(issueAt(d, 'error', MSG.decisionCategory(d.area, d.level)));
      for (const c of all) blocked.add(c);
      continue;
    }
    if (id === 'individual' && !d.name) { issues.push(issueAt(d, 'error', MSG.decisionNoName())); blocked.add(id); continue; }
    const list = byCategory.get(id) ?? [];
    list.push(d);
    byCategory.set(id, list);
  }
  return { byCategory, blocked, issues };
}

/** A tied group of one category that straddles an award boundary. */
export interface Tie {
  /** Index of the group's first entry among the ranked ones; the shared rank is `start + 1`. */
  readonly start: number;
  /** Entries of the group, in list order. */
  readonly members: readonly { readonly code: string; readonly name: string }[];
  /** Award places the group straddles (rank … min(last of group, last award place)). */
  readonly places: number;
}

export interface TieDecision {
  /** Award of each member (list order); null: no award. */
  readonly awards: readonly (Award | null)[];
  readonly note: string;
}

/**
 * Decide a category's ties from its decision rows. `known` holds the keys of every entry of the
 * category (ranked or not); `awardAt(place)` is the award of a place. Returns the decided ties by
 * `start`, and the issues of the rows.
 */
export function decideTies(
  id: CategoryId, rows: readonly DecisionRecord[], ties: readonly Tie[], known: ReadonlySet<string>,
  awardAt: (place: number) => Award | null, blocked = false,
): { decided: Map<number, TieDecision>; issues: Issue[] } {
  const decided = new Map<number, TieDecision>();
  const issues: Issue[] = [];
  if (!rows.length) return { decided, issues };
  const individual = id === 'individual';
  const { area, level } = CATEGORY_AREA_LEVEL[id];
  const category = `${area} – ${level}`;
  const tieOf = new Map<string, number>();
  ties.forEach((t, n) => { for (const m of t.members) tieOf.set(entryKey(individual, m.code, m.name), n); });
  const named: DecisionRecord[][] = ties.map(() => []);
  const namedKeys: Set<string>[] = ties.map(() => new Set());
  const spoiled = new Set<number>();
  let spoilAll = false;
  for (const d of rows) {
    const key = entryKey(individual, d.unitCode as string, d.name ?? '');
    if (!known.has(key)) {
      issues.push(issueAt(d, 'error', individual
        ? MSG.decisionUnknownPerson(d.name ?? '', d.unitCode as string)
        : MSG.decisionUnknownUnit(d.unitCode as string, level)));
      spoilAll = true;
      continue;
    }
    const n = tieOf.get(key);
    if (n === undefined) {
      if (ties.length) {
        issues.push(issueAt(d, 'error', MSG.decisionNotInTie(who(d), category)));
        spoilAll = true;
      } else issues.push(issueAt(d, 'warning', MSG.decisionStale(who(d), category)));
      continue;
    }
    if (namedKeys[n].has(key)) {
      issues.push(issueAt(d, 'error', MSG.decisionTwice(who(d))));
      spoiled.add(n);
      continue;
    }
    namedKeys[n].add(key);
    named[n].push(d);
    if (named[n].length > ties[n].places) {
      issues.push(issueAt(d, 'error', MSG.decisionTooMany(who(d), ties[n].places)));
      spoiled.add(n);
    }
  }
  if (spoilAll || blocked) return { decided, issues };
  ties.forEach((t, n) => {
    if (spoiled.has(n) || !named[n].length) return;
    // The named entries take the tied places in the order the council wrote them.
    const order = new Map(named[n].map((d, k) => [entryKey(individual, d.unitCode as string, d.name ?? ''), k]));
    const awards = t.members.map((m) => {
      const k = order.get(entryKey(individual, m.code, m.name));
      return k === undefined ? null : awardAt(t.start + 1 + k);
    });
    const minutes = named[n].map((d) => d.minutes).find((x) => !!x);
    decided.set(t.start, { awards, note: decidedNote(minutes) });
  });
  return { decided, issues };
}

/**
 * The fingerprint with the decisions folded in, so that a changed decision makes an approved
 * ranking stale too. Without decision rows it is the data's fingerprint unchanged.
 */
export function fingerprintWithDecisions(fingerprint: string, decisions: readonly DecisionRecord[]): string {
  const rows = decisions.map((d) => JSON.stringify([d.area ?? null, d.level ?? null, d.unitCode ?? null, d.name ?? null, d.minutes ?? null, d.note ?? null]));
  if (!rows.length) return fingerprint;
  // Order matters: the council's order is the award order.
  return bytesToHex(sha256(utf8ToBytes(`${fingerprint}\n#decisions\n${rows.join('\n')}`))).slice(0, 16);
}

/** A tie left to the council, as the pane lists it. */
export interface CouncilTie {
  readonly id: CategoryId;
  readonly area: string;
  readonly level: string;
  /** The shared rank. */
  readonly rank: number;
  /** Award places the tie straddles. */
  readonly places: number;
  /** Title of each of those places, in award order. */
  readonly awards: readonly string[];
  readonly members: readonly { readonly code: string; readonly name: string }[];
}

/** The ties of a ranking that are left to the council (pending), with their places. */
export function councilTies(r: Ranking, awards: readonly AwardRecord[]): CouncilTie[] {
  const out: CouncilTie[] = [];
  for (const c of r.categories) {
    const { area, level } = CATEGORY_AREA_LEVEL[c.id];
    const titles: string[] = [];
    for (const a of awards) if (a.area === area && a.level === level) for (let k = 0; k < a.count; k++) titles.push(a.title);
    const groups = new Map<number, { code: string; name: string }[]>();
    for (const e of c.entries) if (e.pending && e.rank !== null) groups.set(e.rank, [...(groups.get(e.rank) ?? []), { code: e.code, name: e.name }]);
    for (const [rank, members] of groups) {
      const end = Math.min(rank + members.length - 1, titles.length);
      out.push({ id: c.id, area, level, rank, places: end - rank + 1, awards: titles.slice(rank - 1, end), members });
    }
  }
  return out;
}
