/* global Office, Excel, document */
/**
 * The task pane entry. It shares one JavaScript context with the EVN.* functions (SharedRuntime
 * 1.1). Kept small: the .xlsx reader for imports is a separate chunk loaded on first use.
 */
import type { Run } from '../excel/adapter';
import { langOf, strings } from './i18n';
import { Pane } from './pane';

Office.onReady((info) => {
  const root = document.getElementById('app');
  if (!root) return;
  const lang = langOf(Office.context?.displayLanguage);
  if (info.host !== Office.HostType.Excel) {
    const p = document.createElement('p');
    p.textContent = strings(lang).notExcel;
    root.replaceChildren(p);
    return;
  }
  const run: Run = (batch) => Excel.run(batch);
  new Pane(root, { run, lang });
});
