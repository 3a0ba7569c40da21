/**
 * Loads the demo data once per database: a row in app_meta, inserted in the same transaction as the
 * data, records that it was loaded, so a restart (or two servers starting together) never loads twice.
 */
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { refreshScope } from '../matching/match.service';
import { databaseToday } from '../database/clock';
import { loadDemoData, loadDemoPolicy, loadDemoWhitelistAndCredit } from './demo-data';
import { playDemoLifecycle } from './demo-lifecycle';
import { Config, loadConfig } from '../config';

export async function ensureDemoData(dataSource: DataSource, log: Logger, options?: { enterprises?: number; config?: Config }): Promise<boolean> {
  const changed = await dataSource.transaction(async (em) => {
    // Serialises concurrent starters on the marker row; the loser finds it and does nothing.
    const claimed = await em.query(
      `INSERT INTO app_meta (key, value) VALUES ('demo_data', jsonb_build_object('loadedAt', now(), 'lifecycle', 'pending')) ON CONFLICT (key) DO NOTHING RETURNING key`,
    );
    if (claimed.length === 0) return upgradeDemoData(em, log);
    const summary = await loadDemoData(em, log, options);
    await em.query(`UPDATE app_meta SET value = value || $1::jsonb WHERE key = 'demo_data'`, [JSON.stringify(summary)]);
    return true;
  });
  if (changed) {
    // The demo's rows were written directly: match every demo need once (R13), as posting would have.
    const stats = await refreshScope(dataSource, { kind: 'all' });
    log.info(stats, 'demo needs matched');
    // The transaction that loaded (or upgraded) the data marked the lifecycle pending: only this starter plays it.
    const played = await playDemoLifecycle(dataSource, options?.config ?? loadConfig({}), log);
    await dataSource.query(`UPDATE app_meta SET value = value || jsonb_build_object('lifecycle', $1::jsonb) WHERE key = 'demo_data'`, [JSON.stringify(played)]);
    // The lifecycle moved guarantors' room, pools and slots: match every demo need again.
    await refreshScope(dataSource, { kind: 'all' });
  }
  return changed;
}

/**
 * A database whose demo data an earlier version loaded gets what later versions added (the whitelist and
 * credit imports, the policy records, the worked matches) once; the marker row, locked, records that it did.
 */
async function upgradeDemoData(em: EntityManager, log: Logger): Promise<boolean> {
  const [marker] = await em.query(`SELECT value FROM app_meta WHERE key = 'demo_data' FOR UPDATE`);
  if (!marker || 'lifecycle' in marker.value) return false;
  const added = {
    ...('whitelistEntries' in marker.value ? {} : await loadDemoWhitelistAndCredit(em, await databaseToday(em), 20_260_102)),
    ...('policyRules' in marker.value ? {} : await loadDemoPolicy(em)),
    lifecycle: 'pending',
  };
  await em.query(`UPDATE app_meta SET value = value || $1::jsonb WHERE key = 'demo_data'`, [JSON.stringify(added)]);
  log.info(added, 'demo data of later versions added to the earlier demo data');
  return true;
}
