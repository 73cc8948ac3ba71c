/**
 * The pane's last two steps: the council's decision on ties left to it (after Rank with places
 * pending) and the approval. DOM only; the Office work is in src/excel/actions.ts. It follows the
 * pane's conventions (issue 13): outcomes through the pane's `showOutcome` (focus on the summary,
 * one status sentence), its buttons in the one-primary-action scheme (`decide`, `approve`), the
 * re-rank confirmation through the pane's modal. Every text that can come from a workbook is set
 * with textContent.
 */
import { ApprovedError, Freshness, RankResult, RankingState, TieChoice, approve, currentApproval, writeDecisions } from '../excel/actions';
import type { Run } from '../excel/adapter';
import type { CouncilTie } from '../core/decisions';
import type { Lang, Strings } from './i18n';
import { el } from './dom';


/** The council's steps in the pane's one-primary-action scheme. */
export type CouncilStep = 'decide' | 'approve';

/** What the council step needs from the pane. */
export interface CouncilHost {
  readonly run: Run;
  readonly lang: Lang;
  readonly t: Strings;
  readonly now: () => string;
  /** The pane's task runner (progress, busy state, errors shown as the outcome). */
  readonly task: <T>(label: string, work: () => Promise<T>) => Promise<T | undefined>;
  /** Rank again through the pane's Rank; `lead` heads its outcome (and its status sentence). */
  readonly rerank: (lead?: string) => Promise<void>;
  /** The pane's outcome: the summary focused and scrolled into view, the status says `said`. */
  readonly showOutcome: (summary: HTMLElement, rest: readonly (HTMLElement | null)[], said: string) => void;
  /** One sentence in the pane's status region. */
  readonly say: (text: string) => void;
  readonly setNext: (step: CouncilStep | 'rank' | null) => void;
  /** The pane's modal confirmation (safe choice focused, Tab cycle, Escape cancels). */
  readonly modal: (m: { id: string; title: string; text: string; yes: string; no: string; otherNote: string; otherNoteId: string }) => Promise<'yes' | 'no' | 'other'>;
  readonly showFreshness: (f: Freshness) => void;
  /** Where the focus goes back when the re-rank is cancelled. */
  readonly rankButton: HTMLButtonElement;
}

const memberLabel = (tie: CouncilTie, m: { code: string; name: string }) =>
  tie.id === 'individual' ? `${m.name} (${m.code})` : `${m.code} – ${m.name}`;

const tiesKey = (ties: readonly CouncilTie[]) => JSON.stringify(ties.map((t) => [t.id, t.rank, t.places, t.members.map((m) => m.code + '|' + m.name)]));

export class Council {
  /** The sections to put after the Rank card. */
  readonly sections: HTMLElement[];
  /** `Ghi quyết định` and `Phê duyệt`: the pane disables them while a task runs, then calls `refresh`. */
  readonly saveBtn: HTMLButtonElement;
  readonly approveBtn: HTMLButtonElement;
  private readonly councilCard: HTMLElement;
  private readonly tiesBox: HTMLElement;
  private readonly minutes: HTMLInputElement;
  private readonly approveBy: HTMLInputElement;
  private readonly approveStatus: HTMLElement;
  private readonly approveHeading: HTMLElement;
  private ties: readonly CouncilTie[] = [];
  /** Chosen members of each tie, in the order chosen (= award order). */
  private chosen: number[][] = [];
  private canApprove = false;
  private approved = false;
  private done: string | null = null;

