import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, DateColumn, UpdatedAt } from '../database/columns';
import type { InvitationStatus, PitchBasis } from './roadshow.rules';

/** A 一月一链 financing roadshow (seed 003): one industry chain, one month (stored as its first day). */
@Entity('roadshow')
export class RoadshowEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'industry_chain', type: 'text' })
  industryChain: string;

  /** The month's first day, YYYY-MM-01. */
  @DateColumn('month')
  month: string;

  @DateColumn('held_on', { nullable: true })
  heldOn: string | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'region_prefix', type: 'varchar', length: 6, nullable: true })
  regionPrefix: string | null;

  @Column({ name: 'attribution_days', type: 'int', default: 90 })
  attributionDays: number;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}

/** An institution invited to a roadshow, and its answer (ACCEPTED = attending). */
@Entity('roadshow_invitation')
export class RoadshowInvitationEntity {
  @PrimaryColumn({ name: 'roadshow_id', type: 'uuid' })
  roadshowId: string;

  @PrimaryColumn({ name: 'institution_id', type: 'uuid' })
  institutionId: string;

  @Column({ type: 'text', default: 'INVITED' })
  status: InvitationStatus;

  @Column({ name: 'invited_by', type: 'text' })
  invitedBy: string;

  @Column({ name: 'responded_by', type: 'text', nullable: true })
  respondedBy: string | null;

  @Column({ name: 'responded_at', type: 'timestamptz', precision: 3, nullable: true })
  respondedAt: Date | null;

  @CreatedAt()
  createdAt: Date;
}

/** A firm picked to pitch at a roadshow, on what basis, with the need it pitches (if any). */
@Entity('roadshow_pitch')
export class RoadshowPitchEntity {
  @PrimaryColumn({ name: 'roadshow_id', type: 'uuid' })
  roadshowId: string;

  @PrimaryColumn({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ name: 'need_id', type: 'uuid', nullable: true })
  needId: string | null;

  @Column({ type: 'text' })
  basis: PitchBasis;

  @Column({ name: 'added_by', type: 'text' })
  addedBy: string;

  @CreatedAt()
  createdAt: Date;
}
