/**
 * npm run bench:verify [-- --rounds 5]
 *
 * Issue 14 (read path) and issue 11 §2: the cost of verifying one HS256 token. Before, the server called
 * jsonwebtoken.verify with the secret as a string, which first tries createPublicKey() on it and fails;
 * now the verifier (src/auth/jwt.ts) uses jose with a secret KeyObject made once, and also checks the
 * lifetime rules. Prints microseconds per verify (median of the rounds) for the old call, jsonwebtoken
 * with a KeyObject, and the server's verifier. CPU only: no server, no database.
 */
import { createSecretKey } from 'node:crypto';
import { parseArgs } from 'node:util';
import jwt from 'jsonwebtoken';
import { signToken, tokenVerifier } from '../src/auth/jwt';
import { loadConfig } from '../src/config';

async function perVerify(label: string, count: number, rounds: number, verify: () => unknown): Promise<string> {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await verify();
    times.push(Number(process.hrtime.bigint() - started) / 1000 / count);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  return `| ${label} | ${count} × ${rounds} | ${median.toFixed(1)} | ${times[0].toFixed(1)}–${times[times.length - 1].toFixed(1)} |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
  const rounds = Number(values.rounds);
  const config = loadConfig({ NODE_ENV: 'development' });
  const token = signToken({ sub: 'bench', role: 'ANALYST' }, config.jwtSecret);
  const key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  const verifier = tokenVerifier({ secret: config.jwtSecret, production: false, auth: config.auth });
  const lines = [
    `HS256 verify of one token (Node ${process.version}, ${rounds} rounds)`,
    '',
    '| how | verifies | µs per verify (median) | range |',
    '|---|---:|---:|---:|',
    await perVerify('before: jsonwebtoken.verify(token, secret string)', 2000, rounds, () => jwt.verify(token, config.jwtSecret, { algorithms: ['HS256'] })),
    await perVerify('jsonwebtoken.verify(token, KeyObject made once)', 20000, rounds, () => jwt.verify(token, key, { algorithms: ['HS256'] })),
    await perVerify('now: tokenVerifier (jose, KeyObject made once, lifetime checks)', 20000, rounds, () => verifier(token)),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
