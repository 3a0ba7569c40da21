/**
 * Issue 17 §1 — guarantors have a say: a guarantee routed to a guarantor needs its acceptance before the
 * loan is disbursed (respondToGuarantee ACCEPT | REFUSE); a refusal routes the match to the lender's next
 * guarantor with room, re-pricing its terms. Agreements say how their guarantor answers: REVIEW (each
 * guarantee waits) or AUTOMATIC (见贷即保: accepted when the lender approves, the default).
 */
import { startTestApp, TestApp } from '../support/harness';
import { createInstitution, CREATE_PRODUCT, IMPORT_CREDIT, POST_NEED, registeredEnterprise, staff, USER_ERRORS } from './fixtures';
import { CREATE_AGREEMENT, CREATE_SHARING, mutate, okPayloadOf, payloadOf, SET_BENCHMARK } from './policy-fixtures';

const GUARANTEE = 'id status coverageRatio feeRate guaranteedAmount reason guarantor { id name } match { id status }';
const RESPOND_GUARANTEE = `mutation($input: RespondToGuaranteeInput!) { respondToGuarantee(input: $input) { guarantee { ${GUARANTEE} } nextGuarantee { ${GUARANTEE} } ${USER_ERRORS} } }`;
const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { id guarantee { guarantor { id } feeRate } } match { id status routedGuarantee { ${GUARANTEE} } terms { guarantee { guarantor { id } feeRate } } } ${USER_ERRORS} } }`;
const APPLY = `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { id } ${USER_ERRORS} } }`;
const RESPOND = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id } ${USER_ERRORS} } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id product { id } } } } } } }`;
const GUARANTEES = `query($status: [GuaranteeStatus!]) { guarantees(status: $status, first: 50) { totalCount edges { node { ${GUARANTEE} } } } }`;
const MATCH = `query($id: ID!) { node(id: $id) { ... on Match { status routedGuarantee { ${GUARANTEE} } terms { guarantee { guarantor { id } feeRate guaranteedAmount } subsidies { kind amount } } } } }`;

let app: TestApp;
let sharingRuleId: string;
beforeAll(async () => {
  app = await startTestApp();
  const { authority } = staff(app);
  await mutate(app, authority, SET_BENCHMARK, { code: 'PBOC_1Y', rate: '0.0435', effectiveFrom: '2015-10-24' });
  sharingRuleId = (await mutate(app, authority, CREATE_SHARING, {
    name: '安徽4321 GU',
    shares: [{ party: 'GUARANTOR', share: '0.40' }, { party: 'RE_GUARANTOR', share: '0.30' }, { party: 'BANK', share: '0.20' }, { party: 'LOCAL_GOVERNMENT', share: '0.10' }],
  })).id;
});
afterAll(() => app?.close());

const run = (document: string, input: Record<string, unknown>, token: string) => payloadOf(app, token, document, input);
const ok = (document: string, input: Record<string, unknown>, token: string) => okPayloadOf(app, token, document, input);

/** A lender with a guaranteed product and guarantors at the given fees, each under an agreement with the given acceptance. */
async function lender(name: string, guarantors: { fee: string; acceptance?: 'AUTOMATIC' | 'REVIEW' }[]) {
  const { authority } = staff(app);
  const bank = await createInstitution(app, authority, { kind: 'BANK', name: `银行 ${name}`, regionCode: '370200' });
  const list = [];
  for (const [i, g] of guarantors.entries()) {
    const guarantor = await createInstitution(app, authority, { kind: 'GUARANTOR', name: `担保 ${name} ${i + 1}`, guarantee: { netAssets: '2000000000', feeRate: g.fee } });
    const agreement = await mutate(app, authority, CREATE_AGREEMENT, { bankId: bank.id, guarantorId: guarantor.id, riskSharingRuleId: sharingRuleId, ...(g.acceptance ? { guaranteeAcceptance: g.acceptance } : {}) });
    list.push({ ...guarantor, agreement, token: app.token({ sub: `guarantor-${name}-${i}`, role: 'GUARANTOR', institutionId: guarantor.id }) });
  }
  const product = await mutate(app, authority, CREATE_PRODUCT, {
    institutionId: bank.id, name: `担保贷 ${name}`, kind: 'GUARANTEED_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '5000000', minAnnualRate: '0.045', requiresGuarantee: true,
  });
  return { bank, product, guarantors: list, token: app.token({ sub: `bank-${name}`, role: 'BANK', institutionId: bank.id }) };
}

