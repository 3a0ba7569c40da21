/** npm run token (issue 11 §2): no token outlives the server's maximum lifetime. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { decodeJwt } from 'jose';

function token(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'src/cli/token.ts', ...args],
      { env: { ...process.env, NODE_ENV: 'development', JWT_SECRET: '', ...env }, cwd: path.resolve(__dirname, '../..') },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run token', () => {
  it('prints a 12-hour token by default', async () => {
    const { code, stdout } = await token(['--role', 'ANALYST']);
    expect(code).toBe(0);
    const claims = decodeJwt(stdout.trim());
    expect(claims).toMatchObject({ sub: 'dev-analyst', role: 'ANALYST' });
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
  }, 30_000);

  it('refuses an --expires past JWT_MAX_LIFETIME_MINUTES, printing nothing', async () => {
    const month = await token(['--role', 'ANALYST', '--expires', '30d']);
    expect(month).toMatchObject({ code: 2, stdout: '' });
    expect(month.stderr).toMatch(/--expires: at most 720 minutes/);
    const strict = await token(['--role', 'ANALYST', '--expires', '2h'], { JWT_MAX_LIFETIME_MINUTES: '60' });
    expect(strict).toMatchObject({ code: 2, stdout: '' });
    expect((await token(['--role', 'ANALYST', '--expires', 'soon'])).stderr).toMatch(/a number and a unit/);
  }, 60_000);

  it('an AUTHORITY token carries --region as its regionCode claim (a city code as its prefix); other roles and bad codes are refused', async () => {
    const qingdao = await token(['--role', 'AUTHORITY', '--region', '370200']);
    expect(qingdao.code).toBe(0);
    expect(decodeJwt(qingdao.stdout.trim())).toMatchObject({ role: 'AUTHORITY', regionCode: '3702' });
    expect(decodeJwt((await token(['--role', 'AUTHORITY'])).stdout.trim()).regionCode).toBeUndefined();
    expect(await token(['--role', 'AUTHORITY', '--region', '99'])).toMatchObject({ code: 2, stdout: '' });
    expect((await token(['--role', 'ANALYST', '--region', '3702'])).stderr).toMatch(/--region is for AUTHORITY tokens/);
  }, 60_000);
});
