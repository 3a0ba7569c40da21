/**
 * The contract's scalars (API.md): `Decimal` (exact decimal string), `Date` (YYYY-MM-DD, Asia/Shanghai
 * calendar dates), `DateTime` (ISO 8601) and `JSON`.
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import { formatDecimal, InvalidDecimal, isDecimal, parseDecimalText } from './decimal';
import { InvalidDate, parseDateText } from './dates';
import { badArgument } from './errors';

export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description:
    'An exact decimal number written as a string: money in CNY with up to 2 places ("5000000.00"), ' +
    'rates and ratios as fractions with up to 6 places ("0.0435" is 4.35 % a year). Never a float.',
  serialize(value) {
    if (isDecimal(value)) return formatDecimal(value);
    const parsed = parseDecimalText(value);
    if (parsed instanceof InvalidDecimal) throw new GraphQLError(`Decimal cannot represent ${String(value)}`);
    return formatDecimal(parsed);
  },
  parseValue: (value) => parseDecimalText(value),
  parseLiteral(ast) {
    // Literals keep their exact text: 0.0435 written in a document is read as 0.0435, not as a double.
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseDecimalText(ast.value);
    return new InvalidDecimal(ast.kind);
  },
});

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD (dates are calendar dates in Asia/Shanghai).',
  serialize(value) {
    if (typeof value === 'string' && !(parseDateText(value) instanceof InvalidDate)) return value;
    throw new GraphQLError(`Date cannot represent ${String(value)}`);
  },
  parseValue: (value) => parseDateText(value),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? parseDateText(ast.value) : new InvalidDate(ast.kind)),
});

export const DateTimeScalar = GraphQLDateTime;
export const JSONScalar = GraphQLJSON;

/** A `Decimal` argument of a query (not a mutation input): unreadable is a GraphQL error, since queries have no userErrors. */
export function queryDecimal(value: unknown, argument: string): import('./decimal').Decimal {
  if (isDecimal(value)) return value;
  throw badArgument(`"${argument}" is not a decimal number; send it as a string such as "5000000.00"`, argument);
}

/** A `Date` argument of a query: unreadable is a GraphQL error. */
export function queryDate(value: unknown, argument: string): string {
  if (typeof value === 'string') return value;
  throw badArgument(`"${argument}" is not a date (YYYY-MM-DD)`, argument);
}
