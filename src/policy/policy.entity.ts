import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, DateColumn, MoneyColumn, RateColumn } from '../database/columns';

/** A benchmark rate with its effective date (DOMAIN §3), e.g. PBOC_1Y 0.0435 from 2015-10-24. */
@Entity('benchmark_rate')
export class BenchmarkRateEntity {
  @Column({ type: 'text', primary: true })
  code: string;

  @DateColumn('effective_from', { primary: true })
  effectiveFrom: string;

  @RateColumn('rate')
  rate: Decimal;

  @Column({ type: 'text', nullable: true })
  source: string | null;

  @CreatedAt()
  createdAt: Date;
}

/** A risk-compensation pool (R8): public money that compensates banks' losses on eligible loans. */
@Entity('risk_compensation_pool')
export class RiskCompensationPoolEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  funder: string | null;

  @MoneyColumn('capacity')
  capacity: Decimal;

  @MoneyColumn('reserved')
  reserved: Decimal;

  @MoneyColumn('paid')
  paid: Decimal;

  @Column({ type: 'text', nullable: true })
  source: string | null;

  @CreatedAt()
  createdAt: Date;
}
