/**
 * The stand-in workbook from and to .xlsx files, so the same fixture files drive the engine, the
 * CLI and the add-in tests: loaded with the node adapter's reader, saved with ExcelJS (values,
 * formulas, number formats).
 */
import ExcelJS from 'exceljs';
import { isCellError } from '../../src/core/cells';
import { readXlsxGrid } from '../../src/node/xlsx-read';
import { StandinOptions, StandinWorkbook } from './excel-host/workbook';

export async function loadStandin(file: string, opts: StandinOptions = {}): Promise<StandinWorkbook> {
  return StandinWorkbook.fromGrid(await readXlsxGrid(file), opts);
}

export async function saveStandin(model: StandinWorkbook, file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const s of model.sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const [key, m] of s.cells) {
      const [r, c] = key.split(',').map(Number);
      const cell = ws.getCell(r + 1, c + 1);
      if (m.f) cell.value = { formula: m.f.replace(/^=/, '') } as ExcelJS.CellValue;
      else if (isCellError(m.v)) cell.value = { error: m.v.error } as ExcelJS.CellValue;
      else cell.value = m.v;
      if (m.fmt) cell.numFmt = m.fmt;
    }
  }
  await wb.xlsx.writeFile(file);
}
