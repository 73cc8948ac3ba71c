/**
 * Builds workbook grids for engine tests from plain rows, with headers taken from the format
 * definition (never re-typed), the way a user's sheet would hold them.
 */
import type { CellValue, SheetGrid, WorkbookGrid } from '../../src/core/cells';
import {
  AWARDS, CRITERIA, DEFAULT_AWARDS, DEFAULT_CRITERIA, DEFAULT_PARAMS, INDIVIDUAL, INFO, KEY_HEADER, PARAMS,
  SAVING, SERVICE, VALUE_HEADER, criterionHeader, AwardRecord, CriterionRecord, ParamsRecord,
} from '../../src/core/format';

export interface UnitRow {
  code: string;
  name?: CellValue;
  level?: CellValue;
  company?: CellValue;
  commercial: CellValue;
  saved: CellValue;
  note?: CellValue;
}

export interface BookSpec {
  file?: string;
  company?: string;
  companyName?: string;
  year?: CellValue;
  units: UnitRow[];
  /** Unit code → criterion code → value (all default criteria at their targets when absent). */
  service?: Record<string, Record<string, CellValue>>;
  /** Units with no service row. */
  noService?: string[];
  individuals?: { name: CellValue; unit: CellValue; area?: CellValue; achievement?: CellValue; points: CellValue }[];
  params?: Partial<ParamsRecord>;
  criteria?: readonly CriterionRecord[];
  awards?: readonly AwardRecord[];
}

export function sheet(name: string, rows: CellValue[][], originRow = 0, originCol = 0): SheetGrid {
  return { name, originRow, originCol, rows };
}

const h = (fields: readonly { key: string; header: string }[], key: string) => fields.find((f) => f.key === key)!.header;

export function criteriaSheet(spec: Pick<BookSpec, 'params' | 'criteria' | 'awards'> = {}): SheetGrid {
  const p = { ...DEFAULT_PARAMS, ...spec.params };
  const criteria = spec.criteria ?? DEFAULT_CRITERIA;
  const awards = spec.awards ?? DEFAULT_AWARDS;
  const rows: CellValue[][] = [
    ['THAM SỐ'],
    [KEY_HEADER, VALUE_HEADER],
    [h(PARAMS.fields, 'companyThreshold'), p.companyThreshold],
    [h(PARAMS.fields, 'unitThreshold'), p.unitThreshold],
    [h(PARAMS.fields, 'minScore'), p.minScore],
    [],
    ['TIÊU CHÍ'],
    CRITERIA.fields.map((f) => f.header),
    ...criteria.map((c) => [c.code, c.name, c.unit, c.direction, c.target, c.weight]),
    [],
    ['GIẢI THƯỞNG'],
    AWARDS.fields.map((f) => f.header),
    ...awards.map((a) => [a.area, a.level, a.count, a.title, a.form, a.prize]),
  ];
  return sheet(CRITERIA.sheet, rows);
}

/** A target-meeting value for each default criterion (score 100). */
export function perfectService(criteria: readonly CriterionRecord[] = DEFAULT_CRITERIA): Record<string, CellValue> {
  return Object.fromEntries(criteria.map((c) => [c.code, c.target]));
}

export function book(spec: BookSpec): WorkbookGrid {
  const criteria = spec.criteria ?? DEFAULT_CRITERIA;
  const company = spec.company ?? 'PC05';
  const info = sheet(INFO.sheet, [
    [KEY_HEADER, VALUE_HEADER],
    [h(INFO.fields, 'companyCode'), company],
    [h(INFO.fields, 'companyName'), spec.companyName ?? `Công ty Điện lực ${company}`],
    [h(INFO.fields, 'year'), spec.year === undefined ? 2012 : spec.year],
  ]);
  const saving = sheet(SAVING.sheet, [
    SAVING.fields.map((f) => f.header),
    ...spec.units.map((u) => [
      u.code, u.name === undefined ? `Đơn vị ${u.code}` : u.name,
      u.level === undefined ? (u.code === company ? 'Công ty' : 'Điện lực') : u.level,
      u.company === undefined ? company : u.company, u.commercial, u.saved, null, null, u.note ?? null,
    ]),
  ]);
  const service = sheet(SERVICE.sheet, [
    [SERVICE.fields[0].header, ...criteria.map((c) => criterionHeader(c))],
    ...spec.units.filter((u) => !(spec.noService ?? []).includes(u.code)).map((u) => {
      const values = spec.service?.[u.code] ?? perfectService(criteria);
      return [u.code, ...criteria.map((c) => (c.code in values ? values[c.code] : null))];
    }),
  ]);
  const individuals = sheet(INDIVIDUAL.sheet, [
    INDIVIDUAL.fields.map((f) => f.header),
    ...(spec.individuals ?? []).map((p) => [p.name, p.unit, null, p.area ?? 'Tiết kiệm điện', p.achievement ?? 'Thành tích tốt', p.points]),
  ]);
  return { file: spec.file, sheets: [info, saving, service, individuals, criteriaSheet(spec)] };
}
