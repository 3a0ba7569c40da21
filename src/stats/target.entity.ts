import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, DateColumn, MoneyColumn } from '../database/columns';
import type { TargetMetric } from './targets';

/** A target an authority sets (ST7; seed 003 二.(三).1: 1,000 new firms posting needs, 10 亿元 intended, by 2025). */
@Entity('authority_target')
export class AuthorityTargetEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text' })
  metric: TargetMetric;

  @MoneyColumn('value')
  value: Decimal;

  @DateColumn('starts_on')
  startsOn: string;

  @DateColumn('deadline')
  deadline: string;

  @Column({ name: 'region_prefix', type: 'varchar', length: 6, nullable: true })
  regionPrefix: string | null;

  @Column({ type: 'text', nullable: true })
  channel: string | null;

  @Column({ type: 'text', nullable: true })
  source: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreatedAt()
  createdAt: Date;
}
