/**
 * XLSX workbooks from outside (R4, R5 imports), read with a byte budget (SECURITY.md "Files from
 * outside"). An XLSX is a zip of XML files and compresses about 1000:1 when it is made to: a 300 KiB
 * file can declare one 300 MB cell or millions of rows. So:
 *
 * - the zip is opened by its central directory (yauzl), and the sizes it declares must add up to at
 *   most FileLimits.maxBytes before anything is inflated;
 * - every entry is inflated through a counter: yauzl refuses an entry that inflates to more than it
 *   declared (a lying size), and the total read may not pass maxBytes either;
 * - the XML is scanned as it streams, before exceljs's SAX parser can buffer it: a text, tag, comment or
 *   CDATA longer than ten bytes per allowed cell character, a <row> or shared string <si> longer than
 *   64 bytes per allowed cell character, more shared strings than 16 per allowed row, a <dimension>
 *   declaring more rows than allowed, or a DOCTYPE (no workbook has one) refuses the file.
 *
 * Only the workbook's relationships, the workbook, its shared strings, its styles (for date formats)
 * and its first sheet are read, in that order, each once; exceljs turns them into rows.
 */
import { pipeline, Readable, Transform, TransformCallback } from 'node:stream';
import * as ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import type { FileLimits } from '../config';
import { fileError, mib, printable, TableFileError } from './file-failure';

/** Entries a workbook may hold: a real one has a dozen, a few hundred with many sheets and pictures. */
const MAX_ENTRIES = 10_000;

/** How many data rows a sheet may have above its header (title rows), for the <dimension> check. */
const TITLE_ROWS = 10;

/** One row as exceljs reads it: its number and its values (index 1 = column A). */
export interface XlsxRow {
  number: number;
  values: unknown[];
}

/**
 * The raw bytes one row may take — a CSV or JSON line, an XLSX <row> or shared string: 64 per allowed
 * cell character (2 MiB by default), room for a dozen cells of Chinese text at the cell limit.
 */
export const maxRowBytes = (limits: FileLimits): number => 64 * limits.maxCellChars;

/** The byte limits of the XML scan, derived from the cell and row limits. */
export function xmlLimits(limits: FileLimits): { run: number; element: number; strings: number } {
  return {
    // Any character can be written as &#1114111; (10 bytes): beyond this a text is longer than maxCellChars.
    run: 10 * limits.maxCellChars + 1024,
    element: maxRowBytes(limits),
    strings: 16 * limits.maxRows,
  };
}

/** What the scan of one entry may and may not pass, and the bytes left of the whole file's budget. */
interface Budget {
  limits: FileLimits;
  /** Bytes inflated so far, over every entry. */
  inflated: number;
}

enum State {
  Text,
  TagStart,
  TagName,
  Tag,
  Quoted,
  Bang,
  Comment,
  CData,
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * Passes an entry's XML through unchanged while counting it against the budget and scanning its
 * markup (text runs, tags with their quoted attribute values, comments, CDATA, <row> and <si>
 * elements); the first limit passed ends the stream with a TableFileError.
 */
class XmlGuard extends Transform {
  private readonly max: ReturnType<typeof xmlLimits>;
  private state = State.Text;
  private run = 0;
  private name = '';
  private quote = 0;
  private bang = '';
  /** The last two bytes, to find --> and ]]>. */
  private tail = 0;
  /** The current tag's text when it is a <row> or <dimension> (for r= and ref=), capped. */
  private tagText: string | null = null;
  private tagLocal = '';
  private position = 0;
  private rowStart = -1;
  private siStart = -1;
  private strings = 0;
  /** The spreadsheet number of the current or last <row>. */
  private rowNumber = 0;

  constructor(private readonly budget: Budget) {
    super();
    this.max = xmlLimits(budget.limits);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.budget.inflated += chunk.length;
    if (this.budget.inflated > this.budget.limits.maxBytes) return done(fileError('FILE_TOO_LARGE', { max: mib(this.budget.limits.maxBytes) }, 0, 'FILE_TOO_LARGE.inflated'));
    try {
      for (let i = 0; i < chunk.length; ) {
        // Fast paths through text, quoted values and the rest of a tag: up to the byte that ends them.
        if (this.state === State.Text || (this.state === State.Quoted && this.tagText === null)) {
          const stop = chunk.indexOf(this.state === State.Text ? LT : this.quote, i);
          const end = stop < 0 ? chunk.length : stop;
          this.skip(end - i);
          i = end;
          if (stop < 0) break;
        } else if (this.state === State.Tag && this.tagText === null) {
          // Inside a tag: up to a quote or its end.
          let end = i;
          while (end < chunk.length && chunk[end] !== 0x22 && chunk[end] !== 0x27 && chunk[end] !== GT) end++;
          if (end > i) {
            this.skip(end - i);
            this.tail = chunk[end - 1];
          }
          i = end;
          if (end === chunk.length) break;
        }
        this.byte(chunk[i++]);
      }
    } catch (error) {
      return done(error as Error);
    }
    done(null, chunk);
  }

