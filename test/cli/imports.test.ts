/**
 * The import commands as an authority runs them (R4, R5): real files, the real command in a child
 * process, this test file's own database. A file with bad rows is refused whole, with every bad row
 * reported and nothing written; a good file lands as one batch (or one import per source and date).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ExcelJS from 'exceljs';
import { latin1, pngBytes, writeHugeCellXlsx, writeManyRowsXlsx } from '../../bench/hostile-files';
import 'reflect-metadata';
import { describeFailure } from '../../src/cli/import-command';
import { withCheckCharacter } from '../../src/enterprises/credit-code';
import { daysFromToday, institutionWithToken, newCreditCode, rowCount, staff } from '../e2e/fixtures';
import { resetDatabaseDay, setDatabaseDay } from '../support/clock';
import { startTestApp, TestApp } from '../support/harness';

let app: TestApp;
let dir: string;
beforeAll(async () => {
  app = await startTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-cli-'));
});
afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [require.resolve('ts-node/dist/bin.js'), '--transpile-only', path.join('src/cli', script), ...args, '--lang', 'en'],
      { env: { ...process.env, DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'warn', ...env }, cwd: path.resolve(__dirname, '../..') },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const TABLES = ['enterprise', 'whitelist', 'whitelist_batch', 'whitelist_entry', 'whitelist_search', 'credit_import', 'credit_record', 'credit_profile'];
const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await rowCount(app, t)])));
const wrongCheck = (code: string) => code.slice(0, 17) + (code[17] === '0' ? '1' : '0');

describe('npm run import:whitelist', () => {
  it('refuses a file with a wrong check character, an unknown tier, validTo before validFrom and a repeated row, reporting each, writing nothing', async () => {
    const [a, b, c] = [newCreditCode(), newCreditCode(), newCreditCode()];
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, [
      '统一社会信用代码,企业名称,资质类型,有效期起,有效期止',
      `${a},甲公司,专精特新中小企业,2025-01-01,2027-12-31`,
      `${wrongCheck(b)},乙公司,专精特新中小企业,2025-01-01,2027-12-31`,
      `${b},丙公司,超级企业,2025-01-01,2027-12-31`,
      `${c},丁公司,创新型中小企业,2025-01-01,2024-12-31`,
      `${a},甲公司,专精特新中小企业,2025-01-01,2027-12-31`,
    ].join('\n'));
    const before = await counts();
    const result = await run('import-whitelist.ts', [file, '--whitelist', 'CLI 名单', '--batch', '1']);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^row 3, column "统一社会信用代码": INVALID_CREDIT_CODE — Check character \(position 18\)/),
      expect.stringMatching(/^row 4, column "资质类型": UNKNOWN_TIER — Unknown tier "超级企业"/),
      expect.stringMatching(/^row 5, column "有效期止": VALID_TO_BEFORE_VALID_FROM/),
      expect.stringMatching(/^row 6, column "统一社会信用代码": DUPLICATE_ROW — Credit code .* repeats row 2/),
    ]));
    expect(result.stdout).toContain('Nothing imported: 4 bad row(s)');
    expect(await counts()).toEqual(before);
  });

  it('refuses a batch number longer than a batch number may be, naming the option, writing nothing', async () => {
    const file = path.join(dir, 'long-batch.csv');
    fs.writeFileSync(file, ['统一社会信用代码,企业名称,资质类型,有效期起,有效期止', `${newCreditCode()},甲公司,专精特新中小企业,2025-01-01,2027-12-31`].join('\n'));
    const before = await counts();
    const result = await run('import-whitelist.ts', [file, '--whitelist', 'CLI 名单', '--batch', 'x'.repeat(101)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^file, column "--batch": INVALID_LENGTH — Must be 1 to 100 characters long/m);
    expect(await counts()).toEqual(before);
  }, 60_000);

  it('publishes an XLSX with Chinese headers, tier names and date cells as one batch; unknown firms become unclaimed; the batch number cannot be reused', async () => {
    const codes = [newCreditCode('310104'), newCreditCode('310115'), newCreditCode('440305')];
    const file = path.join(dir, 'list.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['序号', '统一社会信用代码', '企业名称', '资质类型', '有效期（起）', '有效期（止）']);
    sheet.addRow([1, codes[0], '上海氢能示例有限公司', '专精特新“小巨人”企业', new Date(Date.UTC(2025, 0, 1)), new Date(Date.UTC(2027, 11, 31))]);
    sheet.addRow([2, codes[1], '上海储能示例有限公司', '创新型中小企业', '2025/3/1', '2028-02-29']);
    sheet.addRow([3, codes[2], '深圳示例有限公司', 'SINGLE_CHAMPION', '20250601', '2028年5月31日']);
    await workbook.xlsx.writeFile(file);

    const result = await run('import-whitelist.ts', [file, '--whitelist', 'CLI 名单', '--batch', '2026-1', '--publisher', '示例经信委']);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 entries (3 new unclaimed enterprises)');

    const { token: bank } = await institutionWithToken(app, 'BANK', '导入测试银行');
    const status = await app.gql(
      `query($c: String!) { qualificationStatus(creditCode: $c, asOf: "2026-01-15") { enterpriseName onWhitelist highestTier validTo entries { batch listedName whitelist { name } } } }`,
      { c: codes[0] }, { token: bank },
    );
    expect(status.data.qualificationStatus).toEqual({
      enterpriseName: '上海氢能示例有限公司', onWhitelist: true, highestTier: 'LITTLE_GIANT', validTo: '2027-12-31',
      entries: [{ batch: '2026-1', listedName: '上海氢能示例有限公司', whitelist: { name: 'CLI 名单' } }],
    });
    const [firm] = await app.dataSource.query('SELECT region_code, profile_known FROM enterprise WHERE credit_code = $1', [codes[2]]);
    expect(firm).toEqual({ region_code: '440305', profile_known: false });
    const [entry] = await app.dataSource.query(`SELECT valid_from::text, valid_to::text FROM whitelist_entry we JOIN enterprise e ON e.id = we.enterprise_id WHERE e.credit_code = $1`, [codes[2]]);
    expect(entry).toEqual({ valid_from: '2025-06-01', valid_to: '2028-05-31' });

    const before = await counts();
    const again = await run('import-whitelist.ts', [file, '--whitelist', 'CLI 名单', '--batch', '2026-1']);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('BATCH_EXISTS');
    expect(await counts()).toEqual(before);
  }, 60_000);
});

describe('npm run import:credit', () => {
  it('imports JSON lines grouped by source and date, oldest first: the newer as-of is the profile, the older joins the history', async () => {
    const code = newCreditCode();
    const file = path.join(dir, 'credit.jsonl');
    fs.writeFileSync(file, [
      JSON.stringify({ creditCode: code, asOf: '2026-09-30', rating: 'AA', taxGrade: 'A', dishonesty: [{ kind: 'ABNORMAL_OPERATION', listedOn: '2026-01-10', repairedOn: '2026-06-01' }] }),
      JSON.stringify({ creditCode: code, asOf: '2025-09-30', rating: 'BBB', taxGrade: 'B' }),
      JSON.stringify({ 统一社会信用代码: withCheckCharacter(`${code.slice(0, 16)}9`), 数据日期: '2026-09-30', 信用评级: 'A', 是否有银行贷款: '否' }),
    ].join('\n'));
    const result = await run('import-credit.ts', [file, '--source', 'CLI-CRC']);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ rows: 3, imported: 3, skipped: 0 });
    expect(summary.groups.map((g: { asOf: string }) => g.asOf)).toEqual(['2025-09-30', '2026-09-30']);
    const profile = await app.gql(
      `query($c: String!) { enterprise(creditCode: $c) { creditProfile { asOf rating activeDishonesty { kind } } } }`, { c: code }, { token: staff(app).authority },
    );
    expect(profile.data.enterprise.creditProfile).toEqual({ asOf: '2026-09-30', rating: 'AA', activeDishonesty: [] });
    expect(await app.dataSource.query('SELECT as_of::text, rating FROM credit_record r JOIN enterprise e ON e.id = r.enterprise_id WHERE e.credit_code = $1 ORDER BY as_of', [code]))
      .toEqual([{ as_of: '2025-09-30', rating: 'BBB' }, { as_of: '2026-09-30', rating: 'AA' }]);
  }, 60_000);

  it('refuses a CSV whose listing was repaired before it was listed, or whose date is in the future, writing nothing', async () => {
    const file = path.join(dir, 'bad-credit.csv');
    fs.writeFileSync(file, [
      '统一社会信用代码,数据来源,数据日期,信用评级,失信记录',
      `${newCreditCode()},CLI-CRC,2026-09-30,AA,失信被执行人:2026-05-01:2026-03-01`,
      `${newCreditCode()},CLI-CRC,2999-01-01,A,`,
      `${newCreditCode()},CLI-CRC,2026-09-30,ZZ,`,
    ].join('\n'));
    const before = await counts();
    const result = await run('import-credit.ts', [file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/row 2, column "失信记录": REPAIRED_BEFORE_LISTED/);
    expect(result.stdout).toMatch(/row 3, column "数据日期": DATE_IN_FUTURE/);
    expect(result.stdout).toMatch(/row 4, column "信用评级": UNKNOWN_RATING/);
    expect(await counts()).toEqual(before);
  }, 60_000);

  it('checks the as-of date against the database\'s day, not the machine\'s (one clock)', async () => {
    const [ahead, behind] = [newCreditCode(), newCreditCode()];
    const file = (name: string, code: string, asOf: string) => {
      const at = path.join(dir, name);
      fs.writeFileSync(at, ['统一社会信用代码,数据来源,数据日期,信用评级', `${code},CLI-CLOCK,${asOf},A`].join('\n'));
      return at;
    };
    try {
      // The database is 3 days ahead of this machine: a file dated in 2 days is dated in its past.
      await setDatabaseDay(app.dataSource, daysFromToday(3));
      const accepted = await run('import-credit.ts', [file('ahead.csv', ahead, daysFromToday(2))]);
      expect([accepted.code, accepted.stderr]).toEqual([0, expect.not.stringContaining('Error')]);
      // It is 3 days behind: a file dated yesterday by this machine is dated in its future, and nothing is written.
      await setDatabaseDay(app.dataSource, daysFromToday(-3));
      const before = await counts();
      const refused = await run('import-credit.ts', [file('behind.csv', behind, daysFromToday(-1))]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain(`row 2, column "数据日期": DATE_IN_FUTURE`);
      expect(refused.stdout).toContain(daysFromToday(-3));
      expect(await counts()).toEqual(before);
    } finally {
      await resetDatabaseDay(app.dataSource);
    }
  }, 60_000);

  it('refuses the same firm twice for one source and day, however the day is written', async () => {
    const code = newCreditCode();
    const file = path.join(dir, 'repeat-credit.csv');
    fs.writeFileSync(file, ['统一社会信用代码,数据来源,数据日期,信用评级', `${code},CLI-REP,2025-06-30,AA`, `${code},CLI-REP,2025/6/30,A`].join('\n'));
    const before = await counts();
    const result = await run('import-credit.ts', [file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/row 3, column "统一社会信用代码": DUPLICATE_ROW .* repeats row 2/);
    expect(await counts()).toEqual(before);
  }, 60_000);
});

describe('files from outside (SECURITY.md "Files from outside"): refused with a clear message, exit status 1, nothing written', () => {
  const HEADER = '统一社会信用代码,企业名称,资质类型,有效期起,有效期止';
  const whitelist = (file: string, env: Record<string, string> = {}) => run('import-whitelist.ts', [file, '--whitelist', 'CLI 恶意文件', '--batch', '1'], env);
  /** Refused as a person would want: exit 1, the report on stdout, no stack trace, nothing written. */
  async function refused(result: { code: number; stdout: string; stderr: string }, before: Record<string, number>): Promise<void> {
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Nothing imported');
    expect(await counts()).toEqual(before);
  }

  it('a 300 KiB XLSX declaring one 300 MB cell', async () => {
    const file = path.join(dir, 'bomb.xlsx');
    await writeHugeCellXlsx(file, 300_000_000);
    expect(fs.statSync(file).size).toBeLessThan(400 * 1024);
    const before = await counts();
    const result = await whitelist(file);
    expect(result.stdout).toMatch(/^file: FILE_TOO_LARGE — The workbook unzips to 286\.1 MiB, more than the 256 MiB allowed \(FILE_MAX_BYTES\); nothing was unzipped$/m);
    await refused(result, before);
  }, 120_000);

  it('an XLSX with more rows than FILE_MAX_ROWS', async () => {
    const file = path.join(dir, 'rows.xlsx');
    await writeManyRowsXlsx(file, 2_000);
    const before = await counts();
    const result = await whitelist(file, { FILE_MAX_ROWS: '1000' });
    expect(result.stdout).toMatch(/^row 1002: TOO_MANY_ROWS — More than 1000 data rows \(FILE_MAX_ROWS\); reading stopped here\. Split the file$/m);
    await refused(result, before);
  }, 60_000);

  it('a PNG renamed .xlsx', async () => {
    const file = path.join(dir, 'logo.xlsx');
    fs.writeFileSync(file, pngBytes());
    const before = await counts();
    const result = await whitelist(file);
    expect(result.stdout).toMatch(/^file: NOT_XLSX — The file is not an Excel workbook \(\.xlsx\)/m);
    await refused(result, before);
  }, 60_000);

  it('a Latin-1 CSV, naming the encodings that are read', async () => {
    const file = path.join(dir, 'latin1.csv');
    fs.writeFileSync(file, Buffer.concat([Buffer.from(`${HEADER}\n`), latin1(`${newCreditCode()},Café Müller SARL,专精特新中小企业,2025-01-01,2027-12-31\n`)]));
    const before = await counts();
    const result = await whitelist(file);
    expect(result.stdout).toContain('file: UNSUPPORTED_ENCODING — The file is not in an encoding finmatch reads (from line 2); it reads UTF-8 (with or without BOM), GB18030/GBK/GB2312, UTF-16 with BOM.');
    await refused(result, before);
  }, 60_000);

  it('a CSV with NUL in a cell, and an escape sequence that must not reach the terminal', async () => {
    const file = path.join(dir, 'nul.csv');
    fs.writeFileSync(file, [HEADER, `${newCreditCode()},甲\u0000公司,专精特新中小企业,2025-01-01,2027-12-31`, `${newCreditCode()},乙公司,\u001b[2J专精,2025-01-01,2027-12-31`].join('\n'));
    const before = await counts();
    const result = await whitelist(file);
    expect(result.stdout).toMatch(/^row 2, column "企业名称": INVALID_TEXT — Character 2 \(U\+0000\) is not text/m);
    expect(result.stdout).toMatch(/^row 3, column "资质类型": INVALID_TEXT/m);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout.match(/INVALID_TEXT/g)).toHaveLength(2);
    expect(describeFailure('en', { row: 3, column: '\u001b[2J资质类型', code: 'INVALID_TEXT', params: { position: 1, codePoint: 'U+001B' } })).toContain('column "\\u001b[2J资质类型"');
    await refused(result, before);
  }, 60_000);

  it('a firm name that would run as a spreadsheet formula, and a credit source that would', async () => {
    const names = path.join(dir, 'formula.csv');
    fs.writeFileSync(names, [HEADER, `${newCreditCode()},=cmd|' /C calc'!A0,专精特新中小企业,2025-01-01,2027-12-31`, `${newCreditCode()},上海（-20℃）冷链有限公司,专精特新中小企业,2025-01-01,2027-12-31`].join('\n'));
    const before = await counts();
    const result = await whitelist(names);
    expect(result.stdout).toMatch(/^row 2, column "企业名称": FORMULA_TEXT — May not begin with "=": a spreadsheet would run it as a formula$/m);
    expect(result.stdout).toContain('1 bad row(s)');
    await refused(result, before);

    const credit = path.join(dir, 'formula-credit.csv');
    fs.writeFileSync(credit, ['统一社会信用代码,数据日期,信用评级', `${newCreditCode()},2025-06-30,AA`].join('\n'));
    const sourced = await run('import-credit.ts', [credit, '--source', '@SUM(1)']);
    expect(sourced.stdout).toMatch(/^row 2, column "数据来源": FORMULA_TEXT — May not begin with "@"/m);
    await refused(sourced, before);
  }, 60_000);
});
