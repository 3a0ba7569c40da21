/**
 * R4 — an enterprise is on a whitelist at date D when an entry has validFrom ≤ D ≤ validTo and no
 * revocation on or before D. `membershipOn` is the bank's 资质查询: member or not, the highest tier among
 * the entries that hold at D, and the latest validTo among them.
 */
import { EntryValidity, isMemberOn, membershipOn } from '../../src/whitelists/membership';

const entry = (overrides: Partial<EntryValidity> = {}): EntryValidity => ({
  tier: 'SPECIALIZED_SME',
  validFrom: '2024-01-01',
  validTo: '2026-12-31',
  revokedOn: null,
  ...overrides,
});

describe('isMemberOn (R4)', () => {
  describe('within the validity', () => {
    it.each([
      ['the first valid day', '2024-01-01', true],
      ['a day inside', '2025-06-15', true],
      ['the last valid day', '2026-12-31', true],
      ['the day before validFrom', '2023-12-31', false],
      ['the day after validTo', '2027-01-01', false],
    ])('on %s (%s) → %s', (_what, date, expected) => {
      expect(isMemberOn(entry(), date)).toBe(expected);
    });

    it('holds for a one-day validity on that day only', () => {
      const oneDay = entry({ validFrom: '2025-03-01', validTo: '2025-03-01' });
      expect([isMemberOn(oneDay, '2025-02-28'), isMemberOn(oneDay, '2025-03-01'), isMemberOn(oneDay, '2025-03-02')]).toEqual([false, true, false]);
    });
  });

  describe('when the entry is revoked', () => {
    const revoked = entry({ revokedOn: '2025-03-01' });

    it('is on the list the day before the revocation', () => {
      expect(isMemberOn(revoked, '2025-02-28')).toBe(true);
    });

    it('is off the list on the revocation day itself (boundary: "on or before D")', () => {
      expect(isMemberOn(revoked, '2025-03-01')).toBe(false);
    });

    it('stays off after it, though the validity runs on', () => {
      expect(isMemberOn(revoked, '2026-12-31')).toBe(false);
    });

    it('is off from the first day when revoked on validFrom', () => {
      expect(isMemberOn(entry({ revokedOn: '2024-01-01' }), '2024-01-01')).toBe(false);
    });

    it('is on through the last-but-one day when revoked on validTo', () => {
      const lastDay = entry({ revokedOn: '2026-12-31' });
      expect([isMemberOn(lastDay, '2026-12-30'), isMemberOn(lastDay, '2026-12-31')]).toEqual([true, false]);
    });
  });

  it('compares dates as calendar dates across month and year ends', () => {
    const e = entry({ validFrom: '2024-02-29', validTo: '2025-01-09' });
    expect(isMemberOn(e, '2024-02-28')).toBe(false);
    expect(isMemberOn(e, '2024-02-29')).toBe(true);
    expect(isMemberOn(e, '2025-01-09')).toBe(true);
    expect(isMemberOn(e, '2025-01-10')).toBe(false);
  });
});

describe('membershipOn — 资质查询 (R4)', () => {
  it('answers "not on a list" without entries', () => {
    expect(membershipOn([], '2025-01-01')).toEqual({ onWhitelist: false, highestTier: null, validTo: null });
  });

  it('answers "not on a list" when no entry holds at the date, whatever the tiers', () => {
    const entries = [entry({ tier: 'SINGLE_CHAMPION', validTo: '2024-06-30' }), entry({ tier: 'LITTLE_GIANT', revokedOn: '2024-02-01' })];
    expect(membershipOn(entries, '2025-01-01')).toEqual({ onWhitelist: false, highestTier: null, validTo: null });
  });

  describe('with several entries', () => {
    // A firm listed on two lists, and a higher tier that was revoked.
    const entries: EntryValidity[] = [
      entry({ tier: 'SPECIALIZED_SME', validFrom: '2023-01-01', validTo: '2025-12-31' }),
      entry({ tier: 'LITTLE_GIANT', validFrom: '2024-07-01', validTo: '2027-06-30' }),
      entry({ tier: 'SINGLE_CHAMPION', validFrom: '2023-06-01', validTo: '2028-12-31', revokedOn: '2024-01-01' }),
      entry({ tier: 'INNOVATIVE_SME', validFrom: '2022-01-01', validTo: '2026-03-31' }),
    ];

    it.each([
      ['before any entry', '2021-12-31', { onWhitelist: false, highestTier: null, validTo: null }],
      ['with only the innovative entry', '2022-06-01', { onWhitelist: true, highestTier: 'INNOVATIVE_SME', validTo: '2026-03-31' }],
      ['while the champion entry holds', '2023-12-31', { onWhitelist: true, highestTier: 'SINGLE_CHAMPION', validTo: '2028-12-31' }],
      ['on the champion revocation day', '2024-01-01', { onWhitelist: true, highestTier: 'SPECIALIZED_SME', validTo: '2026-03-31' }],
      ['once the little giant starts', '2024-07-01', { onWhitelist: true, highestTier: 'LITTLE_GIANT', validTo: '2027-06-30' }],
      ['after the specialised entry ends', '2026-01-01', { onWhitelist: true, highestTier: 'LITTLE_GIANT', validTo: '2027-06-30' }],
      ['the last little-giant day', '2027-06-30', { onWhitelist: true, highestTier: 'LITTLE_GIANT', validTo: '2027-06-30' }],
      ['after every validity (a revoked entry does not count, though valid)', '2027-07-01', { onWhitelist: false, highestTier: null, validTo: null }],
    ])('%s (%s)', (_what, date, expected) => {
      expect(membershipOn(entries, date)).toEqual(expected);
    });

    it('takes validTo from the entries that hold, not the highest tier\'s', () => {
      const mixed = [entry({ tier: 'SINGLE_CHAMPION', validTo: '2025-06-30' }), entry({ tier: 'INNOVATIVE_SME', validTo: '2027-06-30' })];
      expect(membershipOn(mixed, '2025-01-01')).toEqual({ onWhitelist: true, highestTier: 'SINGLE_CHAMPION', validTo: '2027-06-30' });
    });

    it('does not depend on the order of the entries', () => {
      const reversed = [...entries].reverse();
      for (const date of ['2022-06-01', '2023-12-31', '2024-01-01', '2026-01-01']) {
        expect(membershipOn(reversed, date)).toEqual(membershipOn(entries, date));
      }
    });
  });
});
