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

/** One read of an enterprise's credit data by an institution (R10): who, when, which fields. Append-only. */
@Entity('credit_access_log')
export class CreditAccessEntity {
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

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'text', array: true })
  fields: string[];

  /** Whether the enterprise had consented to the institution at the time (so detail was shown). */
  @Column({ type: 'boolean' })
  consented: boolean;

  /** The GraphQL operation name, when the client gave one. */
  @Column({ type: 'text', nullable: true })
  operation: string | null;
}