  /** `n` bytes of text or of a quoted value that end nothing: counted as byte() would count them one by one. */
  private skip(n: number): void {
    if (n === 0) return;
    this.position += n;
    this.checkElements();
    this.run += n - 1;
    this.count();
  }

  private checkElements(): void {
    if (this.rowStart >= 0 && this.position - this.rowStart > this.max.element) throw fileError('ROW_TOO_LONG', { max: mib(this.max.element) }, this.rowNumber);
    if (this.siStart >= 0 && this.position - this.siStart > this.max.element) throw fileError('CELL_TOO_LONG', { max: this.budget.limits.maxCellChars });
  }

  private byte(b: number): void {
    this.position++;
    this.checkElements();
    switch (this.state) {
      case State.Text:
        if (b === LT) {
          this.state = State.TagStart;
          this.run = 1;
        } else this.count();
        return;
      case State.TagStart:
        this.count();
        if (b === BANG) {
          this.state = State.Bang;
          this.bang = '';
        } else if (b === QUESTION) this.state = State.Tag;
        else {
          this.name = String.fromCharCode(b);
          this.state = State.TagName;
        }
        return;
      case State.TagName:
        this.count();
        if (isSpace(b) || b === GT || b === SLASH) {
          this.openTag();
          this.state = State.Tag;
          if (b === GT) this.endTag(false);
        } else if (this.name.length < 64) this.name += String.fromCharCode(b);
        this.tail = b;
        return;
      case State.Tag:
        this.count();
        if (this.tagText !== null && this.tagText.length < 256) this.tagText += String.fromCharCode(b);
        if (b === 0x22 || b === 0x27) {
          this.quote = b;
          this.state = State.Quoted;
        } else if (b === GT) this.endTag(this.tail === SLASH);
        this.tail = b;
        return;
      case State.Quoted:
        this.count();
        if (this.tagText !== null && this.tagText.length < 256) this.tagText += String.fromCharCode(b);
        if (b === this.quote) this.state = State.Tag;
        this.tail = b;
        return;
      case State.Bang:
        this.count();
        this.bang += String.fromCharCode(b);
        if (this.bang === '--') this.state = State.Comment;
        else if (this.bang === '[CDATA[') this.state = State.CData;
        else if (this.bang.toUpperCase() === 'DOCTYPE') throw fileError('XLSX_DAMAGED', { detail: 'DOCTYPE' });
        else if (b === GT || this.bang.length > 8) this.toText();
        this.tail = 0;
        return;
      case State.Comment:
      case State.CData:
        this.count();
        if (b === GT && this.tail === (this.state === State.Comment ? 0x2d2d : 0x5d5d)) this.toText();
        this.tail = ((this.tail & 0xff) << 8) | b;
        return;
    }
  }

  /** One more byte in the current run of text, tag, comment or CDATA. */
  private count(): void {
    if (++this.run > this.max.run) {
      throw this.state === State.Text || this.state === State.CData
        ? fileError('CELL_TOO_LONG', { max: this.budget.limits.maxCellChars }, this.rowStart >= 0 ? this.rowNumber : 0)
        : fileError('ROW_TOO_LONG', { max: mib(this.max.run) }, this.rowStart >= 0 ? this.rowNumber : 0);
    }
  }

  private toText(): void {
    this.state = State.Text;
    this.run = 0;
    this.tail = 0;
  }

  /** A tag's name is known: open and close the elements whose size is watched. */
  private openTag(): void {
    const closing = this.name.charCodeAt(0) === SLASH;
    let local = closing ? this.name.slice(1) : this.name;
    const colon = local.indexOf(':');
    if (colon >= 0) local = local.slice(colon + 1);
    this.tagLocal = closing ? '' : local;
    this.tagText = !closing && (local === 'row' || local === 'dimension') ? '' : null;
    const start = this.position - this.run;
    if (local === 'row') this.rowStart = closing ? -1 : start;
    else if (local === 'si') {
      this.siStart = closing ? -1 : start;
      if (!closing && ++this.strings > this.max.strings) throw fileError('TOO_MANY_ROWS', { max: this.max.strings }, 0, 'TOO_MANY_ROWS.strings');
    }
  }

