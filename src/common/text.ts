/**
 * What counts as text (issue 11 §3). Every string a client sends — arguments, input fields at any depth,
 * list items, JSON values and keys — must be text that PostgreSQL and the JSON layer can store as sent
 * and that means something to a reader. Refused:
 *
 * - U+0000 (NUL): PostgreSQL's `text` and `jsonb` cannot hold it;
 * - lone surrogates (U+D800–U+DFFF not in a pair): not Unicode at all; UTF-8 encoding would silently turn
 *   them into U+FFFD and `jsonb` refuses their `\uD800` escape;
 * - the other C0 controls (U+0001–U+001F) except tab, line feed and carriage return, DEL (U+007F) and the
 *   C1 controls (U+0080–U+009F): terminal and printer commands, never part of a name or a note;
 * - the 66 noncharacters (U+FDD0–U+FDEF and U+xFFFE, U+xFFFF in every plane): reserved by Unicode for a
 *   program's internal use, never for interchange.
 *
 * Everything else (any script, emoji, tab and line breaks) is text. Pure: no GraphQL, no database.
 */

/** One code point that is not text, matched with the `u` flag so surrogate pairs count as one. */
const NOT_TEXT = new RegExp(
  '[\\u{0}-\\u{8}\\u{B}\\u{C}\\u{E}-\\u{1F}\\u{7F}-\\u{9F}\\u{D800}-\\u{DFFF}\\u{FDD0}-\\u{FDEF}' +
    Array.from({ length: 17 }, (_, plane) => `\\u{${(plane * 0x10000 + 0xfffe).toString(16)}}\\u{${(plane * 0x10000 + 0xffff).toString(16)}}`).join('') +
    ']',
  'u',
);

/** Where a string stops being text: the 1-based position of the first offending character (in code points) and that character as U+XXXX. */
export interface TextProblem {
  position: number;
  codePoint: string;
}

export function textProblem(value: string): TextProblem | null {
  const match = NOT_TEXT.exec(value);
  if (!match) return null;
  const position = [...value.slice(0, match.index)].length + 1;
  const codePoint = `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return { position, codePoint };
}

/** A string that is not text, found at `path` (keys and list indexes) inside a value. */
export interface TextFinding extends TextProblem {
  path: string[];
}

/**
 * Every string inside `value` that is not text. Walks arrays and plain objects (what GraphQL makes of
 * input objects, lists and JSON) including their keys, and nothing else: a scalar that parsed its input
 * into an object of its own (a Decimal, a Date) has already judged it.
 */
export function findNonText(value: unknown, path: string[] = [], out: TextFinding[] = []): TextFinding[] {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) out.push({ path, ...problem });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => findNonText(item, [...path, String(i)], out));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const problem = textProblem(key);
      // A key that is not text is reported at the key itself (written as JSON, so it is readable).
      if (problem) out.push({ path: [...path, JSON.stringify(key)], ...problem });
      findNonText(item, [...path, key], out);
    }
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