/** A small Qingdao firm's 5,000,000 need, matched to the lender's product, applied to and approved. */
async function approvedMatch(l: Awaited<ReturnType<typeof lender>>) {
  const firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' });
  await mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2026-11-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA', taxGrade: 'A' }] });
  const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '5000000', termMonths: 12 });
  const res = await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token });
  const matchId = res.data.node.matches.edges.find((e: any) => e.node.product.id === l.product.id).node.id;
  await ok(RESPOND, { matchId, action: 'CONTACT' }, l.token);
  await ok(APPLY, { matchId }, firm.token);
  const approved = await ok(OUTCOME, { matchId, outcome: 'APPROVED' }, l.token);
  return { firm, matchId, approved };
}

const rows = () => app.dataSource.query(`SELECT (SELECT count(*) FROM loan)::int AS loans, (SELECT count(*) FROM ledger_entry)::int AS entries, (SELECT count(*) FROM guarantee)::int AS guarantees`);

describe('REVIEW: the guarantor answers before the loan is disbursed', () => {
  it('routes the guarantee at approval as PENDING; the disbursement waits for ACCEPT; only that guarantor answers', async () => {
    const l = await lender('GR', [{ fee: '0.010', acceptance: 'REVIEW' }]);
    const [g] = l.guarantors;
    expect(g.agreement).toBeDefined();
    const { matchId, approved } = await approvedMatch(l);
    const routed = approved.match.routedGuarantee;
    expect(routed).toMatchObject({ status: 'PENDING', coverageRatio: '0.80', feeRate: '0.01', guaranteedAmount: '4000000.00', reason: null, guarantor: { id: g.id }, match: { id: matchId, status: 'APPROVED' } });

    // The guarantor's list shows it; the disbursement is refused and writes nothing.
    const listed = await app.gql(GUARANTEES, { status: ['PENDING'] }, { token: g.token });
    expect(listed.data.guarantees.edges.map((e: any) => e.node.id)).toEqual([routed.id]);
    const before = await rows();
    const refusedDisbursement = await run(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '5000000' }, l.token);
    expect(refusedDisbursement.userErrors).toEqual([expect.objectContaining({ field: ['input', 'matchId'], code: 'GUARANTEE_NOT_ACCEPTED' })]);
    expect(await rows()).toEqual(before);

    // Another guarantor cannot answer it; a bank may not call respondToGuarantee; a refusal needs a reason.
    const stranger = await lender('GR2', [{ fee: '0.010' }]);
    expect((await run(RESPOND_GUARANTEE, { guaranteeId: routed.id, action: 'ACCEPT' }, stranger.guarantors[0].token)).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    const forbidden = await app.gql(RESPOND_GUARANTEE, { input: { guaranteeId: routed.id, action: 'ACCEPT' } }, { token: l.token });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await run(RESPOND_GUARANTEE, { guaranteeId: routed.id, action: 'REFUSE' }, g.token)).userErrors[0]).toMatchObject({ field: ['input', 'reason'], code: 'REQUIRED' });

    const accepted = await ok(RESPOND_GUARANTEE, { guaranteeId: routed.id, action: 'ACCEPT' }, g.token);
    expect(accepted).toMatchObject({ guarantee: { status: 'ACCEPTED' }, nextGuarantee: null });
    expect((await ok(RESPOND_GUARANTEE, { guaranteeId: routed.id, action: 'ACCEPT' }, g.token)).guarantee.status).toBe('ACCEPTED');
    const { loan } = await ok(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '5000000' }, l.token);
    expect(loan.guarantee).toEqual({ guarantor: { id: g.id }, feeRate: '0.01' });
    // Once a loan is disbursed under it, it can no longer be refused.
    expect((await run(RESPOND_GUARANTEE, { guaranteeId: routed.id, action: 'REFUSE', reason: '太晚了' }, g.token)).userErrors[0]).toMatchObject({ code: 'GUARANTEE_IN_USE' });
  });

  it('a refusal routes the match to the next guarantor with room and re-prices its terms; with none left the match cannot be disbursed', async () => {
    const l = await lender('GX', [{ fee: '0.010', acceptance: 'REVIEW' }, { fee: '0.012', acceptance: 'REVIEW' }]);
    const [cheap, dear] = l.guarantors;
    const { matchId, approved } = await approvedMatch(l);
    expect(approved.match.terms.guarantee).toEqual({ guarantor: { id: cheap.id }, feeRate: '0.01' });

    const refusal = await ok(RESPOND_GUARANTEE, { guaranteeId: approved.match.routedGuarantee.id, action: 'REFUSE', reason: '行业风险集中度已满' }, cheap.token);
    expect(refusal.guarantee).toMatchObject({ status: 'REFUSED', reason: '行业风险集中度已满', guarantor: { id: cheap.id } });
    expect(refusal.nextGuarantee).toMatchObject({ status: 'PENDING', feeRate: '0.012', guarantor: { id: dear.id } });
    const repriced = (await app.gql(MATCH, { id: matchId }, { token: l.token })).data.node;
    expect(repriced).toMatchObject({ status: 'APPROVED', routedGuarantee: { id: refusal.nextGuarantee.id }, terms: { guarantee: { guarantor: { id: dear.id }, feeRate: '0.012', guaranteedAmount: '4000000.00' } } });
    // The refused guarantee takes no further answer.
    expect((await run(RESPOND_GUARANTEE, { guaranteeId: refusal.guarantee.id, action: 'ACCEPT' }, cheap.token)).userErrors[0]).toMatchObject({ code: 'GUARANTEE_CLOSED' });

    // The second refuses too: nobody is left, and the disbursement says why.
    const last = await ok(RESPOND_GUARANTEE, { guaranteeId: refusal.nextGuarantee.id, action: 'REFUSE', reason: '反担保不足' }, dear.token);
    expect(last.nextGuarantee).toBeNull();
    const blocked = await run(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '5000000' }, l.token);
    expect(blocked.userErrors[0]).toMatchObject({ code: 'GUARANTEE_NOT_ACCEPTED' });
    expect(blocked.userErrors[0].message).toMatch(/拒绝/);
  });
});

