/**
 * R2 — enterprise size class under 工信部联企业〔2011〕300号 (cited by seeds 000 and 001).
 * X = employees, Y = revenue, Z = total assets, Y and Z in CNY 10,000 (万元). LARGE, MEDIUM and SMALL
 * require every bound of their row; a firm that misses one (or whose figure is unknown) falls to the next
 * tier; MICRO is what is left.
 */
import { Decimal } from '../common/decimal';

export const SIZE_STANDARD_ID = 'MIIT-2011-300';

export const SIZE_CLASSES = ['LARGE', 'MEDIUM', 'SMALL', 'MICRO'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

export const SECTORS = [
  'AGRICULTURE',
  'INDUSTRY',
  'CONSTRUCTION',
  'WHOLESALE',
  'RETAIL',
  'TRANSPORT',
  'WAREHOUSING',
  'POSTAL',
  'ACCOMMODATION',
  'CATERING',
  'INFO_TRANSMISSION',
  'SOFTWARE_IT',
  'REAL_ESTATE_DEV',
  'PROPERTY_MGMT',
  'LEASING_BUSINESS_SERVICES',
  'OTHER',
] as const;
export type Sector = (typeof SECTORS)[number];

/** Lower bounds of one tier: employees (X), revenue (Y, 万元), total assets (Z, 万元). */
interface Bounds {
  x?: number;
  y?: number;
  z?: number;
}
type Row = { LARGE: Bounds; MEDIUM: Bounds; SMALL: Bounds };

const ACCOMMODATION_CATERING: Row = { LARGE: { x: 300, y: 10000 }, MEDIUM: { x: 100, y: 2000 }, SMALL: { x: 10, y: 100 } };

export const SIZE_TABLE: Record<Sector, Row> = {
  AGRICULTURE: { LARGE: { y: 20000 }, MEDIUM: { y: 500 }, SMALL: { y: 50 } },
  INDUSTRY: { LARGE: { x: 1000, y: 40000 }, MEDIUM: { x: 300, y: 2000 }, SMALL: { x: 20, y: 300 } },
  CONSTRUCTION: { LARGE: { y: 80000, z: 80000 }, MEDIUM: { y: 6000, z: 5000 }, SMALL: { y: 300, z: 300 } },
  WHOLESALE: { LARGE: { x: 200, y: 40000 }, MEDIUM: { x: 20, y: 5000 }, SMALL: { x: 5, y: 1000 } },
  RETAIL: { LARGE: { x: 300, y: 20000 }, MEDIUM: { x: 50, y: 500 }, SMALL: { x: 10, y: 100 } },
  TRANSPORT: { LARGE: { x: 1000, y: 30000 }, MEDIUM: { x: 300, y: 3000 }, SMALL: { x: 20, y: 200 } },
  WAREHOUSING: { LARGE: { x: 200, y: 30000 }, MEDIUM: { x: 100, y: 1000 }, SMALL: { x: 20, y: 100 } },
  POSTAL: { LARGE: { x: 1000, y: 30000 }, MEDIUM: { x: 300, y: 2000 }, SMALL: { x: 20, y: 100 } },
  ACCOMMODATION: ACCOMMODATION_CATERING,
  CATERING: ACCOMMODATION_CATERING,
  INFO_TRANSMISSION: { LARGE: { x: 2000, y: 100000 }, MEDIUM: { x: 100, y: 1000 }, SMALL: { x: 10, y: 100 } },
  SOFTWARE_IT: { LARGE: { x: 300, y: 10000 }, MEDIUM: { x: 100, y: 1000 }, SMALL: { x: 10, y: 50 } },
  REAL_ESTATE_DEV: { LARGE: { y: 200000, z: 10000 }, MEDIUM: { y: 1000, z: 5000 }, SMALL: { y: 100, z: 2000 } },
  PROPERTY_MGMT: { LARGE: { x: 1000, y: 5000 }, MEDIUM: { x: 300, y: 1000 }, SMALL: { x: 100, y: 500 } },
  LEASING_BUSINESS_SERVICES: { LARGE: { x: 300, z: 120000 }, MEDIUM: { x: 100, z: 8000 }, SMALL: { x: 10, z: 100 } },
  OTHER: { LARGE: { x: 300 }, MEDIUM: { x: 100 }, SMALL: { x: 10 } },
};

export interface SizeFigures {
  employees?: number | null;
  /** Revenue in CNY 10,000 (万元). */
  revenueWan?: Decimal | null;
  /** Total assets in CNY 10,000 (万元). */
  totalAssetsWan?: Decimal | null;
}

function meets(bounds: Bounds, f: SizeFigures): boolean {
  if (bounds.x !== undefined && (f.employees == null || f.employees < bounds.x)) return false;
  if (bounds.y !== undefined && (f.revenueWan == null || f.revenueWan.lt(bounds.y))) return false;
  if (bounds.z !== undefined && (f.totalAssetsWan == null || f.totalAssetsWan.lt(bounds.z))) return false;
  return true;
}

export function sizeClassOf(sector: Sector, figures: SizeFigures): SizeClass {
  const row = SIZE_TABLE[sector];
  for (const tier of ['LARGE', 'MEDIUM', 'SMALL'] as const) if (meets(row[tier], figures)) return tier;
  return 'MICRO';
}

const WAN = 10000;

/** Size class from figures in CNY (the API's unit), converted to 万元 exactly. */
export function sizeClassFromYuan(
  sector: Sector,
  employees: number | null | undefined,
  revenueYuan: Decimal | null | undefined,
  totalAssetsYuan: Decimal | null | undefined,
): SizeClass {
  return sizeClassOf(sector, {
    employees,
    revenueWan: revenueYuan == null ? null : revenueYuan.div(WAN),
    totalAssetsWan: totalAssetsYuan == null ? null : totalAssetsYuan.div(WAN),
  });
}
