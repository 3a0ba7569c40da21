/**
 * Messages for files from outside (SECURITY.md "Files from outside"): the limits a table file may not
 * pass, the encodings and formats read, and text that would run as a spreadsheet formula. Merged into
 * messages.ts's table; each names the setting that moves its limit.
 */
export const FILE_MESSAGES: Record<string, { zh: string; en: string }> = {
  FILE_TOO_LARGE: {
    zh: '文件数据量 {size} MiB 超过上限 {max} MiB（FILE_MAX_BYTES），未读取',
    en: 'The file holds {size} MiB of table data, more than the {max} MiB allowed (FILE_MAX_BYTES); it was not read',
  },
  'FILE_TOO_LARGE.declared': {
    zh: '工作簿解压后为 {size} MiB，超过上限 {max} MiB（FILE_MAX_BYTES），未解压',
    en: 'The workbook unzips to {size} MiB, more than the {max} MiB allowed (FILE_MAX_BYTES); nothing was unzipped',
  },
  'FILE_TOO_LARGE.inflated': {
    zh: '工作簿解压后超过上限 {max} MiB（FILE_MAX_BYTES），已停止读取',
    en: 'The workbook unzips to more than the {max} MiB allowed (FILE_MAX_BYTES); reading stopped there',
  },
  TOO_MANY_ROWS: {
    zh: '数据超过 {max} 行（FILE_MAX_ROWS），已停止读取；请拆分文件',
    en: 'More than {max} data rows (FILE_MAX_ROWS); reading stopped here. Split the file',
  },
  'TOO_MANY_ROWS.declared': {
    zh: '工作表声明有 {rows} 行数据，超过 {max} 行（FILE_MAX_ROWS），未读取；请拆分文件',
    en: 'The sheet declares {rows} data rows, more than {max} (FILE_MAX_ROWS); it was not read. Split the file',
  },
  'TOO_MANY_ROWS.strings': {
    zh: '工作簿含有超过 {max} 个不同文本（每允许一行 16 个，FILE_MAX_ROWS），已停止读取',
    en: 'The workbook holds more than {max} distinct texts (16 for each row allowed, FILE_MAX_ROWS); reading stopped there',
  },
  CELL_TOO_LONG: {
    zh: '单元格超过 {max} 个字符（FILE_MAX_CELL_CHARS），已停止读取',
    en: 'A cell holds more than {max} characters (FILE_MAX_CELL_CHARS); reading stopped here',
  },
  ROW_TOO_LONG: {
    zh: '一行超过 {max} MiB（每个单元格字符上限 64 字节，FILE_MAX_CELL_CHARS），已停止读取',
    en: 'A row takes more than {max} MiB (64 bytes for each cell character allowed, FILE_MAX_CELL_CHARS); reading stopped here',
  },
  UNSUPPORTED_ENCODING: {
    zh: '文件编码无法识别；只接受 {accepted}。请在 Excel 中另存为“CSV UTF-8”',
    en: 'The file is not in an encoding finmatch reads; it reads {accepted}. In Excel, save it as "CSV UTF-8"',
  },
  'UNSUPPORTED_ENCODING.line': {
    zh: '文件编码无法识别（第 {line} 行起）；只接受 {accepted}。请在 Excel 中另存为“CSV UTF-8”',
    en: 'The file is not in an encoding finmatch reads (from line {line}); it reads {accepted}. In Excel, save it as "CSV UTF-8"',
  },
  NOT_XLSX: {
    zh: '文件不是 Excel 工作簿（.xlsx）：可能是改了扩展名的其他文件、旧版 .xls 或加密的工作簿（{detail}）',
    en: 'The file is not an Excel workbook (.xlsx): perhaps another kind of file renamed, an old .xls or a password-protected workbook ({detail})',
  },
  XLSX_DAMAGED: { zh: '工作簿已损坏，无法读取（{detail}）', en: 'The workbook is damaged and cannot be read ({detail})' },
  CSV_DAMAGED: { zh: 'CSV 文件无法读取（{detail}）', en: 'The CSV file cannot be read ({detail})' },
  'FORMULA_TEXT.input': { zh: '不能以 = + - @ 开头：电子表格会把它当作公式执行', en: 'May not begin with = + - or @: a spreadsheet would run it as a formula' },
  FORMULA_TEXT: {
    zh: '不能以“{character}”开头：电子表格会把它当作公式执行',
    en: 'May not begin with "{character}": a spreadsheet would run it as a formula',
  },
};
