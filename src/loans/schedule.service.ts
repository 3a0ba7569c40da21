/**
 * Issue 17 §2 — a loan's instalments in `loan_instalment`: written at disbursement, moved by an approved
 * renewal, read per request with the database's day (one statement for a page of loans).
 */
import type { EntityManager } from 'typeorm';
import { defineLoader, groupedBy, RequestContext } from '../common/context';
import { Decimal } from '../common/decimal';
import { databaseToday, TODAY_SQL } from '../database/clock';
import { Instalment } from './schedule';

export async function writeInstalments(em: EntityManager, loanId: string, instalments: readonly Instalment[]): Promise<void> {
  await em.query(
    `INSERT INTO loan_instalment (loan_id, seq, due_on, principal, interest)
     SELECT $1, i.seq, i.due_on, i.principal, i.interest FROM jsonb_to_recordset($2::jsonb) AS i(seq int, due_on date, principal numeric, interest numeric)
     ON CONFLICT (loan_id, seq) DO UPDATE SET due_on = EXCLUDED.due_on, principal = EXCLUDED.principal, interest = EXCLUDED.interest`,
    [loanId, JSON.stringify(instalments.map((i) => ({ seq: i.seq, due_on: i.dueOn, principal: i.principal.toFixed(2), interest: i.interest.toFixed(2) })))],
  );
}

interface InstalmentRow { loanId: string; seq: number; dueOn: string; principal: string; interest: string; today: string }

const SELECT = `SELECT loan_id AS "loanId", seq, to_char(due_on, 'YYYY-MM-DD') AS "dueOn", principal::text, interest::text, ${TODAY_SQL} AS today
                  FROM loan_instalment WHERE loan_id = ANY($1::uuid[]) ORDER BY loan_id, seq`;

const toInstalment = (r: InstalmentRow): Instalment => ({ seq: r.seq, dueOn: r.dueOn, principal: new Decimal(r.principal), interest: new Decimal(r.interest) });

/** A loan's instalments in its transaction (a renewal moves them). */
export async function readInstalments(em: EntityManager, loanId: string): Promise<{ instalments: Instalment[]; today: string }> {
  const rows: InstalmentRow[] = await em.query(SELECT, [[loanId]]);
  return { instalments: rows.map(toInstalment), today: rows[0]?.today ?? (await databaseToday(em)) };
}

/** Each loan's instalments with the database's day, one statement per page of loans. */
export const instalmentsByLoan = defineLoader((ctx: RequestContext) => groupedBy<InstalmentRow>((r) => r.loanId, (ids) => ctx.db.query(SELECT, [ids])));

export const instalmentsOf = (rows: InstalmentRow[]): { instalments: Instalment[]; today: string | null } => ({ instalments: rows.map(toInstalment), today: rows[0]?.today ?? null });
