/**
 * Round trips and request sizes of the task pane's actions, counted by the strict Excel stand-in
 * (src/testing/excel-standin.ts) running the real adapter and actions (src/excel/).
 */
import { applyImport, createTemplate, prepareImport, rank, validate } from '../../src/excel/actions';
import { validateGrids } from '../../src/core/engine';
import type { Run } from '../../src/excel/adapter';
import { StandinWorkbook, createHost } from '../../src/testing/excel-standin';
import { masterGrid, submissionGrids } from './generate';

const MADE_AT = '2013-01-10 08:30';

export interface ActionCost {
  readonly syncs: number;
  /** Largest request (queued writes of one sync), bytes. */
  readonly maxRequestBytes: number;
  /** Largest response (values and value types loaded by one sync), bytes — an estimate. */
  readonly maxResponseBytes: number;
  /** The error the action failed with (the stand-in rejects a request over 5 MB, as Excel on the web does). */
  readonly failed?: string;
}

function runOf(model: StandinWorkbook): Run {
  return createHost(model).Excel.run as unknown as Run;
}

/**
 * What Excel would send back for the loads of the read: the used ranges' `values` and
 * `valueTypes` as JSON (the stand-in counts only what is sent; Excel on the web caps both ways).
 */
function readResponseBytes(model: StandinWorkbook): number {
  let bytes = 0;
  for (const s of model.sheets) {
    const g = model.toSheetGrid(s);
    bytes += Buffer.byteLength(JSON.stringify(g.rows.map((r) => r.map((v) => (v === null ? '' : v)))));
    bytes += Buffer.byteLength(JSON.stringify(g.rows.map((r) => r.map((v) => (v === null ? 'Empty' : typeof v === 'number' ? 'Double' : typeof v === 'boolean' ? 'Boolean' : 'String')))));
  }
  return bytes;
}

async function measure(model: StandinWorkbook, action: (run: Run) => Promise<unknown>): Promise<ActionCost> {
  const syncsBefore = model.syncCount;
  const sizesBefore = model.requestSizes.length;
  const maxResponseBytes = readResponseBytes(model);
  let failed: string | undefined;
  try {
    await action(runOf(model));
  } catch (e) {
    failed = e instanceof Error ? e.message : String(e);
  }
  const sizes = model.requestSizes.slice(sizesBefore);
  return { syncs: model.syncCount - syncsBefore, maxRequestBytes: Math.max(0, ...sizes), maxResponseBytes, ...(failed ? { failed } : {}) };
}

export interface ExcelCosts {
  readonly units: number;
  readonly validate: ActionCost;
  readonly rank: ActionCost;
  /** Prepare (read, show the plan) + apply (read again, write) of 13 submissions into a new master. */
  readonly import: ActionCost & { readonly prepareSyncs: number; readonly applySyncs: number };
}

export async function excelCosts(units: number): Promise<ExcelCosts> {
  // Validate and rank run on a filled master (one person per unit).
  const master = StandinWorkbook.fromGrid(masterGrid(units, units).grid);
  const v = await measure(master, (run) => validate(run, MADE_AT));
  const r = await measure(master, (run) => rank(run, MADE_AT));

  // Import: the submissions of all companies into the blank master template.
  const target = new StandinWorkbook();
  await createTemplate(runOf(target), { kind: 'master', year: 2012 });
  const files = submissionGrids(units, units);
  const prepare = await measure(target, (run) => prepareImport(run, files));
  const apply = await measure(target, (run) => applyImport(run, files, []));
  // The numbers count only when the import really landed every row.
  const landed = validateGrids([target.toGrid()]).saving.length;
  if (!apply.failed && landed !== units) throw new Error(`the import wrote ${landed} unit rows, expected ${units}`);
  return {
    units, validate: v, rank: r,
    import: {
      syncs: prepare.syncs + apply.syncs, prepareSyncs: prepare.syncs, applySyncs: apply.syncs,
      maxRequestBytes: Math.max(prepare.maxRequestBytes, apply.maxRequestBytes),
      maxResponseBytes: Math.max(prepare.maxResponseBytes, readResponseBytes(target)),
      ...(prepare.failed || apply.failed ? { failed: prepare.failed ?? apply.failed } : {}),
    },
  };
}