  constructor(private readonly o: CouncilHost) {
    const t = o.t;
    this.tiesBox = el('div', { class: 'ties', id: 'council-ties' });
    this.minutes = el('input', { id: 'council-minutes', type: 'text', autocomplete: 'off', maxlength: '60' });
    this.saveBtn = el('button', { id: 'btn-council-save', type: 'button', class: 'btn btn-secondary' }, t.councilSave);
    this.saveBtn.addEventListener('click', () => void this.onSave());
    this.councilCard = el('section', { class: 'card', id: 'council', 'aria-labelledby': 'h-council', hidden: '' },
      el('h2', { id: 'h-council' }, t.councilHeading), el('p', { class: 'hint' }, t.councilHint), this.tiesBox,
      el('div', { class: 'field' }, el('label', { for: 'council-minutes' }, t.councilMinutes), this.minutes),
      el('div', { class: 'actions' }, this.saveBtn));

    this.approveHeading = el('h2', { id: 'h-approve' }, t.approveHeading(5));
    this.approveBy = el('input', { id: 'approve-by', type: 'text', autocomplete: 'name', maxlength: '80', 'aria-describedby': 'approve-status' });
    this.approveBtn = el('button', { id: 'btn-approve', type: 'button', class: 'btn btn-secondary', disabled: '', 'aria-describedby': 'approve-status' }, t.approveButton);
    this.approveBtn.addEventListener('click', () => void this.onApprove());
    // Not a live region: the pane's one status region says what changed; this says what holds now.
    this.approveStatus = el('p', { class: 'hint approve-status', id: 'approve-status' }, t.approveBlocked);
    const approveCard = el('section', { class: 'card', id: 'approval', 'aria-labelledby': 'h-approve' },
      this.approveHeading, el('p', { class: 'hint' }, t.approveHint),
      el('div', { class: 'field' }, el('label', { for: 'approve-by' }, t.approveBy), this.approveBy),
      el('div', { class: 'actions' }, this.approveBtn), this.approveStatus);
    this.sections = [this.councilCard, approveCard];
  }

  /** After a ranking: list the ties left to the council; returns the next step. */
  afterRank(res: RankResult): CouncilStep | 'validate' | null {
    this.setTies(res.ties, true);
    this.approved = false;
    this.done = null;
    this.canApprove = res.totals.pending === 0 && res.counts.errors === 0;
    this.refresh();
    return this.next() ?? (res.counts.errors ? 'validate' : null);
  }

  /**
   * The workbook's state as read when the pane opens or comes back: a ranking made earlier that
   * still matches the data can be decided and approved without ranking again.
   */
  onState(st: RankingState): void {
    if (st.freshness === 'fresh') {
      this.setTies(st.ties, false);
      this.canApprove = st.pending === 0 && st.errors === 0;
    } else {
      this.setTies([], false);
      this.canApprove = false;
    }
    this.onFreshness(st.freshness);
  }

  /** The next council step, if any. */
  next(): CouncilStep | null {
    if (this.approved) return null;
    if (this.ties.length) return 'decide';
    return this.canApprove ? 'approve' : null;
  }

  /** The workbook's state as the pane last saw it. */
  onFreshness(f: Freshness): void {
    this.approved = f === 'approved' || f === 'approved-stale';
    if (f !== 'fresh') this.done = null;
    if (f !== 'fresh' && f !== 'approved') this.setTies([], false);
    if (f === 'stale' || f === 'none' || f === 'no-data') this.canApprove = false;
    this.refresh();
    if (f === 'approved' && !this.done) this.approveStatus.textContent = this.o.t.approvedFresh;
    if (f === 'approved-stale') this.approveStatus.textContent = this.o.t.approvedStale;
  }

  /** Put back the buttons' state (after a task enabled every button). */
  refresh(): void {
    const t = this.o.t;
    this.approveBtn.disabled = this.approved || !this.canApprove;
    this.saveBtn.disabled = !this.ties.length;
    if (this.done) this.approveStatus.textContent = this.done;
    else if (!this.approved) this.approveStatus.textContent = this.canApprove ? t.approveReady : t.approveBlocked;
  }

  private setTies(ties: readonly CouncilTie[], force: boolean): void {
    // Coming back to the pane must not undo the boxes ticked so far.
    if (!force && tiesKey(ties) === tiesKey(this.ties)) return;
    this.ties = ties;
    this.chosen = ties.map(() => []);
    this.renderTies();
    this.councilCard.hidden = ties.length === 0;
    this.approveHeading.textContent = this.o.t.approveHeading(ties.length ? 6 : 5);
  }

