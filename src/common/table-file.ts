/**
 * Table files for the command-line imports (R4 whitelists, R5 credit data): authorities publish them
 * as CSV (often GBK from Excel), XLSX or JSON lines. This reads any of them as a stream of rows keyed
 * by field, numbered as a person sees them in the file, with bounded memory. Problems with the file as
 * a whole (its type, its header, nothing in it, its size, encoding or damage) throw a TableFileError;
 * what a single value means is left to the caller (cell.ts, whitelist.file.ts, credit.file.ts). No
 * database, no credit-code check.
 *
 * Files come from outside and are read within FileLimits (SECURITY.md "Files from outside"): table data
 * of at most maxBytes (a CSV's or JSON-lines file's size, an XLSX's contents once unzipped: xlsx-file.ts),
 * at most maxRows data rows and maxCellChars characters a cell, and no raw row (a line, an XLSX <row>)
 * longer than 64 bytes per allowed cell character; each is refused as soon as it is passed, so memory
 * stays bounded whatever the file declares. A cell holding a control character (other than tab and
 * line breaks) is an INVALID_TEXT failure of its row (common/text.ts, the rule GraphQL input follows).
 */
import fs from 'node:fs';
import { extname } from 'node:path';
import { pipeline, Transform, TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { DEFAULT_FILE_LIMITS, FileLimits } from '../config';
import { FileFailure, fileError, mib, printable, TableFileError } from './file-failure';
import { textProblem } from './text';
import { encodingOf, READABLE_ENCODINGS, TextEncoding } from './text-encoding';
import { maxRowBytes, xlsxSheetRows } from './xlsx-file';

export { FileFailure, TableFileError } from './file-failure';

/** One value as read: text, a number or boolean (XLSX, JSON), a Date (date-formatted XLSX cell), or JSON structure. */
export type Cell = string | number | boolean | Date | null | unknown[] | Record<string, unknown>;

/** A column the caller wants: its field name and the header texts (or JSON keys) that name it. */
export interface ColumnSpec {
  field: string;
  aliases: string[];
  required: boolean;
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
  /**
   * Problems with the row as a whole (INVALID_JSON_LINE) or with its keys (REQUIRED, DUPLICATE_COLUMN),
   * JSON lines only; and INVALID_TEXT {position, codePoint} on a cell, any format.
   */
  failures?: FileFailure[];
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
    throw fileError('UNSUPPORTED_FILE_TYPE', { extension, allowed: [...FORMATS.keys()].join(', ') });
  }
  return format;
}

/**
 * The rows of a CSV, XLSX or JSON-lines file as the given columns, streamed. Fully blank rows and lines
 * are skipped (numbering stays true to the file). In CSV and XLSX the header is the first non-blank row
 * (a title row or two above it are passed over when a later row among the first ten names every
 * required column); unknown columns are ignored. Throws TableFileError before the first row for a
 * missing or repeated column or a file with no header, and as soon as a limit is passed (FILE_TOO_LARGE,
 * TOO_MANY_ROWS, CELL_TOO_LONG, ROW_TOO_LONG) or the file turns out unreadable (UNSUPPORTED_ENCODING,
 * NOT_XLSX, XLSX_DAMAGED, CSV_DAMAGED); `onProgress` gets bytes read and the file size, about every 1 %,
 * and (size, size) at the end.
 */
export async function* readTable(
  path: string,
  columns: ColumnSpec[],
  opts: { onProgress?: (bytesRead: number, totalBytes: number) => void; limits?: FileLimits } = {},
): AsyncGenerator<TableRow> {
  const format = formatOf(path);
  const limits = opts.limits ?? DEFAULT_FILE_LIMITS;
  const total = (await fs.promises.stat(path)).size;
  // An XLSX's limit is on what it unzips to, checked by xlsx-file.ts; a text file's size is its data.
  if (format !== 'xlsx' && total > limits.maxBytes) throw fileError('FILE_TOO_LARGE', { max: mib(limits.maxBytes), size: mib(total) });
  const progress = new Progress(total, opts.onProgress);
  if (format === 'jsonl') yield* jsonLines(path, new HeaderMatcher(columns), progress, limits);
  else yield* gridTable(format === 'csv' ? csvRows(path, progress, limits) : xlsxRows(path, progress, limits), new HeaderMatcher(columns), limits);
  progress.end();
}

