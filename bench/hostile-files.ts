/**
 * Hostile import files, written the way an attacker would (SECURITY.md "Files from outside"): XLSX zip
 * bombs (one huge cell, millions of rows, sizes that lie or are absent from the local headers), a PNG
 * renamed .xlsx, text in encodings finmatch does not read. The zip is written by hand so that every
 * size and flag is what the test asks for; big entries are deflated as they are generated, so a 300 MB
 * cell costs a 300 KiB file and a few megabytes of memory. Used by the tests and by `npm run bench:files`.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import zlib from 'node:zlib';

/** One zip entry: its content as chunks, and what its headers should claim. */
export interface ZipEntry {
  name: string;
  chunks: () => Iterable<Buffer>;
  /** Uncompressed size written in the headers instead of the true one (a lying size). */
  declaredSize?: number;
  /** Sizes and CRC left out of the local header (flag bit 3) and given in a data descriptor after the data, as streaming zip writers do. */
  descriptor?: boolean;
}

async function deflate(chunks: Iterable<Buffer>): Promise<{ data: Buffer; crc: number; size: number }> {
  const deflater = zlib.createDeflateRaw({ level: 6 });
  const out: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => out.push(chunk));
  let crc = 0;
  let size = 0;
  for (const chunk of chunks) {
    crc = zlib.crc32(chunk, crc);
    size += chunk.length;
    if (!deflater.write(chunk)) await once(deflater, 'drain');
  }
  deflater.end();
  await once(deflater, 'end');
  return { data: Buffer.concat(out), crc, size };
}

