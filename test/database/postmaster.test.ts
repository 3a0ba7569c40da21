/**
 * Who holds a data directory: a pid in postmaster.pid or finmatch.owner is trusted only when the process
 * behind it is what it claims (pid reuse). A stand-in "postgres" (node under that name, started with
 * `-D <dir>`) plays the postmaster, so no cluster is needed.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { holderOf, isPostgresOf, processIdentity, stopOrphan } from '../../src/database/postmaster';

const log = pino({ level: 'silent' });
let dir: string;
let dataDir: string;
const children: ChildProcess[] = [];

/** A process whose argv[0] is …/postgres and whose arguments hold `-D dataDir`. */
async function fakePostmaster(script = 'setInterval(() => {}, 1000)'): Promise<ChildProcess> {
  const bin = path.join(dir, 'postgres');
  if (!fs.existsSync(bin)) fs.symlinkSync(process.execPath, bin);
  const child = spawn(bin, ['-e', `${script}; console.log('up')`, '--', '-D', dataDir], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  return child;
}

function writePidFile(pid: number): void {
  fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), `${pid}\n${dataDir}\n0\n5999\n`);
}

function writeOwnerFile(owner: { pid: number; identity: string | null; postmasterPid: number }): void {
  fs.writeFileSync(path.join(dataDir, 'finmatch.owner'), JSON.stringify(owner));
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-postmaster-'));
  dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
});

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('isPostgresOf', () => {
  it('knows a postgres of the directory from any other process', async () => {
    const fake = await fakePostmaster();
    expect(isPostgresOf(fake.pid!, dataDir)).toBe(true);
    expect(isPostgresOf(fake.pid!, path.join(dir, 'other'))).toBe(false);
    expect(isPostgresOf(process.pid, dataDir)).toBe(false);
    expect(isPostgresOf(0, dataDir)).toBe(false);
  });
});

describe('holderOf', () => {
  it('is none without postmaster.pid', () => {
    expect(holderOf(dataDir).kind).toBe('none');
  });

  it('is stale when the pid is alive but not a postgres of the directory (pid reuse)', () => {
    writePidFile(process.pid);
    expect(holderOf(dataDir)).toEqual({ kind: 'stale', pid: process.pid });
  });

  it('is foreign when finmatch did not record starting that postmaster', async () => {
    const fake = await fakePostmaster();
    writePidFile(fake.pid!);
    expect(holderOf(dataDir).kind).toBe('foreign');
    writeOwnerFile({ pid: 1, identity: null, postmasterPid: fake.pid! + 1 });
    expect(holderOf(dataDir).kind).toBe('foreign');
  });

  it('is owned while the finmatch process that started it lives', async () => {
    const fake = await fakePostmaster();
    writePidFile(fake.pid!);
    writeOwnerFile({ pid: process.pid, identity: processIdentity(process.pid), postmasterPid: fake.pid! });
    expect(holderOf(dataDir).kind).toBe('owned');
  });

  it('is an orphan once that process is gone, or its pid now belongs to another process', async () => {
    const fake = await fakePostmaster();
    writePidFile(fake.pid!);
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    writeOwnerFile({ pid: gone.pid!, identity: 'whatever', postmasterPid: fake.pid! });
    expect(holderOf(dataDir).kind).toBe('orphan');
    writeOwnerFile({ pid: process.pid, identity: 'started at another time', postmasterPid: fake.pid! });
    expect(holderOf(dataDir).kind).toBe('orphan');
  });
});

describe('stopOrphan', () => {
  it('escalates when the fast shutdown is ignored', async () => {
    const stubborn = await fakePostmaster("process.on('SIGINT', () => {}); setInterval(() => {}, 1000)");
    const exited = new Promise((resolve) => stubborn.once('exit', (_code, signal) => resolve(signal)));
    await stopOrphan(stubborn.pid!, dataDir, log, [['SIGINT', 500], ['SIGKILL', 5000]]);
    expect(await exited).toBe('SIGKILL');
  });

  it('never signals a pid that is not a postgres of the directory', async () => {
    const bystander = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(bystander);
    await stopOrphan(bystander.pid!, dataDir, log, [['SIGKILL', 100]]);
    expect(bystander.exitCode).toBeNull();
    expect(bystander.signalCode).toBeNull();
  });
});
