/* global Office, document */
/**
 * Placeholder task pane entry (issue #3): the real task pane is issue #4.
 * It shares one JavaScript context with the EVN.* functions (SharedRuntime 1.1).
 */
Office.onReady((info) => {
  const status = document.getElementById('status');
  if (status) {
    status.textContent = info.host === Office.HostType.Excel
      ? 'Sẵn sàng. / Ready.'
      : 'Mở trong Excel để dùng. / Open in Excel to use.';
  }
});
