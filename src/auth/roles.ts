/** Roles of API.md; BANK, GUARANTOR and INVESTOR tokens carry an `institutionId`. */
export const ROLES = ['ENTERPRISE', 'BANK', 'GUARANTOR', 'INVESTOR', 'AUTHORITY', 'ANALYST', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export const INSTITUTION_ROLES: readonly Role[] = ['BANK', 'GUARANTOR', 'INVESTOR'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
