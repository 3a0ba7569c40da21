/**
 * R4 — the whitelist file an authority imports (专精特新 and the other cultivation tiers): its columns
 * under the header names authorities use, and one row to a typed entry or to failures on the file's own
 * column names. The credit code is only trimmed and upper-cased here; its check, validTo ≥ validFrom
 * and duplicates are the service's, which applies them alike to files and to the GraphQL mutation.
 */
import { RowCheck, cellDate } from '../common/cell';
import { ColumnSpec, FileFailure, TableRow } from '../common/table-file';
import { QUALIFICATION_TIERS, QualificationTier } from './tier';

/** The columns of a whitelist file, all required (aliases are matched ignoring case, spaces, _ and -). */
export const WHITELIST_COLUMNS: ColumnSpec[] = [
  { field: 'creditCode', aliases: ['统一社会信用代码', '信用代码', 'creditCode', 'credit_code'], required: true },
  { field: 'name', aliases: ['企业名称', '名称', 'name', 'enterpriseName', 'company'], required: true },
  { field: 'tier', aliases: ['资质类型', '资质', '梯度', 'tier', 'qualificationTier'], required: true },
  { field: 'validFrom', aliases: ['有效期起', '有效期开始', '起始日期', 'validFrom', 'valid_from'], required: true },
  { field: 'validTo', aliases: ['有效期止', '有效期至', '有效期结束', '截止日期', 'validTo', 'valid_to'], required: true },
];

/** One valid row of a whitelist file. */
export interface WhitelistFileRow {
  row: number;
  creditCode: string;
  name: string;
  tier: QualificationTier;
  validFrom: string;
  validTo: string;
}

/** The `allowed` parameter of UNKNOWN_TIER. */
const TIER_NAMES = '创新型中小企业, 专精特新中小企业, 专精特新"小巨人", 制造业单项冠军';

/** The Chinese names of the tiers, without spaces or quotation marks. */
const TIER_BY_NAME = new Map<string, QualificationTier>([
  ['创新型中小企业', 'INNOVATIVE_SME'],
  ['专精特新中小企业', 'SPECIALIZED_SME'],
  ['省级专精特新中小企业', 'SPECIALIZED_SME'],
  // "Little giants" are recognised nationally only, so 国家级 adds nothing; a 省级/市级 "小巨人" is a
  // different, local title and stays unknown. Likewise provincial single champions.
  ...['', '国家级'].flatMap((level) =>
    ['', '企业'].map((suffix): [string, QualificationTier] => [`${level}专精特新小巨人${suffix}`, 'LITTLE_GIANT']),
  ),
  ...['', '国家级'].flatMap((level) =>
    ['制造业', ''].flatMap((sector) =>
      ['', '企业', '示范企业'].map((suffix): [string, QualificationTier] => [`${level}${sector}单项冠军${suffix}`, 'SINGLE_CHAMPION']),
    ),
  ),
]);

/** Spaces and the quotation marks written around 小巨人: "" “” ‘’ '' 「」 『』 ＂ ＇. */
const QUOTES_AND_SPACES = /[\s"'“”‘’「」『』＂＇]/g;

/**
 * The tier a cell names: the enum value in any case (LITTLE_GIANT, little-giant) or its Chinese name
 * (创新型中小企业; 专精特新中小企业 or 省级…; 专精特新“小巨人” in any quotation marks or none, with or
 * without 企业 or 国家级; 制造业单项冠军, …企业, 单项冠军示范企业, 单项冠军). Null for anything else,
 * including a bare 专精特新, which could be two tiers.
 */
export function parseTier(text: string): QualificationTier | null {
  const upper = text.trim().toUpperCase().replace(/[\s-]+/g, '_');
  const tier = QUALIFICATION_TIERS.find((t) => t === upper);
  return tier ?? TIER_BY_NAME.get(text.replace(QUOTES_AND_SPACES, '')) ?? null;
}

/**
 * One row of a whitelist file as an entry, or null with its failures: REQUIRED, INVALID_LENGTH
 * {min: 1, max: 200} (name), UNKNOWN_TIER {value, allowed}, INVALID_DATE {value}. `columns` maps each
 * field to its header as written, for failures the caller finds later (e.g. the credit code's check).
 */
export function whitelistRow(row: TableRow): { entry: WhitelistFileRow | null; failures: FileFailure[]; columns: Record<string, string> } {
  const check = new RowCheck(row);
  const columns = row.columns;
  if (!check.readable) return { entry: null, failures: check.failures, columns };
  const creditCode = check.text('creditCode', true)?.toUpperCase() ?? null;
  const name = check.boundedText('name', true, 200);
  const tierText = check.text('tier', true);
  const tier = tierText === null ? null : parseTier(tierText);
  if (tierText !== null && tier === null) check.fail('tier', 'UNKNOWN_TIER', { value: tierText, allowed: TIER_NAMES });
  const validFrom = check.value('validFrom', cellDate, true);
  const validTo = check.value('validTo', cellDate, true);
  if (check.failures.length || creditCode === null || name === null || tier === null || validFrom === null || validTo === null) {
    return { entry: null, failures: check.failures, columns };
  }
  return { entry: { row: row.row, creditCode, name, tier, validFrom, validTo }, failures: [], columns };
}