describe('AUTOMATIC (见贷即保, the default): accepted when the lender approves', () => {
  it('disburses at once, as before; the guarantor may still refuse until a disbursement, and the match moves on', async () => {
    const l = await lender('GA', [{ fee: '0.010' }, { fee: '0.011' }]);
    const [first, second] = l.guarantors;
    const a = await approvedMatch(l);
    expect(a.approved.match.routedGuarantee).toMatchObject({ status: 'ACCEPTED', guarantor: { id: first.id } });
    const { loan } = await ok(OUTCOME, { matchId: a.matchId, outcome: 'DISBURSED', principal: '5000000' }, l.token);
    expect(loan.guarantee.guarantor.id).toBe(first.id);

    const b = await approvedMatch(l);
    const refusal = await ok(RESPOND_GUARANTEE, { guaranteeId: b.approved.match.routedGuarantee.id, action: 'REFUSE', reason: '单户额度' }, first.token);
    // The next guarantor's agreement is AUTOMATIC too: accepted on routing.
    expect(refusal.nextGuarantee).toMatchObject({ status: 'ACCEPTED', guarantor: { id: second.id } });
    const { loan: other } = await ok(OUTCOME, { matchId: b.matchId, outcome: 'DISBURSED', principal: '5000000' }, l.token);
    expect(other.guarantee).toEqual({ guarantor: { id: second.id }, feeRate: '0.011' });
  });
});
