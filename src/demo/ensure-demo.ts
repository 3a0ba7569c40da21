/**
 * Loads the demo data once per database: a row in app_meta, inserted in the same transaction as the
 * data, records that it was loaded, so a restart (or two servers starting together) never loads twice.
 */
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { todayInShanghai } from '../common/dates';
import { loadDemoData, loadDemoWhitelistAndCredit } from './demo-data';

export async function ensureDemoData(dataSource: DataSource, log: Logger, options?: { enterprises?: number }): Promise<boolean> {
  return dataSource.transaction(async (em) => {
    // Serialises concurrent starters on the marker row; the loser finds it and does nothing.
    const claimed = await em.query(
      `INSERT INTO app_meta (key, value) VALUES ('demo_data', jsonb_build_object('loadedAt', now())) ON CONFLICT (key) DO NOTHING RETURNING key`,
    );
    if (claimed.length === 0) return upgradeDemoData(em, log);
    const summary = await loadDemoData(em, log, options);
    await em.query(`UPDATE app_meta SET value = value || $1::jsonb WHERE key = 'demo_data'`, [JSON.stringify(summary)]);
    return true;
  });
}

/**
 * A database whose demo data an earlier version loaded (before whitelists and credit data existed) gets
 * the demo whitelist and credit imports once; the marker row, locked, records that it did.
 */
async function upgradeDemoData(em: EntityManager, log: Logger): Promise<boolean> {
  const [marker] = await em.query(`SELECT value FROM app_meta WHERE key = 'demo_data' FOR UPDATE`);
  if (!marker || 'whitelistEntries' in marker.value) return false;
  const added = await loadDemoWhitelistAndCredit(em, todayInShanghai(), 20_260_102);
  await em.query(`UPDATE app_meta SET value = value || $1::jsonb WHERE key = 'demo_data'`, [JSON.stringify(added)]);
  log.info(added, 'demo whitelist and credit data added to the earlier demo data');
  return true;
}
