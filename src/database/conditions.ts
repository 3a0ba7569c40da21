/**
 * A WHERE clause built from optional filters, each with one positional parameter: `add('c.status = ?',
 * status)` numbers the `?` as the next `$n`. Values are always parameters, never spliced into the SQL.
 */
export class Conditions {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];

  /** Adds `sql`, whose every `?` stands for `value`. */
  add(sql: string, value: unknown): this {
    this.params.push(value);
    this.parts.push(sql.replaceAll('?', `$${this.params.length}`));
    return this;
  }

  /** The next parameter's placeholder for `value` (a LIMIT, say), after the conditions'. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** `WHERE a AND b`, or nothing without conditions. */
  get where(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
