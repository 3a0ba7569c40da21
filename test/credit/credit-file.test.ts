/**
 * R5 — credit-data files: ratings, tax grades, the figures, and dishonesty listings in their text form
 * (CSV, XLSX) and their array form (JSON lines).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTable, TableRow } from '../../src/common/table-file';
import { CREDIT_COLUMNS, creditRow, parseDishonestyKind } from '../../src/credit/credit.file';
import { DishonestyKind } from '../../src/credit/grades';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credit-file-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function rowsOf(name: string, content: string): Promise<TableRow[]> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  const rows: TableRow[] = [];
  for await (const row of readTable(file, CREDIT_COLUMNS)) rows.push(row);
  return rows;
}

let files = 0;

/** One CSV row under the given headers (values with commas or line breaks quoted). */
async function csvRow(headers: string[], values: string[]): Promise<TableRow> {
  const quote = (v: string) => (/[,\n"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const [row] = await rowsOf(`row-${++files}.csv`, `${headers.join(',')}\n${values.map(quote).join(',')}\n`);
  return row;
}

const one = (header: string, value: string) => csvRow(['统一社会信用代码', header], ['91350100M000100Y43', value]);

describe('parseDishonestyKind', () => {
  it.each<[string, DishonestyKind]>([
    ['DISHONEST_JUDGMENT_DEBTOR', 'DISHONEST_JUDGMENT_DEBTOR'],
    ['major_tax_violation', 'MAJOR_TAX_VIOLATION'],
    ['Abnormal Operation', 'ABNORMAL_OPERATION'],
    ['失信被执行人', 'DISHONEST_JUDGMENT_DEBTOR'],
    ['重大税收违法', 'MAJOR_TAX_VIOLATION'],
    ['重大税收违法失信主体', 'MAJOR_TAX_VIOLATION'],
    ['重大税收违法案件当事人', 'MAJOR_TAX_VIOLATION'],
    ['经营异常', 'ABNORMAL_OPERATION'],
    ['经营异常名录', 'ABNORMAL_OPERATION'],
    [' 列入经营异常名录 ', 'ABNORMAL_OPERATION'],
  ])('%s → %s', (text, kind) => {
    expect(parseDishonestyKind(text)).toBe(kind);
  });

  it.each(['失信', '严重违法失信名单', '税收违法', ''])('%p is not a kind', (text) => {
    expect(parseDishonestyKind(text)).toBeNull();
  });
});

describe('creditRow', () => {
  it('reads a full row under Chinese headers', async () => {
    const row = await csvRow(
      ['统一社会信用代码', '企业名称', '数据来源', '数据日期', '信用评级', '纳税信用等级', '近12个月逾期次数', '当前逾期金额（元）', '社保连续缴纳月数', '是否有银行贷款', '失信记录'],
      ['91350100m000100y43', '福州甲科技有限公司', '人行征信', '2025/6/30', 'aa', 'A级', '2', '1,234.50', '36', '是', '失信被执行人:2024-03-01:2024-09-30；经营异常名录：20250102'],
    );
    const { record, failures } = creditRow(row);
    expect(failures).toEqual([]);
    expect(record).toMatchObject({
      row: 2,
      creditCode: '91350100M000100Y43',
      name: '福州甲科技有限公司',
      source: '人行征信',
      asOf: '2025-06-30',
      rating: 'AA',
      taxGrade: 'A',
      overdueCount12m: 2,
      socialSecurityMonths: 36,
      hadBankLoan: true,
      dishonesty: [
        { kind: 'DISHONEST_JUDGMENT_DEBTOR', listedOn: '2024-03-01', repairedOn: '2024-09-30' },
        { kind: 'ABNORMAL_OPERATION', listedOn: '2025-01-02', repairedOn: null },
      ],
    });
    expect(record?.currentOverdueAmount?.toFixed(2)).toBe('1234.50');
  });

  it('needs only the credit code; what the file leaves out is null', async () => {
    const row = await csvRow(['creditCode', 'rating'], ['A', '']);
    expect(creditRow(row)).toEqual({
      record: {
        row: 2, creditCode: 'A', name: null, source: null, asOf: null, rating: null, taxGrade: null,
        overdueCount12m: null, currentOverdueAmount: null, socialSecurityMonths: null, hadBankLoan: null, dishonesty: [],
      },
      failures: [],
      columns: expect.objectContaining({ creditCode: 'creditCode', rating: 'rating', name: '企业名称' }),
    });
  });

  it('refuses a blank credit code', async () => {
    const row = await csvRow(['信用代码', '企业名称'], ['', '甲']);
    expect(creditRow(row)).toMatchObject({ record: null, failures: [{ row: 2, column: '信用代码', code: 'REQUIRED' }] });
  });

  describe('ratings and tax grades', () => {
    it.each([['AAA', 'AAA'], [' bbb ', 'BBB'], ['AA级', 'AA'], ['ＣＣ', 'CC']])('rating %p → %s', async (text, rating) => {
      expect(creditRow(await one('信用评级', text)).record?.rating).toBe(rating);
    });

    it.each(['AA+', 'D', '良好'])('rating %p is unknown', async (text) => {
      expect(creditRow(await one('评级', text)).failures).toEqual([
        { row: 2, column: '评级', code: 'UNKNOWN_RATING', params: { value: text, allowed: 'AAA, AA, A, BBB, BB, B, CCC, CC, C' } },
      ]);
    });

    it.each([['A', 'A'], ['b级', 'B'], ['M级', 'M'], ['D', 'D']])('tax grade %p → %s', async (text, grade) => {
      expect(creditRow(await one('纳税信用等级', text)).record?.taxGrade).toBe(grade);
    });

    it.each(['E', 'AA', '优秀'])('tax grade %p is unknown', async (text) => {
      expect(creditRow(await one('taxGrade', text)).failures).toEqual([
        { row: 2, column: 'taxGrade', code: 'UNKNOWN_TAX_GRADE', params: { value: text, allowed: 'A, B, M, C, D' } },
      ]);
    });
  });

  describe('figures', () => {
    it('bounds the overdue count and social-security months', async () => {
      const row = await csvRow(['creditCode', '逾期次数', '社保月数'], ['A', '367', '1201']);
      expect(creditRow(row).failures).toEqual([
        { row: 2, column: '逾期次数', code: 'OUT_OF_RANGE', params: { min: 0, max: 366 } },
        { row: 2, column: '社保月数', code: 'OUT_OF_RANGE', params: { min: 0, max: 1200 } },
      ]);
    });

    it('refuses unreadable figures on their columns', async () => {
      const row = await csvRow(['creditCode', 'overdueCount12m', '逾期金额', 'hadBankLoan', 'asOf'], ['A', '1.5', '12.345', 'maybe', '6/30/2025']);
      expect(creditRow(row).failures).toEqual([
        { row: 2, column: 'asOf', code: 'INVALID_DATE', params: { value: '6/30/2025' } },
        { row: 2, column: 'overdueCount12m', code: 'INVALID_INTEGER', params: { value: '1.5' } },
        { row: 2, column: '逾期金额', code: 'TOO_MANY_DECIMAL_PLACES', params: { places: 2 } },
        { row: 2, column: 'hadBankLoan', code: 'INVALID_BOOLEAN', params: { value: 'maybe' } },
      ]);
    });

    it('limits the source to 100 characters', async () => {
      expect(creditRow(await one('来源', 'x'.repeat(101))).failures).toEqual([{ row: 2, column: '来源', code: 'INVALID_LENGTH', params: { min: 1, max: 100 } }]);
    });
  });

  describe('dishonesty as text', () => {
    it('splits listings on ; ； and line breaks, and parts on : ： and |', async () => {
      const row = await one('失信信息', 'DISHONEST_JUDGMENT_DEBTOR|2024-01-01\n重大税收违法：2024/2/1：2024年3月1日;经营异常:20240401:');
      expect(creditRow(row).record?.dishonesty).toEqual([
        { kind: 'DISHONEST_JUDGMENT_DEBTOR', listedOn: '2024-01-01', repairedOn: null },
        { kind: 'MAJOR_TAX_VIOLATION', listedOn: '2024-02-01', repairedOn: '2024-03-01' },
        { kind: 'ABNORMAL_OPERATION', listedOn: '2024-04-01', repairedOn: null },
      ]);
    });

    it('reads blank and 无 as no listing', async () => {
      expect(creditRow(await one('失信记录', '无')).record?.dishonesty).toEqual([]);
      expect(creditRow(await one('失信记录', ' ')).record?.dishonesty).toEqual([]);
    });

    it('names each bad listing', async () => {
      const row = await one('失信记录', '失信被执行人;被执行人:2024-01-01;经营异常:2024-13-01;经营异常:2024-01-01:2024-01-02:x');
      expect(creditRow(row).failures).toEqual([
        { row: 2, column: '失信记录', code: 'INVALID_DISHONESTY', params: { value: '失信被执行人', expected: 'KIND:YYYY-MM-DD[:YYYY-MM-DD]' } },
        { row: 2, column: '失信记录', code: 'UNKNOWN_DISHONESTY_KIND', params: { value: '被执行人' } },
        { row: 2, column: '失信记录', code: 'INVALID_DATE', params: { value: '2024-13-01' } },
        { row: 2, column: '失信记录', code: 'INVALID_DISHONESTY', params: { value: '经营异常:2024-01-01:2024-01-02:x', expected: 'KIND:YYYY-MM-DD[:YYYY-MM-DD]' } },
      ]);
    });
  });

  describe('JSON lines', () => {
    it('takes typed figures and dishonesty as an array of objects', async () => {
      const line = {
        creditCode: 'A',
        asOf: '2025-06-30',
        overdueCount12m: 0,
        currentOverdueAmount: 1234.5,
        socialSecurityMonths: 12,
        hadBankLoan: false,
        dishonesty: [
          { kind: 'DISHONEST_JUDGMENT_DEBTOR', listedOn: '2024-01-01', repairedOn: '2024-06-01' },
          { kind: '经营异常名录', listedOn: '2024/7/1', repairedOn: null },
          { kind: 'MAJOR_TAX_VIOLATION', listedOn: '2024-08-01' },
          'ABNORMAL_OPERATION:2024-09-01',
        ],
      };
      const [row] = await rowsOf('typed.jsonl', `${JSON.stringify(line)}\n`);
      const { record, failures } = creditRow(row);
      expect(failures).toEqual([]);
      expect(record).toMatchObject({
        overdueCount12m: 0,
        socialSecurityMonths: 12,
        hadBankLoan: false,
        dishonesty: [
          { kind: 'DISHONEST_JUDGMENT_DEBTOR', listedOn: '2024-01-01', repairedOn: '2024-06-01' },
          { kind: 'ABNORMAL_OPERATION', listedOn: '2024-07-01', repairedOn: null },
          { kind: 'MAJOR_TAX_VIOLATION', listedOn: '2024-08-01', repairedOn: null },
          { kind: 'ABNORMAL_OPERATION', listedOn: '2024-09-01', repairedOn: null },
        ],
      });
      expect(record?.currentOverdueAmount?.toFixed()).toBe('1234.5');
    });

    it('refuses malformed array items and bad values on the key as written', async () => {
      const line = { credit_code: 'A', dishonesty: [{ kind: 'X', listedOn: '2024-01-01' }, { listedOn: '2024-01-01' }, 5], hadBankLoan: 'perhaps' };
      const [row] = await rowsOf('bad.jsonl', `${JSON.stringify(line)}\n`);
      expect(creditRow(row)).toMatchObject({
        record: null,
        failures: [
          { row: 1, column: 'hadBankLoan', code: 'INVALID_BOOLEAN', params: { value: 'perhaps' } },
          { row: 1, column: 'dishonesty', code: 'UNKNOWN_DISHONESTY_KIND', params: { value: 'X' } },
          { row: 1, column: 'dishonesty', code: 'INVALID_DISHONESTY', params: { value: '{"listedOn":"2024-01-01"}' } },
          { row: 1, column: 'dishonesty', code: 'INVALID_DISHONESTY', params: { value: '5' } },
        ],
        columns: { creditCode: 'credit_code' },
      });
    });

    it('reports a line without a credit code once', async () => {
      const [row] = await rowsOf('nocode.jsonl', '{"name": "甲"}\n');
      expect(creditRow(row).failures).toEqual([{ row: 1, column: 'creditCode', code: 'REQUIRED' }]);
    });
  });
});
