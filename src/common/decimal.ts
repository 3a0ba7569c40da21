/**
 * Money and rates (DOMAIN §3): exact decimals from the `numeric` column to the GraphQL `Decimal`
 * scalar and back. Never a JavaScript float. Computed money rounds half-up to 0.01; rates and ratios
 * half-up to 6 places.
 */
import DecimalJs from 'decimal.js';
import type { ValueTransformer } from 'typeorm';

/** The project's decimal type: 40 significant digits, half-up rounding. */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
export type Decimal = DecimalJs;

export const MONEY_PLACES = 2;
export const RATE_PLACES = 6;
/** numeric(18,2): 16 integer digits. */
export const MONEY_MAX = new Decimal('9999999999999999.99');

export function dec(value: DecimalJs.Value): Decimal {
  return new Decimal(value);
}

/** Round an amount half-up to the cent. */
export function money(value: DecimalJs.Value): Decimal {
  return new Decimal(value).toDecimalPlaces(MONEY_PLACES, Decimal.ROUND_HALF_UP);
}

/** Round a rate or ratio half-up to 6 places. */
export function rate(value: DecimalJs.Value): Decimal {
  return new Decimal(value).toDecimalPlaces(RATE_PLACES, Decimal.ROUND_HALF_UP);
}

/** The text a client sees: at least two places, never exponent notation ("5000000.00", "0.0435"). */
export function formatDecimal(value: Decimal): string {
  return value.toFixed(Math.max(2, value.decimalPlaces()));
}

export function isDecimal(value: unknown): value is Decimal {
  return DecimalJs.isDecimal(value);
}

/**
 * A value the `Decimal` scalar could not read. The scalar hands it on instead of throwing so that the
 * mutation reports it as a `userError` on the right field (API.md: invalid input comes back there).
 */
export class InvalidDecimal {
  constructor(readonly raw: unknown) {}
}

const DECIMAL_TEXT = /^[+-]?\d{1,30}(\.\d{1,30})?$/;

export function parseDecimalText(raw: unknown): Decimal | InvalidDecimal {
  if (typeof raw === 'string') {
    const text = raw.trim();
    return DECIMAL_TEXT.test(text) ? new Decimal(text) : new InvalidDecimal(raw);
  }
  if (typeof raw === 'number' && Number.isFinite(raw) && Math.abs(raw) < 1e15) {
    // JSON numbers: String() gives the shortest text that reads back as the same double, which is
    // what the client typed for anything under 15 significant digits.
    return new Decimal(String(raw));
  }
  return new InvalidDecimal(raw);
}

/** TypeORM transformer: `numeric` comes back from pg as a string; keep it a Decimal. */
export const decimalTransformer: ValueTransformer = {
  to: (value: Decimal | null | undefined) => (value === null || value === undefined ? value : value.toFixed()),
  from: (value: string | null) => (value === null || value === undefined ? null : new Decimal(value)),
};

/** Bounds a decimal input is checked against. */
export interface DecimalBounds {
  min?: DecimalJs.Value;
  max?: DecimalJs.Value;
  /** Exclusive lower bound (amounts that must be positive). */
  positive?: boolean;
}

/** Why a value is not an acceptable decimal: a code, the message variant and its figures. */
export interface DecimalProblem {
  code: 'INVALID_DECIMAL' | 'TOO_MANY_DECIMAL_PLACES' | 'OUT_OF_RANGE';
  variant?: 'min' | 'max';
  params?: Record<string, string | number>;
}

/** The one check of a decimal input (GraphQL arguments, policy parameters): type, places, bounds. */
export function decimalProblem(value: unknown, places: number, bounds: DecimalBounds): DecimalProblem | null {
  if (value instanceof InvalidDecimal || !isDecimal(value)) return { code: 'INVALID_DECIMAL' };
  if (value.decimalPlaces() > places) return { code: 'TOO_MANY_DECIMAL_PLACES', params: { places } };
  if (bounds.positive && value.lte(0)) return { code: 'OUT_OF_RANGE', variant: 'min', params: { min: '0 (exclusive)' } };
  if (bounds.min !== undefined && value.lt(bounds.min)) return { code: 'OUT_OF_RANGE', variant: 'min', params: { min: String(bounds.min) } };
  if (bounds.max !== undefined && value.gt(bounds.max)) return { code: 'OUT_OF_RANGE', variant: 'max', params: { max: String(bounds.max) } };
  return null;
}
