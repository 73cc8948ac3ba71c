/**
 * The pane's last two steps: the council's decision on ties left to it (after Rank with places
 * pending) and the approval. DOM only; the Office work is in src/excel/actions.ts. Every text that
 * can come from a workbook is set with textContent.
 */
import { ApprovedError, Freshness, RankResult, TieChoice, approve, currentApproval, writeDecisions } from '../excel/actions';
import type { Run } from '../excel/adapter';
import type { CouncilTie } from '../core/decisions';
import type { Lang, Strings } from './i18n';

type Attrs = Record<string, string>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

export interface CouncilOptions {
  readonly run: Run;
  readonly lang: Lang;
  readonly t: Strings;
  /** The pane's task runner (progress, busy state, errors shown). */
  readonly task: <T>(label: string, work: () => Promise<T>) => Promise<T | undefined>;
  /** Rank again (the pane's Rank, which renders the results and calls `afterRank`). */
  readonly rerank: () => Promise<void>;
  readonly now: () => string;
  /** Where messages and the confirmation go (the pane's results region). */
  readonly results: HTMLElement;
  readonly showFreshness: (f: Freshness) => void;
}

const memberLabel = (tie: CouncilTie, m: { code: string; name: string }) =>
  tie.id === 'individual' ? `${m.name} (${m.code})` : `${m.code} – ${m.name}`;

export class Council {
  /** The sections to put after the Rank card. */
  readonly sections: HTMLElement[];
  private readonly councilCard: HTMLElement;
  private readonly tiesBox: HTMLElement;
  private readonly minutes: HTMLInputElement;
  private readonly approveBy: HTMLInputElement;
  private readonly approveBtn: HTMLButtonElement;
  private readonly approveStatus: HTMLElement;
  private ties: readonly CouncilTie[] = [];
  /** Chosen members of each tie, in the order chosen (= award order). */
  private chosen: number[][] = [];
  private canApprove = false;
  private approved = false;

  constructor(private readonly o: CouncilOptions) {
    const t = o.t;
    this.tiesBox = el('div', { class: 'ties', id: 'council-ties' });
    this.minutes = el('input', { id: 'council-minutes', type: 'text', autocomplete: 'off', maxlength: '60' });
    const save = el('button', { id: 'btn-council-save', type: 'button', class: 'btn btn-primary' }, t.councilSave);
    save.addEventListener('click', () => void this.onSave());
    this.councilCard = el('section', { class: 'card', id: 'council', 'aria-labelledby': 'h-council', hidden: '' },
      el('h2', { id: 'h-council' }, t.councilHeading), el('p', { class: 'hint' }, t.councilHint), this.tiesBox,
      el('div', { class: 'field' }, el('label', { for: 'council-minutes' }, t.councilMinutes), this.minutes), save);

    this.approveBy = el('input', { id: 'approve-by', type: 'text', autocomplete: 'name', maxlength: '80' });
    this.approveBtn = el('button', { id: 'btn-approve', type: 'button', class: 'btn btn-primary', disabled: '', 'aria-describedby': 'approve-status' }, t.approveButton);
    this.approveBtn.addEventListener('click', () => void this.onApprove());
    this.approveStatus = el('p', { class: 'hint', id: 'approve-status', role: 'status' }, t.approveBlocked);
    const approveCard = el('section', { class: 'card', id: 'approval', 'aria-labelledby': 'h-approve' },
      el('h2', { id: 'h-approve' }, t.approveHeading), el('p', { class: 'hint' }, t.approveHint),
      el('div', { class: 'field' }, el('label', { for: 'approve-by' }, t.approveBy), this.approveBy), this.approveBtn, this.approveStatus);
    this.sections = [this.councilCard, approveCard];
  }

  /** After a ranking: list the ties left to the council; Approve when nothing is pending and no error. */
  afterRank(res: RankResult): void {
    this.ties = res.ties;
    this.chosen = res.ties.map(() => []);
    this.renderTies();
    this.councilCard.hidden = res.ties.length === 0;
    this.approved = false;
    this.canApprove = res.totals.pending === 0 && res.counts.errors === 0;
    this.updateApprove();
  }

  /** The workbook's state as the pane last saw it. */
  onFreshness(f: Freshness): void {
    if (f === 'approved' || f === 'approved-stale') this.approved = true;
    else if (f !== 'fresh') { this.approved = false; this.canApprove = false; }
    this.updateApprove();
    if (f === 'approved') this.approveStatus.textContent = this.o.t.approvedFresh;
    if (f === 'approved-stale') this.approveStatus.textContent = this.o.t.approvedStale;
  }

