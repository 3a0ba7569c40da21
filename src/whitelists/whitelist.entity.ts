import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, DateColumn } from '../database/columns';
import { QualificationTier } from './tier';

/** A published whitelist (R4): an authority's list of qualified enterprises, growing by batches. */
@Entity('whitelist')
export class WhitelistEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The publishing authority, e.g. 上海市经济和信息化委员会. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  publisher: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreatedAt()
  createdAt: Date;
}

/** One published batch of a whitelist; immutable once published. */
@Entity('whitelist_batch')
export class WhitelistBatchEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'whitelist_id', type: 'uuid' })
  whitelistId: string;

  @Column({ type: 'varchar', length: 100 })
  batch: string;

  @Column({ name: 'entry_count', type: 'int' })
  entryCount: number;

  /** How it arrived: API, or FILE:<file name> for the import command. */
  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'published_by', type: 'text' })
  publishedBy: string;

  /** The publishing authority's region prefix (RV1) when a regional authority published it; null: national, an admin or the import command. */
  @Column({ name: 'region_prefix', type: 'text', nullable: true })
  regionPrefix: string | null;

  @CreatedAt()
  createdAt: Date;
}

/** An enterprise's place on a whitelist (R4): tier, validity, and a revocation when withdrawn. */
@Entity('whitelist_entry')
export class WhitelistEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'whitelist_id', type: 'uuid' })
  whitelistId: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  /** The name as the authority listed it (the enterprise's registered name may differ). */
  @Column({ name: 'listed_name', type: 'varchar', length: 200 })
  listedName: string;

  @Column({ type: 'text' })
  tier: QualificationTier;

  @DateColumn('valid_from')
  validFrom: string;

  @DateColumn('valid_to')
  validTo: string;

  @DateColumn('revoked_on', { nullable: true })
  revokedOn: string | null;

  @Column({ name: 'revocation_reason', type: 'varchar', length: 500, nullable: true })
  revocationReason: string | null;

  @Column({ name: 'revoked_by', type: 'text', nullable: true })
  revokedBy: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;

  @CreatedAt()
  createdAt: Date;
}

/**
 * The bank's whitelist page reads this: one row per entry with the enterprise and credit columns it
 * filters on, maintained by triggers (see the migration), never written by the application.
 */
@Entity('whitelist_search')
export class WhitelistSearchEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ name: 'whitelist_id', type: 'uuid' })
  whitelistId: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
