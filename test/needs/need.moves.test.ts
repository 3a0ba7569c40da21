/**
 * R11 against PostgreSQL: the SQL generated from the table says what the table says, `moveNeeds` writes
 * only the moves the table allows and reports the others, and every path that moves a need (applying,
 * funding, withdrawing, expiring) refuses a move the table does not allow instead of writing it.
 */
import { QueryRunner } from 'typeorm';
import { startTestApp, TestApp } from '../support/harness';
import { uuidOf } from '../../src/common/ids';
import { lockMatch, applyStep } from '../../src/matching/lifecycle.service';
import { refreshNeeds } from '../../src/matching/match.service';
import { databaseToday } from '../../src/database/clock';
import { NEED_EVENTS, needTransition, statusAfterSql } from '../../src/needs/need.lifecycle';
import { expireOverdueNeeds, moveNeeds, mustMoveNeeds, NeedTransitionError } from '../../src/needs/need.moves';
import { NEED_STATUSES, NeedStatus } from '../../src/needs/need.rules';
import { createInstitution, IMPORT_CREDIT, newCreditCode, POST_NEED, registeredEnterprise, staff, USER_ERRORS } from '../e2e/fixtures';
import { Market, mutate, setUpMarket } from '../e2e/policy-fixtures';

let app: TestApp;
let runner: QueryRunner;
let bank: string;

beforeAll(async () => {
  app = await startTestApp();
  bank = uuidOf((await createInstitution(app, staff(app).authority, { kind: 'BANK', name: '需求状态银行' })).id, 'Institution')!;
  runner = app.dataSource.createQueryRunner();
  await runner.connect();
});
afterAll(async () => {
  await runner?.release();
  await app?.close();
});

/** In a transaction rolled back afterwards. */
async function rolledBack(work: () => Promise<void>): Promise<void> {
  await runner.startTransaction();
  try {
    await work();
  } finally {
    await runner.rollbackTransaction();
  }
}

/** A firm's 1,000,000 loan need in `status`, needed by today + `days` (null: no date). */
async function need(status: NeedStatus, days: number | null = 30): Promise<string> {
  const [{ id: firm }] = await runner.query(
    `INSERT INTO enterprise (credit_code, name, sector, region_code, size_class, size_standard) VALUES ($1, 'f', 'INDUSTRY', '110108', 'SMALL', 'MIIT-2011-300') RETURNING id`,
    [newCreditCode()]);
  const [{ id }] = await runner.query(
    `INSERT INTO financing_need (enterprise_id, kind, channel, amount, term_months, posted_by, status, needed_by)
     VALUES ($1, 'LOAN', 'WEB', 1000000, 12, 'test', $2, current_date + $3::int) RETURNING id`, [firm, status, days]);
  return id;
}

const statusOf = async (id: string): Promise<{ status: string; status_reason: string | null }> =>
  (await runner.query(`SELECT status, status_reason FROM financing_need WHERE id = $1`, [id]))[0];

describe('the SQL generated from the table', () => {
  it('gives, for every event, status and needed-by date, the status the table gives (NULL where it refuses)', async () => {
    const rows = NEED_STATUSES.flatMap((status) => [null, '2026-06-14', '2026-06-15', '2026-06-16'].map((neededBy) => ({ status, neededBy })));
    const values = rows.map((r, i) => `($${2 * i + 2}::text, $${2 * i + 3}::date)`).join(', ');
    const params = ['2026-06-15', ...rows.flatMap((r) => [r.status, r.neededBy])];
    for (const event of NEED_EVENTS) {
      const got: { next: string | null }[] = await app.dataSource.query(
        `SELECT ${statusAfterSql(event, 's', '$1')} AS next FROM (VALUES ${values}) AS s(status, needed_by)`, params);
      const expected = rows.map((r) => {
        const t = needTransition(event, r.status, r.neededBy !== null && r.neededBy < '2026-06-15');
        return t.kind === 'refused' ? null : t.kind === 'stay' ? r.status : t.to;
      });
      expect([event, got.map((g) => g.next)]).toEqual([event, expected]);
    }
  });
});

