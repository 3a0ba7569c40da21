/**
 * Table files for the command-line imports (R4 whitelists, R5 credit data): authorities publish them
 * as CSV (often GBK from Excel), XLSX or JSON lines. This reads any of them as a stream of rows keyed
 * by field, numbered as a person sees them in the file, with bounded memory. Problems with the file as
 * a whole (its type, its header, nothing in it) throw a TableFileError; what a single value means is
 * left to the caller (cell.ts, whitelist.file.ts, credit.file.ts). No database, no credit-code check.
 */
import fs from 'node:fs';
import { extname } from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import * as ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { Params } from './messages';

/** One value as read: text, a number or boolean (XLSX, JSON), a Date (date-formatted XLSX cell), or JSON structure. */
export type Cell = string | number | boolean | Date | null | unknown[] | Record<string, unknown>;

/** A column the caller wants: its field name and the header texts (or JSON keys) that name it. */
export interface ColumnSpec {
  field: string;
  aliases: string[];
  required: boolean;
}

/** A coded problem at a row (0 for the file as a whole) and column (the header text as written in the file). */
export interface FileFailure {
  row: number;
  column: string;
  code: string;
  params?: Params;
  /** Message key when the code has several explanations (INVALID_CREDIT_CODE.check), as on a Failure. */
  messageKey?: string;
}

/** One data row. */
export interface TableRow {
  /** Row number as the file shows it: the spreadsheet row (header = 1), or the line of a JSON-lines file. */
  row: number;
  /** Every field of the ColumnSpecs; absent or blank cells are null, text is trimmed. */
  values: Record<string, Cell>;
  /**
   * Field → the column's name as written in the file (the header text, or this line's JSON key); a
   * field the file lacks gets its first alias (CSV, XLSX) or its field name (JSON lines). Shared
   * between the rows of a CSV or XLSX file: do not change it.
   */
  columns: Record<string, string>;
  /** Problems with the row as a whole (INVALID_JSON_LINE) or with its keys (REQUIRED, DUPLICATE_COLUMN), JSON lines only. */
  failures?: FileFailure[];
}

/** The file cannot be read as a table at all; `failures` says why (UNSUPPORTED_FILE_TYPE, MISSING_COLUMN, DUPLICATE_COLUMN, EMPTY_FILE). */
export class TableFileError extends Error {
  constructor(readonly failures: FileFailure[]) {
    super(failures.map((f) => (f.column ? `${f.code} (${f.column})` : f.code)).join(', '));
    this.name = 'TableFileError';
  }
}

/** The three shapes of file the imports accept. */
export type TableFormat = 'csv' | 'xlsx' | 'jsonl';

