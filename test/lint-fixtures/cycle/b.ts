/** The other half of the deliberate cycle in a.ts. */
import { a } from './a';

export const b = ['b'];
export const callsA = (): string => a();