/** Writes a zip of deflated entries, with their headers as each ZipEntry asks. */
export async function writeZip(path: string, entries: ZipEntry[]): Promise<void> {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const add = (buffer: Buffer) => {
    parts.push(buffer);
    offset += buffer.length;
  };
  for (const entry of entries) {
    const { data, crc, size } = await deflate(entry.chunks());
    const name = Buffer.from(entry.name, 'utf8');
    const declared = entry.declaredSize ?? size;
    const flags = 0x0800 | (entry.descriptor ? 0x0008 : 0);
    const start = offset;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.descriptor ? 0 : crc, 14);
    local.writeUInt32LE(entry.descriptor ? 0 : data.length, 18);
    local.writeUInt32LE(entry.descriptor ? 0 : declared, 22);
    local.writeUInt16LE(name.length, 26);
    add(Buffer.concat([local, name]));
    add(data);
    if (entry.descriptor) {
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(data.length, 8);
      descriptor.writeUInt32LE(declared, 12);
      add(descriptor);
    }
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(declared, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(start, 42);
    central.push(Buffer.concat([header, name]));
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  await fs.promises.writeFile(path, Buffer.concat([...parts, directory, end]));
}

const text = (value: string) => () => [Buffer.from(value, 'utf8')];
const escapeXml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One row of inline-string cells. */
export function rowXml(number: number, cells: string[]): string {
  const columns = cells.map((cell, i) => `<c r="${String.fromCharCode(65 + i)}${number}" t="inlineStr"><is><t>${escapeXml(cell)}</t></is></c>`);
  return `<row r="${number}">${columns.join('')}</row>`;
}

/** The parts of a minimal workbook around one sheet whose XML is `sheet` (streamed); `sheetEntry` adjusts the sheet's entry. */
export function workbookEntries(sheet: () => Iterable<Buffer>, sheetEntry: Partial<ZipEntry> = {}): ZipEntry[] {
  return [
    {
      name: '[Content_Types].xml',
      chunks: text('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    },
    {
      name: '_rels/.rels',
      chunks: text('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    },
    {
      name: 'xl/workbook.xml',
      chunks: text('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      chunks: text('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    },
    { name: 'xl/worksheets/sheet1.xml', chunks: sheet, ...sheetEntry },
  ];
}

const SHEET_START = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';

/** The whitelist header of the generated sheets. */
export const WHITELIST_HEADER = ['统一社会信用代码', '企业名称', '资质类型', '有效期起', '有效期止'];

/** A sheet: optional <dimension>, a header row, then `body` (row XML chunks), streamed. */
export function sheetXml(body: () => Iterable<string>, dimension?: string): () => Iterable<Buffer> {
  return function* () {
    yield Buffer.from(`${SHEET_START}${dimension ? `<dimension ref="${dimension}"/>` : ''}<sheetData>${rowXml(1, WHITELIST_HEADER)}`);
    let pending = '';
    for (const piece of body()) {
      pending += piece;
      if (pending.length >= 1 << 20) {
        yield Buffer.from(pending);
        pending = '';
      }
    }
    yield Buffer.from(`${pending}</sheetData></worksheet>`);
  };
}

/**
 * The one-cell bomb: a workbook whose second row's name cell is `cellBytes` of "A" (300 MB compress to
 * about 300 KiB). `entry` can make the sheet's sizes lie or leave them out of the local header.
 */
export async function writeHugeCellXlsx(path: string, cellBytes: number, entry: Partial<ZipEntry> = {}): Promise<void> {
  const chunk = Buffer.alloc(1 << 20, 'A');
  const start = '<row r="2"><c r="A2" t="inlineStr"><is><t>91350100M000100Y43</t></is></c><c r="B2" t="inlineStr"><is><t>';
  const sheet = function* (): Iterable<Buffer> {
    yield Buffer.from(`${SHEET_START}<sheetData>${rowXml(1, WHITELIST_HEADER)}${start}`);
    for (let left = cellBytes; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
    yield Buffer.from('</t></is></c></row></sheetData></worksheet>');
  };
  await writeZip(path, workbookEntries(sheet, entry));
}

/** `rows` identical whitelist rows below the header (2,000,000 unzip to 690 MiB); `dimension` declares the extent as Excel does. */
export async function writeManyRowsXlsx(path: string, rows: number, dimension = false): Promise<void> {
  const [a, b, c, d, e] = ['91350100M000100Y43', '福州示例科技有限公司', '专精特新中小企业', '2025-01-01', '2027-12-31'];
  const cell = (column: string, r: number, value: string) => `<c r="${column}${r}" t="inlineStr"><is><t>${value}</t></is></c>`;
  const body = function* (): Iterable<string> {
    for (let r = 2; r <= rows + 1; r++) yield `<row r="${r}">${cell('A', r, a)}${cell('B', r, b)}${cell('C', r, c)}${cell('D', r, d)}${cell('E', r, e)}</row>`;
  };
  await writeZip(path, workbookEntries(sheetXml(body, dimension ? `A1:E${rows + 1}` : undefined)));
}

/** `rows` identical whitelist rows below the header, as a UTF-8 CSV. */
export async function writeManyRowsCsv(path: string, rows: number): Promise<void> {
  const out = fs.createWriteStream(path);
  out.write(`${WHITELIST_HEADER.join(',')}\n`);
  const line = '91350100M000100Y43,福州示例科技有限公司,专精特新中小企业,2025-01-01,2027-12-31\n';
  const block = line.repeat(10_000);
  for (let written = 0; written < rows; written += 10_000) {
    if (!out.write(written + 10_000 <= rows ? block : line.repeat(rows - written))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The first bytes of a PNG image (signature and an IHDR chunk) and some pixels' worth of data: what a picture renamed .xlsx holds. */
export function pngBytes(): Buffer {
  const ihdr = Buffer.from('0000000d49484452000000100000001008060000001ff3ff61', 'hex');
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), ihdr, Buffer.alloc(256, 0x7f)]);
}

/** Latin-1 (ISO-8859-1) bytes of a text: é, ü and the like become single bytes above 0x7F. */
export const latin1 = (value: string): Buffer => Buffer.from(value, 'latin1');