const FORMATS = new Map<string, TableFormat>([
  ['.csv', 'csv'],
  ['.txt', 'csv'],
  ['.xlsx', 'xlsx'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
]);

/** The format a file name's extension announces; anything else throws UNSUPPORTED_FILE_TYPE {extension, allowed}. */
export function formatOf(path: string): TableFormat {
  const extension = extname(path).toLowerCase();
  const format = FORMATS.get(extension);
  if (!format) {
    throw new TableFileError([{ row: 0, column: '', code: 'UNSUPPORTED_FILE_TYPE', params: { extension, allowed: [...FORMATS.keys()].join(', ') } }]);
  }
  return format;
}

/**
 * The rows of a CSV, XLSX or JSON-lines file as the given columns, streamed. Fully blank rows and lines
 * are skipped (numbering stays true to the file). In CSV and XLSX the header is the first non-blank row
 * (a title row or two above it are passed over when a later row among the first ten names every
 * required column); unknown columns are ignored. Throws TableFileError before the first row for a
 * missing or repeated column or a file with no header; `onProgress` gets bytes read and the file size,
 * about every 1 %, and (size, size) at the end.
 */
export async function* readTable(
  path: string,
  columns: ColumnSpec[],
  opts: { onProgress?: (bytesRead: number, totalBytes: number) => void } = {},
): AsyncGenerator<TableRow> {
  const format = formatOf(path);
  const total = (await fs.promises.stat(path)).size;
  const progress = new Progress(total, opts.onProgress);
  if (format === 'jsonl') yield* jsonLines(path, new HeaderMatcher(columns), progress);
  else yield* gridTable(format === 'csv' ? csvRows(path, progress) : xlsxRows(path, progress), new HeaderMatcher(columns));
  progress.end();
}

/** Reports bytes read at most about every 1 % of the file, and the total once at the end. */
class Progress {
  private read = 0;
  private reported = -1;
  private readonly step: number;

  constructor(
    private readonly total: number,
    private readonly report?: (bytesRead: number, totalBytes: number) => void,
  ) {
    this.step = Math.max(1, Math.ceil(total / 100));
  }

  /** Hooks onto a file stream's chunks. */
  watch(stream: fs.ReadStream): void {
    if (this.report) stream.on('data', (chunk) => this.add(chunk.length));
  }

  private add(bytes: number): void {
    this.read = Math.min(this.total, this.read + bytes);
    if (this.read - Math.max(this.reported, 0) >= this.step || (this.read === this.total && this.reported < this.total)) this.emit(this.read);
  }

  end(): void {
    if (this.reported !== this.total) this.emit(this.total);
  }

  private emit(bytes: number): void {
    this.reported = bytes;
    this.report?.(bytes, this.total);
  }
}

// ---------------------------------------------------------------------------------------------------
// Header matching

/**
 * The forms a header text or alias is compared in: NFKC (full-width letters and brackets become ASCII),
 * no BOM, lower case, without spaces, underscores, hyphens or asterisks (required-field marks); then
 * once without the bracket characters ("有效期（起）" → 有效期起) and once without bracketed notes
 * ("当前逾期金额（元）" → 当前逾期金额).
 */
function headerKeys(text: string): string[] {
  const base = text.normalize('NFKC').replace(/\uFEFF/g, '').toLowerCase().replace(/[\s_\-*]/g, '');
  const withoutBrackets = base.replace(/[()]/g, '');
  const withoutNotes = base.replace(/\([^()]*\)/g, '').replace(/[()]/g, '');
  return withoutNotes === withoutBrackets ? [withoutBrackets] : [withoutBrackets, withoutNotes];
}

/** A header row (or one JSON line's keys) resolved against the ColumnSpecs. */
interface Header {
  row: number;
  /** Cell index → field, for the columns the caller wants. */
  slots: { index: number; field: string }[];
  columns: Record<string, string>;
  missing: FileFailure[];
  duplicates: FileFailure[];
}

class HeaderMatcher {
  private readonly byKey = new Map<string, ColumnSpec>();
  private readonly known = new Map<string, ColumnSpec | null>();

  constructor(readonly specs: ColumnSpec[]) {
    for (const spec of specs) for (const alias of spec.aliases) this.byKey.set(headerKeys(alias)[0], spec);
  }

  /** The spec a header text names, if any (cached: JSON lines repeat their keys on every line). */
  specFor(text: string): ColumnSpec | null {
    let spec = this.known.get(text);
    if (spec === undefined) {
      spec = headerKeys(text).map((key) => this.byKey.get(key)).find((s) => s !== undefined) ?? null;
      if (this.known.size < 1000) this.known.set(text, spec);
    }
    return spec;
  }

  /** Resolves the texts of a header row; `missingAs` names an absent column (first alias, or the field for JSON). */
  resolve(row: number, texts: (string | null)[], missingAs: (spec: ColumnSpec) => string): Header {
    const header: Header = { row, slots: [], columns: {}, missing: [], duplicates: [] };
    texts.forEach((text, index) => {
      const spec = text === null ? null : this.specFor(text);
      if (text === null || !spec) return;
      const other = header.columns[spec.field];
      if (other !== undefined) {
        header.duplicates.push({ row, column: text, code: 'DUPLICATE_COLUMN', params: { other } });
        return;
      }
      header.columns[spec.field] = text;
      header.slots.push({ index, field: spec.field });
    });
    for (const spec of this.specs) {
      if (header.columns[spec.field] !== undefined) continue;
      header.columns[spec.field] = missingAs(spec);
      if (spec.required) header.missing.push({ row, column: missingAs(spec), code: 'MISSING_COLUMN', params: { accepted: spec.aliases.join(', ') } });
    }
    return header;
  }

  /** A fresh values object with every field null. */
  blankValues(): Record<string, Cell> {
    const values: Record<string, Cell> = {};
    for (const spec of this.specs) values[spec.field] = null;
    return values;
  }
}

// ---------------------------------------------------------------------------------------------------
// CSV and XLSX: a grid of cells under a header row

/** One physical row of a grid, numbered as the file shows it, blank cells null. */
interface GridRow {
  row: number;
  cells: Cell[];
}

/** How many non-blank rows may precede the header (title lines above a list are common). */
const HEADER_SEARCH_ROWS = 10;

const emptyFile = (): TableFileError => new TableFileError([{ row: 0, column: '', code: 'EMPTY_FILE' }]);

async function* gridTable(rows: AsyncIterable<GridRow>, matcher: HeaderMatcher): AsyncGenerator<TableRow> {
  let header: Header | undefined;
  let best: Header | undefined;
  let searched = 0;
  for await (const { row, cells } of rows) {
    if (cells.every((cell) => cell === null)) continue;
    if (header) {
      const values = matcher.blankValues();
      for (const { index, field } of header.slots) values[field] = cells[index] ?? null;
      yield { row, values, columns: header.columns };
      continue;
    }
    const candidate = matcher.resolve(row, cells.map(headerText), (spec) => spec.aliases[0]);
    if (candidate.missing.length === 0) {
      if (candidate.duplicates.length) throw new TableFileError(candidate.duplicates);
      header = candidate;
      continue;
    }
    if (!best || candidate.slots.length > best.slots.length) best = candidate;
    if (++searched === HEADER_SEARCH_ROWS) break;
  }
  if (!header) throw best ? new TableFileError([...best.missing, ...best.duplicates]) : emptyFile();
}

function headerText(cell: Cell): string | null {
  const text = cell === null ? '' : String(cell).trim();
  return text === '' ? null : text;
}

/** Bytes looked at for a byte-order mark and to choose the delimiter. */
const SNIFF_BYTES = 64 * 1024;

type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'gb18030';

async function* csvRows(path: string, progress: Progress): AsyncGenerator<GridRow> {
  const head = await fileHead(path);
  const encoding = await encodingOf(path, head);
  const source = fs.createReadStream(path);
  progress.watch(source);
  const parser = parse({ delimiter: delimiterOf(head, encoding), relax_column_count: true, relax_quotes: true, bom: true, trim: true, skip_empty_lines: false });
  const stages: NodeJS.ReadWriteStream[] = encoding === 'utf8' ? [] : [iconv.decodeStream(encoding)];
  // Errors from any stage (an unreadable file, an unclosed quote) reach the loop through the parser.
  pipeline([source, ...stages, parser], () => undefined);
  // Each record is one spreadsheet row, whatever line breaks its quoted cells hold, and a blank line
  // is a record of its own: the record count is the row number Excel shows for the same file.
  let row = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    row++;
    // csv-parse trims around delimiters only; a quoted cell keeps its inner spaces until here.
    yield { row, cells: record.map((value) => value.trim() || null) };
  }
}

