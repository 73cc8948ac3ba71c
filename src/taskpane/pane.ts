/**
 * The task pane's DOM: builds the controls, runs the actions with a progress indicator, renders
 * the view models. Every text that can come from a workbook is set with textContent.
 */
import {
  applyImport, createTemplate, goToCell, prepareImport, rank, rankingState, stamp, validate, Freshness, RankingState,
} from '../excel/actions';
import { Run, UserError } from '../excel/adapter';
import { Council, CouncilStep } from './council';
import type { Submission } from '../excel/merge';
import { Lang, Strings, strings } from './i18n';
import { IssueView, importView, rankView, replaceLines, validateView } from './view';
import { el } from './dom';


export interface PaneOptions {
  readonly run: Run;
  readonly lang: Lang;
  readonly now?: () => string;
}

/** The step whose button is the one primary action; `null` when nothing is next. */
export type Step = 'import' | 'validate' | 'rank' | CouncilStep;

export class Pane {
  private readonly t: Strings;
  private readonly progress: HTMLElement;
  private readonly status: HTMLElement;
  private readonly freshness: HTMLElement;
  private readonly cards: HTMLElement;
  private readonly results: HTMLElement;
  private readonly buttons: HTMLButtonElement[] = [];
  private readonly steps: Record<Step, HTMLButtonElement>;
  private readonly importBtn: HTMLButtonElement;
  private readonly fileInput: HTMLInputElement;
  private readonly kindSubmission: HTMLInputElement;
  private readonly year: HTMLInputElement;
  private busy = false;
  /** The open replace dialog's way out: resolves it as a cancel (anything else that starts does so). */
  private cancelConfirm: (() => void) | null = null;
  /** Said at the top of the next outcome: a dialog was cancelled because another action started, or the council's rows were written. */
  private carried: { text: string; id: string; kind: 'ok' | 'warning' } | null = null;
  /** Numbers the shared "go to cell" hints (one per rendered list). */
  private hints = 0;
  private readonly council: Council;

