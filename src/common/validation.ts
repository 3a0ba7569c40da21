/**
 * Input validation, the one step every argument of every field passes through (type-graphql calls
 * `validateArgument` for each `@Arg`/`@Args` before a resolver runs): first the text rule on every string
 * the field was given (common/text.ts), then the class-validator decorators on input classes, each
 * carrying a stable code. One middleware turns a validation failure of a mutation's `input` into
 * `userErrors` on its payload instead of a GraphQL error (API.md: invalid input comes back in userErrors
 * and nothing is written); on a query it is a BAD_USER_INPUT error.
 */
import { ValidationError, ValidationOptions, ValidateBy, buildMessage, ArrayMaxSize, Length, Matches, Max, Min, IsEmail, validateOrReject, ValidatorOptions } from 'class-validator';
import { ArgumentValidationError, MiddlewareFn, Mutation, ResolverData, UseMiddleware } from 'type-graphql';
import { RequestContext } from './context';
import { findNonText, TextFinding } from './text';
import { DecimalBounds, decimalProblem, MONEY_MAX, MONEY_PLACES, RATE_PLACES } from './decimal';
import { InvalidDate } from './dates';
import { Params } from './messages';
import { Failure, failure, localize } from './user-error';

/** What a failed constraint reports: its code and message parameters. */
interface Coded {
  code: string;
  variant?: string;
  params?: Params;
}

const coded = (c: Coded): ValidationOptions => ({ context: c });

export const Len = (min: number, max: number) => Length(min, max, coded({ code: 'INVALID_LENGTH', params: { min, max } }));
export const AtLeast = (min: number) => Min(min, coded({ code: 'OUT_OF_RANGE', variant: 'min', params: { min } }));
export const AtMost = (max: number) => Max(max, coded({ code: 'OUT_OF_RANGE', variant: 'max', params: { max } }));
export const Pattern = (pattern: RegExp, code: string, params?: Params) => Matches(pattern, coded({ code, params }));
export const Email = () => IsEmail({}, coded({ code: 'INVALID_EMAIL' }));
export const MaxItems = (max: number) => ArrayMaxSize(max, coded({ code: 'OUT_OF_RANGE', variant: 'max', params: { max } }));

interface DecimalRule {
  decimal: { places: number; bounds: DecimalBounds };
}

function DecimalConstraint(name: string, places: number, bounds: DecimalBounds) {
  const rule: DecimalRule = { decimal: { places, bounds } };
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value) => decimalProblem(value, places, bounds) === null,
        defaultMessage: buildMessage(() => `$property is not a valid ${name}`),
      },
    },
    { context: rule },
  );
}

/** Money: CNY, at most 2 places, 0 ≤ value ≤ numeric(18,2)'s ceiling unless narrowed. */
export const IsMoney = (bounds: DecimalBounds = {}) => DecimalConstraint('money', MONEY_PLACES, { min: 0, max: MONEY_MAX, ...bounds });
/** A rate or ratio as a fraction, at most 6 places, 0..1 unless narrowed. */
export const IsRate = (bounds: DecimalBounds = {}) => DecimalConstraint('rate', RATE_PLACES, { min: 0, max: 1, ...bounds });
/** A multiple such as an amplification cap: at most 6 places, > 0. */
export const IsMultiple = () => DecimalConstraint('multiple', RATE_PLACES, { positive: true, max: 999 });

/** A `Date` the scalar could read. */
export const IsDateValue = () =>
  ValidateBy({
    name: 'date',
    validator: { validate: (value) => !(value instanceof InvalidDate), defaultMessage: () => 'not a date' },
  }, coded({ code: 'INVALID_DATE' }));

/** Which code a built-in constraint reports when a decorator did not name one. */
function codeFor(error: ValidationError, constraint: string): Coded {
  const context = error.contexts?.[constraint] as Coded | DecimalRule | undefined;
  if (context && 'decimal' in context) {
    return decimalProblem(error.value, context.decimal.places, context.decimal.bounds) ?? { code: 'INVALID_DECIMAL' };
  }
  if (context) return context;
  return { code: 'INVALID_FORMAT', params: { expected: constraint } };
}

/** Flattens class-validator's tree into failures with their path under `input`. */
export function failuresFromValidation(errors: ValidationError[], path: string[] = []): Failure[] {
  const out: Failure[] = [];
  for (const error of errors) {
    const here = [...path, error.property];
    // One failure per field: the first constraint that failed.
    const [constraint] = Object.keys(error.constraints ?? {});
    if (constraint) {
      const c = codeFor(error, constraint);
      out.push(failure(here, c.code, c.params, c.variant));
    }
    if (error.children?.length) out.push(...failuresFromValidation(error.children, here));
  }
  return out;
}

