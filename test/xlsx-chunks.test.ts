/**
 * The lean reader takes a cell or a shared string whole when it lies whole in the decoded text it
 * has (src/core/xlsx-lean.ts, `elementAt`), and tag by tag otherwise: at a chunk boundary, or in a
 * form it does not read whole. Which one happens depends on where the inflater cuts the part.
 * Here every part of real files is fed in chunks of 1, 2, 3, 5, 7, 13, 31 and 4,096 bytes (tags,
 * values and multi-byte UTF-8 characters cut everywhere), and the grids must equal those read with
 * the whole part in one chunk, which takes the whole-element path wherever it can.
 */
import * as fs from 'fs';
import * as path from 'path';
import JSZip from 'jszip';
import type { WorkbookGrid } from '../src/core/cells';
import { LeanZip, readLeanWorkbook } from '../src/core/xlsx-lean';
import { cleanXlsx } from './support/hostile-xlsx';

const ROOT = path.resolve(__dirname, '..');

/** A zip whose parts stream in chunks of `size` bytes (Infinity: each part in one chunk). */
async function chunked(bytes: Buffer, size: number): Promise<LeanZip> {
  const zip = await JSZip.loadAsync(bytes);
  const files: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(zip.files)) {
    const data = entry.dir ? new Uint8Array(0) : await entry.async('uint8array');
    files[name] = {
      name, dir: entry.dir,
      internalStream() {
        const on: Record<string, (x?: unknown) => void> = {};
        let paused = false;
        const s = {
          on(ev: string, f: (x?: unknown) => void) { on[ev] = f; return s; },
          pause() { paused = true; return s; },
          resume() {
            for (let i = 0; i < data.length && !paused; i += size) on.data?.(data.subarray(i, Math.min(data.length, i + size)));
            if (!paused) on.end?.();
            return s;
          },
        };
        return s;
      },
    };
  }
  return { files } as unknown as LeanZip;
}

const read = async (bytes: Buffer, size: number): Promise<WorkbookGrid> => ({ file: 'x.xlsx', sheets: (await readLeanWorkbook(await chunked(bytes, size))).sheets });

const FILES: [string, () => Promise<Buffer>][] = [
  ['a clean submission (Excel-like XML)', () => cleanXlsx()],
  ['pc05-quang-nam.xlsx (our writer)', async () => fs.readFileSync(path.join(ROOT, 'assets/examples/pc05-quang-nam.xlsx'))],
  ['openpyxl-tables.xlsx (openpyxl)', async () => fs.readFileSync(path.join(ROOT, 'test/fixtures/bad/openpyxl-tables.xlsx'))],
  ['nfd-nbsp.xlsx (Vietnamese text, odd spaces)', async () => fs.readFileSync(path.join(ROOT, 'test/fixtures/bad/nfd-nbsp.xlsx'))],
  ['mau-v1-khong-ten.xlsx (an older template)', async () => fs.readFileSync(path.join(ROOT, 'test/fixtures/older/mau-v1-khong-ten.xlsx'))],
];

test.each(FILES)('%s reads alike whatever the chunks', async (_name, load) => {
  const bytes = await load();
  const whole = await read(bytes, Infinity);
  expect(whole.sheets.some((s) => s.rows.length > 3)).toBe(true);
  for (const size of [1, 2, 3, 5, 7, 13, 31, 4096]) {
    expect({ size, grid: await read(bytes, size) }).toEqual({ size, grid: whole });
  }
});
