import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { connectionType } from '../common/connection';
import { graphqlEnum } from '../common/enums';
import { Node, showsAs } from '../common/node';
import { DateTimeScalar } from '../common/scalars';
import { Len, MaxItems } from '../common/validation';
import { EnterpriseClaimEntity, EnterpriseClaimEventEntity } from './claim.entity';
import { CLAIM_ACTIONS, CLAIM_DECISIONS, CLAIM_EVIDENCE, CLAIM_STATUSES, ClaimAction, ClaimDecision, ClaimEvidence, ClaimStatus } from './claim.rules';

showsAs(EnterpriseClaimEntity, 'EnterpriseClaim');
showsAs(EnterpriseClaimEventEntity, 'EnterpriseClaimEvent');

export const ClaimStatusEnum = graphqlEnum<ClaimStatus>('ClaimStatus', CLAIM_STATUSES, 'Where a claim on a firm stands (issue 11 §6). Only a VERIFIED holder reads the firm\'s credit file, changes a whitelisted firm\'s registered facts and has its needs proposed to banks.', {
  PENDING: 'Made, not verified: the token did not carry the credit code as verified and no authority has confirmed it.',
  VERIFIED: 'Verified by the token\'s credit-code claim (the login service checked the business licence) or by an authority.',
  CONTESTED: 'Disputed: the holder\'s claim and the contester\'s, until an authority decides.',
  REJECTED: 'Refused by an authority, or displaced by a registration whose token was verified for the code. Final.',
});

export const ClaimEvidenceEnum = graphqlEnum<ClaimEvidence>('ClaimEvidence', CLAIM_EVIDENCE, 'What a claim\'s verification or rejection rests on.', {
  TOKEN_CLAIM: 'The identity token carried the credit code as a verified claim (`creditCode` with `creditCodeVerified: true`).',
  AUTHORITY_DECISION: 'An authority decided (confirmEnterpriseClaim, resolveEnterpriseClaim).',
});

export const ClaimActionEnum = graphqlEnum<ClaimAction>('ClaimAction', CLAIM_ACTIONS, 'An audited step of a claim.', {
  REGISTERED: 'registerEnterprise made the claim (PENDING, or VERIFIED by the token).',
  VERIFIED_BY_TOKEN: 'The holder registered again with a token verified for the code.',
  CONFIRMED: 'An authority verified the claim.',
  CONTEST_FILED: 'Someone filed a contest of the holder\'s claim (this claim).',
  CONTESTED: 'The holder\'s claim was contested.',
  REINSTATED: 'Every contest was rejected: the holder\'s claim is back where it was.',
  REJECTED: 'An authority rejected the claim.',
  SUPERSEDED: 'A registration whose token was verified for the code displaced this unverified claim.',
  MIGRATED: 'A binding made before claims were verified, carried over as PENDING.',
});

export const ClaimDecisionEnum = graphqlEnum<ClaimDecision>('ClaimDecision', CLAIM_DECISIONS, 'An authority\'s decision on a claim.', {
  VERIFY: 'The claimant is the firm: verify its claim (a contester becomes the holder; the other claims are rejected).',
  REJECT: 'Refuse the claim (a holder loses the firm and its open needs are withdrawn).',
});

@ObjectType({ implements: Node, description: 'A person\'s claim to act for a firm (issue 11 §6): made by registerEnterprise or contestEnterpriseClaim, verified by the token or an authority. Shown to authorities, admins and the claimant.' })
export class EnterpriseClaim {
  @Field(() => ClaimStatusEnum, { description: 'Where it stands.' })
  status: ClaimStatus;

  @Field(() => ClaimEvidenceEnum, { nullable: true, description: 'What VERIFIED or REJECTED rests on; for a contest, TOKEN_CLAIM when the contester\'s token carried the code as verified.' })
  evidence: ClaimEvidence | null;

  @Field(() => String, { nullable: true, description: 'The contest\'s reason, or the authority\'s note on its decision.' })
  note: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was verified or rejected.' })
  decidedAt: Date | null;

  @Field(() => DateTimeScalar, { description: 'When it was made.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: 'When it last changed.' })
  updatedAt: Date;
}

@ObjectType({ implements: Node, description: 'One audited step of a claim: who, what, when.' })
export class EnterpriseClaimEvent {
  @Field(() => ClaimActionEnum, { description: 'What happened.' })
  action: ClaimAction;

  @Field(() => ClaimStatusEnum, { nullable: true, description: 'The claim\'s status before; null when it was made.' })
  fromStatus: ClaimStatus | null;

  @Field(() => ClaimStatusEnum, { description: 'The claim\'s status after.' })
  toStatus: ClaimStatus;

  @Field({ description: 'Who took the step (JWT `sub`).' })
  actorSub: string;

  @Field({ description: 'Their role (SYSTEM for the migration).' })
  actorRole: string;

  @Field(() => String, { nullable: true, description: 'Reason or note given.' })
  note: string | null;

  @Field(() => DateTimeScalar, { description: 'When.' })
  createdAt: Date;
}

export const EnterpriseClaimConnection = connectionType(EnterpriseClaim, 'EnterpriseClaim', 'claim');
export const EnterpriseClaimEventConnection = connectionType(EnterpriseClaimEvent, 'EnterpriseClaimEvent', 'claim event');

@InputType({ description: 'Filters for `enterpriseClaims`.' })
export class EnterpriseClaimFilter {
  @Field(() => [ClaimStatusEnum], { nullable: true, description: 'Claims in these statuses (e.g. PENDING, CONTESTED: the queue).' })
  @MaxItems(4)
  status?: ClaimStatus[] | null;

  @Field(() => String, { nullable: true, description: 'Claims on this firm (credit code).' })
  creditCode?: string | null;
}

@InputType({ description: 'Filters for `enterpriseClaimEvents`.' })
export class EnterpriseClaimEventFilter {
  @Field(() => String, { nullable: true, description: 'Steps of claims on this firm (credit code).' })
  creditCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Steps of this claim.' })
  claimId?: string | null;
}

@InputType({ description: 'Dispute the holder\'s claim on a firm: you are its real owner.' })
export class ContestEnterpriseClaimInput {
  @Field({ description: 'The firm\'s credit code (R1).' })
  creditCode: string;

  @Field({ description: 'Why the holder is not the firm, for the authority (1–500 characters).' })
  @Len(1, 500)
  reason: string;
}

@InputType({ description: 'An authority verifies a pending claim.' })
export class ConfirmEnterpriseClaimInput {
  @Field(() => ID, { description: 'The claim.' })
  claimId: string;

  @Field(() => String, { nullable: true, description: 'What the decision rests on (documents seen, 电子营业执照 check…), up to 500 characters.' })
  @Len(1, 500)
  note?: string | null;
}

@InputType({ description: 'An authority decides a claim: verify it or reject it.' })
export class ResolveEnterpriseClaimInput {
  @Field(() => ID, { description: 'The claim (a holder\'s or a contest).' })
  claimId: string;

  @Field(() => ClaimDecisionEnum, { description: 'VERIFY or REJECT.' })
  decision: ClaimDecision;

  @Field(() => String, { nullable: true, description: 'What the decision rests on, up to 500 characters.' })
  @Len(1, 500)
  note?: string | null;
}
