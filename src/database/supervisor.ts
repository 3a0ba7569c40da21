/**
 * Keeps the embedded postmaster running (SECURITY.md "It recovers by itself"). The postmaster is this
 * process's child, so its death is always reported by the child's `exit` event; no probe is needed, and a
 * probe could not tell a hung server from a busy one anyway. On an unexpected exit the supervisor starts
 * it again at once, then with a growing pause (capped) while starts keep failing, logging each event.
 * PostgreSQL's own crash recovery replays the WAL, so every committed transaction is back.
 */
import type { ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';

export type DatabaseState =
  /** The postmaster runs. */
  | 'running'
  /** It died and is being started again. */
  | 'restarting'
  /** It died and nothing restarts it (an unsupervised cluster). */
  | 'down'
  /** It was stopped on purpose. */
  | 'stopped';

/** Pause before restart attempt n (0 = at once), in ms. */
const BACKOFF_MS = [0, 250, 500, 1000, 2000, 4000, 5000];
/** A postmaster that stayed up this long starts the next outage's pauses from 0 again (a crash loop keeps backing off). */
const STABLE_MS = 30_000;

export interface SupervisorOptions {
  /** Starts the postmaster once and resolves with its process when it accepts connections. */
  start(): Promise<ChildProcess>;
  /** Stops a running postmaster cleanly. */
  stop(): Promise<void>;
  log: Logger;
  /** Restart after an unexpected exit (the server); otherwise only report it. */
  restart: boolean;
  /** Attempts for the first start (a just-stopped orphan's backends may hold its shared memory a moment). */
  firstStartAttempts?: number;
}

export class PostmasterSupervisor {
  private current: ChildProcess | undefined;
  private status: DatabaseState = 'stopped';
  private stopping = false;
  private attempt = 0;
  private upSince = 0;
  private restarting: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: SupervisorOptions) {}

  state(): DatabaseState {
    return this.status;
  }

  /** The running postmaster's pid. */
  pid(): number | undefined {
    return this.status === 'running' ? this.current?.pid : undefined;
  }

  /** First start, retried a few times. */
  async start(): Promise<void> {
    const attempts = this.options.firstStartAttempts ?? 1;
    for (let n = 0; ; n += 1) {
      try {
        this.watch(await this.options.start());
        return;
      } catch (error) {
        if (n + 1 >= attempts) throw error;
        this.options.log.warn({ err: error, attempt: n + 1 }, 'embedded PostgreSQL did not start; trying again');
        await this.pause(BACKOFF_MS[Math.min(n + 1, BACKOFF_MS.length - 1)]);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.restarting;
    const child = this.current;
    if (child && child.exitCode === null && child.signalCode === null) await this.options.stop();
    this.status = 'stopped';
  }

  private watch(child: ChildProcess): void {
    this.current = child;
    this.status = 'running';
    this.upSince = Date.now();
    child.once('exit', (code, signal) => {
      if (this.stopping || child !== this.current) return;
      if (!this.options.restart) {
        this.status = 'down';
        this.options.log.error({ pid: child.pid, code, signal }, 'embedded PostgreSQL exited unexpectedly');
        return;
      }
      this.status = 'restarting';
      if (Date.now() - this.upSince >= STABLE_MS) this.attempt = 0;
      this.options.log.error({ pid: child.pid, code, signal }, 'embedded PostgreSQL exited unexpectedly; restarting it');
      this.restarting = this.restart(Date.now()).finally(() => {
        this.restarting = undefined;
      });
    });
  }

  private async restart(downSince: number): Promise<void> {
    while (!this.stopping) {
      const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
      this.attempt += 1;
      await this.pause(delay);
      if (this.stopping) return;
      try {
        const child = await this.options.start();
        this.watch(child);
        this.options.log.info({ pid: child.pid, attempt: this.attempt, downMs: Date.now() - downSince }, 'embedded PostgreSQL restarted');
        return;
      } catch (error) {
        this.options.log.error({ err: error, attempt: this.attempt, nextInMs: BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] }, 'embedded PostgreSQL restart failed');
      }
    }
  }

  /** Waits `ms`, or less when stop() is called. */
  private pause(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
