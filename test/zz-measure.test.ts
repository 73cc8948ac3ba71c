import { contextOf, emptyBook } from './support/standin';
async function bytes(f: (ws: Excel.Worksheet) => void): Promise<number> {
  const wb = emptyBook();
  const ctx = contextOf(wb);
  f(ctx.workbook.worksheets.getItem('Sheet1'));
  await ctx.sync();
  return wb.requestSizes[0];
}
test('measure', async () => {
  const base = await bytes(() => undefined);
  const one = await bytes((ws) => { ws.getRangeByIndexes(1000, 10, 1, 1).numberFormat = [['@']]; });
  const ten = await bytes((ws) => { for (let i = 0; i < 10; i++) ws.getRangeByIndexes(100000 + i, 10, 1, 1).numberFormat = [['@']]; });
  const bold = await bytes((ws) => { for (let i = 0; i < 10; i++) { const r = ws.getRangeByIndexes(100000 + i, 10, 1, 1); r.format.font.bold = true; r.format.font.color = '#FFFFFF'; } });
  const fill = await bytes((ws) => { for (let i = 0; i < 10; i++) { ws.getRangeByIndexes(100000 + i, 10, 1, 20).format.fill.color = '#FFEEAA'; } });
  const link = await bytes((ws) => { for (let i = 0; i < 10; i++) { ws.getRangeByIndexes(100000 + i, 10, 1, 1).hyperlink = { documentReference: "'Tiết kiệm điện'!F100", textToDisplay: 'F100' }; } });
  const big = await bytes((ws) => { ws.getRangeByIndexes(0, 0, 10000, 3).values = Array.from({ length: 10000 }, () => ['abc', 1, '']); });
  const bigJson = JSON.stringify(Array.from({ length: 10000 }, () => ['abc', 1, ''])).length;
  const fmt = await bytes((ws) => { ws.getRangeByIndexes(0, 0, 10000, 1).numberFormat = Array.from({ length: 10000 }, () => ['@']); });
  const fmtJson = JSON.stringify(Array.from({ length: 10000 }, () => ['@'])).length;
  const read = emptyBook(); const c = contextOf(read); const r = c.workbook.worksheets.getItem('Sheet1').getRangeByIndexes(0,0,10,10); r.load('values,valueTypes'); await c.sync();
  console.log({ base, one: one - base, perRange: (ten - base) / 10, bold: (bold - base) / 10, fill: (fill-base)/10, link: (link - base) / 10, big: big - base, bigJson, fmt: fmt - base, fmtJson, resp: read.responseSizes });
});
