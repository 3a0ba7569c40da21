/** ST7 — targets an authority sets: checked, then stored; progress is computed from the data (authority.service.ts). */
import { authorityRegion, outsideRegion } from '../auth/authority-region';
import { byKey, defineLoader, RequestContext } from '../common/context';
import { isRegionPrefix } from '../common/region';
import { failure, Failure, ok, refused, Result } from '../common/user-error';
import { requestToday } from '../database/clock';
import { constraintOf, inTransaction, sqlState, UNIQUE_VIOLATION } from '../database/transaction';
import { CHANNELS } from '../needs/need.rules';
import { AuthorityTargetEntity } from './target.entity';
import { SetTargetInput } from './target.inputs';
import { COUNT_METRICS } from './targets';

export const targetById = defineLoader((ctx) => byKey(ctx, AuthorityTargetEntity, 'id'));

export async function setTarget(ctx: RequestContext, input: SetTargetInput): Promise<Result<AuthorityTargetEntity>> {
  return inTransaction(ctx, async (em) => {
    const today = await requestToday(ctx);
    const failures: Failure[] = [];
    if (COUNT_METRICS.includes(input.metric) && !input.value.isInteger()) failures.push(failure('value', 'NOT_A_COUNT', { metric: input.metric }));
    if (input.deadline < input.startsOn) failures.push(failure('deadline', 'DEADLINE_BEFORE_START', { deadline: input.deadline, startsOn: input.startsOn }));
    else if (input.deadline < today) failures.push(failure('deadline', 'DATE_IN_PAST', { today }));
    if (input.regionPrefix != null && !isRegionPrefix(input.regionPrefix)) failures.push(failure('regionPrefix', 'INVALID_REGION_PREFIX'));
    // A regional authority sets its region's targets: its region when none is named, never another (issue 17 §3, RV1).
    const regionPrefix = input.regionPrefix ?? authorityRegion(ctx.viewer);
    const outside = outsideRegion(ctx.viewer, 'regionPrefix', regionPrefix);
    if (outside) failures.push(outside);
    if (input.channel != null && !(CHANNELS as readonly string[]).includes(input.channel)) failures.push(failure('channel', 'INVALID_CHANNEL', { allowed: CHANNELS.join(', ') }));
    if (failures.length) return refused(...failures);
    const repo = em.getRepository(AuthorityTargetEntity);
    try {
      const saved = await repo.save(repo.create({
        name: input.name.trim(), metric: input.metric, value: input.value, startsOn: input.startsOn, deadline: input.deadline,
        regionPrefix: regionPrefix ?? null, channel: input.channel ?? null, source: input.source?.trim() || null, createdBy: ctx.viewer!.sub,
      }));
      return ok(await repo.findOneByOrFail({ id: saved.id }));
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION && constraintOf(error) === 'uq_authority_target') return refused(failure('metric', 'TARGET_EXISTS'));
      throw error;
    }
  });
}
