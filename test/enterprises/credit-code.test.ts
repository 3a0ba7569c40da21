import { checkCreditCode, registeringDivision, withCheckCharacter } from '../../src/enterprises/credit-code';

describe('R1 — unified social credit code (GB 32100-2015)', () => {
  describe('E1', () => {
    it('accepts 91350100M000100Y43 (Σ = 1640, 1640 mod 31 = 28, 31 − 28 = 3)', () => {
      expect(checkCreditCode('91350100M000100Y43')).toEqual({ valid: true, code: '91350100M000100Y43' });
    });
    it('refuses 91350100M000100Y44 at position 18', () => {
      expect(checkCreditCode('91350100M000100Y44')).toEqual({
        valid: false,
        code: '91350100M000100Y44',
        problem: { kind: 'check', position: 18, character: '4', expected: '3' },
      });
    });
    it('accepts 91350100m000100y43 and stores it upper-case', () => {
      expect(checkCreditCode('  91350100m000100y43 ')).toEqual({ valid: true, code: '91350100M000100Y43' });
    });
  });

  describe('when the code is malformed', () => {
    it('names a wrong length', () => {
      expect(checkCreditCode('91350100M000100Y4')).toMatchObject({ valid: false, problem: { kind: 'length', length: 17 } });
    });
    it.each([
      ['I', 9], ['O', 9], ['S', 9], ['V', 9], ['Z', 9],
    ])('names the position of a forbidden character %s', (ch, position) => {
      const code = `91350100${ch}000100Y43`;
      expect(checkCreditCode(code)).toMatchObject({ valid: false, problem: { kind: 'character', position, character: ch } });
    });
  });

  it('completes 17 characters with their check character', () => {
    expect(withCheckCharacter('91350100M000100Y4')).toBe('91350100M000100Y43');
    for (const first17 of ['91110108MA01ABCD1', '12100000400000624', '91310115MA1H7XXXX'.replace(/X/g, '0')]) {
      expect(checkCreditCode(withCheckCharacter(first17)).valid).toBe(true);
    }
  });
});

describe('the registering division of a credit code (characters 3–8, GB/T 2260)', () => {
  it.each([
    ['91350100M000100Y43', '350100'], // E1: Fuzhou
    [withCheckCharacter('91370212MA3C0000A'), '370212'], // Qingdao, Laoshan district
    [withCheckCharacter('91370200163562681'), '370200'], // Qingdao, registered by the city
    [withCheckCharacter('91110108MA01ABCD1'), '110108'], // Beijing, Haidian district
  ])('%s → %s', (code, division) => {
    expect(registeringDivision(code)).toBe(division);
  });

  it('reads a code as R1 does: trimmed and upper-cased', () => {
    expect(registeringDivision('  91350100m000100y43 ')).toBe('350100');
  });

  it('is null for a valid code whose characters 3–8 are no division (a central registration, 100000; letters)', () => {
    const central = withCheckCharacter('12100000400000624');
    const letters = withCheckCharacter('913701A2MA3C00001');
    expect(checkCreditCode(central).valid && checkCreditCode(letters).valid).toBe(true);
    expect(registeringDivision(central)).toBeNull();
    expect(registeringDivision(letters)).toBeNull();
  });

  it('is null for a code R1 refuses (wrong check character, wrong length)', () => {
    expect(registeringDivision('91350100M000100Y44')).toBeNull();
    expect(registeringDivision('91350100M000100Y4')).toBeNull();
  });
});
