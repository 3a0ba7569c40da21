import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt } from '../database/columns';

export const CONSENT_VIAS = ['GRANT', 'APPLICATION'] as const;
export type ConsentVia = (typeof CONSENT_VIAS)[number];

/** An enterprise's consent to one institution seeing its contact details and credit history (R10). */
@Entity('consent')
export class ConsentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId: string;

  /** GRANT (grantConsent) or APPLICATION (applying to a match counts as consent). */
  @Column({ type: 'text' })
  via: ConsentVia;

  @Column({ name: 'granted_by', type: 'text' })
  grantedBy: string;

  @CreatedAt()
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_by', type: 'text', nullable: true })
  revokedBy: string | null;
}

/** Who read credit data and when: the columns both audit tables share (R10). */
abstract class AuditedRead {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreatedAt()
  createdAt: Date;

  @Column({ type: 'text' })
  sub: string;

  @Column({ type: 'text' })
  role: string;

  @Column({ name: 'institution_id', type: 'uuid', nullable: true })
  institutionId: string | null;

  /** The GraphQL operation name, when the client gave one. */
  @Column({ type: 'text', nullable: true })
  operation: string | null;
}

/** One read of an enterprise's credit data by an institution (R10): who, when, which fields. Append-only. */
@Entity('credit_access_log')
export class CreditAccessEntity extends AuditedRead {
  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'text', array: true })
  fields: string[];

  /** Whether the enterprise had consented to the institution at the time (so detail was shown). */
  @Column({ type: 'boolean' })
  consented: boolean;

  /** The filtered read (a whitelist page with credit criteria) that returned the firm, if that is how it was read. */
  @Column({ name: 'filter_read_id', type: 'uuid', nullable: true })
  filterReadId: string | null;
}

/**
 * One read of many firms' credit data by a filter (R10): a whitelist page with credit criteria reads
 * the data of the firms the other filters let through, returned or excluded. Who, when, the criteria,
 * the other filters, and how many firms were read, kept and returned. Append-only.
 */
@Entity('credit_filter_read')
export class CreditFilterReadEntity extends AuditedRead {
  /** What was filtered: `whitelist` (the whitelist page). */
  @Column({ type: 'text' })
  source: string;

  /** The credit criteria, by name: { minRating: 'A', noActiveDishonesty: true }. */
  @Column({ type: 'jsonb' })
  criteria: Record<string, unknown>;

  /** The other filters, which chose the firms whose credit data the criteria read (asOf always stated). */
  @Column({ type: 'jsonb' })
  scope: Record<string, unknown>;

  /** Firms whose credit data decided the answer (the page's window of the list; all of it with totalCount). */
  @Column({ name: 'read_count', type: 'integer' })
  readCount: number;

  /** Of those, firms the criteria kept (the rest were excluded). */
  @Column({ name: 'kept_count', type: 'integer' })
  keptCount: number;

  /** Firms on the page returned (each has its row in credit_access_log). */
  @Column({ name: 'returned_count', type: 'integer' })
  returnedCount: number;
}
