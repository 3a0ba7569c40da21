/**
 * One place turns codes into words (common/messages.ts and the tables it spreads in). These tests fail when
 * a message is written inline again, and pin the words the moved messages had.
 */
import fs from 'node:fs';
import path from 'node:path';
import { forbidden, forbiddenBecause, rateLimitedBody, unauthenticated } from '../../src/auth/errors';
import { FORBIDDEN_REASONS } from '../../src/common/error-messages';
import { message } from '../../src/common/messages';

const SRC = path.join(__dirname, '../../src');

describe('messages live in the message tables', () => {
  it('no module but a message table switches on the language or writes { zh, en } text (cli/ prints to a terminal and is exempt)', () => {
    const inline = /\blang\s*===\s*['"](?:en|zh)['"]|\bzh:\s*['"`]/;
    const offenders = fs.readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('messages.ts') && !file.startsWith(`cli${path.sep}`))
      .flatMap((file) => fs.readFileSync(path.join(SRC, file), 'utf8').split('\n').map((line, i) => ({ at: `src/${file}:${i + 1}`, line })))
      .filter(({ line }) => inline.test(line))
      .map(({ at }) => at);
    expect(offenders).toEqual([]);
  });

  it('keeps the words of the refusals it moved, in both languages', () => {
    expect(forbiddenBecause('en', 'creditFilters').message).toBe('Your role may not do this: credit filters are for banks, authorities and admins (R10)');
    expect(forbiddenBecause('zh', 'ownEnterpriseOnly').message).toBe('当前角色无权执行此操作: 企业只能查看本企业的信息');
    expect(forbiddenBecause('en', 'claimNotVerified').extensions.code).toBe('FORBIDDEN');
    expect(forbidden('zh', 'explainMatch').message).toBe('当前角色无权执行此操作: explainMatch');
    expect(unauthenticated('en', 'token expired').message).toBe('Authentication required: send Authorization: Bearer <token> (token expired)');
    expect(rateLimitedBody('zh', 3, 'ip').errors[0].message).toBe('请求过于频繁：请在 3 秒后重试');
    expect(message('en', 'INSTITUTION_KIND_MISMATCH', { kind: 'AUTHORITY', action: message('en', 'INSTITUTION_ACTION.offerProducts') })).toBe('A AUTHORITY institution cannot offer products');
  });

  it('has both languages for every FORBIDDEN reason', () => {
    for (const reason of Object.keys(FORBIDDEN_REASONS) as (keyof typeof FORBIDDEN_REASONS)[]) {
      expect(message('zh', `FORBIDDEN.${reason}`)).toBe(FORBIDDEN_REASONS[reason].zh);
      expect(message('en', `FORBIDDEN.${reason}`)).toBe(FORBIDDEN_REASONS[reason].en);
    }
  });
});