async function fileHead(path: string): Promise<Buffer> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * UTF-16 when it starts with its byte-order mark (Excel's "Unicode text"); UTF-8 when the whole file
 * is valid UTF-8; otherwise GB18030, which covers the GBK and GB2312 of Chinese Excel's CSV exports.
 */
async function encodingOf(path: string, head: Buffer): Promise<TextEncoding> {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of fs.createReadStream(path)) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return 'utf8';
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return 'gb18030';
    throw error;
  }
}

/** Comma, unless the first line holding a comma, tab or semicolon holds only tabs or semicolons. */
function delimiterOf(head: Buffer, encoding: TextEncoding): string {
  const line = iconv.decode(head, encoding).split(/\r\n|\n|\r/).find((l) => /[,\t;]/.test(l)) ?? '';
  if (line.includes(',')) return ',';
  if (line.includes('\t')) return '\t';
  return line.includes(';') ? ';' : ',';
}

/** The WorkbookReader's parsed workbook.xml (not in exceljs's types): sheets in tab order. */
interface ReaderWorkbook {
  model?: { sheets?: { id: number }[] };
}

async function* xlsxRows(path: string, progress: Progress): AsyncGenerator<GridRow> {
  const source = fs.createReadStream(path);
  progress.watch(source);
  // Styles are needed to tell date-formatted numbers (→ Date) from plain ones.
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(source, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  let read = false;
  try {
    // The other sheets are passed over, not left half-read, so exceljs cleans up its temporary files.
    for await (const sheet of workbook) {
      // exceljs numbers a sheet by the workbook's sheetId when it could match it up, else leaves the
      // file's number as text: then the first sheet in the file is taken.
      const first = (workbook as unknown as ReaderWorkbook).model?.sheets?.[0];
      const id = (sheet as unknown as { id: unknown }).id;
      if (read || (first && typeof id === 'number' && id !== first.id)) continue;
      read = true;
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i]));
        yield { row: row.number, cells };
      }
    }
  } finally {
    source.destroy();
  }
}

