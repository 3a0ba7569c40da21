/**
 * A list of the code's own constants (statuses, kinds) as SQL literals for `IN (…)`, written into a
 * statement's text so that its plan sees them: `'OPEN', 'MATCHED'`. Quotes are doubled, so a value can
 * never end its literal. Never for user input: that travels as a parameter.
 */
export const sqlList = (values: readonly string[]): string => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
