/**
 * npm run import:whitelist -- FILE --whitelist NAME --batch NO [--publisher TEXT] [--lang zh|en]
 *
 * Publishes a whitelist batch from a CSV, XLSX or JSON-lines file as authorities publish them (R4):
 * columns 统一社会信用代码, 企业名称, 资质类型, 有效期起, 有效期止 (or English headers), tiers in Chinese or as
 * enum values. All or nothing: any bad row refuses the file with a report of every bad row (row, column,
 * code, message) and nothing is written. Exit status: 0 published, 1 refused (bad rows, or a file that
 * cannot be read or passes a limit), 2 usage or no such file. The command runs with no token, as the
 * operator of the database: like a national authority or an admin it lists firms of any region (RV1),
 * and the batch records no region.
 */
import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cellText } from '../common/cell';
import { FileFailure } from '../common/table-file';
import { Failure } from '../common/user-error';
import { repeatedCodes } from '../enterprises/enterprise.service';
import { WHITELIST_COLUMNS, whitelistRow } from '../whitelists/whitelist.file';
import { batchFieldFailures, entryFailures, writeBatch } from '../whitelists/whitelist.service';
import {
  argumentsHold, cliLanguage, nothingToImport, onFileRow, printRefusal, Progress, readImportFile, runCommand, throughput, writeInOneTransaction,
} from './import-command';

const USAGE = 'usage: npm run import:whitelist -- FILE --whitelist NAME --batch NO [--publisher TEXT] [--lang zh|en]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { whitelist: { type: 'string' }, batch: { type: 'string' }, publisher: { type: 'string' }, lang: { type: 'string' } },
  });
  const lang = cliLanguage(values.lang);
  const [file] = positionals;
  if (!argumentsHold(lang, USAGE, file, !!values.whitelist?.trim() && !!values.batch?.trim())) return 2;

  const started = process.hrtime.bigint();
  const progress = new Progress();
  const read = await readImportFile(lang, progress, file, WHITELIST_COLUMNS, (row) => {
    const { entry, failures } = whitelistRow(row);
    return { value: entry, failures };
  });
  if (!read) return 1;
  const entries = read.parsed.map((p) => p.value);
  // A failure of the batch as a whole names the option that carries the field.
  const OPTIONS: Record<string, string> = { whitelistName: '--whitelist', batch: '--batch', publisher: '--publisher' };
  const asFileFailure = (f: Failure): FileFailure => ({ row: 0, column: OPTIONS[f.field[0]] ?? '', code: f.code, params: f.params, messageKey: f.messageKey });
  const failures = [
    ...batchFieldFailures({ whitelistName: values.whitelist!, batch: values.batch!, publisher: values.publisher }).map(asFileFailure),
    ...read.failures,
    ...entryFailures(entries).map((f) => onFileRow(f, read.parsed.map((p) => p.row))),
    // Over every row, so a repeated row is reported even when it has other faults.
    ...repeatedCodes('entries', read.all.map((row) => cellText(row.values.creditCode))).map((f) => onFileRow(f, read.all)),
  ];
  if (failures.length) {
    printRefusal(lang, failures);
    return 1;
  }
  if (!entries.length) return nothingToImport(lang);

  const { result, database } = await writeInOneTransaction(lang, progress, entries.length, async (em, onProgress, refresh) => {
    const batch = await writeBatch(em, {
      whitelistName: values.whitelist!,
      batch: values.batch!,
      publisher: values.publisher ?? null,
      entries,
      source: `FILE:${path.basename(file)}`,
      publishedBy: `cli:${os.userInfo().username}`,
    }, onProgress);
    if (batch.ok) await refresh.enqueue(em, { kind: 'whitelistBatch', id: batch.value.batch.id });
    return { batch };
  });
  if (!result.batch.ok) {
    printRefusal(lang, result.batch.failures.map(asFileFailure));
    return 1;
  }
  const summary = { whitelist: values.whitelist, batch: result.batch.value.batch.batch, rows: entries.length, newEnterprises: result.batch.value.newEnterprises, ...throughput(started, entries.length), database };
  process.stdout.write(
    lang === 'zh'
      ? `已发布：白名单“${summary.whitelist}”批次 ${summary.batch}，${summary.rows} 条（新建未认领企业 ${summary.newEnterprises} 家），用时 ${summary.seconds} 秒（${summary.rowsPerSecond} 行/秒，内存峰值 ${summary.peakRssMiB} MiB）。\n`
      : `Published whitelist "${summary.whitelist}" batch ${summary.batch}: ${summary.rows} entries (${summary.newEnterprises} new unclaimed enterprises) in ${summary.seconds} s (${summary.rowsPerSecond} rows/s, peak RSS ${summary.peakRssMiB} MiB).\n`,
  );
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}

runCommand(main);
