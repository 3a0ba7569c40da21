/**
 * npm run import:credit -- FILE [--source NAME] [--as-of YYYY-MM-DD] [--lang zh|en]
 *
 * Imports credit records (R5) from CSV, XLSX or JSON lines: 统一社会信用代码 and any of 信用评级, 纳税信用等级,
 * 近12个月逾期次数, 当前逾期金额, 社保连续缴纳月数, 是否有银行贷款, 失信记录 (KIND:listedOn[:repairedOn]; …), with
 * 数据来源 / 数据日期 per row or --source / --as-of for the whole file. Rows are grouped by source and
 * as-of date and imported oldest first in one transaction, all or nothing: a bad row refuses the file
 * with a report of every bad row. An older as-of never overwrites a newer profile (it joins the
 * history); the same as-of replaces that day's record. Exit status: 0 imported, 1 refused, 2 usage or file error.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isValidDateText, todayInShanghai } from '../common/dates';
import { createLogger } from '../common/log';
import { cellText } from '../common/cell';
import { readTable, TableFileError, TableRow } from '../common/table-file';
import { repeatedCodes } from '../enterprises/enterprise.service';
import { CREDIT_COLUMNS, creditRow, CreditFileRow } from '../credit/credit.file';
import { importFailures, writeImport } from '../credit/credit.service';
import { loadConfig } from '../config';
import { openCliDatabase } from './cli-database';
import { cliLanguage, onFileRow, peakRssMiB, printRefusal, Progress, ReportedFailure } from './import-report';

const USAGE = 'usage: npm run import:credit -- FILE [--source NAME] [--as-of YYYY-MM-DD] [--lang zh|en]';

interface Group {
  source: string;
  asOf: string;
  rows: TableRow[];
  records: CreditFileRow[];
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { source: { type: 'string' }, 'as-of': { type: 'string' }, lang: { type: 'string' } },
  });
  const lang = cliLanguage(values.lang);
  const [file] = positionals;
  const defaultAsOf = values['as-of'];
  if (!file || (defaultAsOf !== undefined && !isValidDateText(defaultAsOf))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!fs.existsSync(file)) {
    process.stderr.write(`${lang === 'zh' ? '找不到文件' : 'No such file'}: ${file}\n`);
    return 2;
  }

  const started = process.hrtime.bigint();
  const progress = new Progress();
  const groups = new Map<string, Group>();
  const failures: ReportedFailure[] = [];
  const keyOfRow: string[] = [];
  // Every row's code under its source and date, so a repeated row is reported even when it has other faults.
  const allRows: TableRow[] = [];
  const allKeys: (string | null)[] = [];
  let total = 0;
  try {
    progress.start(lang === 'zh' ? '读取' : 'reading', fs.statSync(file).size, 'bytes');
    for await (const row of readTable(file, CREDIT_COLUMNS, { onProgress: (read) => progress.update(read) })) {
      const parsed = creditRow(row);
      failures.push(...parsed.failures);
      allRows.push(row);
      allKeys.push(cellText(row.values.creditCode));
      keyOfRow.push(`${cellText(row.values.asOf) ?? defaultAsOf ?? ''}\u0000${cellText(row.values.source) ?? values.source ?? ''}`);
      if (!parsed.record) continue;
      const source = parsed.record.source ?? values.source?.trim() ?? null;
      const asOf = parsed.record.asOf ?? defaultAsOf ?? null;
      if (!source) failures.push({ row: row.row, column: row.columns.source ?? 'source', code: 'REQUIRED' });
      if (!asOf) failures.push({ row: row.row, column: row.columns.asOf ?? 'asOf', code: 'REQUIRED' });
      if (!source || !asOf) continue;
      const key = `${asOf}\u0000${source}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { source, asOf, rows: [], records: [] }));
      group.rows.push(row);
      group.records.push(parsed.record);
      total += 1;
    }
  } catch (error) {
    progress.stop();
    if (error instanceof TableFileError) {
      printRefusal(lang, error.failures);
      return 2;
    }
    throw error;
  }
  for (const indexes of groupIndexes(keyOfRow).values()) {
    const repeats = repeatedCodes('records', indexes.map((i) => allKeys[i]));
    failures.push(...repeats.map((f) => onFileRow(f, indexes.map((i) => allRows[i]))));
  }
  // Oldest first, so within one file a newer as-of ends up as the profile.
  const ordered = [...groups.values()].sort((a, b) => (a.asOf === b.asOf ? a.source.localeCompare(b.source) : a.asOf < b.asOf ? -1 : 1));
  const today = todayInShanghai();
  for (const group of ordered) {
    for (const f of importFailures({ source: group.source, asOf: group.asOf, records: group.records, importedBy: '' }, today).filter((x) => x.code !== 'DUPLICATE_ROW')) {
      if (f.field[0] === 'records') failures.push(onFileRow(f, group.rows));
      else for (const row of group.rows) failures.push({ row: row.row, column: row.columns[f.field[0]] ?? f.field[0], code: f.code, params: f.params });
    }
  }
  if (failures.length) {
    progress.stop();
    printRefusal(lang, failures);
    return 1;
  }
  if (!total) {
    progress.stop();
    process.stderr.write(lang === 'zh' ? '文件没有数据行，未导入任何记录。\n' : 'The file has no data rows; nothing was imported.\n');
    return 1;
  }

  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const db = await openCliDatabase(config, log);
  try {
    progress.start(lang === 'zh' ? '写入' : 'writing', total, 'rows');
    let done = 0;
    const outcomes = await db.dataSource.transaction(async (em) => {
      const results = [];
      for (const group of ordered) {
        const outcome = await writeImport(
          em,
          { source: group.source, asOf: group.asOf, records: group.records, fileName: path.basename(file), importedBy: `cli:${os.userInfo().username}` },
          (written) => progress.update(done + written),
        );
        done += group.records.length;
        results.push({ source: group.source, asOf: group.asOf, records: group.records.length, imported: outcome.imported, skipped: outcome.skipped });
      }
      return results;
    });
    progress.stop();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const imported = outcomes.reduce((n, o) => n + o.imported, 0);
    const skipped = outcomes.reduce((n, o) => n + o.skipped, 0);
    const summary = { rows: total, imported, skipped, groups: outcomes, seconds: Number(seconds.toFixed(2)), rowsPerSecond: Math.round(total / seconds), peakRssMiB: peakRssMiB(), database: db.description };
    process.stdout.write(
      lang === 'zh'
        ? `已导入 ${total} 条信用记录：${imported} 条成为企业当前信用画像，${skipped} 条早于已有画像、仅计入历史。用时 ${summary.seconds} 秒（${summary.rowsPerSecond} 行/秒，内存峰值 ${summary.peakRssMiB} MiB）。\n`
        : `Imported ${total} credit records: ${imported} became their enterprise's current profile, ${skipped} were older than the profile held and joined the history only. ${summary.seconds} s (${summary.rowsPerSecond} rows/s, peak RSS ${summary.peakRssMiB} MiB).\n`,
    );
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

/** Row indexes grouped by key, in row order. */
function groupIndexes(keys: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
