/**
 * R11's table on its own: every event against every status, before and after the needed-by date.
 * OPEN → MATCHED → IN_PROGRESS → FUNDED, or WITHDRAWN / CLOSED_UNFUNDED / EXPIRED (past needed-by).
 */
import { activeNeedSql, effectiveStatusSql, NEED_EVENTS, NeedEvent, needTransition, statusAfterSql } from '../../src/needs/need.lifecycle';
import { ACTIVE_NEED_STATUSES, NEED_STATUSES, NeedStatus } from '../../src/needs/need.rules';

/** DOMAIN.md R11 as worked examples: where each event takes a need not past its needed-by date (absent: refused). */
const EXPECTED: Record<NeedEvent, Partial<Record<NeedStatus, NeedStatus>>> = {
  MATCH: { OPEN: 'MATCHED', MATCHED: 'MATCHED', IN_PROGRESS: 'IN_PROGRESS' },
  UNMATCH: { OPEN: 'OPEN', MATCHED: 'OPEN', IN_PROGRESS: 'IN_PROGRESS' },
  ENGAGE: { OPEN: 'IN_PROGRESS', MATCHED: 'IN_PROGRESS', IN_PROGRESS: 'IN_PROGRESS' },
  DISENGAGE: { IN_PROGRESS: 'MATCHED' },
  FUND: { IN_PROGRESS: 'FUNDED' },
  WITHDRAW: { OPEN: 'WITHDRAWN', MATCHED: 'WITHDRAWN', IN_PROGRESS: 'WITHDRAWN' },
  CLOSE: { OPEN: 'CLOSED_UNFUNDED', MATCHED: 'CLOSED_UNFUNDED', IN_PROGRESS: 'CLOSED_UNFUNDED' },
  EXPIRE: {},
};
const FINAL: NeedStatus[] = ['FUNDED', 'WITHDRAWN', 'CLOSED_UNFUNDED', 'EXPIRED'];

describe('R11 — the need lifecycle table', () => {
  const pairs = NEED_EVENTS.flatMap((event) => NEED_STATUSES.map((from) => [event, from] as const));

  it.each(pairs)('%s on a %s need before its needed-by date', (event, from) => {
    const to = EXPECTED[event][from];
    const expected = to === undefined ? { kind: 'refused' } : to === from ? { kind: 'stay' } : { kind: 'step', to };
    expect(needTransition(event, from, false)).toEqual(expected);
  });

  it.each(pairs)('%s on a %s need past its needed-by date: only EXPIRE, and only an active need', (event, from) => {
    const expected = event === 'EXPIRE' && ACTIVE_NEED_STATUSES.includes(from) ? { kind: 'step', to: 'EXPIRED' } : { kind: 'refused' };
    expect(needTransition(event, from, true)).toEqual(expected);
  });

  it('lets nothing move a need that is over, and funds only a need in progress', () => {
    for (const event of NEED_EVENTS) for (const from of FINAL) for (const past of [false, true]) expect(needTransition(event, from, past)).toEqual({ kind: 'refused' });
    const intoFunded = pairs.filter(([event, from]) => {
      const t = needTransition(event, from, false);
      return t.kind === 'step' && t.to === 'FUNDED';
    });
    expect(intoFunded).toEqual([['FUND', 'IN_PROGRESS']]);
    const intoProgress = pairs.filter(([event, from]) => {
      const t = needTransition(event, from, false);
      return t.kind === 'step' && t.to === 'IN_PROGRESS';
    });
    expect(intoProgress).toEqual([['ENGAGE', 'OPEN'], ['ENGAGE', 'MATCHED']]);
  });

  it('states "still looking for money" and the reader\'s status in SQL over any alias and today parameter', () => {
    expect(activeNeedSql('n', '$1')).toBe(`n.status IN ('OPEN', 'MATCHED', 'IN_PROGRESS') AND (n.needed_by IS NULL OR n.needed_by >= $1::date)`);
    expect(effectiveStatusSql('x', ':today')).toBe(`(CASE WHEN x.status IN ('OPEN', 'MATCHED', 'IN_PROGRESS') AND x.needed_by < :today::date THEN 'EXPIRED' ELSE x.status END)`);
    // The partial indexes (ix_financing_need_matchable, _expiry, the duplicate rule) carry this very predicate.
    expect(statusAfterSql('FUND', 'f', '$1')).toBe(`(CASE WHEN f.needed_by < $1::date THEN NULL ELSE CASE f.status WHEN 'IN_PROGRESS' THEN 'FUNDED' END END)::text`);
  });
});