/** INVALID_TEXT {position, codePoint} when a cell's text is not text (common/text.ts: NUL, controls…), else null. */
function notTextFailure(row: number, column: string, text: string): FileFailure | null {
  const problem = textProblem(text);
  return problem ? { row, column, code: 'INVALID_TEXT', params: { position: problem.position, codePoint: problem.codePoint } } : null;
}

/** Throws CELL_TOO_LONG {max} for a text longer than maxCellChars (counted in UTF-16 units, then code points). */
function checkLength(limits: FileLimits, row: number, column: string, text: string): void {
  if (text.length > limits.maxCellChars && [...text].length > limits.maxCellChars) {
    throw new TableFileError([{ row, column, code: 'CELL_TOO_LONG', params: { max: limits.maxCellChars } }]);
  }
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

  add(bytes: number): void {
    if (!this.report) return;
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

async function* gridTable(rows: AsyncIterable<GridRow>, matcher: HeaderMatcher, limits: FileLimits): AsyncGenerator<TableRow> {
  let header: Header | undefined;
  let texts: (string | null)[] = [];
  let best: Header | undefined;
  let searched = 0;
  for await (const { row, cells } of rows) {
    // Blank rows count too: the limit bounds the work, whatever the rows hold.
    if (row - (header?.row ?? 0) > limits.maxRows) throw fileError('TOO_MANY_ROWS', { max: limits.maxRows }, row);
    let failures: FileFailure[] | undefined;
    cells.forEach((cell, index) => {
      if (typeof cell !== 'string') return;
      checkLength(limits, row, texts[index] ?? '', cell);
      const control = notTextFailure(row, texts[index] ?? '', cell);
      if (control) (failures ??= []).push(control);
    });
    if (cells.every((cell) => cell === null)) continue;
    if (header) {
      const values = matcher.blankValues();
      for (const { index, field } of header.slots) values[field] = cells[index] ?? null;
      yield failures ? { row, values, columns: header.columns, failures } : { row, values, columns: header.columns };
      continue;
    }
    const candidate = matcher.resolve(row, cells.map(headerText), (spec) => spec.aliases[0]);
    if (candidate.missing.length === 0) {
      if (candidate.duplicates.length) throw new TableFileError(candidate.duplicates);
      header = candidate;
      texts = cells.map(headerText);
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

async function* csvRows(path: string, progress: Progress, limits: FileLimits): AsyncGenerator<GridRow> {
  const head = await fileHead(path);
  const verdict = await encodingOf(path, head);
  if (!verdict.ok) {
    throw verdict.line ? fileError('UNSUPPORTED_ENCODING', { accepted: READABLE_ENCODINGS, line: verdict.line }, 0, 'UNSUPPORTED_ENCODING.line') : fileError('UNSUPPORTED_ENCODING', { accepted: READABLE_ENCODINGS });
  }
  const { encoding } = verdict;
  const source = fs.createReadStream(path);
  progress.watch(source);
  // A record may span lines (quoted line breaks): csv-parse bounds its characters, the guard each line's bytes.
  const parser = parse({
    delimiter: delimiterOf(head, encoding), relax_column_count: true, relax_quotes: true, bom: true, trim: true, skip_empty_lines: false,
    max_record_size: maxRowBytes(limits),
  });
  const stages: NodeJS.ReadWriteStream[] = encoding === 'utf8' ? [] : [iconv.decodeStream(encoding)];
  // Errors from any stage (an unreadable file, an unclosed quote, a limit) reach the loop through the parser.
  pipeline([source, new LineGuard(maxRowBytes(limits), false), ...stages, parser], () => undefined);
  // Each record is one spreadsheet row, whatever line breaks its quoted cells hold, and a blank line
  // is a record of its own: the record count is the row number Excel shows for the same file.
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      // csv-parse trims around delimiters only; a quoted cell keeps its inner spaces until here.
      yield { row, cells: record.map((value) => value.trim() || null) };
    }
  } catch (error) {
    if (error instanceof TableFileError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'CSV_MAX_RECORD_SIZE') throw fileError('ROW_TOO_LONG', { max: mib(maxRowBytes(limits)) }, row + 1);
    throw fileError('CSV_DAMAGED', { detail: printable(error) }, row + 1);
  } finally {
    source.destroy();
  }
}

/**
 * Passes a text file's bytes through while counting lines, refusing a line longer than `maxBytes`
 * (ROW_TOO_LONG) before anything downstream can buffer it; with `utf8`, also decodes strictly and
 * emits lines (UNSUPPORTED_ENCODING at the first line that is not UTF-8).
 */
class LineGuard extends Transform {
  private run = 0;
  private line = 1;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private pending = '';

  constructor(private readonly maxBytes: number, private readonly utf8: boolean) {
    super({ readableObjectMode: utf8 });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (let at = chunk.indexOf(0x0a); ; at = chunk.indexOf(0x0a, at + 1)) {
      const end = at < 0 ? chunk.length : at;
      this.run += end - start;
      if (this.run > this.maxBytes) return done(fileError('ROW_TOO_LONG', { max: mib(this.maxBytes) }, this.line));
      if (at < 0) break;
      if (this.utf8 && !this.decode(chunk.subarray(start, at + 1))) return done(this.notUtf8());
      this.run = 0;
      this.line++;
      start = at + 1;
    }
    if (!this.utf8) return done(null, chunk);
    if (!this.decode(chunk.subarray(start))) return done(this.notUtf8());
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.utf8) {
      if (!this.decode(Buffer.alloc(0), true)) return done(this.notUtf8());
      if (this.pending) this.push(this.pending);
    }
    done();
  }

  /** Decodes bytes onto the pending line, pushing each finished line (without its line break); false if not UTF-8. */
  private decode(bytes: Buffer, last = false): boolean {
    try {
      this.pending += this.decoder.decode(bytes, { stream: !last });
    } catch {
      return false;
    }
    if (this.pending.endsWith('\n')) {
      this.push(this.pending.replace(/\r?\n$/, ''));
      this.pending = '';
    }
    return true;
  }

  private notUtf8(): TableFileError {
    return fileError('UNSUPPORTED_ENCODING', { accepted: 'UTF-8' }, this.line);
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

/** Comma, unless the first line holding a comma, tab or semicolon holds only tabs or semicolons. */
function delimiterOf(head: Buffer, encoding: TextEncoding): string {
  const line = iconv.decode(head, encoding).split(/\r\n|\n|\r/).find((l) => /[,\t;]/.test(l)) ?? '';
  if (line.includes(',')) return ',';
  if (line.includes('\t')) return '\t';
  return line.includes(';') ? ';' : ',';
}

async function* xlsxRows(path: string, progress: Progress, limits: FileLimits): AsyncGenerator<GridRow> {
  for await (const row of xlsxSheetRows(path, limits, (bytes) => progress.add(bytes))) {
    const cells: Cell[] = [];
    for (let i = 1; i < row.values.length; i++) cells.push(xlsxCell(row.values[i]));
    yield { row: row.number, cells };
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

async function* jsonLines(path: string, matcher: HeaderMatcher, progress: Progress, limits: FileLimits): AsyncGenerator<TableRow> {
  const source = fs.createReadStream(path);
  progress.watch(source);
  const lines = new LineGuard(maxRowBytes(limits), true);
  pipeline(source, lines, () => undefined);
  let row = 0;
  let any = false;
  try {
    for await (const line of lines as AsyncIterable<string>) {
      row++;
      if (row > limits.maxRows) throw fileError('TOO_MANY_ROWS', { max: limits.maxRows }, row);
      const text = row === 1 ? line.replace(/^\uFEFF/, '') : line;
      if (text.trim() === '') continue;
      any = true;
      const tableRow = jsonRow(row, text, matcher);
      for (const [field, value] of Object.entries(tableRow.values)) {
        if (typeof value !== 'string') continue;
        const column = tableRow.columns[field];
        checkLength(limits, row, column, value);
        const control = notTextFailure(row, column, value);
        if (control) (tableRow.failures ??= []).push(control);
      }
      yield tableRow;
    }
  } finally {
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
