/**
 * The task pane's DOM: builds the controls, runs the actions with a progress indicator, renders
 * the view models. Every text that can come from a workbook is set with textContent.
 */
import {
  applyImport, createTemplate, goToCell, prepareImport, rank, rankingFreshness, stamp, validate, Freshness,
} from '../excel/actions';
import { Run, UserError } from '../excel/adapter';
import { Council } from './council';
import type { Submission } from '../excel/merge';
import { Lang, Strings, strings } from './i18n';
import { IssueView, importView, rankView, replaceLines, validateView } from './view';

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

export interface PaneOptions {
  readonly run: Run;
  readonly lang: Lang;
  readonly now?: () => string;
}

export class Pane {
  private readonly t: Strings;
  private readonly progress: HTMLElement;
  private readonly progressText: HTMLElement;
  private readonly freshness: HTMLElement;
  private readonly results: HTMLElement;
  private readonly buttons: HTMLButtonElement[] = [];
  private readonly fileInput: HTMLInputElement;
  private readonly kind: HTMLSelectElement;
  private readonly year: HTMLInputElement;
  private busy = false;
  private readonly council: Council;

  constructor(private readonly root: HTMLElement, private readonly opts: PaneOptions) {
    this.t = strings(opts.lang);
    const t = this.t;
    document.documentElement.lang = opts.lang;
    document.title = t.title;
    root.replaceChildren();

    const header = el('header', { class: 'pane-header' }, el('h1', {}, t.title), el('p', { class: 'subtitle' }, t.subtitle));
    this.freshness = el('div', { class: 'banner', id: 'freshness', role: 'status', hidden: '' });

    this.kind = el('select', { id: 'template-kind' },
      el('option', { value: 'master' }, t.templateMaster), el('option', { value: 'submission' }, t.templateSubmission));
    this.year = el('input', { id: 'template-year', type: 'number', min: '2000', max: '2100', value: String(new Date().getFullYear() - 1), inputmode: 'numeric' });
    const templateBtn = this.button('btn-template', t.templateButton, () => this.onTemplate(), 'secondary');
    const templateCard = el('section', { class: 'card', 'aria-labelledby': 'h-template' },
      el('h2', { id: 'h-template' }, t.templateHeading),
      el('div', { class: 'field' }, el('label', { for: 'template-kind' }, t.templateKind), this.kind),
      el('div', { class: 'field' }, el('label', { for: 'template-year' }, t.templateYear), this.year),
      templateBtn);

    this.fileInput = el('input', { id: 'import-files', type: 'file', multiple: '', accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' });
    this.fileInput.addEventListener('change', () => void this.onFiles());
    const importBtn = this.button('btn-import', t.importButton, () => { this.fileInput.value = ''; this.fileInput.click(); }, 'secondary');
    const importCard = el('section', { class: 'card', 'aria-labelledby': 'h-import' },
      el('h2', { id: 'h-import' }, t.importHeading), el('p', { class: 'hint' }, t.importHint), importBtn, this.fileInput);

    const validateCard = el('section', { class: 'card', 'aria-labelledby': 'h-validate' },
      el('h2', { id: 'h-validate' }, t.validateHeading), el('p', { class: 'hint' }, t.validateHint),
      this.button('btn-validate', t.validateButton, () => this.onValidate(), 'primary'));
    const rankCard = el('section', { class: 'card', 'aria-labelledby': 'h-rank' },
      el('h2', { id: 'h-rank' }, t.rankHeading), el('p', { class: 'hint' }, t.rankHint),
      this.button('btn-rank', t.rankButton, () => this.onRank(), 'primary'));

    this.progressText = el('span', { class: 'progress-text' }, t.working);
    this.progress = el('div', { class: 'progress', id: 'progress', role: 'status', 'aria-live': 'polite', hidden: '' },
      el('div', { class: 'progress-bar', 'aria-hidden': 'true' }, el('div', { class: 'progress-fill' })), this.progressText);
    this.results = el('section', { class: 'results', id: 'results', 'aria-live': 'polite' });
    this.council = new Council({
      run: opts.run, lang: opts.lang, t, results: this.results, now: () => this.now(),
      task: (label, work) => this.task(label, work), rerank: () => this.onRank(), showFreshness: (f) => this.showFreshness(f),
    });

    root.append(header, this.freshness, el('div', { class: 'cards' }, templateCard, importCard, validateCard, rankCard, ...this.council.sections), this.progress, this.results);
    void this.checkFreshness();
    // Coming back to the pane after editing cells: say whether the ranking still matches the data.
    window.addEventListener('focus', () => { if (!this.busy) void this.checkFreshness(); });
  }

  private button(id: string, label: string, onClick: () => void | Promise<void>, kind: 'primary' | 'secondary'): HTMLButtonElement {
    const b = el('button', { id, type: 'button', class: `btn btn-${kind}` }, label);
    b.addEventListener('click', () => void onClick());
    this.buttons.push(b);
    return b;
  }

  /** Run a task with the progress indicator shown and the buttons disabled. */
  private async task<T>(label: string, work: () => Promise<T>): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    this.progressText.textContent = label;
    this.progress.hidden = false;
    this.root.setAttribute('aria-busy', 'true');
    for (const b of this.buttons) b.disabled = true;
    try {
      return await work();
    } catch (e) {
      this.showError(e);
      return undefined;
    } finally {
      this.results.scrollIntoView?.({ block: 'nearest' });
      this.busy = false;
      this.progress.hidden = true;
      this.root.removeAttribute('aria-busy');
      for (const b of this.buttons) b.disabled = false;
    }
  }

  private now(): string {
    return this.opts.now ? this.opts.now() : stamp();
  }

  private showError(e: unknown): void {
    const msg = e instanceof UserError ? (this.opts.lang === 'en' ? e.en : e.vi) : String((e as Error)?.message ?? e);
    this.results.replaceChildren(el('div', { class: 'message message-error', role: 'alert' }, el('strong', {}, this.t.failed + ': '), msg));
  }

  private async checkFreshness(): Promise<void> {
    try {
      this.showFreshness(await rankingFreshness(this.opts.run));
    } catch {
      this.showFreshness('no-data');
    }
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
    const res = await this.task(this.t.working, () => createTemplate(this.opts.run, { kind: this.kind.value === 'submission' ? 'submission' : 'master', year }));
    if (res) this.results.replaceChildren(el('div', { class: 'message message-ok', role: 'status' }, this.t.templateDone(res.sheets.length)));
  }

  private async onValidate(): Promise<void> {
    const res = await this.task(this.t.working, () => validate(this.opts.run, this.now()));
    if (!res) return;
    this.results.replaceChildren(...this.renderIssues(validateView(res, this.opts.lang)));
    await this.checkFreshness();
  }

  private async onRank(): Promise<void> {
    if (this.busy) return;
    // An approved ranking is replaced only when the user says so.
    const dropApproval = await this.council.confirmRerank();
    if (dropApproval === null) return;
    const res = await this.task(this.t.working, () => rank(this.opts.run, this.now(), { dropApproval }));
    if (!res) return;
    const v = rankView(res, this.opts.lang);
    const figures = el('dl', { class: 'figures' }, ...v.figures.flatMap((f) => [el('dt', {}, f.label), el('dd', {}, f.value)]));
    const parts: (HTMLElement | null)[] = [
      el('div', { class: 'message message-ok', role: 'status' }, v.headline), figures,
      v.pendingNote ? el('div', { class: 'message message-warning' }, v.pendingNote) : null,
      v.excludedNote ? el('div', { class: 'message message-error' }, v.excludedNote) : null,
      ...this.renderIssues(v.issues)];
    this.results.replaceChildren(...parts.filter((x): x is HTMLElement => x !== null));
    this.showFreshness('fresh');
    this.council.afterRank(res);
  }

  private async onFiles(): Promise<void> {
    const files = [...(this.fileInput.files ?? [])];
    if (!files.length) return;
    const submissions = await this.task(this.t.importReading(files.length), () => readFiles(files));
    if (!submissions) return;
    const plan = await this.task(this.t.working, () => prepareImport(this.opts.run, submissions));
    if (!plan) return;
    let confirmed: string[] = [];
    if (plan.replaces.length) {
      const ok = await this.confirmReplace(replaceLines(plan));
      if (!ok) {
        this.results.replaceChildren(el('div', { class: 'message message-warning', role: 'status' }, this.t.importCancelled));
        return;
      }
      confirmed = plan.replaces.map((r) => r.code);
    }
    const done = await this.task(this.t.working, () => applyImport(this.opts.run, submissions, confirmed));
    if (!done) return;
    const v = importView(done, this.opts.lang);
    const list = el('ul', { class: 'import-list' }, ...v.rows.map((r) => el('li', { class: `import-row status-${r.status}` },
      el('span', { class: `badge badge-${r.status}` }, r.statusLabel),
      el('span', { class: 'import-file' }, r.file),
      r.company ? el('span', { class: 'import-company' }, r.company) : null,
      el('span', { class: 'import-detail' }, r.detail),
      r.issues ? el('div', { class: 'import-issues' }, ...this.renderIssues(r.issues)) : null)));
    this.results.replaceChildren(el('div', { class: 'message message-ok', role: 'status', id: 'import-summary' }, v.summary), list);
    await this.checkFreshness();
  }

  /** An inline confirmation naming each company whose rows would be replaced. */
  private confirmReplace(lines: string[]): Promise<boolean> {
    return new Promise((resolve) => {
      const yes = el('button', { type: 'button', class: 'btn btn-primary', id: 'confirm-yes' }, this.t.importConfirmYes);
      const no = el('button', { type: 'button', class: 'btn btn-secondary', id: 'confirm-no' }, this.t.importConfirmNo);
      const box = el('div', { class: 'confirm', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
        el('h2', { id: 'confirm-title' }, this.t.importConfirmTitle),
        el('p', { id: 'confirm-text' }, this.t.importConfirm),
        el('ul', { class: 'confirm-list' }, ...lines.map((l) => el('li', {}, l))),
        el('div', { class: 'confirm-actions' }, yes, no));
      const finish = (ok: boolean) => {
        box.remove();
        resolve(ok);
      };
      yes.addEventListener('click', () => finish(true));
      no.addEventListener('click', () => finish(false));
      box.addEventListener('keydown', (e) => { if (e.key === 'Escape') finish(false); });
      this.results.replaceChildren(box);
      yes.focus();
    });
  }

  private renderIssues(v: IssueView): HTMLElement[] {
    const t = this.t;
    const counts = el('div', { class: 'counts', id: 'issue-counts' },
      el('span', { class: `count count-error${v.errors ? '' : ' count-zero'}` }, el('strong', {}, String(v.errors)), ' ' + t.errors),
      el('span', { class: `count count-warning${v.warnings ? '' : ' count-zero'}` }, el('strong', {}, String(v.warnings)), ' ' + t.warnings));
    if (v.empty) return [counts, el('div', { class: 'message message-ok' }, v.empty)];
    const list = el('ul', { class: 'issues', 'aria-label': t.issuesHeading },
      ...v.items.map((i) => {
        const body = [el('span', { class: `sev sev-${i.severity}` }, i.severityLabel), el('span', { class: 'loc' }, i.location), el('span', { class: 'msg' }, i.message)];
        if (!i.target) return el('li', { class: 'issue' }, el('div', { class: 'issue-body' }, ...body));
        const b = el('button', { type: 'button', class: 'issue-body issue-link', 'aria-label': i.ariaLabel }, ...body);
        const target = i.target;
        b.addEventListener('click', () => void goToCell(this.opts.run, target.sheet, target.cell).catch((e) => this.showError(e)));
        return el('li', { class: 'issue' }, b);
      }));
    const parts: (HTMLElement | null)[] = [counts, list, v.more ? el('p', { class: 'hint' }, t.moreIssues(v.more)) : null];
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
