import { createTemplate, validate, rank } from '../src/excel/actions';
import { bookWith, emptyBook, masterContent, runOf } from '../test/support/standin';
test('smoke', async () => {
  const wb = emptyBook();
  await createTemplate(runOf(wb), { kind: 'master', year: 2012 });
  console.log(wb.sheets.map(s => s.name), wb.syncCount, wb.requestSizes);
  const b = await bookWith(masterContent([{ code: 'PC01', units: 5 }]));
  const v = await validate(runOf(b), 't');
  console.log(v.counts, b.syncCount);
  await rank(runOf(b), 't');
});