  private updateApprove(): void {
    const t = this.o.t;
    this.approveBtn.disabled = this.approved || !this.canApprove;
    if (!this.approved) this.approveStatus.textContent = this.canApprove ? '' : t.approveBlocked;
  }

  private renderTies(): void {
    const t = this.o.t;
    this.tiesBox.replaceChildren(...this.ties.map((tie, n) => {
      const order = el('p', { class: 'tie-order', id: `tie-${n}-order`, 'aria-live': 'polite' }, t.councilNoneChosen);
      const boxes = tie.members.map((m, k) => {
        const id = `tie-${n}-${k}`;
        const box = el('input', { type: 'checkbox', id, 'aria-describedby': `tie-${n}-order` });
        box.addEventListener('change', () => {
          const list = this.chosen[n];
          const at = list.indexOf(k);
          if (box.checked && at < 0) list.push(k);
          if (!box.checked && at >= 0) list.splice(at, 1);
          this.updateTie(n, order, boxes);
        });
        return box;
      });
      const items = tie.members.map((m, k) => el('li', { class: 'tie-member' }, boxes[k], ' ', el('label', { for: `tie-${n}-${k}` }, memberLabel(tie, m))));
      return el('fieldset', { class: 'tie', id: `tie-${n}` },
        el('legend', {}, t.councilTie(tie.area === tie.level ? tie.area : `${tie.area} – ${tie.level}`, tie.rank, tie.places)),
        el('p', { class: 'hint' }, t.councilPlaces(tie.awards.join(', '))),
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
  }

  private message(kind: 'ok' | 'warning', text: string): HTMLElement {
    return el('div', { class: `message message-${kind}`, role: 'status' }, text);
  }

  private async onSave(): Promise<void> {
    const choices: TieChoice[] = this.ties.map((tie, n) => ({ tie, chosen: this.chosen[n].map((k) => tie.members[k]) })).filter((c) => c.chosen.length);
    if (!choices.length) {
      this.o.results.replaceChildren(this.message('warning', this.o.t.councilNothing));
      return;
    }
    const written = await this.o.task(this.o.t.working, () => writeDecisions(this.o.run, choices, this.minutes.value));
    if (written === undefined) return;
    await this.o.rerank();
    this.o.results.prepend(this.message('ok', this.o.t.councilSaved(written)));
  }

  private async onApprove(): Promise<void> {
    const t = this.o.t;
    const by = this.approveBy.value.trim();
    if (!by) {
      this.approveStatus.textContent = t.approveNeedsName;
      this.approveBy.focus();
      return;
    }
    const done = await this.o.task(t.working, () => approve(this.o.run, by, this.o.now()));
    this.updateApprove();
    if (!done) return;
    this.approved = true;
    this.updateApprove();
    this.o.showFreshness('approved');
    this.approveStatus.textContent = t.approveDone(done.by, done.at);
    this.o.results.replaceChildren(this.message('ok', t.approveDone(done.by, done.at)));
  }

  /**
   * Before ranking: when the ranking is approved, ask whether to drop the approval.
   * Resolves `null` when the user keeps it (nothing is to be done), else whether to drop it.
   */
  async confirmRerank(): Promise<boolean | null> {
    let approval;
    try {
      approval = await currentApproval(this.o.run);
    } catch {
      return false;
    }
    if (!approval) return false;
    const ok = await this.confirm();
    if (!ok) this.o.results.replaceChildren(this.message('warning', this.o.t.rerankCancelled));
    return ok ? true : null;
  }

  private confirm(): Promise<boolean> {
    const t = this.o.t;
    return new Promise((resolve) => {
      const yes = el('button', { type: 'button', class: 'btn btn-primary', id: 'rerank-yes' }, t.rerankYes);
      const no = el('button', { type: 'button', class: 'btn btn-secondary', id: 'rerank-no' }, t.rerankNo);
      const box = el('div', { class: 'confirm', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'rerank-title', 'aria-describedby': 'rerank-text' },
        el('h2', { id: 'rerank-title' }, t.rerankTitle), el('p', { id: 'rerank-text' }, t.rerankConfirm),
        el('div', { class: 'confirm-actions' }, yes, no));
      const finish = (ok: boolean) => { box.remove(); resolve(ok); };
      yes.addEventListener('click', () => finish(true));
      no.addEventListener('click', () => finish(false));
      box.addEventListener('keydown', (e) => { if (e.key === 'Escape') finish(false); });
      this.o.results.replaceChildren(box);
      // The safe choice has the focus.
      no.focus();
    });
  }
}

export { ApprovedError };
