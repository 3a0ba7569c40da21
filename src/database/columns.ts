/**
 * Column shapes used by every entity, so money, rates and instants are declared one way (DOMAIN §3).
 */
import { Column, ColumnOptions, CreateDateColumn, UpdateDateColumn } from 'typeorm';
import { decimalTransformer } from '../common/decimal';

/** numeric(18,2), read and written as a Decimal. */
export const MoneyColumn = (name: string, options: ColumnOptions = {}) =>
  Column({ name, type: 'numeric', precision: 18, scale: 2, transformer: decimalTransformer, ...options });

/** numeric(9,6), read and written as a Decimal. */
export const RateColumn = (name: string, options: ColumnOptions = {}) =>
  Column({ name, type: 'numeric', precision: 9, scale: 6, transformer: decimalTransformer, ...options });

/** A calendar date, kept as 'YYYY-MM-DD' text in TypeScript. */
export const DateColumn = (name: string, options: ColumnOptions = {}) => Column({ name, type: 'date', ...options });

export const TextArrayColumn = (name: string) => Column({ name, type: 'text', array: true, default: () => "'{}'" });

/** Millisecond precision, so a keyset cursor holding a JS Date finds the row again. */
export const CreatedAt = () => CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 });
export const UpdatedAt = () => UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 });
