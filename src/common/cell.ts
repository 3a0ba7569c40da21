/**
 * Cell conversions shared by the file imports (R4 whitelists, R5 credit data): the text, date, number,
 * money and yes/no forms that authorities' spreadsheets, their CSV exports and JSON lines actually
 * contain, each to the project's own type (dates as 'YYYY-MM-DD' text, money as Decimal) or to a coded
 * failure. Plus RowCheck, which places those failures on the file's own column names.
 */
import { isValidDateText } from './dates';
import { Decimal, InvalidDecimal, MONEY_MAX, MONEY_PLACES, parseDecimalText } from './decimal';
import { Params } from './messages';
import { Cell, FileFailure, TableRow } from './table-file';
import { textProblem } from './text';

/** A converted cell, or the failure code and message parameters saying why it could not be. */
export type CellResult<T> = { ok: true; value: T } | { ok: false; code: string; params?: Params };

const ok = <T>(value: T): CellResult<T> => ({ ok: true, value });
const fail = <T>(code: string, params?: Params): CellResult<T> => ({ ok: false, code, params });

/** The text of a cell, trimmed; null when blank. Numbers as JavaScript writes them, Dates as their UTC day. */
export function cellText(cell: Cell): string | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'string') {
    const text = cell.trim();
    return text === '' ? null : text;
  }
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? String(cell) : cell.toISOString().slice(0, 10);
  return JSON.stringify(cell);
}

/** The `value` parameter of a failure: what the cell showed. */
const shown = (cell: Cell): string => cellText(cell) ?? '';

/** Full-width digits, letters and punctuation (common in Chinese sheets) as ASCII; other text unchanged. */
function ascii(text: string): string {
  const trimmed = text.trim();
  return /[^\x00-\x7f]/.test(trimmed) ? trimmed.normalize('NFKC') : trimmed;
}

const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const CHINESE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/;
const DAY_MS = 86_400_000;

