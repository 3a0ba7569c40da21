import fc from 'fast-check';
import { weakSecretProblem } from '../../src/auth/secret-strength';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config';

/** Bounded property runs with a printed seed (re-run one with FC_SEED=<seed>). */
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const runs = { numRuns: 300, seed };
beforeAll(() => console.log(`secret-strength properties: FC_SEED=${seed}`));

describe('production secrets (issue 11 §2)', () => {
  it('accepts any secret made the documented ways: 16+ random bytes as hex, 24+ as base64', () => {
    fc.assert(fc.property(fc.noBias(fc.uint8Array({ minLength: 16, maxLength: 64 })), (bytes) => {
      expect(weakSecretProblem(Buffer.from(bytes).toString('hex'), DEVELOPMENT_JWT_SECRET)).toBeNull();
    }), runs);
    fc.assert(fc.property(fc.noBias(fc.uint8Array({ minLength: 24, maxLength: 64 })), (bytes) => {
      expect(weakSecretProblem(Buffer.from(bytes).toString('base64'), DEVELOPMENT_JWT_SECRET)).toBeNull();
    }), runs);
  }, 30_000);

  it('refuses any short word repeated to 32 characters or more', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 32, max: 128 }), (unit, length) => {
      const secret = unit.repeat(Math.ceil(length / unit.length));
      expect(weakSecretProblem(secret, DEVELOPMENT_JWT_SECRET)).not.toBeNull();
    }), runs);
  }, 30_000);

  it('refuses any secret that contains the development one', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (before, after) => {
      expect(weakSecretProblem(`${before}${DEVELOPMENT_JWT_SECRET}${after}`, DEVELOPMENT_JWT_SECRET)).toMatch(/development secret/);
    }), runs);
  }, 30_000);
});
