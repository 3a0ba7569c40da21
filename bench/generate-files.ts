/**
 * Writes import files of any size for the import benchmark and for trying the commands by hand:
 * whitelist CSV / XLSX (Chinese headers and tier names) and credit CSV / JSON lines, with valid credit
 * codes that do not collide with the demo firms. Deterministic: row i is the same in every run.
 */
import fs from 'node:fs';
import * as ExcelJS from 'exceljs';
import { withCheckCharacter } from '../src/enterprises/credit-code';

const TIERS = ['创新型中小企业', '专精特新中小企业', '专精特新"小巨人"', '制造业单项冠军'];
const RATINGS = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B'];
const REGIONS = ['310101', '310104', '310115', '110108', '440305', '370202'];

/** The i-th credit code of a generated file: body "91" + region + "B" + 8 digits (B keeps it apart from demo firms). */
export function generatedCode(i: number): string {
  return withCheckCharacter(`91${REGIONS[i % REGIONS.length]}B${String(i).padStart(8, '0')}`);
}

function whitelistRow(i: number): string[] {
  const year = 2024 + (i % 3);
  return [generatedCode(i), `生成测试企业${i}有限公司`, TIERS[i % 7 === 0 ? 2 : i % 11 === 0 ? 3 : i % 2], `${year}-01-01`, `${year + 2}-12-31`];
}

const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const WHITELIST_HEADER = ['统一社会信用代码', '企业名称', '资质类型', '有效期起', '有效期止'];
const CREDIT_HEADER = ['统一社会信用代码', '数据来源', '数据日期', '信用评级', '纳税信用等级', '近12个月逾期次数', '当前逾期金额', '社保连续缴纳月数', '是否有银行贷款', '失信记录'];

function creditRow(i: number, asOf: string): string[] {
  const listing = i % 50 === 0 ? `经营异常:2025-03-01${i % 100 === 0 ? ':2025-09-01' : ''}` : '';
  return [generatedCode(i), 'BENCH-CRC', asOf, RATINGS[i % RATINGS.length], 'ABMCD'[i % 5], String(i % 4), i % 9 === 0 ? '12000.50' : '0', String(12 + (i % 100)), i % 3 === 0 ? '否' : '是', listing];
}

/** Streams a CSV of `rows` lines (UTF-8 with a BOM, as Excel saves it), waiting for the disk when it lags. */
async function writeCsv(file: string, header: string[], rows: number, rowOf: (i: number) => string[]): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write(`\ufeff${header.join(',')}\n`);
  for (let i = 0; i < rows; i++) {
    if (!out.write(`${rowOf(i).map(quote).join(',')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

export const writeWhitelistCsv = (file: string, rows: number) => writeCsv(file, WHITELIST_HEADER, rows, whitelistRow);
export const writeCreditCsv = (file: string, rows: number, asOf: string) => writeCsv(file, CREDIT_HEADER, rows, (i) => creditRow(i, asOf));

export async function writeWhitelistXlsx(file: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('白名单');
  sheet.addRow(WHITELIST_HEADER).commit();
  for (let i = 0; i < rows; i++) sheet.addRow(whitelistRow(i)).commit();
  sheet.commit();
  await workbook.commit();
}

if (require.main === module) {
  const [kind, file, rowsText] = process.argv.slice(2);
  const rows = Number(rowsText ?? 1000);
  const jobs: Record<string, () => Promise<void>> = {
    'whitelist-csv': () => writeWhitelistCsv(file, rows),
    'whitelist-xlsx': () => writeWhitelistXlsx(file, rows),
    'credit-csv': () => writeCreditCsv(file, rows, '2026-10-31'),
  };
  if (!jobs[kind] || !file) {
    process.stderr.write('usage: ts-node bench/generate-files.ts whitelist-csv|whitelist-xlsx|credit-csv FILE [ROWS]\n');
    process.exit(2);
  }
  jobs[kind]().then(() => process.stdout.write(`wrote ${rows} rows to ${file}\n`));
}
