/**
 * Mutation payloads (API.md): the result field (null when refused) and `userErrors`.
 */
import { ClassType, Field, ObjectType } from 'type-graphql';
import { RequestContext } from './context';
import { localize, Result, UserError } from './user-error';

export interface PayloadClass {
  userErrors: UserError[];
}

/** Builds `<name>` with a nullable `resultField` of `type` and `userErrors`. */
export function payloadType(name: string, resultField: string, type: () => ClassType, description: string): ClassType<PayloadClass> {
  @ObjectType(name, { description, simpleResolvers: true })
  class Payload {
    @Field(() => [UserError], { description: 'Why the input was refused; empty on success. When present, nothing was written.' })
    userErrors: UserError[];
  }
  Field(type, { nullable: true, description: `The ${resultField}, or null when the input was refused.` })(Payload.prototype, resultField);
  return Payload;
}

/** The payload object for a service result. */
export function toPayload<T>(ctx: RequestContext, resultField: string, result: Result<T>): Record<string, unknown> {
  return result.ok
    ? { [resultField]: result.value, userErrors: [] }
    : { [resultField]: null, userErrors: result.failures.map((f) => localize(ctx.lang, f)) };
}
