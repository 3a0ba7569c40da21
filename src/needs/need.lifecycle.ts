/**
 * R11 — what moves a financing need, and where to. OPEN → MATCHED → IN_PROGRESS → FUNDED, or WITHDRAWN /
 * CLOSED_UNFUNDED / EXPIRED (past needed-by). Pure: the table below is the rule; `moveNeeds`
 * (need.moves.ts) applies it to rows, and the SQL every writer uses (`statusAfterSql`) is generated from it.
 *
 * - MATCH (matching keeps an eligible match for it): OPEN → MATCHED; MATCHED and IN_PROGRESS stay.
 * - UNMATCH (matching keeps none): MATCHED → OPEN; OPEN and IN_PROGRESS stay.
 * - ENGAGE (the enterprise applies to a match): OPEN or MATCHED → IN_PROGRESS; IN_PROGRESS stays.
 * - DISENGAGE (the last application is declined or lapses): IN_PROGRESS → MATCHED, back to matching.
 * - FUND (disbursements reach the amount): IN_PROGRESS → FUNDED.
 * - WITHDRAW, CLOSE: any active status → WITHDRAWN, CLOSED_UNFUNDED.
 * - EXPIRE: any active status → EXPIRED, and only once the needed-by date has passed.
 * A need past its needed-by date has expired, swept or not (`effectiveStatus`): only EXPIRE moves it.
 * FUNDED, WITHDRAWN, CLOSED_UNFUNDED and EXPIRED are final. Anything else is refused — an error for
 * every caller, never a silent write.
 */
import { ACTIVE_NEED_STATUSES, NEED_STATUSES, NeedStatus } from './need.rules';
import { sqlList } from '../common/sql-list';

export const NEED_EVENTS = ['MATCH', 'UNMATCH', 'ENGAGE', 'DISENGAGE', 'FUND', 'WITHDRAW', 'CLOSE', 'EXPIRE'] as const;
export type NeedEvent = (typeof NEED_EVENTS)[number];

const toAll = (to: NeedStatus): Partial<Record<NeedStatus, NeedStatus>> => Object.fromEntries(ACTIVE_NEED_STATUSES.map((s) => [s, to]));

/** Per event, the status each status moves to (the same status: it stays, nothing to write). Needs not past needed-by. */
const TABLE: Record<NeedEvent, Partial<Record<NeedStatus, NeedStatus>>> = {
  MATCH: { OPEN: 'MATCHED', MATCHED: 'MATCHED', IN_PROGRESS: 'IN_PROGRESS' },
  UNMATCH: { OPEN: 'OPEN', MATCHED: 'OPEN', IN_PROGRESS: 'IN_PROGRESS' },
  ENGAGE: { OPEN: 'IN_PROGRESS', MATCHED: 'IN_PROGRESS', IN_PROGRESS: 'IN_PROGRESS' },
  DISENGAGE: { IN_PROGRESS: 'MATCHED' },
  FUND: { IN_PROGRESS: 'FUNDED' },
  WITHDRAW: toAll('WITHDRAWN'),
  CLOSE: toAll('CLOSED_UNFUNDED'),
  EXPIRE: {},
};

export type NeedTransition =
  /** The status moves to `to`. */
  | { kind: 'step'; to: NeedStatus }
  /** Allowed, and the need already is where the event leaves it: nothing to write. */
  | { kind: 'stay' }
  | { kind: 'refused' };

/** What `event` does to a need in stored status `from`; `pastNeededBy`: its needed-by date has passed. */
export function needTransition(event: NeedEvent, from: NeedStatus, pastNeededBy: boolean): NeedTransition {
  const active = ACTIVE_NEED_STATUSES.includes(from);
  let to: NeedStatus | undefined;
  if (event === 'EXPIRE') to = active && pastNeededBy ? 'EXPIRED' : undefined;
  else if (!(active && pastNeededBy)) to = TABLE[event][from];
  if (to === undefined) return { kind: 'refused' };
  return to === from ? { kind: 'stay' } : { kind: 'step', to };
}


/** The stored statuses of a need still being worked, in SQL over a need alias (the partial indexes' predicate). */
export const activeStatusSql = (alias: string): string => `${alias}.status IN (${sqlList(ACTIVE_NEED_STATUSES)})`;

/**
 * A need still looking for money (R11: active and not past needed-by), in SQL over a need alias with
 * today as `today` (a parameter: `$1`, `:today`). The one statement of the rule every query uses.
 */
export const activeNeedSql = (alias: string, today: string): string =>
  `${activeStatusSql(alias)} AND (${alias}.needed_by IS NULL OR ${alias}.needed_by >= ${today}::date)`;

/** The status a reader sees (`effectiveStatus`) in SQL: an active need past needed-by reads EXPIRED before the sweep. */
export const effectiveStatusSql = (alias: string, today: string): string =>
  `(CASE WHEN ${activeStatusSql(alias)} AND ${alias}.needed_by < ${today}::date THEN 'EXPIRED' ELSE ${alias}.status END)`;

/**
 * The status `event` leaves a need in, in SQL over a need alias with today as `today`: generated from
 * `needTransition` for every status, past needed-by or not; NULL where the table refuses the move.
 */
export function statusAfterSql(event: NeedEvent, alias: string, today: string): string {
  const arms = (past: boolean) => NEED_STATUSES.flatMap((from) => {
    const t = needTransition(event, from, past);
    if (t.kind === 'refused') return [];
    return [`WHEN '${from}' THEN '${t.kind === 'step' ? t.to : from}'`];
  });
  const cases = (past: boolean) => {
    const when = arms(past);
    return when.length ? `CASE ${alias}.status ${when.join(' ')} END` : 'NULL';
  };
  return `(CASE WHEN ${alias}.needed_by < ${today}::date THEN ${cases(true)} ELSE ${cases(false)} END)::text`;
}
