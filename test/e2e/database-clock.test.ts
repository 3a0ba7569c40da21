/**
 * One clock for every process (issue 13; src/database/clock.ts): what depends on the day — a need's
 * status and whether it may still be worked, a whitelist entry's membership — follows the database's day,
 * not the serving process's. The database's day is moved here (test/support/clock.ts); the process's clock
 * is not, so each case below read the wrong day when the server used its own.
 */
import { startTestApp, TestApp } from '../support/harness';
import { resetDatabaseDay, setDatabaseDay } from '../support/clock';
import { TODAY_SQL } from '../../src/database/clock';
import { CREATE_PRODUCT, daysFromToday, institutionWithToken, newCreditCode, POST_NEED, publishBatch, QUALIFICATION_STATUS, registeredEnterprise, staff, USER_ERRORS } from './fixtures';
import { firmWithNeed, matchOf } from './refresh-fixtures';
import { Market, mutate, setUpMarket } from './policy-fixtures';

const NEED_STATUS = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { status } } }`;
const RESPOND = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id status } ${USER_ERRORS} } }`;

let app: TestApp;
let market: Market;

beforeAll(async () => {
  app = await startTestApp();
  market = await setUpMarket(app, 'Clock');
});
afterEach(() => resetDatabaseDay(app.dataSource));
afterAll(() => app?.close());

describe('the day is the database\'s (one clock for every process)', () => {
  it('a need past its needed-by date by the database\'s day reads EXPIRED, and its match can no longer be contacted', async () => {
    const { firm } = await firmWithNeed(app, '6000000');
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '6500000', termMonths: 24, neededBy: daysFromToday(1) });
    await app.settled();
    const match = await matchOf(app, need.id, firm.token, market.creditLoan.id);
    expect(match).not.toBeNull();
    const status = async () => (await app.gql(NEED_STATUS, { id: need.id }, { token: firm.token })).data.node.status;
    expect(await status()).toBe('MATCHED');

    await setDatabaseDay(app.dataSource, daysFromToday(3));
    expect(await status()).toBe('EXPIRED');
    const res = await app.gql(RESPOND, { input: { matchId: match.id, action: 'CONTACT' } }, { token: market.bankToken });
    expect(res.errors).toBeUndefined();
    expect(res.data.respondToMatch.userErrors).toEqual([expect.objectContaining({ code: 'NEED_NOT_ACTIVE', field: ['input', 'matchId'] })]);
  });

  it('a request\'s day comes with its rate-limit count: reading needs\' statuses runs no statement for the day', async () => {
    const { firm, need } = await firmWithNeed(app, '5500000');
    await app.settled();
    app.counter.reset();
    const res = await app.gql(NEED_STATUS, { id: need.id }, { token: firm.token });
    expect(res.data.node.status).toBe('MATCHED');
    expect(app.counter.statements.filter((q) => q.includes('database_clock'))).toEqual([]);
  });

  it('a whitelist entry past its valid-to date by the database\'s day is no longer a membership: qualificationStatus and activeToday', async () => {
    const { authority } = staff(app);
    const creditCode = newCreditCode('370212');
    await publishBatch(app, authority, '青岛市专精特新企业融资白名单（时钟）', '2026-clock', [
      { creditCode, name: '青岛某某时钟科技有限公司', tier: 'SPECIALIZED_SME', validFrom: daysFromToday(-30), validTo: daysFromToday(1) },
    ]);
    const status = async () => (await app.gql(QUALIFICATION_STATUS, { code: creditCode }, { token: market.bankToken })).data.qualificationStatus;
    expect(await status()).toMatchObject({ onWhitelist: true, asOf: daysFromToday(0), entries: [expect.objectContaining({ activeToday: true })] });

    const later = await setDatabaseDay(app.dataSource, daysFromToday(3));
    expect(await status()).toMatchObject({ onWhitelist: false, asOf: later, entries: [expect.objectContaining({ activeToday: false })] });
  });
});

describe('a request\'s steps take its day, which came with its rate-limit count', () => {
  // No refresh worker, so that the only reads of the day the counter sees are the requests' own.
  let quiet: TestApp;
  beforeAll(async () => {
    quiet = await startTestApp({ env: { MATCH_WORKER: '0' } });
  });
  afterAll(() => quiet?.close());

  it('registering a firm, posting its need and declining the need\'s match read no day of their own', async () => {
    const bank = await institutionWithToken(quiet, 'BANK', '时钟银行');
    const product = await mutate(quiet, staff(quiet).authority, CREATE_PRODUCT, {
      institutionId: bank.institution.id, name: '时钟信用贷', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '100000', maxAmount: '9000000', minAnnualRate: '0.04',
    });
    const ownDay = () => quiet.counter.statements.filter((q) => q.trim() === `SELECT ${TODAY_SQL} AS today`);
    quiet.counter.reset();
    const { token } = await registeredEnterprise(quiet);
    const need = await mutate(quiet, token, POST_NEED, { kind: 'LOAN', amount: '3300000', termMonths: 12, neededBy: daysFromToday(30) });
    const match = await matchOf(quiet, need.id, token, product.id);
    expect(match).not.toBeNull();
    const res = await quiet.gql(RESPOND, { input: { matchId: match.id, action: 'DECLINE', declineReason: 'OTHER' } }, { token: bank.token });
    expect(res.data.respondToMatch.userErrors).toEqual([]);
    expect(ownDay()).toEqual([]);
  });
});