describe('moveNeeds', () => {
  it('moves what the table allows, keeps what is already there, and refuses the rest without writing', () => rolledBack(async () => {
    const inProgress = await need('IN_PROGRESS');
    const expired = await need('EXPIRED');
    const matched = await need('MATCHED');
    const overdue = await need('IN_PROGRESS', -3);
    const missing = '00000000-0000-4000-8000-000000000001';
    const moves = await moveNeeds(runner.manager, [inProgress, expired, matched, overdue, missing], 'FUND');
    expect(moves).toEqual({
      moved: [inProgress], unchanged: [],
      refused: [{ id: expired, status: 'EXPIRED' }, { id: matched, status: 'MATCHED' }, { id: overdue, status: 'EXPIRED' }, { id: missing, status: null }],
    });
    expect((await statusOf(inProgress)).status).toBe('FUNDED');
    for (const [id, status] of [[expired, 'EXPIRED'], [matched, 'MATCHED'], [overdue, 'IN_PROGRESS']]) expect((await statusOf(id)).status).toBe(status);
  }));

  it('an application cannot put a funded or withdrawn need back in progress; one in progress stays', () => rolledBack(async () => {
    const funded = await need('FUNDED');
    const withdrawn = await need('WITHDRAWN');
    const working = await need('IN_PROGRESS');
    const moves = await moveNeeds(runner.manager, [funded, withdrawn, working], 'ENGAGE');
    expect(moves).toEqual({ moved: [], unchanged: [working], refused: [{ id: funded, status: 'FUNDED' }, { id: withdrawn, status: 'WITHDRAWN' }] });
    await expect(mustMoveNeeds(runner.manager, [funded], 'ENGAGE')).rejects.toThrow(NeedTransitionError);
  }));

  it('stores the reason with the new status, and withdraws only a need still being worked', () => rolledBack(async () => {
    const open = await need('OPEN');
    const funded = await need('FUNDED');
    expect((await moveNeeds(runner.manager, [open, funded], 'WITHDRAW', { reason: '已获得其他融资' })).refused).toEqual([{ id: funded, status: 'FUNDED' }]);
    expect(await statusOf(open)).toEqual({ status: 'WITHDRAWN', status_reason: '已获得其他融资' });
    expect(await statusOf(funded)).toEqual({ status: 'FUNDED', status_reason: null });
  }));

  it('expires only active needs past their needed-by date', () => rolledBack(async () => {
    const past = await need('MATCHED', -10);
    const future = await need('MATCHED', 10);
    const fundedPast = await need('FUNDED', -10);
    const [{ enterprise_id: firm }] = await runner.query(`SELECT enterprise_id FROM financing_need WHERE id = $1`, [past]);
    expect(await expireOverdueNeeds(runner.manager, firm)).toBe(1);
    expect(await statusOf(past)).toEqual({ status: 'EXPIRED', status_reason: 'needed-by date passed' });
    expect((await statusOf(future)).status).toBe('MATCHED');
    expect((await statusOf(fundedPast)).status).toBe('FUNDED');
    expect((await moveNeeds(runner.manager, [future], 'EXPIRE')).refused).toEqual([{ id: future, status: 'MATCHED' }]);
  }));

  it('expires by the database\'s day, the clock every process shares (issue 13), not the process\'s', () => rolledBack(async () => {
    const tomorrow = await need('OPEN', 1);
    const [{ enterprise_id: firm }] = await runner.query(`SELECT enterprise_id FROM financing_need WHERE id = $1`, [tomorrow]);
    expect(await expireOverdueNeeds(runner.manager, firm)).toBe(0);
    // The database's day moves three days on (the test clock, rolled back with the transaction); this process's does not.
    await runner.query(`UPDATE database_clock SET shift = interval '3 days'`);
    expect(await expireOverdueNeeds(runner.manager, firm)).toBe(1);
    expect(await statusOf(tomorrow)).toEqual({ status: 'EXPIRED', status_reason: 'needed-by date passed' });
  }));
});

