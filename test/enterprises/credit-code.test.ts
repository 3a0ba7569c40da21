import { checkCreditCode, withCheckCharacter } from '../../src/enterprises/credit-code';

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
