/**
 * Cell conversions shared by the whitelist (R4) and credit (R5) imports: the forms accepted and the
 * coded failures for the rest.
 */
import { cellBoolean, cellDate, cellInteger, cellMoney, cellText, RowCheck } from '../../src/common/cell';
import { Cell } from '../../src/common/table-file';

describe('cellText', () => {
  it.each<[Cell, string | null]>([
    ['  甲公司 ', '甲公司'],
    ['   ', null],
    [null, null],
    [12.5, '12.5'],
    [true, 'true'],
    [new Date(Date.UTC(2025, 0, 2)), '2025-01-02'],
  ])('%p → %p', (cell, text) => {
    expect(cellText(cell)).toBe(text);
  });
});

describe('cellDate', () => {
  it.each<[Cell, string]>([
    ['2025-01-02', '2025-01-02'],
    [' 2025/1/2 ', '2025-01-02'],
    ['2025.12.31', '2025-12-31'],
    ['2025-1-2', '2025-01-02'],
    ['20250103', '2025-01-03'],
    ['2025年1月2日', '2025-01-02'],
    ['2025 年 10 月 2 日', '2025-10-02'],
    ['２０２５－０１－０２', '2025-01-02'],
    [new Date(Date.UTC(2025, 0, 2)), '2025-01-02'],
    [new Date(Date.UTC(2025, 0, 2, 23, 59)), '2025-01-02'],
    [45658, '2025-01-01'],
    [45658.75, '2025-01-01'],
    [1, '1900-01-01'],
    [59, '1900-02-28'],
    [61, '1900-03-01'],
    [20250103, '2025-01-03'],
    ['2024-02-29', '2024-02-29'],
  ])('accepts %p as %s', (cell, date) => {
    expect(cellDate(cell)).toEqual({ ok: true, value: date });
  });

  it.each<[Cell, string]>([
    ['2025/2/30', '2025/2/30'],
    ['2025-13-01', '2025-13-01'],
    ['2025-01/02', '2025-01/02'],
    ['2023-02-29', '2023-02-29'],
    ['1899-12-31', '1899-12-31'],
    ['01/02/2025', '01/02/2025'],
    ['45658', '45658'],
    ['明天', '明天'],
    [60, '60'],
    [0, '0'],
    [-5, '-5'],
    [20250230, '20250230'],
    [true, 'true'],
    [new Date(NaN), 'Invalid Date'],
  ])('refuses %p', (cell, value) => {
    expect(cellDate(cell)).toEqual({ ok: false, code: 'INVALID_DATE', params: { value } });
  });
});

describe('cellInteger', () => {
  it.each<[Cell, number]>([
    ['3', 3],
    [' 0 ', 0],
    ['-0', 0],
    [12, 12],
    ['３', 3],
  ])('accepts %p', (cell, n) => {
    expect(cellInteger(cell, 0, 366)).toEqual({ ok: true, value: n });
  });

  it.each<Cell>(['3.5', '1e3', 'three', '1,000', 2.5, true, new Date(0)])('refuses %p as not an integer', (cell) => {
    expect(cellInteger(cell, 0, 366)).toMatchObject({ ok: false, code: 'INVALID_INTEGER' });
  });

  it('names the range of an integer outside it', () => {
    expect(cellInteger('367', 0, 366)).toEqual({ ok: false, code: 'OUT_OF_RANGE', params: { min: 0, max: 366 } });
    expect(cellInteger(-1, 0, 366)).toEqual({ ok: false, code: 'OUT_OF_RANGE', params: { min: 0, max: 366 } });
  });
});

describe('cellMoney', () => {
  it.each<[Cell, string]>([
    ['1,234.50', '1234.5'],
    ['1234.5', '1234.5'],
    ['1,234,567', '1234567'],
    ['0', '0'],
    [1234.5, '1234.5'],
    [0.1, '0.1'],
    [1e-2, '0.01'],
    ['9999999999999999.99', '9999999999999999.99'],
  ])('accepts %p', (cell, text) => {
    const result = cellMoney(cell);
    expect(result.ok && result.value.toFixed()).toBe(text);
  });

  it('refuses more than two places', () => {
    expect(cellMoney('1.234')).toEqual({ ok: false, code: 'TOO_MANY_DECIMAL_PLACES', params: { places: 2 } });
    expect(cellMoney(0.125)).toEqual({ ok: false, code: 'TOO_MANY_DECIMAL_PLACES', params: { places: 2 } });
  });

  it('refuses negative amounts and amounts beyond numeric(18,2)', () => {
    const outOfRange = { ok: false, code: 'OUT_OF_RANGE', params: { min: 0, max: '9999999999999999.99' } };
    expect(cellMoney('-1')).toEqual(outOfRange);
    expect(cellMoney('10000000000000000')).toEqual(outOfRange);
  });

  it.each<Cell>(['12,34', '1,2345.00', '¥100', 'abc', '1e5', Infinity, NaN, true])('refuses %p as not a decimal', (cell) => {
    expect(cellMoney(cell)).toMatchObject({ ok: false, code: 'INVALID_DECIMAL' });
  });
});

describe('cellBoolean', () => {
  it.each<[Cell, boolean]>([
    ['true', true], ['FALSE', false], ['1', true], ['0', false], [1, true], [0, false],
    ['Yes', true], ['no', false], ['Y', true], ['n', false], ['是', true], ['否', false], ['有', true], ['无', false],
    [true, true], [false, false],
  ])('accepts %p as %p', (cell, value) => {
    expect(cellBoolean(cell)).toEqual({ ok: true, value });
  });

  it.each<Cell>(['maybe', '2', 2, '对'])('refuses %p', (cell) => {
    expect(cellBoolean(cell)).toEqual({ ok: false, code: 'INVALID_BOOLEAN', params: { value: String(cell) } });
  });
});

describe('RowCheck', () => {
  const row = { row: 7, values: { when: '2025-02-30', name: null }, columns: { when: '日期（起）', name: 'name' }, failures: [{ row: 7, column: 'name', code: 'REQUIRED' }] };

  it('places failures on the column as the file names it, without repeating REQUIRED', () => {
    const check = new RowCheck(row);
    expect(check.value('when', cellDate, true)).toBeNull();
    expect(check.text('name', true)).toBeNull();
    expect(check.failures).toEqual([
      { row: 7, column: 'name', code: 'REQUIRED' },
      { row: 7, column: '日期（起）', code: 'INVALID_DATE', params: { value: '2025-02-30' } },
    ]);
  });

  it('refuses a text cell that is not text (a NUL or a lone surrogate from a broken export) with INVALID_TEXT, as the API does', () => {
    const check = new RowCheck({ row: 3, values: { name: '青岛\u0000科技', creditCode: '\ud800X' }, columns: { name: '企业名称', creditCode: '统一社会信用代码' } });
    expect(check.boundedText('name', true, 200)).toBeNull();
    expect(check.text('creditCode', true)).toBeNull();
    expect(check.failures).toEqual([
      { row: 3, column: '企业名称', code: 'INVALID_TEXT', params: { position: 3, codePoint: 'U+0000' } },
      { row: 3, column: '统一社会信用代码', code: 'INVALID_TEXT', params: { position: 1, codePoint: 'U+D800' } },
    ]);
  });
});
