/** Issue 11 §3: what counts as text (common/text.ts), and the walk that finds every string a client sent. */
import fc from 'fast-check';
import { Decimal } from '../../src/common/decimal';
import { findNonText, textProblem } from '../../src/common/text';

const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
// eslint-disable-next-line no-console
console.log(`text.test: fast-check seed ${SEED} (FC_SEED=${SEED} reproduces it)`);
const params = { seed: SEED, numRuns: 300 };

/** Characters that are text, including the awkward ones: pairs, combining marks, tab and line breaks, bidi controls. */
const TEXT = ['a', 'Z', '0', ' ', '中', '𠮷', '😀', '👩‍💻', 'é', 'e\u0301', '\t', '\n', '\r', '\u00a0', '\u3000', '\u200b', '\u202e', '\ufffd', '\ufeff', '\u{10FFFD}', '"', '\\', '%'];
const NOT_TEXT: [string, string][] = [
  ['\u0000', 'U+0000'], ['\u0001', 'U+0001'], ['\u0008', 'U+0008'], ['\u000b', 'U+000B'], ['\u000c', 'U+000C'], ['\u001b', 'U+001B'],
  ['\u001f', 'U+001F'], ['\u007f', 'U+007F'], ['\u0085', 'U+0085'], ['\u009f', 'U+009F'], ['\ud800', 'U+D800'], ['\udbff', 'U+DBFF'],
  ['\udc00', 'U+DC00'], ['\udfff', 'U+DFFF'], ['\ufdd0', 'U+FDD0'], ['\ufdef', 'U+FDEF'], ['\ufffe', 'U+FFFE'], ['\uffff', 'U+FFFF'],
  ['\u{1FFFE}', 'U+1FFFE'], ['\u{10FFFF}', 'U+10FFFF'],
];
const text = fc.array(fc.constantFrom(...TEXT), { maxLength: 20 }).map((parts) => parts.join(''));

describe('textProblem', () => {
  it('accepts text in any script, emoji, combining marks, tab and line breaks', () => {
    fc.assert(fc.property(text, (s) => textProblem(s) === null), params);
  });

  it('finds a character that is not text wherever it is, by its position in characters and its code point', () => {
    fc.assert(
      fc.property(text, text, fc.constantFrom(...NOT_TEXT), (before, after, [bad, codePoint]) => {
        expect(textProblem(before + bad + after)).toEqual({ position: [...before].length + 1, codePoint });
      }),
      params,
    );
  });

  it('tells a lone surrogate from a pair: half of 𠮷 alone is not text, reversed halves neither', () => {
    const pair = '𠮷';
    expect(textProblem(pair)).toBeNull();
    expect(textProblem(pair[0])).toEqual({ position: 1, codePoint: 'U+D842' });
    expect(textProblem(`x${pair[1]}`)).toEqual({ position: 2, codePoint: 'U+DFB7' });
    expect(textProblem(pair[1] + pair[0])).toEqual({ position: 1, codePoint: 'U+DFB7' });
  });
});

describe('findNonText', () => {
  it('walks arguments at any depth: list items, nested objects, JSON keys', () => {
    const args = {
      input: { name: 'ok', contact: { email: 'a\ud800@example.com' }, industryChains: ['AI', 'X\u0000'] },
      params: Object.assign(Object.create(null), { 'k\u0001': 1, nested: [{ v: '\uffff' }] }),
      first: 3,
      ok: true,
    };
    expect(findNonText(args)).toEqual([
      { path: ['input', 'contact', 'email'], position: 2, codePoint: 'U+D800' },
      { path: ['input', 'industryChains', '1'], position: 2, codePoint: 'U+0000' },
      { path: ['params', '"k\\u0001"'], position: 2, codePoint: 'U+0001' },
      { path: ['params', 'nested', '0', 'v'], position: 1, codePoint: 'U+FFFF' },
    ]);
  });

  it('leaves values a scalar already parsed into objects of its own (a Decimal, a Date) to that scalar', () => {
    expect(findNonText({ amount: new Decimal('1.5'), at: new Date(0) })).toEqual([]);
  });
});
