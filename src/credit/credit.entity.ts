import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, DateColumn, MoneyColumn, UpdatedAt } from '../database/columns';
import { CreditRating, DishonestyKind, TaxGrade } from './grades';

/** A dishonesty listing as imported (R5): active while `repairedOn` is null (信用修复). */
export interface DishonestyListing {
  kind: DishonestyKind;
  listedOn: string;
  repairedOn: string | null;
}

/** The credit figures every record and profile carries (R5). */
abstract class CreditFigures {
  @Column({ type: 'text', nullable: true })
  rating: CreditRating | null;

  @Column({ name: 'tax_grade', type: 'text', nullable: true })
  taxGrade: TaxGrade | null;

  @Column({ name: 'overdue_count_12m', type: 'int', nullable: true })
  overdueCount12m: number | null;

  @MoneyColumn('current_overdue_amount', { nullable: true })
  currentOverdueAmount: Decimal | null;

  @Column({ name: 'social_security_months', type: 'int', nullable: true })
  socialSecurityMonths: number | null;

  @Column({ name: 'had_bank_loan', type: 'boolean', nullable: true })
  hadBankLoan: boolean | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  dishonesty: DishonestyListing[];
}

/** One import run: who loaded what, as of when, and how many records changed profiles. */
@Entity('credit_import')
export class CreditImportEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  source: string;

  @DateColumn('as_of')
  asOf: string;

  @Column({ name: 'record_count', type: 'int' })
  recordCount: number;

  @Column({ type: 'int' })
  imported: number;

  @Column({ type: 'int' })
  skipped: number;

  @Column({ name: 'file_name', type: 'text', nullable: true })
  fileName: string | null;

  @Column({ name: 'imported_by', type: 'text' })
  importedBy: string;

  @CreatedAt()
  createdAt: Date;
}

/** The history (R5): one record per enterprise, source and as-of date; a same-day import replaces it. */
@Entity('credit_record')
export class CreditRecordEntity extends CreditFigures {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'varchar', length: 100 })
  source: string;

  @DateColumn('as_of')
  asOf: string;

  @Column({ name: 'import_id', type: 'uuid' })
  importId: string;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}

/** The enterprise's current profile: its newest record (an older as-of never replaces it). */
@Entity('credit_profile')
export class CreditProfileEntity extends CreditFigures {
  @PrimaryColumn({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ name: 'record_id', type: 'uuid' })
  recordId: string;

  @Column({ type: 'varchar', length: 100 })
  source: string;

  @DateColumn('as_of')
  asOf: string;

  @Column({ name: 'active_dishonesty', type: 'boolean' })
  activeDishonesty: boolean;

  @UpdatedAt()
  updatedAt: Date;
}
