import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from '../database/columns';
import type { ClaimAction, ClaimEvidence, ClaimStatus } from './claim.rules';

/**
 * A person's claim on a firm (claim.rules.ts). The holder's claim goes with the `enterprise_user` binding;
 * a contest is a claim too, by someone not bound, naming the claim it disputes (`contestOf`).
 */
@Entity('enterprise_claim')
export class EnterpriseClaimEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  /** The claimant (JWT `sub`). */
  @Column({ type: 'text' })
  sub: string;

  @Column({ type: 'text' })
  status: ClaimStatus;

  /** What VERIFIED or REJECTED rests on: the token's verified credit code, or an authority's decision. */
  @Column({ type: 'text', nullable: true })
  evidence: ClaimEvidence | null;

  /** For a contest: the claim it disputes. */
  @Column({ name: 'contest_of', type: 'uuid', nullable: true })
  contestOf: string | null;

  /** For a contested holder's claim: the status it goes back to when every contest is rejected. */
  @Column({ name: 'resume_status', type: 'text', nullable: true })
  resumeStatus: ClaimStatus | null;

  /** The contest's reason, or the authority's note on its decision. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', precision: 3, nullable: true })
  decidedAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}

/** One step of a claim (who, what, when), append-only; authorities read it. */
@Entity('enterprise_claim_event')
export class EnterpriseClaimEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'claim_id', type: 'uuid' })
  claimId: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'text' })
  action: ClaimAction;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: ClaimStatus | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus: ClaimStatus;

  @Column({ name: 'actor_sub', type: 'text' })
  actorSub: string;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @CreatedAt()
  createdAt: Date;
}
