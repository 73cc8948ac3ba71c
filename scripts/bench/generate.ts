/**
 * A generated consolidated master workbook for the benchmarks: the grid a real `EVNCPC` master
 * would hold after importing every Power Company's submission (built with the tests' grid builder,
 * so headers come from the format definition). Deterministic: the same size gives the same grid.
 */
import type { CellValue, WorkbookGrid } from '../../src/core/cells';
import { DEFAULT_CRITERIA, DIRECTION, INDIVIDUAL, MASTER_COMPANY_CODE, SAVING } from '../../src/core/format';
import { book, UnitRow } from '../../test/support/grids';

/** mulberry32: a small deterministic PRNG (the bench must measure the same data every run). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Xuân', 'Thu'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hiếu', 'Hoa', 'Hùng', 'Hương', 'Khánh',
  'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phong', 'Phúc', 'Quang', 'Sơn', 'Tâm', 'Thảo', 'Thắng', 'Trang', 'Trung',
  'Tuấn', 'Vân', 'Việt', 'Yến', 'Khoa', 'Lộc', 'Nhung', 'Oanh', 'Thủy', 'Toàn', 'Uyên'];
const PLACES = ['Hải Châu', 'Thanh Khê', 'Sơn Trà', 'Hội An', 'Tam Kỳ', 'Điện Bàn', 'Quảng Ngãi', 'Tuy Hòa', 'Quy Nhơn',
  'Nha Trang', 'Buôn Ma Thuột', 'Pleiku', 'Kon Tum', 'Đà Lạt', 'Đông Hà', 'Huế', 'Đồng Hới', 'Cam Ranh'];

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const round = (x: number, decimals: number) => Number(x.toFixed(decimals));

export interface Master {
  readonly grid: WorkbookGrid;
  /** Rows of `Tiết kiệm điện` (companies + district units) and of `Cá nhân`. */
  readonly units: number;
  readonly individuals: number;
}

/**
 * `units` rows in `Tiết kiệm điện` (13 company rows, the rest district units spread over them,
 * every figure consistent with its company's totals), a service row per unit with values around
 * the default targets, `individuals` people spread over the district units with scores in half
 * points (ties happen, as in real data).
 */
export function masterGrid(units: number, individuals: number, seed = 2012): Master {
  const d = campaignData(units, individuals, seed);
  const draft = book({
    file: 'master.xlsx', company: MASTER_COMPANY_CODE, companyName: 'Tổng công ty Điện lực miền Trung', year: 2012,
    units: d.units, service: d.service, individuals: d.people,
  });
  return { grid: withDerivedColumns(draft), units, individuals };
}

/**
 * The same data as the Power Companies' submissions: one workbook per company (its own row, its
 * district units, their service rows and people), as the import reads them.
 */
export function submissionGrids(units: number, individuals: number, seed = 2012): { file: string; grid: WorkbookGrid }[] {
  const d = campaignData(units, individuals, seed);
  return d.companies.map((code) => {
    const own = new Set(d.units.filter((u) => u.company === code).map((u) => u.code));
    const file = `${code.toLowerCase()}.xlsx`;
    const grid = book({
      file, company: code, companyName: `Công ty Điện lực ${code}`, year: 2012,
      units: d.units.filter((u) => own.has(u.code)),
      service: Object.fromEntries(Object.entries(d.service).filter(([k]) => own.has(k))),
      individuals: d.people.filter((p) => own.has(p.unit)),
    });
    return { file, grid: withDerivedColumns(grid) };
  });
}

interface CampaignData {
  companies: string[];
  units: UnitRow[];
  service: Record<string, Record<string, number>>;
  people: { name: string; unit: string; area: string; achievement: string; points: number }[];
}

