import { readFileSync } from 'fs';
import { join } from 'path';
import { formatReference } from '../src/core/docs';
import { DEFAULT_CRITERIA, INPUT_BLOCKS } from '../src/core/format';

test('docs/format.md is generated from the format definition and up to date (npm run docs)', () => {
  const committed = readFileSync(join(__dirname, '..', 'docs', 'format.md'), 'utf8');
  expect(committed).toBe(formatReference());
  for (const b of INPUT_BLOCKS) for (const f of b.fields) expect(committed).toContain(`\`${f.header}\``);
  for (const c of DEFAULT_CRITERIA) expect(committed).toContain(c.name);
});
