/**
 * Subsidy claims through the API (issue 17 §3): a loan's entitlements, and the whole review — budget set,
 * claim applied for by the payee, approved and paid by an authority — for tests that need the subsidies
 * booked (a disbursement no longer books them).
 */
import { TestApp } from '../support/harness';
import { staff, USER_ERRORS } from './fixtures';
import { mutate } from './policy-fixtures';

export const CLAIM_FIELDS = 'id status claimed approved reason paymentReference documents { kind reference description } entitlement { id kind year amount ruleCode payeeId }';
export const APPLY_FOR_SUBSIDY = `mutation($input: ApplyForSubsidyInput!) { applyForSubsidy(input: $input) { claim { ${CLAIM_FIELDS} } ${USER_ERRORS} } }`;
export const REVIEW_CLAIM = `mutation($input: ReviewSubsidyClaimInput!) { reviewSubsidyClaim(input: $input) { claim { ${CLAIM_FIELDS} } ${USER_ERRORS} } }`;
export const PAY_CLAIM = `mutation($input: PaySubsidyClaimInput!) { paySubsidyClaim(input: $input) { claim { ${CLAIM_FIELDS} } ${USER_ERRORS} } }`;
export const SET_BUDGET = `mutation($input: SetPolicyBudgetInput!) { setPolicyBudget(input: $input) { budget { ruleCode year budget committed paid remaining } ${USER_ERRORS} } }`;
export const BUDGETS = `query($year: Int!, $ruleCode: String) { policyBudgets(year: $year, ruleCode: $ruleCode) { ruleCode year budget committed paid remaining } }`;
const ENTITLEMENTS = `query($id: ID!) { node(id: $id) { ... on Loan { subsidyEntitlements { id kind payeeKind payeeId year amount ruleCode ruleVersion claims { id status approved } } } } }`;

export interface Entitlement { id: string; kind: string; payeeKind: string; payeeId: string; year: number; amount: string; ruleCode: string; ruleVersion: string; claims: { id: string; status: string; approved: string | null }[] }

/** A loan's entitlements, as an authority reads them. */
export async function entitlementsOf(app: TestApp, loanId: string, token = staff(app).authority): Promise<Entitlement[]> {
  const res = await app.gql(ENTITLEMENTS, { id: loanId }, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.node.subsidyEntitlements;
}

/**
 * Pays every entitlement of a loan (of `kinds`, if given): a budget of 100,000,000 for its rule and year,
 * the claim applied for with the payee's token, approved and paid by a national authority.
 */
export async function payEntitlements(app: TestApp, loanId: string, payeeToken: string, kinds?: string[]): Promise<any[]> {
  const { authority } = staff(app);
  const paid = [];
  for (const e of await entitlementsOf(app, loanId)) {
    if (kinds && !kinds.includes(e.kind)) continue;
    await mutate(app, authority, SET_BUDGET, { ruleCode: e.ruleCode, year: e.year, amount: '100000000' });
    const claim = await mutate(app, payeeToken, APPLY_FOR_SUBSIDY, { entitlementId: e.id, documents: [] });
    await mutate(app, authority, REVIEW_CLAIM, { claimId: claim.id, decision: 'APPROVE' });
    paid.push(await mutate(app, authority, PAY_CLAIM, { claimId: claim.id, paymentReference: `TR-${e.year}-${e.id.slice(-6)}` }));
  }
  return paid;
}

export const POOL_CLAIM_FIELDS = 'id status netLoss claimed approved ruleVersion regionCode reason paymentReference submittedAt decidedAt paidAt documents { kind reference description } loan { id } pool { id }';
export const APPLY_FOR_POOL_CLAIM = `mutation($input: ApplyForPoolClaimInput!) { applyForPoolClaim(input: $input) { claim { ${POOL_CLAIM_FIELDS} } ${USER_ERRORS} } }`;
export const REVIEW_POOL_CLAIM = `mutation($input: ReviewPoolClaimInput!) { reviewPoolClaim(input: $input) { claim { ${POOL_CLAIM_FIELDS} } ${USER_ERRORS} } }`;
export const PAY_POOL_CLAIM = `mutation($input: PayPoolClaimInput!) { payPoolClaim(input: $input) { claim { ${POOL_CLAIM_FIELDS} } ${USER_ERRORS} } }`;

/**
 * A defaulted loan's pool claim through its whole review: the bank applies (naming `documents`), a national
 * authority approves all of it (or `approved`, with a reason) and pays it. Returns the paid claim.
 */
export async function payPoolClaim(app: TestApp, loanId: string, bankToken: string, options: { approved?: string; documents?: { kind: string; reference: string }[] } = {}): Promise<any> {
  const { authority } = staff(app);
  const claim = await mutate(app, bankToken, APPLY_FOR_POOL_CLAIM, { loanId, documents: options.documents ?? [] });
  await mutate(app, authority, REVIEW_POOL_CLAIM, { claimId: claim.id, decision: 'APPROVE', ...(options.approved ? { approved: options.approved, reason: '部分损失不属代偿范围' } : {}) });
  return mutate(app, authority, PAY_POOL_CLAIM, { claimId: claim.id, paymentReference: `POOL-${loanId.slice(-8)}` });
}
