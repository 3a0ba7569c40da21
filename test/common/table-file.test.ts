/**
 * The table-file reader behind the whitelist (R4) and credit (R5) imports: encodings, delimiters, row
 * numbers as a person sees them, header matching, XLSX cell kinds, JSON lines and progress.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { ColumnSpec, FileFailure, formatOf, readTable, TableFileError, TableRow } from '../../src/common/table-file';

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