  /** The end of a tag (`selfClosing` for <x/>): reads a row's number and a sheet's declared extent. */
  private endTag(selfClosing: boolean): void {
    const text = this.tagText ?? '';
    if (this.tagLocal === 'row') {
      const r = /\br\s*=\s*["'](\d+)["']/.exec(text);
      this.rowNumber = r ? Number(r[1]) : this.rowNumber + 1;
      if (selfClosing) this.rowStart = -1;
    } else if (this.tagLocal === 'si' && selfClosing) this.siStart = -1;
    else if (this.tagLocal === 'dimension') {
      const ref = /\bref\s*=\s*["'][A-Z]*(\d+)(?::[A-Z]*(\d+))?["']/i.exec(text);
      const rows = ref ? Number(ref[2] ?? ref[1]) - Number(ref[1]) + 1 : 0;
      if (rows > this.budget.limits.maxRows + TITLE_ROWS + 1) throw fileError('TOO_MANY_ROWS', { max: this.budget.limits.maxRows, rows: rows - 1 }, 0, 'TOO_MANY_ROWS.declared');
    }
    this.tagText = null;
    this.tagLocal = '';
    this.toText();
  }
}

/** The parts of exceljs's streaming WorkbookReader this reader drives (private in its types; exceljs 4.4.0). */
interface WorkbookParts {
  model?: { sheets?: { id: number; rId?: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(entry: Readable, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<{ number: number; values: unknown }> }>;
}

const SHEET = /^xl\/worksheets\/[^/]+\.xml$/;

async function openZip(path: string, limits: FileLimits): Promise<{ zip: yauzl.ZipFile; entries: Map<string, yauzl.Entry> }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (error) {
    throw fileError('NOT_XLSX', { detail: printable(error) });
  }
  try {
    if (zip.entryCount > MAX_ENTRIES) throw fileError('XLSX_DAMAGED', { detail: `${zip.entryCount} entries` });
    const entries = new Map<string, yauzl.Entry>();
    let declared = 0;
    for await (const entry of zip.eachEntry()) {
      declared += entry.uncompressedSize;
      entries.set(entry.fileName, entry);
    }
    if (declared > limits.maxBytes) throw fileError('FILE_TOO_LARGE', { max: mib(limits.maxBytes), size: mib(declared) }, 0, 'FILE_TOO_LARGE.declared');
    if (!entries.has('xl/workbook.xml')) throw fileError('NOT_XLSX', { detail: 'no xl/workbook.xml' });
    return { zip, entries };
  } catch (error) {
    zip.close();
    throw error instanceof TableFileError ? error : fileError('XLSX_DAMAGED', { detail: printable(error) });
  }
}

/**
 * The rows of an XLSX's first sheet (by tab order), streamed within `limits`. Throws TableFileError:
 * NOT_XLSX (not a zip, or no workbook in it), XLSX_DAMAGED {detail} (a broken zip or XML, an entry
 * larger than it declares), FILE_TOO_LARGE, TOO_MANY_ROWS, ROW_TOO_LONG, CELL_TOO_LONG.
 */
export async function* xlsxSheetRows(path: string, limits: FileLimits, onRead?: (compressedBytes: number) => void): AsyncGenerator<XlsxRow> {
  const { zip, entries } = await openZip(path, limits);
  const budget: Budget = { limits, inflated: 0 };
  const streams: Readable[] = [];
  const open = async (entry: yauzl.Entry): Promise<Readable> => {
    const raw = await zip.openReadStreamPromise(entry);
    if (onRead) raw.on('data', (chunk: Buffer) => onRead(Math.round((chunk.length * entry.compressedSize) / Math.max(1, entry.uncompressedSize))));
    const guard = new XmlGuard(budget);
    streams.push(raw, guard);
    pipeline(raw, guard, () => undefined);
    return guard;
  };
  // Styles tell date-formatted numbers (→ Date) from plain ones; hyperlinks and the rest are not needed.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(null as unknown as Readable, {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
  }) as unknown as WorkbookParts;
  try {
    const part = (name: string) => entries.get(name);
    const rels = part('xl/_rels/workbook.xml.rels');
    if (rels) await reader._parseRels(await open(rels));
    await reader._parseWorkbook(await open(part('xl/workbook.xml')!));
    const strings = part('xl/sharedStrings.xml');
    if (strings) {
      // Cached in the reader: the generator yields nothing, it only has to run.
      const cached = reader._parseSharedStrings(await open(strings));
      while (!(await cached.next()).done);
    }
    const styles = part('xl/styles.xml');
    if (styles) await reader._parseStyles(await open(styles));
    const sheet = firstSheet(reader, entries);
    if (!sheet) return;
    const sheetNo = /(\d+)\.xml$/.exec(sheet.fileName)?.[1] ?? '1';
    for (const { value } of reader._parseWorksheet(await open(sheet), sheetNo)) {
      for await (const row of value) yield { number: row.number, values: row.values as unknown[] };
    }
  } catch (error) {
    throw error instanceof TableFileError ? error : fileError('XLSX_DAMAGED', { detail: printable(error) });
  } finally {
    for (const stream of streams) stream.destroy();
    zip.close();
  }
}

/** The sheet first in the workbook's tab order; failing that, the first sheet in the zip. */
function firstSheet(reader: WorkbookParts, entries: Map<string, yauzl.Entry>): yauzl.Entry | undefined {
  const first = reader.model?.sheets?.[0];
  const rel = first?.rId ? reader.workbookRels?.find((r) => r.Id === first.rId) : undefined;
  const target = rel ? (rel.Target.startsWith('/') ? rel.Target.slice(1) : `xl/${rel.Target.replace(/^\.\//, '')}`) : undefined;
  const named = target ? entries.get(target) : undefined;
  return named ?? [...entries.values()].find((e) => SHEET.test(e.fileName));
}
