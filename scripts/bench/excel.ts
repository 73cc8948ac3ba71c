/**
 * Round trips and request and response sizes of the task pane's actions, measured through
 * Microsoft's Excel client library (`@microsoft/office-js`) talking to the strict test Excel host
 * (test/support/excel-host/): the real adapter and actions (src/excel/), the bytes the real client
 * serializes and the host's answers, under Excel on the web's 5 MB limits.
 */
import { applyImport, createTemplate, prepareImport, rank, validate } from '../../src/excel/actions';
import { validateGrids } from '../../src/core/engine';
import type { Run } from '../../src/excel/adapter';
import { StandinWorkbook } from '../../test/support/excel-host/workbook';
import { runOf as clientRunOf } from '../../test/support/excel-host/node';
import { masterGrid, submissionGrids } from './generate';

const MADE_AT = '2013-01-10 08:30';

export interface ActionCost {
  readonly syncs: number;
  /** Largest request (the JSON one sync put on the wire), bytes. */
  readonly maxRequestBytes: number;
  /** Largest response (the JSON the host answered one sync with), bytes. */
  readonly maxResponseBytes: number;
  /** The error the action failed with (the host refuses a request or response over 5 MB, as Excel on the web does). */
  readonly failed?: string;
}

function runOf(model: StandinWorkbook): Run {
  return clientRunOf(model) as unknown as Run;
}

async function measure(model: StandinWorkbook, action: (run: Run) => Promise<unknown>): Promise<ActionCost> {
  const syncsBefore = model.syncCount;
  const sizesBefore = model.requestSizes.length;
  const responsesBefore = model.responseSizes.length;
  let failed: string | undefined;
  try {
    await action(runOf(model));
  } catch (e) {
    failed = e instanceof Error ? e.message : String(e);
  }
  const sizes = model.requestSizes.slice(sizesBefore);
  const responses = model.responseSizes.slice(responsesBefore);
  return {
    syncs: model.syncCount - syncsBefore, maxRequestBytes: Math.max(0, ...sizes), maxResponseBytes: Math.max(0, ...responses), ...(failed ? { failed } : {}),
  };
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
  target.addSheet('Sheet1');
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
      maxResponseBytes: Math.max(prepare.maxResponseBytes, apply.maxResponseBytes),
      ...(prepare.failed || apply.failed ? { failed: prepare.failed ?? apply.failed } : {}),
    },
  };
}