describe('applying to a match (ENGAGE)', () => {
  /** A need with one PROPOSED match, then put in `status`. */
  async function proposed(status: NeedStatus): Promise<{ needId: string; matchId: string }> {
    const needId = await need('OPEN');
    await runner.query(
      `INSERT INTO product (institution_id, name, kind, need_kind, min_amount, max_amount, min_annual_rate) VALUES ($1, 'p', 'CREDIT_LOAN', 'LOAN', 0, 5000000, 0.04)`, [bank]);
    await refreshNeeds(runner.manager, [needId]);
    const [{ id: matchId }] = await runner.query(`SELECT id FROM match WHERE need_id = $1 AND status = 'PROPOSED'`, [needId]);
    await runner.query(`UPDATE financing_need SET status = $2 WHERE id = $1`, [needId, status]);
    return { needId, matchId };
  }

  it('is refused on a funded need, and neither the match nor the need changes', () => rolledBack(async () => {
    const { needId, matchId } = await proposed('FUNDED');
    const locked = (await lockMatch(runner.manager, matchId))!;
    const result = await applyStep(runner.manager, locked, 'APPLY', { actor: 'test', today: await databaseToday(runner.manager) });
    expect(result).toMatchObject({ ok: false, failures: [{ code: 'NEED_NOT_ACTIVE', params: { status: 'FUNDED' } }] });
    const [m] = await runner.query(`SELECT status FROM match WHERE id = $1`, [matchId]);
    expect(m.status).toBe('PROPOSED');
    expect((await statusOf(needId)).status).toBe('FUNDED');
  }));

  it('cannot write IN_PROGRESS over a status the caller did not see (the check is in the statement)', () => rolledBack(async () => {
    const { needId, matchId } = await proposed('MATCHED');
    const locked = (await lockMatch(runner.manager, matchId))!;
    // Another path of the same transaction withdrew the need after the caller read it.
    await runner.query(`UPDATE financing_need SET status = 'WITHDRAWN' WHERE id = $1`, [needId]);
    expect(locked.need.status).toBe('MATCHED');
    const result = await applyStep(runner.manager, locked, 'APPLY', { actor: 'test', today: await databaseToday(runner.manager) });
    expect(result).toMatchObject({ ok: false, failures: [{ code: 'NEED_NOT_ACTIVE', params: { status: 'WITHDRAWN' } }] });
    expect((await statusOf(needId)).status).toBe('WITHDRAWN');
  }));

  it('moves a matched need to IN_PROGRESS, and the last application declined moves it back', () => rolledBack(async () => {
    const { needId, matchId } = await proposed('MATCHED');
    expect(await applyStep(runner.manager, (await lockMatch(runner.manager, matchId))!, 'APPLY', { actor: 'test', today: await databaseToday(runner.manager) })).toEqual({ ok: true, value: 'APPLIED' });
    expect((await statusOf(needId)).status).toBe('IN_PROGRESS');
    await applyStep(runner.manager, (await lockMatch(runner.manager, matchId))!, 'DECLINE', { actor: 'test', today: await databaseToday(runner.manager), declineReason: 'OTHER' });
    // Back to matching; its only product declined, nothing is proposed in its place.
    expect((await statusOf(needId)).status).toBe('MATCHED');
  }));
});

describe('funding (FUND) through recordLoanOutcome', () => {
  const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { id } match { status need { status } } ${USER_ERRORS} } }`;
  const RESPOND = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id } ${USER_ERRORS} } }`;
  const APPLY = `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { id } ${USER_ERRORS} } }`;
  const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id product { id } } } } } } }`;
  let market: Market;

  beforeAll(async () => {
    market = await setUpMarket(app, 'NM');
  });

  it('refuses to fund a need that is not in progress, and writes nothing', async () => {
    const firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' });
    await mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2026-11-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA', taxGrade: 'A' }] });
    const posted = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '2000000', termMonths: 12 });
    const edges = (await app.gql(NEED_MATCHES, { id: posted.id }, { token: firm.token })).data.node.matches.edges;
    const matchId = edges.find((e: any) => e.node.product.id === market.creditLoan.id).node.id;
    await mutate(app, market.bankToken, RESPOND, { matchId, action: 'CONTACT' });
    await mutate(app, firm.token, APPLY, { matchId });
    await mutate(app, market.bankToken, OUTCOME, { matchId, outcome: 'APPROVED' });
    const needId = uuidOf(posted.id, 'FinancingNeed')!;
    // A need that left IN_PROGRESS by another path (here set directly) with its approved match still there.
    await app.dataSource.query(`UPDATE financing_need SET status = 'MATCHED' WHERE id = $1`, [needId]);
    const res = await app.gql(OUTCOME, { input: { matchId, outcome: 'DISBURSED', principal: '2000000' } }, { token: market.bankToken });
    expect(res.data.recordLoanOutcome.userErrors).toMatchObject([{ code: 'ILLEGAL_NEED_TRANSITION', params: { status: 'MATCHED', event: 'FUND' } }]);
    const [row] = await app.dataSource.query(
      `SELECT n.status, (SELECT count(*)::int FROM loan l WHERE l.need_id = n.id) AS loans, (SELECT m.status FROM match m WHERE m.id = $2) AS match
         FROM financing_need n WHERE n.id = $1`, [needId, uuidOf(matchId, 'Match')]);
    expect(row).toEqual({ status: 'MATCHED', loans: 0, match: 'APPROVED' });
  });
});
