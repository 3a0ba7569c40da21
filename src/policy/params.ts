/**
 * Parameters of a policy rule, declared per kind and checked in one place: each parameter is a rate
 * (a fraction, ≤ 6 places), an amount (CNY, ≤ 2 places) or a code. Stored normalised (decimals as
 * strings), so a rule reads back exactly as it was accepted.
 */
import { Decimal, decimalProblem, MONEY_MAX, MONEY_PLACES, parseDecimalText, RATE_PLACES } from '../common/decimal';
import { Failure, failure } from '../common/failure';
import { CODE_PATTERN } from '../common/types';

export type ParamType = 'rate' | 'money' | 'code';

export interface ParamSpec {
  type: ParamType;
  required: boolean;
  /** Upper bound for rates (default 1). */
  max?: number;
  /** Value used when the parameter is left out. */
  default?: string;
}

export type ParamSpecs = Record<string, ParamSpec>;

/** Parsed parameters: rates and amounts as Decimals, codes as strings; a missing optional one is null. */
export type ParsedParams = Record<string, Decimal | string | null>;


/** Checks `raw` against the specs: unknown names, missing required ones, wrong types and ranges. */
export function checkParams(specs: ParamSpecs, raw: unknown, field: string[] = ['params']): { params: Record<string, string>; failures: Failure[] } {
  const failures: Failure[] = [];
  const params: Record<string, string> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { params, failures: [failure(field, 'PARAMS_NOT_OBJECT', { expected: Object.keys(specs).join(', ') })] };
  }
  const given = raw as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!(name in specs)) failures.push(failure([...field, name], 'UNKNOWN_PARAM', { name, expected: Object.keys(specs).join(', ') }));
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = given[name] ?? spec.default;
    const at = [...field, name];
    if (value === undefined || value === null) {
      if (spec.required) failures.push(failure(at, 'REQUIRED'));
      continue;
    }
    if (spec.type === 'code') {
      if (typeof value !== 'string' || !CODE_PATTERN.test(value)) failures.push(failure(at, 'INVALID_FORMAT', { expected: 'A-Z, 0-9, _' }));
      else params[name] = value;
      continue;
    }
    const d = parseDecimalText(value);
    const problem = spec.type === 'rate'
      ? decimalProblem(d, RATE_PLACES, { min: 0, max: spec.max ?? 1 })
      : decimalProblem(d, MONEY_PLACES, { min: 0, max: MONEY_MAX });
    if (problem) failures.push(failure(at, problem.code, problem.params, problem.variant));
    else params[name] = (d as Decimal).toFixed();
  }
  return { params, failures };
}

/** Reads stored (already checked) parameters back into Decimals and codes. */
export function readParams(specs: ParamSpecs, stored: Record<string, string>): ParsedParams {
  const parsed: ParsedParams = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = stored[name] ?? spec.default ?? null;
    parsed[name] = value === null ? null : spec.type === 'code' ? value : new Decimal(value);
  }
  return parsed;
}