  constructor(private readonly root: HTMLElement, private readonly opts: PaneOptions) {
    this.t = strings(opts.lang);
    const t = this.t;
    document.documentElement.lang = opts.lang;
    document.title = t.title;
    root.replaceChildren();

    const header = el('header', { class: 'pane-header' }, el('h1', {}, t.title), el('p', { class: 'subtitle' }, t.subtitle));
    // Not a live region: the status line says what changed; this banner is what it is now.
    this.freshness = el('div', { class: 'banner', id: 'freshness', hidden: '' });

    // Two short radio options instead of a select: no option text is clipped at 320 px.
    const radio = (value: string, label: string, checked: boolean) => {
      const input = el('input', { type: 'radio', name: 'template-kind', id: `template-kind-${value}`, value });
      input.checked = checked;
      return { input, row: el('div', { class: 'radio' }, input, el('label', { for: `template-kind-${value}` }, label)) };
    };
    const master = radio('master', t.templateMaster, true);
    const submission = radio('submission', t.templateSubmission, false);
    this.kindSubmission = submission.input;
    this.year = el('input', { id: 'template-year', type: 'number', min: '2000', max: '2100', value: String(new Date().getFullYear() - 1), inputmode: 'numeric' });
    const templateBtn = this.button('btn-template', t.templateButton, () => this.onTemplate());
    const templateCard = el('section', { class: 'card', 'aria-labelledby': 'h-template' },
      el('h2', { id: 'h-template' }, t.templateHeading),
      el('fieldset', { class: 'field', id: 'template-kind' }, el('legend', {}, t.templateKind), master.row, submission.row),
      el('div', { class: 'field' }, el('label', { for: 'template-year' }, t.templateYear), this.year),
      el('div', { class: 'actions' }, templateBtn));

    this.fileInput = el('input', { id: 'import-files', type: 'file', multiple: '', accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' });
    this.fileInput.addEventListener('change', () => void this.onFiles());
    this.importBtn = this.button('btn-import', t.importButton, () => { this.fileInput.value = ''; this.fileInput.click(); });
    const importCard = el('section', { class: 'card', 'aria-labelledby': 'h-import' },
      el('h2', { id: 'h-import' }, t.importHeading), el('p', { class: 'hint' }, t.importHint), el('div', { class: 'actions' }, this.importBtn), this.fileInput);

    const validateBtn = this.button('btn-validate', t.validateButton, () => this.onValidate());
    const validateCard = el('section', { class: 'card', 'aria-labelledby': 'h-validate' },
      el('h2', { id: 'h-validate' }, t.validateHeading), el('p', { class: 'hint' }, t.validateHint), el('div', { class: 'actions' }, validateBtn));
    const rankBtn = this.button('btn-rank', t.rankButton, () => this.onRank());
    const rankCard = el('section', { class: 'card', 'aria-labelledby': 'h-rank' },
      el('h2', { id: 'h-rank' }, t.rankHeading), el('p', { class: 'hint' }, t.rankHint), el('div', { class: 'actions' }, rankBtn));

    // The bar is decoration; the one status region (always in the accessibility tree, never inside
    // an aria-busy container) says in a short sentence what is happening and how it ended.
    this.progress = el('div', { class: 'progress', id: 'progress', 'aria-hidden': 'true', hidden: '' },
      el('div', { class: 'progress-bar' }, el('div', { class: 'progress-fill' })));
    this.status = el('p', { class: 'status-line quiet', id: 'pane-status', role: 'status' });
    // Not live: the outcome gets the focus and the status region announces it in one sentence.
    this.results = el('section', { class: 'results', id: 'results', 'aria-label': t.resultsLabel });
    this.council = new Council({
      run: opts.run, lang: opts.lang, t, now: () => this.now(), rankButton: rankBtn,
      task: (label, work) => this.task(label, work),
      rerank: (lead) => this.onRank(lead),
      showOutcome: (summary, rest, said) => this.showOutcome(summary, rest, said),
      say: (text) => this.say(text),
      setNext: (step) => this.setNext(step),
      modal: (m) => this.modal(m),
      showFreshness: (f) => this.showFreshness(f),
    });
    this.buttons.push(this.council.saveBtn, this.council.approveBtn);
    this.steps = { import: this.importBtn, validate: validateBtn, rank: rankBtn, decide: this.council.saveBtn, approve: this.council.approveBtn };
    this.cards = el('div', { class: 'cards' }, templateCard, importCard, validateCard, rankCard, ...this.council.sections);

    root.append(header, this.freshness, this.cards, this.progress, this.status, this.results);
    this.setNext('import');
    void this.checkFreshness(true);
    // Coming back to the pane after editing cells: say whether the ranking still matches the data.
    window.addEventListener('focus', () => {
      if (this.busy) return;
      void this.checkFreshness().then((f) => { if (f === 'stale' || f === 'approved-stale') this.setNext('rank'); });
    });
  }

  private button(id: string, label: string, onClick: () => void | Promise<void>): HTMLButtonElement {
    const b = el('button', { id, type: 'button', class: 'btn btn-secondary' }, label);
    b.addEventListener('click', () => void onClick());
    this.buttons.push(b);
    return b;
  }

  /** One primary action at a time: the next step's button. */
  private setNext(step: Step | null): void {
    for (const [s, b] of Object.entries(this.steps)) b.className = `btn ${s === step ? 'btn-primary' : 'btn-secondary'}`;
  }

  private say(text: string): void {
    this.status.textContent = text;
  }

  /** Run a task with the progress indicator shown and the buttons disabled. */
  private async task<T>(label: string, work: () => Promise<T>): Promise<T | undefined> {
    this.cancelConfirm?.();
    if (this.busy) return undefined;
    this.busy = true;
    this.say(label);
    this.progress.hidden = false;
    this.status.classList.remove('quiet'); // seen while working; afterwards the outcome shows it
    this.results.setAttribute('aria-busy', 'true');
    for (const b of this.buttons) b.disabled = true;
    try {
      return await work();
    } catch (e) {
      this.showError(e);
      return undefined;
    } finally {
      this.busy = false;
      this.progress.hidden = true;
      this.status.classList.add('quiet');
      this.results.removeAttribute('aria-busy');
      for (const b of this.buttons) b.disabled = false;
      this.council.refresh(); // its buttons are enabled only when their step can run
    }
  }

  private now(): string {
    return this.opts.now ? this.opts.now() : stamp();
  }

  /** Show an outcome: its summary first, focused and scrolled into view; the status says it once. */
  private showOutcome(summary: HTMLElement, rest: readonly (HTMLElement | null)[], said: string): void {
    summary.classList.add('outcome');
    summary.setAttribute('tabindex', '-1');
    const c = this.carried;
    const carried = c ? el('div', { class: `message message-${c.kind}`, id: c.id }, c.text) : null;
    this.results.replaceChildren(...[carried, summary, ...rest].filter((x): x is HTMLElement => x !== null));
    this.say(c ? `${c.text} ${said}` : said);
    this.carried = null;
    summary.focus({ preventScroll: true });
    summary.scrollIntoView?.({ block: 'start' });
  }

  private showError(e: unknown): void {
    const msg = e instanceof UserError ? (this.opts.lang === 'en' ? e.en : e.vi) : String((e as Error)?.message ?? e);
    const box = el('div', { class: 'message message-error', id: 'error-summary' }, el('strong', {}, this.t.failed + ': '), msg);
    this.showOutcome(box, [], `${this.t.failed}: ${msg}`);
  }

  /**
   * Returns the state; `initial` picks the first primary action from it. A ranking made earlier
   * that still matches the data brings back its ties (decide) or the approval (approve).
   */
  private async checkFreshness(initial = false): Promise<Freshness> {
    let st: RankingState;
    try {
      st = await rankingState(this.opts.run);
    } catch {
      st = { freshness: 'no-data', pending: 0, errors: 0, ties: [] };
    }
    const f = st.freshness;
    this.showFreshness(f);
    this.council.onState(st);
    if (initial) this.setNext(f === 'stale' || f === 'none' || f === 'approved-stale' ? 'rank' : f === 'fresh' ? this.council.next() : f === 'approved' ? null : 'import');
    return f;
  }

  private showFreshness(f: Freshness): void {
    const text: Partial<Record<Freshness, string>> = { stale: this.t.stale, fresh: this.t.fresh, approved: this.t.approvedFresh, 'approved-stale': this.t.approvedStale };
    this.freshness.hidden = !text[f];
    this.freshness.className = `banner ${f === 'stale' || f === 'approved-stale' ? 'banner-warning' : 'banner-ok'}`;
    this.freshness.dataset.state = f;
    this.freshness.textContent = text[f] ?? '';
    this.council?.onFreshness(f);
  }

  private async onTemplate(): Promise<void> {
    const year = Number(this.year.value) || new Date().getFullYear() - 1;
    const kind = this.kindSubmission.checked ? 'submission' : 'master';
    const res = await this.task(this.t.statusTemplate, () => createTemplate(this.opts.run, { kind, year }));
    if (!res) return;
    const done = this.t.templateDone(res.sheets.length);
    this.showOutcome(el('div', { class: 'message message-ok', id: 'template-summary' }, done), [], done);
    this.setNext('import');
  }

  private async onValidate(): Promise<void> {
    const res = await this.task(this.t.statusValidating, () => validate(this.opts.run, this.now()));
    if (!res) return;
    const v = validateView(res, this.opts.lang);
    const f = await this.checkFreshness();
    const said = this.t.statusDone(v.errors, v.warnings);
    const summary = el('h2', { class: `summary summary-${v.errors ? 'error' : v.warnings ? 'warning' : 'ok'}`, id: 'validate-summary' }, said);
    this.showOutcome(summary, this.renderIssues(v), f === 'stale' ? `${said}. ${this.t.staleShort}` : said);
    // Valid data: the next step is Rank, unless the ranking already matches (decide, approve, or nothing).
    this.setNext(v.errors ? 'validate' : f === 'fresh' ? (this.council.next() ?? 'rank') : f === 'approved' ? null : 'rank');
  }

  /** Rank; `lead` (the council's rows were written) heads the outcome. */
  private async onRank(lead?: string): Promise<void> {
    if (this.busy) return;
    // An approved ranking is replaced only when the user says so.
    const dropApproval = await this.council.confirmRerank();
    if (dropApproval === null) return;
    const res = await this.task(this.t.statusRanking, () => rank(this.opts.run, this.now(), { dropApproval }));
    if (!res) return;
    if (lead) this.carried = { text: lead, id: 'council-saved', kind: 'ok' };
    const v = rankView(res, this.opts.lang);
    const figures = el('dl', { class: 'figures' }, ...v.figures.map((f) => el('div', { class: 'figure' }, el('dt', {}, f.label), el('dd', {}, f.value))));
    const summary = el('div', { class: `message ${v.excludedNote ? 'message-warning' : 'message-ok'}`, id: 'rank-summary' }, v.headline);
    this.showOutcome(summary, [figures,
      v.pendingNote ? el('div', { class: 'message message-warning' }, v.pendingNote) : null,
      v.excludedNote ? el('div', { class: 'message message-error' }, v.excludedNote) : null,
      ...this.renderIssues(v.issues)], v.headline);
    this.showFreshness('fresh');
    this.setNext(this.council.afterRank(res));
  }

  private async onFiles(): Promise<void> {
    const files = [...(this.fileInput.files ?? [])];
    if (!files.length) return;
    const submissions = await this.task(this.t.importReading(files.length), () => readFiles(files));
    if (!submissions) return;
    const plan = await this.task(this.t.statusImporting, () => prepareImport(this.opts.run, submissions));
    if (!plan) return;
    let confirmed: string[] = [];
    if (plan.replaces.length) {
      const answer = await this.confirmReplace(replaceLines(plan));
      if (answer !== 'yes') {
        if (answer === 'other') return;
        this.results.replaceChildren(el('div', { class: 'message message-warning outcome', id: 'import-cancelled', tabindex: '-1' }, this.t.importCancelled));
        this.say(this.t.importCancelled);
        this.importBtn.focus();
        return;
      }
      confirmed = plan.replaces.map((r) => r.code);
    }
    const done = await this.task(this.t.statusImporting, () => applyImport(this.opts.run, submissions, confirmed));
    if (!done) return;
    const v = importView(done, this.opts.lang);
    const list = el('ul', { class: 'import-list', 'aria-label': this.t.importListLabel }, ...v.rows.map((r) => el('li', { class: `import-row status-${r.status}` },
      el('span', { class: `badge badge-${r.status}` }, r.statusLabel),
      el('span', { class: 'import-file' }, r.file),
      r.company ? el('span', { class: 'import-company' }, r.company) : null,
      el('span', { class: 'import-detail' }, r.detail),
      r.issues ? el('div', { class: 'import-issues' }, ...this.renderIssues(r.issues)) : null)));
    const summary = el('div', { class: `message ${v.rejected ? 'message-warning' : 'message-ok'}`, id: 'import-summary' }, v.summary);
    this.showOutcome(summary, [list], v.summary);
    this.setNext('validate');
    await this.checkFreshness();
  }

  /** The replace confirmation, naming each company whose rows would be replaced. */
  private confirmReplace(lines: string[]): Promise<'yes' | 'no' | 'other'> {
    return this.modal({
      id: 'confirm', title: this.t.importConfirmTitle, text: this.t.importConfirm, lines,
      yes: this.t.importConfirmYes, no: this.t.importConfirmNo, otherNote: this.t.importCancelledByOther, otherNoteId: 'import-cancelled',
    });
  }

  /**
   * A modal confirmation. Everything behind is inert except the status region, which stays in the
   * accessibility tree (showModal() would hide it). Focus starts on the safe choice (`no`) and
   * cycles inside; Escape cancels; any other action that starts cancels it (its outcome is headed
   * by `otherNote`). The caller puts the focus back where the user was.
   */
  private modal(m: { id: string; title: string; text: string; lines?: readonly string[]; yes: string; no: string; otherNote: string; otherNoteId: string }): Promise<'yes' | 'no' | 'other'> {
    return new Promise((resolve) => {
      const yes = el('button', { type: 'button', class: 'btn btn-secondary btn-danger', id: `${m.id}-yes` }, m.yes);
      const no = el('button', { type: 'button', class: 'btn btn-secondary', id: `${m.id}-no` }, m.no);
      const dialog = el('dialog', { class: 'confirm', id: m.id, role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': `${m.id}-title`, 'aria-describedby': `${m.id}-text` },
        el('h2', { id: `${m.id}-title` }, m.title),
        el('p', { id: `${m.id}-text` }, m.text),
        m.lines?.length ? el('ul', { class: 'confirm-list' }, ...m.lines.map((l) => el('li', {}, l))) : null,
        el('div', { class: 'confirm-actions' }, yes, no));
      const scrim = el('div', { class: 'scrim', 'aria-hidden': 'true' });
      const behind = [...this.root.children].filter((c): c is HTMLElement => c instanceof HTMLElement && c !== this.status);
      let settled = false;
      const finish = (answer: 'yes' | 'no' | 'other') => {
        if (settled) return;
        settled = true;
        this.cancelConfirm = null;
        for (const e of behind) e.inert = false;
        dialog.remove();
        scrim.remove();
        resolve(answer);
      };
      this.cancelConfirm = () => {
        // Another action took over: it shows its own outcome, headed by this note.
        this.carried = { text: m.otherNote, id: m.otherNoteId, kind: 'warning' };
        finish('other');
      };
      yes.addEventListener('click', () => finish('yes'));
      no.addEventListener('click', () => finish('no'));
      dialog.addEventListener('cancel', (e) => { e.preventDefault(); finish('no'); });
      dialog.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') { e.preventDefault(); finish('no'); return; }
        if (e.key !== 'Tab') return;
        // Tab cycles inside: from the last control to the first, and back with Shift+Tab.
        const order = [yes, no];
        const i = order.indexOf(document.activeElement as HTMLButtonElement);
        const next = e.shiftKey ? (i <= 0 ? order.length - 1 : i - 1) : (i + 1) % order.length;
        e.preventDefault();
        order[next].focus();
      });
      for (const e of behind) e.inert = true;
      this.root.append(scrim, dialog);
      dialog.show();
      no.focus();
      this.say('');
    });
  }

  private renderIssues(v: IssueView): HTMLElement[] {
    const t = this.t;
    const counts = el('div', { class: 'counts', id: 'issue-counts' },
      el('span', { class: `count count-error${v.errors ? '' : ' count-zero'}` }, el('strong', {}, String(v.errors)), ' ' + t.errors),
      el('span', { class: `count count-warning${v.warnings ? '' : ' count-zero'}` }, el('strong', {}, String(v.warnings)), ' ' + t.warnings));
    if (v.empty) return [counts, el('div', { class: 'message message-ok' }, v.empty)];
    const hintId = `goto-hint-${++this.hints}`;
    const linked = v.items.some((i) => i.target);
    const list = el('ul', { class: 'issues', 'aria-label': t.issuesHeading },
      ...v.items.map((i) => {
        const body = [el('span', { class: `sev sev-${i.severity}` }, i.severityLabel), el('span', { class: 'loc' }, i.location), el('span', { class: 'msg' }, i.message)];
        if (!i.target) return el('li', { class: 'issue' }, el('div', { class: 'issue-body' }, ...body));
        // The name is the visible text; the arrow is the visible "go to cell" cue.
        const b = el('button', { type: 'button', class: 'issue-body issue-link', 'aria-describedby': hintId }, ...body, el('span', { class: 'goto', 'aria-hidden': 'true' }, '→'));
        const target = i.target;
        b.addEventListener('click', () => void goToCell(this.opts.run, target.sheet, target.cell).catch((e) => this.showError(e)));
        return el('li', { class: 'issue' }, b);
      }));
    const parts: (HTMLElement | null)[] = [counts, linked ? el('p', { class: 'hint', id: hintId }, t.goToHint) : null, list,
      v.more ? el('p', { class: 'hint' }, t.moreIssues(v.more)) : null];
    return parts.filter((x): x is HTMLElement => x !== null);
  }
}

/** Read the chosen files with the .xlsx reader, loaded only now (its own chunk). */
async function readFiles(files: readonly File[]): Promise<Submission[]> {
  const { readXlsxBytes, XlsxReadError } = await import(/* webpackChunkName: "xlsx" */ '../excel/xlsx-grid');
  const out: Submission[] = [];
  for (const f of files) {
    try {
      out.push({ file: f.name, grid: await readXlsxBytes(await f.arrayBuffer(), f.name) });
    } catch (e) {
      const err = e instanceof XlsxReadError ? e : null;
      out.push({ file: f.name, unreadable: { vi: err?.vi ?? String(e), en: err?.en ?? String(e) } });
    }
  }
  return out;
}
