/**
 * What the import commands print: a progress bar on stderr while they read and write, and on refusal
 * every bad row — row number, column, code, message — in Chinese or English (--lang, else LANG).
 */
import { Presets, SingleBar } from 'cli-progress';
import { Lang, message } from '../common/messages';
import { FileFailure, TableRow } from '../common/table-file';
import { Failure } from '../common/user-error';

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

/** A file failure, possibly carrying the message variant a service chose (INVALID_CREDIT_CODE.check). */
export type ReportedFailure = FileFailure & { messageKey?: string };

/** Places a service failure (field path ['entries' | 'records', index, field, …]) on the file's row and column. */
export function onFileRow(f: Failure, rows: readonly TableRow[]): ReportedFailure {
  const [, index, field] = f.field;
  const row = rows[Number(index)];
  const params = { ...f.params };
  // A repeat names the first occurrence by index; the file's reader wants its row number.
  if (f.code === 'DUPLICATE_ROW' && typeof params.first === 'number') params.first = rows[params.first].row;
  return { row: row?.row ?? 0, column: field ? (row?.columns[field] ?? field) : '', code: f.code, params, messageKey: f.code === 'DUPLICATE_ROW' ? 'DUPLICATE_ROW.row' : f.messageKey };
}

export function describeFailure(lang: Lang, f: ReportedFailure): string {
  const where = f.row > 0 ? (lang === 'zh' ? `第 ${f.row} 行` : `row ${f.row}`) : lang === 'zh' ? '文件' : 'file';
  const column = f.column ? (lang === 'zh' ? `，列“${f.column}”` : `, column "${f.column}"`) : '';
  const key = f.messageKey ?? f.code;
  return `${where}${column}: ${f.code} — ${message(lang, key, f.params)}`;
}

/** Prints every failure, sorted by row, and a closing line; the caller exits non-zero. */
export function printRefusal(lang: Lang, failures: ReportedFailure[]): void {
  const sorted = [...failures].sort((a, b) => a.row - b.row);
  const rows = new Set(sorted.filter((f) => f.row > 0).map((f) => f.row)).size;
  for (const f of sorted) process.stdout.write(`${describeFailure(lang, f)}\n`);
  process.stdout.write(
    lang === 'zh'
      ? `\n未导入：${rows} 行有误（共 ${sorted.length} 处）。整批未写入任何数据，请修正后重新导入。\n`
      : `\nNothing imported: ${rows} bad row(s), ${sorted.length} problem(s). The whole file was refused and nothing was written; fix it and import again.\n`,
  );
}

/** Peak resident memory of this process so far, in MiB. */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
