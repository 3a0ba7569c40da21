/**
 * npm run import:whitelist -- FILE --whitelist NAME --batch NO [--publisher TEXT] [--lang zh|en]
 *
 * Publishes a whitelist batch from a CSV, XLSX or JSON-lines file as authorities publish them (R4):
 * columns 统一社会信用代码, 企业名称, 资质类型, 有效期起, 有效期止 (or English headers), tiers in Chinese or as
 * enum values. All or nothing: any bad row refuses the file with a report of every bad row (row, column,
 * code, message) and nothing is written. Exit status: 0 published, 1 refused, 2 usage or file error.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../common/log';
import { cellText } from '../common/cell';
import { readTable, TableFileError, TableRow } from '../common/table-file';
import { repeatedCodes } from '../enterprises/enterprise.service';
import { loadConfig } from '../config';
import { WHITELIST_COLUMNS, whitelistRow } from '../whitelists/whitelist.file';
import { EntryDraft, entryFailures, writeBatch } from '../whitelists/whitelist.service';
import { openCliDatabase } from './cli-database';
import { cliLanguage, onFileRow, peakRssMiB, printRefusal, Progress, ReportedFailure } from './import-report';

const USAGE = 'usage: npm run import:whitelist -- FILE --whitelist NAME --batch NO [--publisher TEXT] [--lang zh|en]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { whitelist: { type: 'string' }, batch: { type: 'string' }, publisher: { type: 'string' }, lang: { type: 'string' } },
  });
  const lang = cliLanguage(values.lang);
  const [file] = positionals;
  if (!file || !values.whitelist?.trim() || !values.batch?.trim()) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!fs.existsSync(file)) {
    process.stderr.write(`${lang === 'zh' ? '找不到文件' : 'No such file'}: ${file}\n`);
    return 2;
  }

  const started = process.hrtime.bigint();
  const progress = new Progress();
  const rows: TableRow[] = [];
  const entries: EntryDraft[] = [];
  const allRows: TableRow[] = [];
  const allCodes: (string | null)[] = [];
  const failures: ReportedFailure[] = [];
  try {
    progress.start(lang === 'zh' ? '读取' : 'reading', fs.statSync(file).size, 'bytes');
    for await (const row of readTable(file, WHITELIST_COLUMNS, { onProgress: (read) => progress.update(read) })) {
      const parsed = whitelistRow(row);
      failures.push(...parsed.failures);
      allRows.push(row);
      allCodes.push(cellText(row.values.creditCode));
      if (parsed.entry) {
        rows.push(row);
        entries.push(parsed.entry);
      }
    }
  } catch (error) {
    progress.stop();
    if (error instanceof TableFileError) {
      printRefusal(lang, error.failures);
      return 2;
    }
    throw error;
  }
  // Repeats are looked for over every row, so a repeated row is reported even when it has other faults.
  failures.push(...entryFailures(entries).filter((f) => f.code !== 'DUPLICATE_ROW').map((f) => onFileRow(f, rows)));
  failures.push(...repeatedCodes('entries', allCodes).map((f) => onFileRow(f, allRows)));
  if (failures.length) {
    progress.stop();
    printRefusal(lang, failures);
    return 1;
  }
  if (!entries.length) {
    progress.stop();
    process.stderr.write(lang === 'zh' ? '文件没有数据行，未发布任何批次。\n' : 'The file has no data rows; no batch was published.\n');
    return 1;
  }

  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const db = await openCliDatabase(config, log);
  try {
    progress.start(lang === 'zh' ? '写入' : 'writing', entries.length, 'rows');
    const before: { n: number }[] = await db.dataSource.query('SELECT count(*)::int AS n FROM enterprise');
    const result = await db.dataSource.transaction(async (em) =>
      writeBatch(em, {
        whitelistName: values.whitelist!,
        batch: values.batch!,
        publisher: values.publisher ?? null,
        entries,
        source: `FILE:${path.basename(file)}`,
        publishedBy: `cli:${os.userInfo().username}`,
      }, (written) => progress.update(written)),
    );
    progress.stop();
    if (!result.ok) {
      printRefusal(lang, result.failures.map((f) => ({ row: 0, column: '', code: f.code, params: f.params, messageKey: f.messageKey })));
      return 1;
    }
    const after: { n: number }[] = await db.dataSource.query('SELECT count(*)::int AS n FROM enterprise');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const summary = {
      whitelist: values.whitelist, batch: result.value.batch, rows: entries.length, newEnterprises: after[0].n - before[0].n,
      seconds: Number(seconds.toFixed(2)), rowsPerSecond: Math.round(entries.length / seconds), peakRssMiB: peakRssMiB(), database: db.description,
    };
    process.stdout.write(
      lang === 'zh'
        ? `已发布：白名单“${summary.whitelist}”批次 ${summary.batch}，${summary.rows} 条（新建未认领企业 ${summary.newEnterprises} 家），用时 ${summary.seconds} 秒（${summary.rowsPerSecond} 行/秒，内存峰值 ${summary.peakRssMiB} MiB）。\n`
        : `Published whitelist "${summary.whitelist}" batch ${summary.batch}: ${summary.rows} entries (${summary.newEnterprises} new unclaimed enterprises) in ${summary.seconds} s (${summary.rowsPerSecond} rows/s, peak RSS ${summary.peakRssMiB} MiB).\n`,
    );
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
