/**
 * The table-file reader behind the whitelist (R4) and credit (R5) imports: encodings, delimiters, row
 * numbers as a person sees them, header matching, XLSX cell kinds, JSON lines and progress.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { latin1, pngBytes, rowXml, sheetXml, workbookEntries, writeHugeCellXlsx, writeManyRowsXlsx, writeZip } from '../../bench/hostile-files';
import { message } from '../../src/common/messages';
import { ColumnSpec, FileFailure, formatOf, readTable, TableFileError, TableRow } from '../../src/common/table-file';
import { READABLE_ENCODINGS } from '../../src/common/text-encoding';
import { DEFAULT_FILE_LIMITS, FileLimits } from '../../src/config';

const COLUMNS: ColumnSpec[] = [
  { field: 'creditCode', aliases: ['统一社会信用代码', 'creditCode', 'credit_code', 'Credit Code'], required: true },
  { field: 'name', aliases: ['企业名称', 'name'], required: true },
  { field: 'amount', aliases: ['金额', 'amount'], required: false },
];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'table-file-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function rows(file: string, columns: ColumnSpec[] = COLUMNS): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for await (const row of readTable(file, columns)) out.push(row);
  return out;
}

async function fileFailures(file: string, columns: ColumnSpec[] = COLUMNS): Promise<FileFailure[]> {
  try {
    await rows(file, columns);
  } catch (error) {
    if (error instanceof TableFileError) return error.failures;
    throw error;
  }
  throw new Error('expected a TableFileError');
}

const brief = (list: TableRow[]) => list.map((r) => ({ row: r.row, ...r.values }));

describe('CSV', () => {
  it('reads UTF-8 with a BOM, matching headers loosely and ignoring unknown columns', async () => {
    const file = fixture('bom.csv', '\uFEFF序号, Credit Code ,企业名称\n1,91350100M000100Y43, 甲公司 \n2,,"  乙公司 "\n');
    const list = await rows(file);
    expect(brief(list)).toEqual([
      { row: 2, creditCode: '91350100M000100Y43', name: '甲公司', amount: null },
      { row: 3, creditCode: null, name: '乙公司', amount: null },
    ]);
    expect(list[0].columns).toEqual({ creditCode: 'Credit Code', name: '企业名称', amount: '金额' });
  });

  it('matches headers across case, _, -, spaces, full-width letters and bracketed notes', async () => {
    const file = fixture('loose.csv', 'CREDIT-CODE,Ｎａｍｅ,金额（元）\nX,甲,1\n');
    expect(brief(await rows(file))).toEqual([{ row: 2, creditCode: 'X', name: '甲', amount: '1' }]);
  });

  it('reads a GB18030 (GBK) export', async () => {
    const file = fixture('gbk.csv', iconv.encode('统一社会信用代码,企业名称,金额\n91350100M000100Y43,福州市“专精特新”科技有限公司,1234.50\n', 'gb18030'));
    expect(brief(await rows(file))).toEqual([{ row: 2, creditCode: '91350100M000100Y43', name: '福州市“专精特新”科技有限公司', amount: '1234.50' }]);
  });

  it("reads Excel's Unicode text: UTF-16 with a byte-order mark, tab-delimited", async () => {
    const file = fixture('unicode.txt', iconv.encode('统一社会信用代码\t企业名称\r\nA\t甲公司\r\n', 'utf16le', { addBOM: true }));
    expect(brief(await rows(file))).toEqual([{ row: 2, creditCode: 'A', name: '甲公司', amount: null }]);
  });

  it('detects tab and semicolon delimiters from the header line', async () => {
    const tab = fixture('tab.txt', 'creditCode\tname\nA\t甲, 有限公司\n');
    const semicolon = fixture('semi.csv', 'creditCode;name\nB;乙\n');
    expect(brief(await rows(tab))).toEqual([{ row: 2, creditCode: 'A', name: '甲, 有限公司', amount: null }]);
    expect(brief(await rows(semicolon))).toEqual([{ row: 2, creditCode: 'B', name: '乙', amount: null }]);
  });

  it('numbers rows as a spreadsheet shows them, whatever line breaks quoted cells hold', async () => {
    const file = fixture('multiline.csv', 'creditCode,name\nA,"第一行\n第二行"\r\nB,乙\n');
    expect(brief(await rows(file))).toEqual([
      { row: 2, creditCode: 'A', name: '第一行\n第二行', amount: null },
      { row: 3, creditCode: 'B', name: '乙', amount: null },
    ]);
  });

  it('skips blank lines and rows of empty cells but keeps the numbering true', async () => {
    const file = fixture('blank.csv', 'creditCode,name\n\nA,甲\n , \n,"  "\nB,乙\n\n');
    expect(brief(await rows(file)).map((r) => r.row)).toEqual([3, 6]);
  });

  it('passes over a title row above the header', async () => {
    const file = fixture('title.csv', '2025年第一批名单,,\n\n统一社会信用代码,企业名称,金额\nA,甲,\n');
    const list = await rows(file);
    expect(brief(list)).toEqual([{ row: 4, creditCode: 'A', name: '甲', amount: null }]);
  });

  it('accepts unquoted quotation marks inside a cell', async () => {
    const file = fixture('quotes.csv', 'creditCode,name\nA,专精特新"小巨人"企业\n');
    expect((await rows(file))[0].values.name).toBe('专精特新"小巨人"企业');
  });

  it('refuses a file without a required column, naming its first alias', async () => {
    const file = fixture('missing.csv', '企业名称,金额\n甲,1\n');
    expect(await fileFailures(file)).toEqual([
      { row: 1, column: '统一社会信用代码', code: 'MISSING_COLUMN', params: { accepted: '统一社会信用代码, creditCode, credit_code, Credit Code' } },
    ]);
  });

  it('reports every missing column of the header that came closest', async () => {
    const file = fixture('missing-two.csv', '金额\n1\n');
    expect((await fileFailures(file)).map((f) => [f.row, f.column, f.code])).toEqual([
      [1, '统一社会信用代码', 'MISSING_COLUMN'],
      [1, '企业名称', 'MISSING_COLUMN'],
    ]);
  });

  it('refuses two headers for one field', async () => {
    const file = fixture('duplicate.csv', '统一社会信用代码,企业名称,credit_code\nA,甲,B\n');
    expect(await fileFailures(file)).toEqual([{ row: 1, column: 'credit_code', code: 'DUPLICATE_COLUMN', params: { other: '统一社会信用代码' } }]);
  });

  it('refuses an empty file but yields nothing for a header alone', async () => {
    expect(await fileFailures(fixture('empty.csv', ''))).toEqual([{ row: 0, column: '', code: 'EMPTY_FILE' }]);
    expect(await fileFailures(fixture('blank-only.csv', '\n \n,,\n'))).toEqual([{ row: 0, column: '', code: 'EMPTY_FILE' }]);
    expect(await rows(fixture('header-only.csv', 'creditCode,name\n'))).toEqual([]);
  });
});

describe('file types', () => {
  it.each([
    ['a.csv', 'csv'], ['a.TXT', 'csv'], ['a.xlsx', 'xlsx'], ['a.jsonl', 'jsonl'], ['a.ndjson', 'jsonl'],
  ])('%s is %s', (name, format) => {
    expect(formatOf(name)).toBe(format);
  });

  it('refuses any other extension, before reading anything', async () => {
    expect(() => formatOf('名单.xls')).toThrow(TableFileError);
    const failures = await fileFailures(fixture('名单.xls', 'whatever'));
    expect(failures).toEqual([
      { row: 0, column: '', code: 'UNSUPPORTED_FILE_TYPE', params: { extension: '.xls', allowed: '.csv, .txt, .xlsx, .jsonl, .ndjson' } },
    ]);
  });
});

describe('XLSX', () => {
  it('reads the first sheet: trimmed text, dates, numbers, rich text, formulas, links and booleans', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    const other = workbook.addWorksheet('说明');
    other.addRow(['creditCode', 'name']);
    other.addRow(['NOT', 'READ']);
    sheet.addRow(['统一社会信用代码', '企业名称', '日期', '数量', '是否']);
    sheet.addRow([' 91350100M000100Y43 ', { richText: [{ text: '福州' }, { font: { bold: true }, text: '甲公司' }] }, new Date(Date.UTC(2025, 0, 2)), 45658, true]);
    sheet.addRow([]);
    sheet.addRow([{ formula: 'UPPER("b")', result: 'B' }, { text: '乙公司', hyperlink: 'https://example.org' }, null, { formula: '1+1', result: 2 }, false]);
    sheet.getCell('C2').numFmt = 'yyyy-mm-dd';
    const file = path.join(dir, 'list.xlsx');
    await workbook.xlsx.writeFile(file);

    const columns: ColumnSpec[] = [
      ...COLUMNS.slice(0, 2),
      { field: 'date', aliases: ['日期'], required: false },
      { field: 'count', aliases: ['数量'], required: false },
      { field: 'flag', aliases: ['是否'], required: false },
    ];
    expect(brief(await rows(file, columns))).toEqual([
      { row: 2, creditCode: '91350100M000100Y43', name: '福州甲公司', date: new Date(Date.UTC(2025, 0, 2)), count: 45658, flag: true },
      { row: 4, creditCode: 'B', name: '乙公司', date: null, count: 2, flag: false },
    ]);
  });

  it('keeps Chinese text whole where a character falls across two stream chunks (exceljs #2063)', async () => {
    const file = path.join(dir, 'chinese.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['统一社会信用代码', '企业名称']).commit();
    for (let i = 0; i < 20_000; i++) sheet.addRow([`code${i}`, `专精特新"小巨人"示例企业${i}有限公司`]).commit();
    sheet.commit();
    await workbook.commit();
    let rows = 0;
    for await (const row of readTable(file, COLUMNS)) {
      rows += 1;
      expect(row.values.name).toBe(`专精特新"小巨人"示例企业${row.row - 2}有限公司`);
    }
    expect(rows).toBe(20_000);
  });

  it('refuses a sheet without the required columns', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRow(['企业名称']);
    const file = path.join(dir, 'missing.xlsx');
    await workbook.xlsx.writeFile(file);
    expect((await fileFailures(file)).map((f) => f.code)).toEqual(['MISSING_COLUMN']);
  });
});

describe('JSON lines', () => {
  it('matches keys like headers and numbers rows by line; bad lines come back as row failures', async () => {
    const file = fixture(
      'credit.jsonl',
      [
        '{"credit_code": " A ", "name": "甲", "amount": 12.5}',
        '',
        'not json',
        '[1, 2]',
        '{"name": "丙"}',
        '{"creditCode": "D", "Credit Code": "E", "name": "丁"}',
      ].join('\n'),
    );
    const list = await rows(file);
    expect(list.map((r) => [r.row, r.values, r.failures])).toEqual([
      [1, { creditCode: 'A', name: '甲', amount: 12.5 }, undefined],
      [3, { creditCode: null, name: null, amount: null }, [{ row: 3, column: '', code: 'INVALID_JSON_LINE' }]],
      [4, { creditCode: null, name: null, amount: null }, [{ row: 4, column: '', code: 'INVALID_JSON_LINE' }]],
      [5, { creditCode: null, name: '丙', amount: null }, [{ row: 5, column: 'creditCode', code: 'REQUIRED' }]],
      [6, { creditCode: 'D', name: '丁', amount: null }, [{ row: 6, column: 'Credit Code', code: 'DUPLICATE_COLUMN', params: { other: 'creditCode' } }]],
    ]);
    expect(list[0].columns).toEqual({ creditCode: 'credit_code', name: 'name', amount: 'amount' });
  });

  it('keeps arrays and objects as they are', async () => {
    const file = fixture('nested.ndjson', '\uFEFF{"creditCode": "A", "name": "甲", "amount": [{"x": 1}]}\n');
    expect((await rows(file))[0].values.amount).toEqual([{ x: 1 }]);
  });

  it('refuses a file with no lines', async () => {
    expect(await fileFailures(fixture('empty.jsonl', '\n\n'))).toEqual([{ row: 0, column: '', code: 'EMPTY_FILE' }]);
  });
});

describe('progress', () => {
  it('reports growing byte counts, at most about every 1 %, ending at the file size', async () => {
    const lines = ['creditCode,name'];
    for (let i = 0; i < 20000; i++) lines.push(`91350100M${String(i).padStart(8, '0')}X,某某科技有限公司${i}`);
    const file = fixture('big.csv', lines.join('\n'));
    const total = fs.statSync(file).size;
    const calls: [number, number][] = [];
    let count = 0;
    for await (const row of readTable(file, COLUMNS, { onProgress: (read, size) => calls.push([read, size]) })) {
      if (row.values.creditCode !== null) count++;
    }
    expect(count).toBe(20000);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.length).toBeLessThanOrEqual(101);
    expect(calls.every(([, size]) => size === total)).toBe(true);
    expect(calls.every(([read], i) => i === 0 || read >= calls[i - 1][0])).toBe(true);
    expect(calls[calls.length - 1]).toEqual([total, total]);
  });

  it('ends at the file size for XLSX and JSON lines too', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRows([['creditCode', 'name'], ['A', '甲']]);
    const xlsx = path.join(dir, 'progress.xlsx');
    await workbook.xlsx.writeFile(xlsx);
    const jsonl = fixture('progress.jsonl', '{"creditCode":"A","name":"甲"}\n');
    for (const file of [xlsx, jsonl]) {
      const calls: number[] = [];
      for await (const row of readTable(file, COLUMNS, { onProgress: (read) => calls.push(read) })) expect(row.values.creditCode).toBe('A');
      expect(calls[calls.length - 1]).toBe(fs.statSync(file).size);
    }
  });
});

describe('files from outside (SECURITY.md "Files from outside")', () => {
  const LIMITS: FileLimits = { maxBytes: 4 * 1024 * 1024, maxRows: 100, maxCellChars: 1000 };

  async function failuresWithin(file: string, limits: FileLimits = LIMITS): Promise<FileFailure[]> {
    try {
      for await (const _row of readTable(file, COLUMNS, { limits }));
    } catch (error) {
      if (error instanceof TableFileError) return error.failures;
      throw error;
    }
    throw new Error('expected a TableFileError');
  }

  const codes = (failures: FileFailure[]) => failures.map((f) => [f.row, f.code, f.messageKey ?? f.code]);

  describe('an XLSX zip bomb', () => {
    it('is refused from its central directory when it declares more than maxBytes, before anything is inflated', async () => {
      // The sheet's data is not deflate at all: inflating it would be XLSX_DAMAGED, not FILE_TOO_LARGE.
      const file = path.join(dir, 'declared.xlsx');
      await writeZip(file, workbookEntries(() => [Buffer.alloc(64)], { declaredSize: 300_000_000 }));
      const [failure] = await failuresWithin(file, DEFAULT_FILE_LIMITS);
      expect(failure).toEqual({ row: 0, column: '', code: 'FILE_TOO_LARGE', messageKey: 'FILE_TOO_LARGE.declared', params: { max: '256', size: '286.1' } });
      expect(message('en', failure.messageKey!, failure.params)).toBe('The workbook unzips to 286.1 MiB, more than the 256 MiB allowed (FILE_MAX_BYTES); nothing was unzipped');
    });

    it('whose one cell is longer than maxCellChars stops at that cell, with its row', async () => {
      const file = path.join(dir, 'cell.xlsx');
      await writeHugeCellXlsx(file, 3_000_000);
      expect(fs.statSync(file).size).toBeLessThan(10_000);
      expect(await failuresWithin(file)).toEqual([{ row: 2, column: '', code: 'CELL_TOO_LONG', params: { max: 1000 } }]);
    });

    it('whose sheet inflates to more than its headers declare is refused as damaged, whether the local header states the size or leaves it out', async () => {
      for (const entry of [{ declaredSize: 1000 }, { declaredSize: 1000, descriptor: true }]) {
        const file = path.join(dir, 'lying.xlsx');
        await writeHugeCellXlsx(file, 3_000_000, entry);
        const failures = await failuresWithin(file, DEFAULT_FILE_LIMITS);
        expect(codes(failures)).toEqual([[0, 'XLSX_DAMAGED', 'XLSX_DAMAGED']]);
        expect(failures[0].params?.detail).toMatch(/too many bytes/);
      }
    });

    it('reads a sheet whose local header leaves the sizes to a data descriptor, as streaming writers do', async () => {
      const file = path.join(dir, 'descriptor.xlsx');
      await writeZip(file, workbookEntries(sheetXml(() => [rowXml(2, ['A', '甲公司'])]), { descriptor: true }));
      expect(brief(await rows(file))).toEqual([{ row: 2, creditCode: 'A', name: '甲公司', amount: null }]);
    });

    it('with more rows than maxRows stops at the first row beyond it', async () => {
      const file = path.join(dir, 'rows.xlsx');
      await writeManyRowsXlsx(file, 500);
      expect(await failuresWithin(file)).toEqual([{ row: 102, column: '', code: 'TOO_MANY_ROWS', params: { max: 100 } }]);
    });

    it('whose <dimension> declares more rows than allowed is refused before its first row', async () => {
      const file = path.join(dir, 'dimension.xlsx');
      await writeManyRowsXlsx(file, 500, true);
      expect(await failuresWithin(file)).toEqual([{ row: 0, column: '', code: 'TOO_MANY_ROWS', messageKey: 'TOO_MANY_ROWS.declared', params: { max: 100, rows: 500 } }]);
    });

    it('cannot hide a long text in a CDATA section full of false row ends, or in a comment', async () => {
      const cdata = `<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[${'</row><row>'.repeat(2000)}]]></t></is></c></row>`;
      const comment = `<!--${'<row>'.repeat(4000)}-->`;
      for (const [name, body] of [['cdata.xlsx', cdata], ['comment.xlsx', comment]]) {
        const file = path.join(dir, name);
        await writeZip(file, workbookEntries(sheetXml(() => [body])));
        expect((await failuresWithin(file)).map((f) => f.code)).toEqual([name === 'cdata.xlsx' ? 'CELL_TOO_LONG' : 'ROW_TOO_LONG']);
      }
    });

    it('with a DOCTYPE (entity expansion) is refused', async () => {
      const file = path.join(dir, 'doctype.xlsx');
      await writeZip(file, workbookEntries(() => [Buffer.from('<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><worksheet/>')]));
      expect(await failuresWithin(file)).toEqual([{ row: 0, column: '', code: 'XLSX_DAMAGED', params: { detail: 'DOCTYPE' } }]);
    });
  });

  describe('a file that is not what its name says', () => {
    it('a PNG renamed .xlsx is NOT_XLSX', async () => {
      const failures = await failuresWithin(fixture('picture.xlsx', pngBytes()));
      expect(codes(failures)).toEqual([[0, 'NOT_XLSX', 'NOT_XLSX']]);
      expect(message('en', 'NOT_XLSX', failures[0].params)).toMatch(/^The file is not an Excel workbook \(\.xlsx\): perhaps another kind of file renamed/);
    });

    it('a zip without a workbook (a .docx renamed) is NOT_XLSX', async () => {
      const file = path.join(dir, 'document.xlsx');
      await writeZip(file, [{ name: 'word/document.xml', chunks: () => [Buffer.from('<document/>')] }]);
      expect(await failuresWithin(file)).toEqual([{ row: 0, column: '', code: 'NOT_XLSX', params: { detail: 'no xl/workbook.xml' } }]);
    });
  });

  describe('encodings', () => {
    const header = '统一社会信用代码,企业名称\n';

    it('refuses Latin-1 rather than reading it as GB18030, naming the encodings it reads', async () => {
      // "é " (0xE9 0x20) is no GB18030 sequence at all: refused at its line.
      const file = fixture('latin1.csv', Buffer.concat([Buffer.from('creditCode,name\n'), latin1('A,Café Zürich SARL\nB,Crème brûlée, Société\n')]));
      const failures = await failuresWithin(file);
      expect(failures).toEqual([{ row: 0, column: '', code: 'UNSUPPORTED_ENCODING', messageKey: 'UNSUPPORTED_ENCODING.line', params: { accepted: READABLE_ENCODINGS, line: 2 } }]);
      expect(message('en', failures[0].messageKey!, failures[0].params)).toBe(
        'The file is not in an encoding finmatch reads (from line 2); it reads UTF-8 (with or without BOM), GB18030/GBK/GB2312, UTF-16 with BOM. In Excel, save it as "CSV UTF-8"',
      );
    });

    it('refuses Windows-1252 and Shift-JIS whose bytes happen to form valid GBK pairs (rare characters only)', async () => {
      // Read as GBK, "Müller" is "M黮ler" and "Zürich" "Z黵ich": valid, but every pair is outside GB2312.
      const windows1252 = fixture('cp1252.csv', iconv.encode('creditCode,name\nA,Müller Zürich AG\nB,“Ärzte” Großhandel\n', 'win1252'));
      const shiftJis = fixture('sjis.csv', iconv.encode('creditCode,name\nA,株式会社さくら\n', 'shift_jis'));
      for (const file of [windows1252, shiftJis]) expect((await failuresWithin(file)).map((f) => f.code)).toEqual(['UNSUPPORTED_ENCODING']);
    });

    it('still reads GBK lists that hold a few rare characters, and UTF-8 without a BOM', async () => {
      const gbk = fixture('rare.csv', iconv.encode(`${header}A,深圳市堃喆昇科技有限公司\nB,福州市专精特新示例有限公司\n`, 'gb18030'));
      expect((await rows(gbk)).map((r) => r.values.name)).toEqual(['深圳市堃喆昇科技有限公司', '福州市专精特新示例有限公司']);
      const utf8 = fixture('nobom.csv', `${header}A,Café Zürich 甲公司\n`);
      expect((await rows(utf8)).map((r) => r.values.name)).toEqual(['Café Zürich 甲公司']);
    });

    it('refuses UTF-16 without its byte-order mark', async () => {
      const file = fixture('utf16-nobom.csv', iconv.encode(`${header}A,甲公司\n`, 'utf16le'));
      expect((await failuresWithin(file)).map((f) => f.code)).toEqual(['UNSUPPORTED_ENCODING']);
    });

    it('refuses JSON lines that are not UTF-8, at their line', async () => {
      const file = fixture('gbk.jsonl', Buffer.concat([Buffer.from('{"creditCode":"A","name":"x"}\n'), iconv.encode('{"creditCode":"B","name":"甲公司"}\n', 'gbk')]));
      expect(await failuresWithin(file)).toEqual([{ row: 2, column: '', code: 'UNSUPPORTED_ENCODING', params: { accepted: 'UTF-8' } }]);
    });
  });

  describe('limits on text files', () => {
    it('refuses a CSV or JSON-lines file larger than maxBytes before reading it', async () => {
      const file = fixture('big.csv', `creditCode,name\n${'A,甲\n'.repeat(300_000)}`);
      expect(await failuresWithin(file, { ...LIMITS, maxBytes: 1024 * 1024 })).toEqual([{ row: 0, column: '', code: 'FILE_TOO_LARGE', params: { max: '1', size: '1.7' } }]);
    });

    it('stops at the first row beyond maxRows, counting from the header', async () => {
      const csv = fixture('rows.csv', `标题\n\ncreditCode,name\n${'A,甲\n'.repeat(150)}`);
      expect(await failuresWithin(csv)).toEqual([{ row: 104, column: '', code: 'TOO_MANY_ROWS', params: { max: 100 } }]);
      const jsonl = fixture('rows.jsonl', '{"creditCode":"A","name":"甲"}\n'.repeat(150));
      expect(await failuresWithin(jsonl)).toEqual([{ row: 101, column: '', code: 'TOO_MANY_ROWS', params: { max: 100 } }]);
    });

    it('refuses a cell longer than maxCellChars at its row and column', async () => {
      const csv = fixture('cell.csv', `creditCode,name\nA,甲\nB,${'长'.repeat(1001)}\n`);
      expect(await failuresWithin(csv)).toEqual([{ row: 3, column: 'name', code: 'CELL_TOO_LONG', params: { max: 1000 } }]);
      const jsonl = fixture('cell.jsonl', JSON.stringify({ creditCode: 'A', name: 'x'.repeat(1001) }));
      expect(await failuresWithin(jsonl)).toEqual([{ row: 1, column: 'name', code: 'CELL_TOO_LONG', params: { max: 1000 } }]);
    });

    it('refuses a line longer than 64 bytes per allowed cell character before parsing it (a 300 MB line is never held)', async () => {
      const separators = fixture('commas.csv', `creditCode,name\nA,B${','.repeat(70_000)}\n`);
      expect(await failuresWithin(separators)).toEqual([{ row: 2, column: '', code: 'ROW_TOO_LONG', params: { max: '0.1' } }]);
      const jsonl = fixture('line.jsonl', `{"creditCode":"A","name":"${' '.repeat(70_000)}"}\n`);
      expect(await failuresWithin(jsonl)).toEqual([{ row: 1, column: '', code: 'ROW_TOO_LONG', params: { max: '0.1' } }]);
    });

    it('marks a cell holding NUL or another control character as a failure of its row, any format', async () => {
      const csv = fixture('nul.csv', 'creditCode,name\nA,甲\u0000公司\nB,乙公司\tC\n');
      const list = await rows(csv);
      expect(list.map((r) => r.failures)).toEqual([[{ row: 2, column: 'name', code: 'INVALID_TEXT', params: { position: 2, codePoint: 'U+0000' } }], undefined]);
      const jsonl = fixture('esc.jsonl', JSON.stringify({ creditCode: 'A', name: '\u001b[2J甲' }));
      expect((await rows(jsonl))[0].failures).toEqual([{ row: 1, column: 'name', code: 'INVALID_TEXT', params: { position: 1, codePoint: 'U+001B' } }]);
    });
  });
});
