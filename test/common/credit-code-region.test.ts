import { creditCodeRegion } from '../../src/common/credit-code-region';
import { checkCreditCode, withCheckCharacter } from '../../src/enterprises/credit-code';

const code = (first17: string) => checkCreditCode(withCheckCharacter(first17));

describe('creditCodeRegion (GB 32100-2015 characters 3–8)', () => {
  it('reads the administrative division of a valid code', () => {
    expect(creditCodeRegion(code('91370212MA3C00001'))).toBe('370212');
    expect(creditCodeRegion(code('91110108000000001'))).toBe('110108');
    // Trimmed and upper-cased by checkCreditCode first.
    expect(creditCodeRegion(checkCreditCode(` ${withCheckCharacter('91370200MA3C00002').toLowerCase()} `))).toBe('370200');
  });

  it('is null for a code R1 refuses, whatever its characters 3–8', () => {
    const valid = withCheckCharacter('91370212MA3C00001');
    const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    expect(checkCreditCode(wrongCheck).valid).toBe(false);
    expect(creditCodeRegion(checkCreditCode(wrongCheck))).toBeNull();
    expect(creditCodeRegion(checkCreditCode('91370212'))).toBeNull();
  });

  it('is null when characters 3–8 name no region: not six digits, or no province', () => {
    expect(creditCodeRegion(code('913702A2MA3C00001'))).toBeNull();
    expect(creditCodeRegion(code('91100000MA3C00001'))).toBeNull();
    expect(creditCodeRegion(code('91990000MA3C00001'))).toBeNull();
  });
});