function campaignData(units: number, individuals: number, seed: number): CampaignData {
  const rnd = prng(seed);
  const companyCount = units >= 130 ? 13 : Math.max(1, Math.floor(units / 5));
  const districtCount = units - companyCount;
  const companies = Array.from({ length: companyCount }, (_, i) => `PC${pad(i + 1, 2)}`);

  const districts: UnitRow[] = [];
  const totals = companies.map(() => ({ commercial: 0, saved: 0 }));
  for (let i = 0; i < districtCount; i++) {
    const c = i % companyCount;
    const commercial = Math.round(50e6 + rnd() * 950e6); // 50–1,000 GWh a year
    const saved = Math.round(commercial * (0.005 + rnd() * 0.015)); // 0.5–2 %: about two thirds eligible
    totals[c].commercial += commercial;
    totals[c].saved += saved;
    districts.push({
      code: `${companies[c]}D${pad(Math.floor(i / companyCount) + 1, 5)}`,
      name: `Điện lực ${PLACES[i % PLACES.length]} ${Math.floor(i / PLACES.length) + 1}`,
      company: companies[c], commercial, saved,
      note: rnd() < 0.1 ? 'Số liệu đã đối chiếu với hóa đơn' : null,
    });
  }
  const companyRows: UnitRow[] = companies.map((code, c) => ({
    code, name: `Công ty Điện lực ${code}`, level: 'Công ty', company: code,
    commercial: totals[c].commercial || 1e9, saved: totals[c].saved || 1.2e7,
  }));
  const all = [...companyRows, ...districts];

  const service: Record<string, Record<string, number>> = {};
  for (const u of all) {
    const values: Record<string, number> = {};
    for (const k of DEFAULT_CRITERIA) {
      const f = k.direction === DIRECTION.higher ? 0.6 + rnd() * 0.7 : 0.5 + rnd() * 1.1;
      values[k.code] = round(k.target * f, k.target <= 1 ? 3 : 2);
    }
    service[u.code] = values;
  }

  const people: CampaignData['people'] = [];
  const combos = FAMILY.length * MIDDLE.length * GIVEN.length;
  for (let i = 0; i < individuals; i++) {
    const n = (i * 7919) % combos;
    people.push({
      name: `${FAMILY[n % FAMILY.length]} ${MIDDLE[Math.floor(n / FAMILY.length) % MIDDLE.length]} ${GIVEN[Math.floor(n / (FAMILY.length * MIDDLE.length))]}`,
      unit: districtCount ? districts[i % districtCount].code : companies[i % companyCount],
      area: i % 2 ? 'Tiết kiệm điện' : 'Dịch vụ khách hàng',
      achievement: 'Hoàn thành xuất sắc nhiệm vụ năm 2012',
      points: round(Math.round((50 + rnd() * 50) * 2) / 2, 1),
    });
  }

  return { companies, units: all, service, people };
}

/** The derived columns hold what the template's formulas show (a reader never reads them). */
function withDerivedColumns(draft: WorkbookGrid): WorkbookGrid {
  const col = (key: string) => SAVING.fields.findIndex((f) => f.key === key);
  const [cSaved, cCommercial, cRate, cEligible] = ['saved', 'commercial', 'rate', 'eligible'].map(col);
  const withDerived = (row: readonly CellValue[]): CellValue[] => {
    const out = row.slice();
    const rate = (row[cSaved] as number) / (row[cCommercial] as number);
    out[cRate] = rate;
    out[cEligible] = rate >= 0.01;
    return out;
  };
  return {
    ...draft,
    sheets: draft.sheets.map((s) => (s.name === SAVING.sheet ? { ...s, rows: s.rows.map((r, i) => (i === 0 ? r : withDerived(r))) } : s)),
  };
}

/** The records the baseline sorts: one per unit (its saving rate) and per person (their points). */
export function sortRecords(m: Master): { key: number; code: string }[] {
  const out: { key: number; code: string }[] = [];
  const saving = m.grid.sheets.find((s) => s.name === SAVING.sheet)!;
  const cRate = SAVING.fields.findIndex((f) => f.key === 'rate');
  for (const row of saving.rows.slice(1)) out.push({ key: row[cRate] as number, code: row[0] as string });
  const people = m.grid.sheets.find((s) => s.name === INDIVIDUAL.sheet)!;
  const [cPoints, cUnit] = ['points', 'unitCode'].map((k) => INDIVIDUAL.fields.findIndex((f) => f.key === k));
  for (const row of people.rows.slice(1)) out.push({ key: row[cPoints] as number, code: row[cUnit] as string });
  return out;
}
