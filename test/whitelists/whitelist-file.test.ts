/**
 * R4 — whitelist files: every spelling of the tiers authorities use, and row failures placed on the
 * columns as the file writes them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTable, TableRow } from '../../src/common/table-file';
import { parseTier, WHITELIST_COLUMNS, whitelistRow } from '../../src/whitelists/whitelist.file';
import { QualificationTier } from '../../src/whitelists/tier';

describe('parseTier', () => {
  it.each<[string, QualificationTier]>([
    ['INNOVATIVE_SME', 'INNOVATIVE_SME'],
    ['little_giant', 'LITTLE_GIANT'],
    [' Little Giant ', 'LITTLE_GIANT'],
    ['single-champion', 'SINGLE_CHAMPION'],
    ['Specialized_SME', 'SPECIALIZED_SME'],
    ['创新型中小企业', 'INNOVATIVE_SME'],
    [' 创新型中小企业 ', 'INNOVATIVE_SME'],
    ['专精特新中小企业', 'SPECIALIZED_SME'],
    ['省级专精特新中小企业', 'SPECIALIZED_SME'],
    ['专精特新"小巨人"', 'LITTLE_GIANT'],
    ['专精特新“小巨人”', 'LITTLE_GIANT'],
    ['专精特新「小巨人」', 'LITTLE_GIANT'],
    ['专精特新『小巨人』', 'LITTLE_GIANT'],
    ['专精特新‘小巨人’', 'LITTLE_GIANT'],
    ["专精特新'小巨人'", 'LITTLE_GIANT'],
    ['专精特新＂小巨人＂', 'LITTLE_GIANT'],
    ['专精特新小巨人', 'LITTLE_GIANT'],
    ['专精特新"小巨人"企业', 'LITTLE_GIANT'],
    ['专精特新“小巨人”企业', 'LITTLE_GIANT'],
    ['专精特新小巨人企业', 'LITTLE_GIANT'],
    ['国家级专精特新“小巨人”企业', 'LITTLE_GIANT'],
    ['国家级专精特新小巨人企业', 'LITTLE_GIANT'],
    ['专精特新 “小巨人” 企业', 'LITTLE_GIANT'],
    ['制造业单项冠军', 'SINGLE_CHAMPION'],
    ['制造业单项冠军企业', 'SINGLE_CHAMPION'],
    ['制造业单项冠军示范企业', 'SINGLE_CHAMPION'],
    ['单项冠军示范企业', 'SINGLE_CHAMPION'],
    ['单项冠军', 'SINGLE_CHAMPION'],
    ['国家级制造业单项冠军企业', 'SINGLE_CHAMPION'],
  ])('%s → %s', (text, tier) => {
    expect(parseTier(text)).toBe(tier);
  });

  it.each([
    '专精特新',
    '专精特新企业',
    '小巨人',
    '市级专精特新中小企业',
    '省级专精特新“小巨人”企业',
    '省级制造业单项冠军',
    '单项冠军产品',
    '高新技术企业',
    'GIANT',
    '',
  ])('%p is not a tier', (text) => {
    expect(parseTier(text)).toBeNull();
  });
});

describe('whitelistRow', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whitelist-file-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function rowsOf(name: string, content: string): Promise<TableRow[]> {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    const rows: TableRow[] = [];
    for await (const row of readTable(file, WHITELIST_COLUMNS)) rows.push(row);
    return rows;
  }

  it('turns a good row into an entry, code upper-cased and dates normalised', async () => {
    const [row] = await rowsOf('good.csv', '统一社会信用代码,企业名称,资质类型,有效期起,有效期止\n 91350100m000100y43 ,福州甲科技有限公司,专精特新“小巨人”企业,2025/1/1,2027年12月31日\n');
    expect(whitelistRow(row)).toEqual({
      entry: { row: 2, creditCode: '91350100M000100Y43', name: '福州甲科技有限公司', tier: 'LITTLE_GIANT', validFrom: '2025-01-01', validTo: '2027-12-31' },
      failures: [],
      columns: { creditCode: '统一社会信用代码', name: '企业名称', tier: '资质类型', validFrom: '有效期起', validTo: '有效期止' },
    });
  });

  it('places failures on the Chinese headers as written', async () => {
    const [row] = await rowsOf('bad-zh.csv', '信用代码,名称,梯度,有效期（起）,截止日期\n,,专精特新,2025-02-30,\n');
    const { entry, failures, columns } = whitelistRow(row);
    expect(entry).toBeNull();
    expect(failures).toEqual([
      { row: 2, column: '信用代码', code: 'REQUIRED' },
      { row: 2, column: '名称', code: 'REQUIRED' },
      { row: 2, column: '梯度', code: 'UNKNOWN_TIER', params: { value: '专精特新', allowed: '创新型中小企业, 专精特新中小企业, 专精特新"小巨人", 制造业单项冠军' } },
      { row: 2, column: '有效期（起）', code: 'INVALID_DATE', params: { value: '2025-02-30' } },
      { row: 2, column: '截止日期', code: 'REQUIRED' },
    ]);
    expect(columns.creditCode).toBe('信用代码');
  });

  it('places failures on the English headers as written, and limits the name to 200 characters', async () => {
    const long = '企'.repeat(201);
    const [row] = await rowsOf('bad-en.csv', `Credit_Code,Enterprise Name,Tier,Valid From,Valid To\nX,${long},LITTLE_GIANT,2025-01-01,soon\n`);
    expect(whitelistRow(row).failures).toEqual([
      { row: 2, column: 'Enterprise Name', code: 'INVALID_LENGTH', params: { min: 1, max: 200 } },
      { row: 2, column: 'Valid To', code: 'INVALID_DATE', params: { value: 'soon' } },
    ]);
  });

  it('accepts 200 characters, and leaves validity order and the check character to the service', async () => {
    const name = '企'.repeat(200);
    const [row] = await rowsOf('edge.csv', `creditCode,name,tier,validFrom,validTo\nNOT-A-CODE,${name},SINGLE_CHAMPION,2027-01-01,2025-01-01\n`);
    expect(whitelistRow(row).entry).toEqual({ row: 2, creditCode: 'NOT-A-CODE', name, tier: 'SINGLE_CHAMPION', validFrom: '2027-01-01', validTo: '2025-01-01' });
  });

  it('reports a JSON line once: a missing key as REQUIRED, a bad line as itself', async () => {
    const rows = await rowsOf(
      'list.jsonl',
      ['{"creditCode":"A","name":"甲","tier":"创新型中小企业","validFrom":"2025-01-01"}', '{oops'].join('\n'),
    );
    expect(whitelistRow(rows[0]).failures).toEqual([{ row: 1, column: 'validTo', code: 'REQUIRED' }]);
    expect(whitelistRow(rows[1]).failures).toEqual([{ row: 2, column: '', code: 'INVALID_JSON_LINE' }]);
  });
});
