/** Migrations in order. Append-only: a landed migration is never edited (DEVELOPERS.md). */
import { Foundation1763771000000 } from '../../migrations/1763771000000-Foundation';

export const MIGRATIONS = [Foundation1763771000000];
