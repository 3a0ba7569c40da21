/** Small shared shapes. */

/** An input whose every field may be omitted or null (create and update inputs handled by one function). */
export type Loose<T> = { [K in keyof T]?: T[K] | null };

/** Upper-case codes: sector tags, qualifications, industry chains. */
export const CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,39}$/;