  private renderTies(): void {
    const t = this.o.t;
    this.tiesBox.replaceChildren(...this.ties.map((tie, n) => {
      const order = el('p', { class: 'tie-order', id: `tie-${n}-order` }, t.councilNoneChosen);
      const boxes = tie.members.map((m, k) => {
        const id = `tie-${n}-${k}`;
        const box = el('input', { type: 'checkbox', id, 'aria-describedby': `tie-${n}-places tie-${n}-order` });
        box.addEventListener('change', () => {
          const list = this.chosen[n];
          const at = list.indexOf(k);
          if (box.checked && at < 0) list.push(k);
          if (!box.checked && at >= 0) list.splice(at, 1);
          this.updateTie(n, order, boxes);
        });
        return box;
      });
      const items = tie.members.map((m, k) => el('li', { class: 'tie-member' }, boxes[k], el('label', { for: `tie-${n}-${k}` }, memberLabel(tie, m))));
      return el('fieldset', { class: 'tie', id: `tie-${n}` },
        el('legend', {}, t.councilTie(tie.area === tie.level ? tie.area : `${tie.area} – ${tie.level}`, tie.rank, tie.places)),
        el('p', { class: 'hint', id: `tie-${n}-places` }, t.councilPlaces(tie.awards.join(', '))),
        el('ul', { class: 'tie-members' }, ...items), order);
    }));
  }

  private updateTie(n: number, order: HTMLElement, boxes: HTMLInputElement[]): void {
    const t = this.o.t;
    const tie = this.ties[n];
    const list = this.chosen[n];
    const full = list.length >= tie.places;
    // A full tie takes no more: the unticked boxes wait until someone is unticked.
    boxes.forEach((b, k) => { b.disabled = full && !list.includes(k); });
    const names = list.map((k, i) => `${i + 1}. ${memberLabel(tie, tie.members[k])}${tie.awards[i] ? ` → ${tie.awards[i]}` : ''}`).join('; ');
    order.textContent = list.length ? t.councilOrder(names) + (full ? '. ' + t.councilFull(tie.places) : '') : t.councilNoneChosen;
    // Said once in the pane's status region (the order line is not live).
    this.o.say(order.textContent);
  }

  private async onSave(): Promise<void> {
    const t = this.o.t;
    const choices: TieChoice[] = this.ties.map((tie, n) => ({ tie, chosen: this.chosen[n].map((k) => tie.members[k]) })).filter((c) => c.chosen.length);
    if (!choices.length) {
      this.o.showOutcome(el('div', { class: 'message message-warning', id: 'council-nothing' }, t.councilNothing), [], t.councilNothing);
      return;
    }
    const written = await this.o.task(t.working, () => writeDecisions(this.o.run, choices, this.minutes.value));
    if (written === undefined) return;
    await this.o.rerank(t.councilSaved(written));
  }

  private async onApprove(): Promise<void> {
    const t = this.o.t;
    const by = this.approveBy.value.trim();
    if (!by) {
      this.approveStatus.textContent = t.approveNeedsName;
      this.approveBy.setAttribute('aria-invalid', 'true');
      this.o.say(t.approveNeedsName);
      this.approveBy.focus();
      return;
    }
    this.approveBy.removeAttribute('aria-invalid');
    const done = await this.o.task(t.working, () => approve(this.o.run, by, this.o.now()));
    if (!done) return;
    const said = t.approveDone(done.by, done.at);
    this.done = said;
    this.o.showFreshness('approved');
    this.o.showOutcome(el('div', { class: 'message message-ok', id: 'approve-summary' }, said), [], said);
    this.o.setNext(null);
  }

  /**
   * Before ranking: when the ranking is approved, ask (modal, `Giữ phê duyệt` focused) whether to
   * drop the approval. Resolves `null` when the user keeps it (nothing is to be done), else
   * whether to drop it.
   */
  async confirmRerank(): Promise<boolean | null> {
    let approval;
    try {
      approval = await currentApproval(this.o.run);
    } catch {
      return false;
    }
    if (!approval) return false;
    const t = this.o.t;
    const answer = await this.o.modal({
      id: 'rerank', title: t.rerankTitle, text: t.rerankConfirm, yes: t.rerankYes, no: t.rerankNo,
      otherNote: t.rerankCancelled, otherNoteId: 'rerank-kept',
    });
    if (answer === 'yes') return true;
    if (answer === 'no') {
      const kept = el('div', { class: 'message message-warning', id: 'rerank-kept' }, t.rerankCancelled);
      this.o.showOutcome(kept, [], t.rerankCancelled);
      // Back where the user was: the Rank button (the note is in the status region and above it).
      this.o.rankButton.focus();
    }
    return null;
  }
}

export { ApprovedError };
