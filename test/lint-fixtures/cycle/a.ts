/** A deliberate import cycle (a → b → a): test/lint.test.ts expects import-x/no-cycle to refuse it. */
import { b } from './b';

export const a = (): string => `a${b.length}`;
