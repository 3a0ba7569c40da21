/**
 * What the two import commands share: arguments, reading a file all the way through with a progress
 * bar (every row and every failure, for the all-or-nothing rule), placing service failures on the
 * file's rows and columns, the refusal report (row, column, code, message, in Chinese or English),
 * the write in one transaction, and the closing figures.
 */
import fs from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import type { EntityManager } from 'typeorm';
import type { RefreshQueue } from '../common/refresh';
import { startRefreshQueue } from '../matching/refresh.queue';
import { createLogger } from '../common/log';
import { Lang, message } from '../common/messages';
import { ColumnSpec, FileFailure, readTable, TableFileError, TableRow } from '../common/table-file';
import { Failure } from '../common/user-error';
import { loadConfig } from '../config';
import { openCliDatabase } from './cli-database';

export function cliLanguage(flag: string | undefined): Lang {
  // Chinese unless English is asked for, as the API does.
  const chosen = flag ?? process.env.LANG ?? '';
  return chosen.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

/** A bar per phase (reading, writing) on stderr; on a non-terminal stderr, a line per phase every few seconds. */
export class Progress {
  private bar: SingleBar | null = null;

  start(phase: string, total: number, unit: string): void {
    this.bar?.stop();
    this.bar = new SingleBar(
      { format: ` ${phase.padEnd(7)} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted}`, hideCursor: true, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 5000 },
      Presets.shades_classic,
    );
    this.bar.start(Math.max(total, 1), 0);
  }

  update(value: number): void {
    this.bar?.update(value);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** Places a service failure (field path ['entries' | 'records', index, field, …]) on the file's row and column. */
export function onFileRow(f: Failure, rows: readonly TableRow[]): FileFailure {
  const [, index, field] = f.field;
  const row = rows[Number(index)];
  const params = { ...f.params };
  // A repeat names the first occurrence by index; the file's reader wants its row number.
  if (f.code === 'DUPLICATE_ROW' && typeof params.first === 'number') params.first = rows[params.first].row;
  return { row: row?.row ?? 0, column: field ? (row?.columns[field] ?? field) : '', code: f.code, params, messageKey: f.code === 'DUPLICATE_ROW' ? 'DUPLICATE_ROW.row' : f.messageKey };
}

/** Control characters (a file's cells can hold escape sequences) shown as \u001b instead of reaching the terminal. */
const visible = (text: string): string => text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function describeFailure(lang: Lang, f: FileFailure): string {
  const where = f.row > 0 ? (lang === 'zh' ? `第 ${f.row} 行` : `row ${f.row}`) : lang === 'zh' ? '文件' : 'file';
  const column = f.column ? (lang === 'zh' ? `，列“${f.column}”` : `, column "${f.column}"`) : '';
  return visible(`${where}${column}: ${f.code} — ${message(lang, f.messageKey ?? f.code, f.params)}`);
}

/**
 * Prints every failure once, sorted by row, and a closing line; the caller exits non-zero. A cell the
 * reader refused (not text) may be refused again by the row's own checks: the same words print once.
 */
export function printRefusal(lang: Lang, failures: FileFailure[]): void {
  const seen = new Set<string>();
  const sorted = [...failures].sort((a, b) => a.row - b.row).filter((f) => {
    const line = describeFailure(lang, f);
    return !seen.has(line) && !!seen.add(line);
  });
  const rows = new Set(sorted.filter((f) => f.row > 0).map((f) => f.row)).size;
  for (const f of sorted) process.stdout.write(`${describeFailure(lang, f)}\n`);
  process.stdout.write(
    lang === 'zh'
      ? `\n未导入：${rows} 行有误（共 ${sorted.length} 处）。整批未写入任何数据，请修正后重新导入。\n`
      : `\nNothing imported: ${rows} bad row(s), ${sorted.length} problem(s). The whole file was refused and nothing was written; fix it and import again.\n`,
  );
}

/** Usage and file checks; false (after saying why) when the command cannot start. */
export function argumentsHold(lang: Lang, usage: string, file: string | undefined, ok: boolean): file is string {
  if (!file || !ok) {
    process.stderr.write(`${usage}\n`);
    return false;
  }
  if (!fs.existsSync(file)) {
    process.stderr.write(`${lang === 'zh' ? '找不到文件' : 'No such file'}: ${file}\n`);
    return false;
  }
  return true;
}

export interface ReadFile<T> {
  /** Rows that parsed, with their values. */
  parsed: { row: TableRow; value: T }[];
  /** Every data row, parsed or not (repeats are looked for among all of them). */
  all: TableRow[];
  failures: FileFailure[];
}

/**
 * Reads the whole file through `parse` under a reading bar, within the configured FileLimits. A file
 * that cannot be read as a table at all (type, header, empty, a limit passed, an unreadable encoding
 * or a damaged file) is reported and gives null: the command exits 1, having written nothing.
 */
export async function readImportFile<T>(
  lang: Lang,
  progress: Progress,
  file: string,
  columns: ColumnSpec[],
  parse: (row: TableRow) => { value: T | null; failures: FileFailure[] },
): Promise<ReadFile<T> | null> {
  const read: ReadFile<T> = { parsed: [], all: [], failures: [] };
  try {
    progress.start(lang === 'zh' ? '读取' : 'reading', fs.statSync(file).size, 'bytes');
    const { fileLimits } = loadConfig();
    for await (const row of readTable(file, columns, { onProgress: (bytes) => progress.update(bytes), limits: fileLimits })) {
      const { value, failures } = parse(row);
      read.all.push(row);
      read.failures.push(...failures);
      if (value !== null) read.parsed.push({ row, value });
    }
    return read;
  } catch (error) {
    if (!(error instanceof TableFileError)) throw error;
    progress.stop();
    printRefusal(lang, error.failures);
    return null;
  } finally {
    progress.stop();
  }
}

/** Says a file had no data rows; exit status 1. */
export function nothingToImport(lang: Lang): number {
  process.stderr.write(lang === 'zh' ? '文件没有数据行，未导入任何数据。\n' : 'The file has no data rows; nothing was imported.\n');
  return 1;
}

/** Runs `work` in one transaction on the CLI's database under a writing bar; where it ran, for the report. */
export async function writeInOneTransaction<R>(
  lang: Lang,
  progress: Progress,
  rows: number,
  work: (em: EntityManager, onProgress: (written: number) => void, refresh: RefreshQueue) => Promise<R>,
): Promise<{ result: R; database: string }> {
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const db = await openCliDatabase(loadConfig(), log);
  let refresh: RefreshQueue | undefined;
  try {
    // Send-only: the API server's worker refreshes the matches the import affects (R13).
    refresh = await startRefreshQueue(db.dataSource, { worker: false, pollSeconds: 1, log });
    const queue = refresh;
    progress.start(lang === 'zh' ? '写入' : 'writing', rows, 'rows');
    const result = await db.dataSource.transaction((em) => work(em, (written) => progress.update(written), queue));
    return { result, database: db.description };
  } finally {
    progress.stop();
    await refresh?.stop();
    await db.close();
  }
}

/** Elapsed time, throughput and peak memory since `started` (process.hrtime.bigint()). */
export function throughput(started: bigint, rows: number): { seconds: number; rowsPerSecond: number; peakRssMiB: number } {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds: Number(seconds.toFixed(2)), rowsPerSecond: Math.round(rows / seconds), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
}

export { runCommand } from './run-command';
