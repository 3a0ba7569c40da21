/**
 * The token's institution check without a statement on every request (issue 14). The gate refuses a
 * BANK, GUARANTOR or INVESTOR token whose institution does not exist or is of another kind; institutions
 * are created, never deleted, and keep their kind, so an institution found stays a right answer. It is
 * remembered with the time it was read (its stamp) and trusted for INSTITUTION_CACHE_MS, after which the
 * gate reads it again (a change made outside the API shows within that time). One that does not exist is
 * asked again each time; one created through the API is remembered at once. Each request gets its own
 * copy, so nothing a request does to its institution reaches another. One cache per DataSource.
 */
import type { DataSource } from 'typeorm';
import { InstitutionEntity } from '../institutions/institution.entity';

export const INSTITUTION_CACHE_MS = 60_000;
/** Institutions remembered at most; past it the oldest are forgotten. */
const INSTITUTION_CACHE_SIZE = 10_000;

interface Remembered { institution: InstitutionEntity; stamp: number }
export interface InstitutionCache {
  find(id: string): Promise<InstitutionEntity | null>;
  remember(institution: InstitutionEntity): void;
}

const caches = new WeakMap<DataSource, InstitutionCache>();
const copy = (institution: InstitutionEntity) => Object.assign(Object.create(InstitutionEntity.prototype) as InstitutionEntity, institution);

export function institutionCache(dataSource: DataSource, now: () => number = Date.now): InstitutionCache {
  let cache = caches.get(dataSource);
  if (cache) return cache;
  const found = new Map<string, Remembered>();
  const remember = (institution: InstitutionEntity, stamp: number) => {
    found.delete(institution.id);
    found.set(institution.id, { institution: copy(institution), stamp });
    if (found.size > INSTITUTION_CACHE_SIZE) found.delete(found.keys().next().value!);
  };
  cache = {
    async find(id) {
      const hit = found.get(id);
      if (hit && now() - hit.stamp < INSTITUTION_CACHE_MS) return copy(hit.institution);
      const stamp = now();
      const institution = await dataSource.getRepository(InstitutionEntity).findOneBy({ id });
      if (institution) remember(institution, stamp);
      else found.delete(id);
      return institution;
    },
    remember: (institution) => remember(institution, now()),
  };
  caches.set(dataSource, cache);
  return cache;
}
