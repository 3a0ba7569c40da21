/**
 * Problems with a table file (R4, R5 imports), shared by the readers of each format (table-file.ts,
 * xlsx-file.ts): a failure placed on a row and column, and the error that refuses a file as a whole.
 */
import { Params } from './messages';

/** A coded problem at a row (0 for the file as a whole) and column (the header text as written in the file). */
export interface FileFailure {
  row: number;
  column: string;
  code: string;
  params?: Params;
  /** Message key when the code has several explanations (INVALID_CREDIT_CODE.check), as on a Failure. */
  messageKey?: string;
}

/**
 * The file cannot be read as a table at all; `failures` says why (UNSUPPORTED_FILE_TYPE, MISSING_COLUMN,
 * DUPLICATE_COLUMN, EMPTY_FILE, and the limits of SECURITY.md "Files from outside": FILE_TOO_LARGE,
 * TOO_MANY_ROWS, CELL_TOO_LONG, ROW_TOO_LONG, UNSUPPORTED_ENCODING, NOT_XLSX, XLSX_DAMAGED, CSV_DAMAGED).
 */
export class TableFileError extends Error {
  constructor(readonly failures: FileFailure[]) {
    super(failures.map((f) => (f.column ? `${f.code} (${f.column})` : f.code)).join(', '));
    this.name = 'TableFileError';
  }
}

/** A TableFileError for one problem of the file as a whole, or at a row. */
export const fileError = (code: string, params?: Params, row = 0, messageKey?: string): TableFileError =>
  new TableFileError([{ row, column: '', code, ...(params ? { params } : {}), ...(messageKey ? { messageKey } : {}) }]);

/** Bytes as MiB for a message, one decimal when not whole. */
export const mib = (bytes: number): string => (bytes / 1048576).toFixed(bytes % 1048576 === 0 ? 0 : 1);

/** A library's error message, short and without control characters, for CSV_DAMAGED and XLSX_DAMAGED {detail}. */
export function printable(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/[\x00-\x1f\x7f]/g, ' ').slice(0, 160);
}
