/**
 * npm run import:credit -- FILE [--source NAME] [--as-of YYYY-MM-DD] [--lang zh|en]
 *
 * Imports credit records (R5) from CSV, XLSX or JSON lines: 统一社会信用代码 and any of 信用评级, 纳税信用等级,
 * 近12个月逾期次数, 当前逾期金额, 社保连续缴纳月数, 是否有银行贷款, 失信记录 (KIND:listedOn[:repairedOn]; …), with
 * 数据来源 / 数据日期 per row or --source / --as-of for the whole file. Rows are grouped by source and
 * as-of date and imported oldest first in one transaction, all or nothing: a bad row refuses the file
 * with a report of every bad row. An older as-of never overwrites a newer profile (it joins the
 * history); the same as-of replaces that day's record. Exit status: 0 imported, 1 refused (bad rows,
 * or a file that cannot be read or passes a limit), 2 usage or no such file.
 */
import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cellDate, cellText } from '../common/cell';
import { groupBy } from '../common/collections';
import { isValidDateText } from '../common/dates';
import { databaseToday } from '../database/clock';
import { FileFailure, TableRow } from '../common/table-file';
import type { Failure } from '../common/user-error';
import { CREDIT_COLUMNS, creditRow, CreditFileRow } from '../credit/credit.file';
import { futureAsOf, importFailures, writeImport } from '../credit/credit.service';
import { repeatedCodes } from '../enterprises/enterprise.service';
import {
  argumentsHold, cliLanguage, nothingToImport, onFileRow, printRefusal, Progress, readImportFile, runCommand, throughput, writeInOneTransaction,
} from './import-command';

const USAGE = 'usage: npm run import:credit -- FILE [--source NAME] [--as-of YYYY-MM-DD] [--lang zh|en]';

interface ImportOutcome { source: string; asOf: string; records: number; imported: number; skipped: number }

/** Thrown inside the write's transaction to roll it back when a row fails a check that needs the database's day. */
class RefusedFile extends Error {
  constructor(readonly failures: FileFailure[]) {
    super('refused');
  }
}

interface Dated {
  source: string | null;
  asOf: string | null;
  record: CreditFileRow;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { source: { type: 'string' }, 'as-of': { type: 'string' }, lang: { type: 'string' } },
  });
  const lang = cliLanguage(values.lang);
  const [file] = positionals;
  const defaultSource = values.source?.trim() || null;
  const defaultAsOf = values['as-of'] ?? null;
  if (!argumentsHold(lang, USAGE, file, defaultAsOf === null || isValidDateText(defaultAsOf))) return 2;

  const started = process.hrtime.bigint();
  const progress = new Progress();
  const read = await readImportFile<Dated>(lang, progress, file, CREDIT_COLUMNS, (row) => {
    const { record, failures } = creditRow(row);
    if (!record) return { value: null, failures };
    const dated = { source: record.source ?? defaultSource, asOf: record.asOf ?? defaultAsOf, record };
    if (!dated.source) failures.push({ row: row.row, column: row.columns.source, code: 'REQUIRED' });
    if (!dated.asOf) failures.push({ row: row.row, column: row.columns.asOf, code: 'REQUIRED' });
    return { value: dated, failures };
  });
  if (!read) return 1;

  const failures: FileFailure[] = [...read.failures];
  // A repeat is the same firm twice under one source and date; looked for over every row, parsed or not,
  // with a date that parses compared as the date it is (2025/6/30 and 2025-06-30 are one day).
  const asOfOf = (row: TableRow) => {
    const parsed = cellDate(row.values.asOf);
    return parsed.ok ? parsed.value : (cellText(row.values.asOf) ?? defaultAsOf ?? '');
  };
  const rawKey = (row: TableRow) => `${asOfOf(row)}\u0000${cellText(row.values.source) ?? defaultSource ?? ''}`;
  for (const rows of groupBy(read.all, rawKey).values()) {
    failures.push(...repeatedCodes('records', rows.map((row) => cellText(row.values.creditCode))).map((f) => onFileRow(f, rows)));
  }
  // One import per source and date, oldest first, so within one file the newest as-of ends up as the profile.
  const complete = read.parsed.filter((p) => p.value.source && p.value.asOf);
  const groups = [...groupBy(complete, (p) => `${p.value.asOf}\u0000${p.value.source}`).values()]
    .map((members) => ({ source: members[0].value.source!, asOf: members[0].value.asOf!, rows: members.map((m) => m.row), records: members.map((m) => m.value.record) }))
    .sort((a, b) => (a.asOf === b.asOf ? a.source.localeCompare(b.source) : a.asOf < b.asOf ? -1 : 1));
  // Everything but the as-of date is checked before connecting; the date against the database's day, in the write's transaction.
  const rowFailures = (group: (typeof groups)[number], found: Failure[]) => found.flatMap((f): FileFailure[] =>
    // Failures of the import as a whole (asOf in the future) belong to every row that carries it.
    f.field[0] === 'records' ? [onFileRow(f, group.rows)]
      : group.rows.map((row) => ({ row: row.row, column: row.columns[f.field[0]] ?? f.field[0], code: f.code, params: f.params })));
  for (const group of groups) failures.push(...rowFailures(group, importFailures({ ...group, importedBy: '' }, null)));
  const total = complete.length;
  if (!total && !failures.length) return nothingToImport(lang);

  let written: { result: ImportOutcome[]; database: string };
  try {
    written = await writeInOneTransaction(lang, progress, total, async (em, onProgress, refresh) => {
      const today = await databaseToday(em);
      const refused = [...failures, ...groups.flatMap((group) => rowFailures(group, futureAsOf(group, today)))];
      if (refused.length) throw new RefusedFile(refused);
      const results: ImportOutcome[] = [];
      let done = 0;
      for (const group of groups) {
        const base = done;
        const outcome = await writeImport(
          em,
          { source: group.source, asOf: group.asOf, records: group.records, fileName: path.basename(file), importedBy: `cli:${os.userInfo().username}` },
          (count) => onProgress(base + count),
        );
        await refresh.enqueue(em, { kind: 'creditImport', id: outcome.importId });
        done += group.records.length;
        results.push({ source: group.source, asOf: group.asOf, records: group.records.length, imported: outcome.imported, skipped: outcome.skipped });
      }
      return results;
    });
  } catch (error) {
    if (!(error instanceof RefusedFile)) throw error;
    printRefusal(lang, error.failures);
    return 1;
  }
  const { result: outcomes, database } = written;
  const imported = outcomes.reduce((n, o) => n + o.imported, 0);
  const skipped = outcomes.reduce((n, o) => n + o.skipped, 0);
  const summary = { rows: total, imported, skipped, groups: outcomes, ...throughput(started, total), database };
  process.stdout.write(
    lang === 'zh'
      ? `已导入 ${total} 条信用记录：${imported} 条成为企业当前信用画像，${skipped} 条早于已有画像、仅计入历史。用时 ${summary.seconds} 秒（${summary.rowsPerSecond} 行/秒，内存峰值 ${summary.peakRssMiB} MiB）。\n`
      : `Imported ${total} credit records: ${imported} became their enterprise's current profile, ${skipped} were older than the profile held and joined the history only. ${summary.seconds} s (${summary.rowsPerSecond} rows/s, peak RSS ${summary.peakRssMiB} MiB).\n`,
  );
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}

runCommand(main);