/** Y, M, D as 'YYYY-MM-DD' if that day exists (1900–2999), else null. */
function dateText(y: string, m: string, d: string): string | null {
  const text = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isValidDateText(text) ? text : null;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The UTC calendar day of a Date (exceljs's dates are UTC midnight), or null outside 1900–2999. */
function utcDay(date: Date): string | null {
  const y = date.getUTCFullYear();
  return y >= 1900 && y <= 2999 ? `${y}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}` : null;
}

/**
 * A number as a date: an 8-digit YYYYMMDD typed into a cell, or an Excel serial day in the 1900 date
 * system (1 = 1900-01-01; 60 is Excel's non-existent 1900-02-29; a fraction is a time of day).
 */
function numberDate(n: number): string | null {
  if (!Number.isFinite(n) || n < 1) return null;
  if (Number.isInteger(n) && n >= 10_000_101 && n <= 99_991_231) {
    const digits = String(n);
    return dateText(digits.slice(0, 4), digits.slice(4, 6), digits.slice(6));
  }
  const serial = Math.floor(n);
  if (serial === 60) return null;
  return utcDay(new Date(Date.UTC(1899, 11, serial < 60 ? 31 : 30) + serial * DAY_MS));
}

function stringDate(text: string): string | null {
  const m = SEPARATED.exec(text);
  if (m) return dateText(m[1], m[3], m[4]);
  const c = COMPACT.exec(text) ?? CHINESE.exec(text);
  return c ? dateText(c[1], c[2], c[3]) : null;
}

/**
 * A calendar date as 'YYYY-MM-DD'. Accepts YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD, YYYY年M月D日, an
 * XLSX date cell (exceljs's UTC-midnight Date: its UTC day) and an Excel serial number. Otherwise
 * INVALID_DATE {value}.
 */
export function cellDate(cell: Cell): CellResult<string> {
  let text: string | null = null;
  if (typeof cell === 'string') text = stringDate(ascii(cell));
  else if (typeof cell === 'number') text = numberDate(cell);
  else if (cell instanceof Date) text = utcDay(cell);
  return text !== null ? ok(text) : fail('INVALID_DATE', { value: shown(cell) });
}

/** A whole number in [min, max]: INVALID_INTEGER {value} when not one, OUT_OF_RANGE {min, max} outside. */
export function cellInteger(cell: Cell, min: number, max: number): CellResult<number> {
  let n: number | null = null;
  if (typeof cell === 'number') n = cell;
  else if (typeof cell === 'string') {
    const text = ascii(cell);
    if (/^[+-]?\d{1,15}$/.test(text)) n = Number(text);
  }
  if (n === null || !Number.isSafeInteger(n)) return fail('INVALID_INTEGER', { value: shown(cell) });
  if (n < min || n > max) return fail('OUT_OF_RANGE', { min, max });
  return ok(n + 0); // + 0 turns "-0" into 0
}

/** Thousands grouped by commas: "1,234,567.50". */
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/**
 * An amount of money in yuan: "1,234.50", "1234.5" or an XLSX/JSON number (read through its shortest
 * decimal text, so 1234.5 is exactly 1234.5). INVALID_DECIMAL {value}; TOO_MANY_DECIMAL_PLACES
 * {places: 2}; OUT_OF_RANGE {min: 0, max} when negative or beyond numeric(18,2).
 */
export function cellMoney(cell: Cell): CellResult<Decimal> {
  let text: string | null = null;
  if (typeof cell === 'string') {
    const plain = ascii(cell);
    text = GROUPED.test(plain) ? plain.replace(/,/g, '') : plain;
  } else if (typeof cell === 'number') text = cell.toString();
  const value = text === null ? null : parseDecimalText(text);
  if (value === null || value instanceof InvalidDecimal) return fail('INVALID_DECIMAL', { value: shown(cell) });
  if (value.decimalPlaces() > MONEY_PLACES) return fail('TOO_MANY_DECIMAL_PLACES', { places: MONEY_PLACES });
  if (value.lt(0) || value.gt(MONEY_MAX)) return fail('OUT_OF_RANGE', { min: 0, max: MONEY_MAX.toFixed() });
  return ok(value);
}

const BOOLEANS = new Map<string, boolean>([
  ['true', true], ['false', false],
  ['1', true], ['0', false],
  ['yes', true], ['no', false],
  ['y', true], ['n', false],
  ['是', true], ['否', false],
  ['有', true], ['无', false],
]);

/** Yes or no: true/false, 1/0, yes/no, y/n, 是/否, 有/无 (any case), or a boolean. Otherwise INVALID_BOOLEAN {value}. */
export function cellBoolean(cell: Cell): CellResult<boolean> {
  if (typeof cell === 'boolean') return ok(cell);
  const value = typeof cell === 'string' ? BOOLEANS.get(ascii(cell).toLowerCase()) : typeof cell === 'number' ? BOOLEANS.get(String(cell)) : undefined;
  return value === undefined ? fail('INVALID_BOOLEAN', { value: shown(cell) }) : ok(value);
}

/**
 * One row's conversions and their failures, each placed on the column as the file names it. Starts
 * from the row's own failures (JSON lines) and does not repeat a REQUIRED already there.
 */
export class RowCheck {
  /** Every failure of the row so far. */
  readonly failures: FileFailure[];

  constructor(private readonly tableRow: TableRow) {
    this.failures = [...(tableRow.failures ?? [])];
  }

  /** False when the row could not be read at all (a line that is not a JSON object): check nothing more. */
  get readable(): boolean {
    return !this.failures.some((f) => f.code === 'INVALID_JSON_LINE');
  }

  /** Records a failure on a field's column. */
  fail(field: string, code: string, params?: Params): void {
    const column = this.tableRow.columns[field] ?? field;
    if (code === 'REQUIRED' && this.failures.some((f) => f.code === code && f.column === column)) return;
    this.failures.push(params ? { row: this.tableRow.row, column, code, params } : { row: this.tableRow.row, column, code });
  }

  /** The raw cell of a field. */
  cell(field: string): Cell {
    return this.tableRow.values[field] ?? null;
  }

  /** A field's text; null when blank, recording REQUIRED if `required`, or when it is not text (INVALID_TEXT, common/text.ts). */
  text(field: string, required: boolean): string | null {
    const text = cellText(this.cell(field));
    if (text === null && required) this.fail(field, 'REQUIRED');
    const problem = text === null ? null : textProblem(text);
    if (problem) {
      this.fail(field, 'INVALID_TEXT', { position: problem.position, codePoint: problem.codePoint });
      return null;
    }
    return text;
  }

  /** A field's text with a length limit in characters: INVALID_LENGTH {min: 1, max} beyond it. */
  boundedText(field: string, required: boolean, max: number): string | null {
    const text = this.text(field, required);
    // Code points, as class-validator's Length and PostgreSQL's varchar count them.
    if (text !== null && text.length > max && [...text].length > max) this.fail(field, 'INVALID_LENGTH', { min: 1, max });
    return text;
  }

  /** A field's converted value; null when blank (REQUIRED if `required`) or when it fails to convert. */
  value<T>(field: string, convert: (cell: Cell) => CellResult<T>, required: boolean): T | null {
    const cell = this.cell(field);
    if (cellText(cell) === null) {
      if (required) this.fail(field, 'REQUIRED');
      return null;
    }
    const result = convert(cell);
    if (result.ok) return result.value;
    this.fail(field, result.code, result.params);
    return null;
  }
}
