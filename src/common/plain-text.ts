/**
 * Text from outside that finmatch stores as a name and shows back — a listed firm's name, a whitelist's
 * name, batch and publisher, a credit data source — whether it came in a file or through GraphQL
 * (SECURITY.md "Files from outside"). Two things are refused rather than stored:
 *
 * - a leading = + - or @: a spreadsheet that opens an export of the name runs it as a formula
 *   (`=cmd|' /C calc'!A0`, `@SUM(...)`, `-2+3`); no Chinese firm, list or source name begins with one
 *   (企业名称登记管理规定: a firm's name is written in Chinese characters, region and trade name first),
 *   so refusing costs nothing and no export has to remember to escape;
 * - anything that is not text (common/text.ts: NUL, which PostgreSQL text cannot store, lone surrogates,
 *   control characters such as ESC that rewrite the terminal of whoever prints the name): INVALID_TEXT,
 *   the one code for it from GraphQL and from files alike.
 *
 * Numbers are not text: a '-' leading a number in a numeric column is read as a number (cell.ts).
 */
import { ValidateBy } from 'class-validator';
import { Failure, failure } from './failure';
import { textProblem } from './text';

/** What makes a spreadsheet read a cell as a formula (OWASP "CSV injection"); tab and CR lead nothing once trimmed. */
const FORMULA_LEAD = /^[=+\-@]/;

/**
 * INVALID_TEXT {position, codePoint} or FORMULA_TEXT {character} for a name that would be stored with
 * either, else null; blank text is the caller's (REQUIRED).
 */
export function plainTextFailure(field: string[], text: string | null | undefined): Failure | null {
  const trimmed = text?.trim();
  if (!trimmed) return null;
  const notText = textProblem(text!);
  if (notText) return failure(field, 'INVALID_TEXT', { position: notText.position, codePoint: notText.codePoint });
  return FORMULA_LEAD.test(trimmed) ? failure(field, 'FORMULA_TEXT', { character: trimmed[0] }) : null;
}

/**
 * The same rule on a GraphQL input field that becomes a name (an enterprise's, an institution's, a
 * product's, a policy rule's or pool's): FORMULA_TEXT in the payload's userErrors. Text that is not text
 * never gets this far: every argument's strings are checked first (INVALID_TEXT, common/validation.ts).
 */
export function PlainName(): PropertyDecorator {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const formula = ValidateBy(
    { name: 'noFormula', validator: { validate: (value) => !FORMULA_LEAD.test(text(value)), defaultMessage: () => 'formula' } },
    { context: { code: 'FORMULA_TEXT', variant: 'input' } },
  );
  return (target, key) => formula(target, key as string);
}
