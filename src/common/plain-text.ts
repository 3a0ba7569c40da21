/**
 * Text from outside that finmatch stores as a name and shows back — a listed firm's name, a whitelist's
 * name, batch and publisher, a credit data source — whether it came in a file or through GraphQL
 * (SECURITY.md "Files from outside"). Two things are refused rather than stored:
 *
 * - a leading = + - or @: a spreadsheet that opens an export of the name runs it as a formula
 *   (`=cmd|' /C calc'!A0`, `@SUM(...)`, `-2+3`); no Chinese firm, list or source name begins with one
 *   (企业名称登记管理规定: a firm's name is written in Chinese characters, region and trade name first),
 *   so refusing costs nothing and no export has to remember to escape;
 * - a control character other than tab and line breaks: NUL cannot be stored in PostgreSQL text at all,
 *   and the others (ESC) rewrite the terminal of whoever prints the name.
 *
 * Numbers are not text: a '-' leading a number in a numeric column is read as a number (cell.ts).
 */
import { ValidateBy } from 'class-validator';
import { Failure, failure } from './failure';

/** C0 controls other than tab, line feed and carriage return, and DEL. */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/** What makes a spreadsheet read a cell as a formula (OWASP "CSV injection"); tab and CR lead nothing once trimmed. */
const FORMULA_LEAD = /^[=+\-@]/;

/** The first control character of a text as 'U+0000', or null. */
export function controlCharacter(text: string): string | null {
  const found = CONTROL.exec(text);
  return found ? `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/**
 * CONTROL_CHARACTER {character} or FORMULA_TEXT {character} for a name that would be stored with
 * either, else null; blank text is the caller's (REQUIRED).
 */
export function plainTextFailure(field: string[], text: string | null | undefined): Failure | null {
  const trimmed = text?.trim();
  if (!trimmed) return null;
  const control = controlCharacter(trimmed);
  if (control) return failure(field, 'CONTROL_CHARACTER', { character: control });
  return FORMULA_LEAD.test(trimmed) ? failure(field, 'FORMULA_TEXT', { character: trimmed[0] }) : null;
}

/**
 * The same rule on a GraphQL input field that becomes a name (an enterprise's, an institution's, a
 * product's, a policy rule's or pool's): FORMULA_TEXT or CONTROL_CHARACTER in the payload's userErrors.
 */
export function PlainName(): PropertyDecorator {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const control = ValidateBy(
    { name: 'noControlCharacter', validator: { validate: (value) => controlCharacter(text(value)) === null, defaultMessage: () => 'control character' } },
    { context: { code: 'CONTROL_CHARACTER', variant: 'input' } },
  );
  const formula = ValidateBy(
    { name: 'noFormula', validator: { validate: (value) => !FORMULA_LEAD.test(text(value)), defaultMessage: () => 'formula' } },
    { context: { code: 'FORMULA_TEXT', variant: 'input' } },
  );
  return (target, key) => {
    control(target, key as string);
    formula(target, key as string);
  };
}
