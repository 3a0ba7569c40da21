/**
 * Authorization declared where the data is (STYLE.md habit 6): every query and mutation carries
 * `@Authorized(...)` with the roles that may call it (`@Authorized()` = any signed-in role). No valid
 * token → UNAUTHENTICATED; a role not listed → FORBIDDEN. Record-level rules (R10: an enterprise sees
 * its own data…) live in the domain's policy file.
 */
import { AuthCheckerFn } from 'type-graphql';
import { RequestContext } from '../common/context';
import { forbidden, unauthenticated } from './errors';
import { INSTITUTION_ROLES, Role } from './roles';

export const authChecker: AuthCheckerFn<RequestContext, Role> = ({ context, info }, roles) => {
  if (!context.viewer) throw unauthenticated(context.lang, context.tokenProblem ?? undefined);
  if (roles.length > 0 && !roles.includes(context.viewer.role)) {
    throw forbidden(context.lang, `${info.parentType.name}.${info.fieldName} (${roles.join(', ')})`);
  }
  return true;
};

/** Roles for the `@Authorized` lists, spelled once. */
export const ANY_ROLE: Role[] = [];
export const MANAGERS: Role[] = ['AUTHORITY', 'ADMIN'];
/** Managers, and institutions acting on their own records. */
export const MANAGERS_AND_INSTITUTIONS: Role[] = [...MANAGERS, ...INSTITUTION_ROLES];