/** A string argument (at any depth) that is not text: BAD_USER_INPUT naming the first one, with all of them as validation errors. */
export class InvalidTextError extends ArgumentValidationError {
  constructor(readonly findings: TextFinding[]) {
    super(findings.map((f) => textValidationError(f.path, f)));
    const [first] = findings;
    this.message = `"${first.path.join('.')}" is not text: ${first.codePoint} at character ${first.position} (NUL, lone surrogates, control characters other than tab and line breaks, and noncharacters are refused)`;
    this.extensions.argument = first.path.join('.');
  }

  /** The findings inside argument `name`, as failures with their path under it. */
  failuresUnder(name: string): Failure[] {
    return this.findings
      .filter((f) => f.path[0] === name)
      .map((f) => failure(f.path.slice(1), 'INVALID_TEXT', { position: f.position, codePoint: f.codePoint }));
  }
}

/** class-validator's shape for one finding, nested along its path (so GraphQL clients see the usual tree). */
function textValidationError([property, ...rest]: string[], f: TextFinding): ValidationError {
  const error = Object.assign(new ValidationError(), { property, children: [] as ValidationError[] });
  if (rest.length) error.children = [textValidationError(rest, f)];
  else error.constraints = { text: `${f.codePoint} at character ${f.position} is not text` };
  return error;
}

/** Options for the class-validator step: nulls and omitted optional fields are the schema's business; validators judge values given. */
const VALIDATOR_OPTIONS: ValidatorOptions = { skipMissingProperties: true, forbidUnknownValues: false, validationError: { target: false } };

/** Argument objects already found to be text (a resolver with several `@Arg`s is walked once). */
const textChecked = new WeakSet<object>();

/**
 * type-graphql's `validateFn`: called for each argument of every resolver, query or mutation, root or
 * nested. The text rule walks all of the field's arguments as GraphQL parsed them (any scalar, any depth,
 * JSON included), so no field can be left out; then the argument's class-validator decorators run.
 */
export async function validateArgument(argValue: unknown, _argType: unknown, { args }: ResolverData<object>): Promise<void> {
  if (!textChecked.has(args)) {
    const findings = findNonText(args);
    if (findings.length) throw new InvalidTextError(findings);
    textChecked.add(args);
  }
  if (argValue === null || typeof argValue !== 'object') return;
  try {
    const values = Array.isArray(argValue) ? argValue.filter((v) => v !== null && typeof v === 'object') : [argValue];
    await Promise.all(values.map((v) => validateOrReject(v as object, VALIDATOR_OPTIONS)));
  } catch (errors) {
    // validateOrReject rejects with the list of failures; anything else is a validator's own fault.
    if (Array.isArray(errors)) throw new ArgumentValidationError(errors);
    throw errors;
  }
}

/** Turns a validation failure of the mutation's input into its payload's userErrors (plus the payload's refused values). */
const validationToUserErrors = (refusedValues: Record<string, unknown>): MiddlewareFn<RequestContext> => async ({ context }, next) => {
  try {
    return await next();
  } catch (error) {
    if (error instanceof InvalidTextError) {
      return { ...refusedValues, userErrors: error.failuresUnder('input').map((f) => localize(context.lang, f)) };
    }
    if (error instanceof ArgumentValidationError) {
      const errors = (error.extensions.validationErrors ?? []) as ValidationError[];
      // type-graphql validates the `input` object itself: its errors' properties are input fields.
      const failures = failuresFromValidation(errors);
      return { ...refusedValues, userErrors: failures.map((f) => localize(context.lang, f)) };
    }
    throw error;
  }
};

/** `@Mutation` whose input validation failures come back as `userErrors` on its payload. */
type MutationArgs = Parameters<typeof Mutation>;

/**
 * `refused` gives the payload's non-null fields their values when the input is refused (a payload whose
 * result field is nullable needs none: it comes back null).
 */
export function PayloadMutation(returns: MutationArgs[0], options: NonNullable<MutationArgs[1]> & { refused?: Record<string, unknown> }): MethodDecorator {
  const { refused = {}, ...mutationOptions } = options;
  return (target, key, descriptor) => {
    Mutation(returns as never, mutationOptions)(target, key as string, descriptor as never);
    UseMiddleware(validationToUserErrors(refused))(target, key as string, descriptor as never);
  };
}