/** An exceljs cell value as a Cell: text trimmed, rich text and hyperlinks as their text, formulas as their result. */
function xlsxCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? null : text;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value !== 'object') return null;
  const v = value as { richText?: { text?: string }[]; result?: unknown; formula?: unknown; sharedFormula?: unknown; text?: unknown; error?: unknown };
  if (Array.isArray(v.richText)) return xlsxCell(v.richText.map((run) => run.text ?? '').join(''));
  if ('formula' in v || 'sharedFormula' in v) return xlsxCell(v.result);
  if ('text' in v) return xlsxCell(v.text);
  if ('error' in v) return xlsxCell(v.error);
  return null;
}

// ---------------------------------------------------------------------------------------------------
// JSON lines: one object per line, keys matched like headers

async function* jsonLines(path: string, matcher: HeaderMatcher, progress: Progress): AsyncGenerator<TableRow> {
  const source = fs.createReadStream(path);
  progress.watch(source);
  const lines = readline.createInterface({ input: source, crlfDelay: Infinity });
  let row = 0;
  let any = false;
  try {
    for await (const line of lines) {
      row++;
      const text = row === 1 ? line.replace(/^\uFEFF/, '') : line;
      if (text.trim() === '') continue;
      any = true;
      yield jsonRow(row, text, matcher);
    }
  } finally {
    lines.close();
    source.destroy();
  }
  if (!any) throw emptyFile();
}

function jsonRow(row: number, text: string, matcher: HeaderMatcher): TableRow {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const values = matcher.blankValues();
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const columns = Object.fromEntries(matcher.specs.map((spec) => [spec.field, spec.field]));
    return { row, values, columns, failures: [{ row, column: '', code: 'INVALID_JSON_LINE' }] };
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  const header = matcher.resolve(row, entries.map(([key]) => key), (spec) => spec.field);
  for (const { index, field } of header.slots) values[field] = jsonCell(entries[index][1]);
  const failures = [...header.duplicates, ...header.missing.map((f) => ({ row, column: f.column, code: 'REQUIRED' }))];
  return failures.length ? { row, values, columns: header.columns, failures } : { row, values, columns: header.columns };
}

function jsonCell(value: unknown): Cell {
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? null : text;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  return null;
}
