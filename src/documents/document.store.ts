/**
 * Issue 15 §2 — where documents' bytes live: files under the document directory (DOCUMENTS_DIR, by default
 * `<DATA_DIR>/documents`), one per document, named by its id. An upload streams into a temporary file of
 * the same directory while its size is counted against the limit, its first bytes are checked against its
 * declared type and its sha256 is computed — nothing is held in memory beyond one chunk — and only a
 * complete, accepted file is renamed into place. A refused or broken upload leaves nothing behind.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { contentMatches, SIGNATURE_BYTES } from './document.rules';

/** Why an upload is refused: a code of offer.messages.ts (`DOCUMENT.<code>`) and the HTTP status to answer with. */
export class UploadRefused extends Error {
  constructor(readonly status: number, readonly code: 'TOO_LARGE' | 'CONTENT_MISMATCH' | 'EMPTY') {
    super(code);
  }
}

export interface ReceivedFile {
  /** The temporary file holding the bytes, to `commit`. */
  tempPath: string;
  /** The media type its first bytes showed (one of those it was received as). */
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

/** Counts, checks and hashes the bytes passing through; fails the stream as soon as a limit is broken. */
class Inspector extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  /** The type the first bytes showed, of those accepted. */
  detected = '';
  private head = Buffer.alloc(0);
  private checked = false;

  constructor(private readonly maxBytes: number, private readonly accepted: readonly string[]) {
    super();
  }

  private check(): Error | null {
    this.checked = true;
    this.detected = this.accepted.find((type) => contentMatches(type, this.head)) ?? '';
    return this.detected ? null : new UploadRefused(415, 'CONTENT_MISMATCH');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(new UploadRefused(413, 'TOO_LARGE'));
    if (!this.checked) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, SIGNATURE_BYTES)]).subarray(0, SIGNATURE_BYTES);
      if (this.head.length >= SIGNATURE_BYTES) {
        const refusal = this.check();
        if (refusal) return done(refusal);
      }
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.size === 0) return done(new UploadRefused(400, 'EMPTY'));
    done(this.checked ? null : this.check());
  }
}

export interface DocumentStore {
  /**
   * Streams `body` into a temporary file, accepting it as one of `accepted` (the declared type, or the
   * types allowed when the client declared none) by its first bytes; rejects with UploadRefused (the
   * temporary file removed) or the stream's error.
   */
  receive(body: Readable, accepted: readonly string[], maxBytes: number): Promise<ReceivedFile>;
  /** Moves a received file into place under `key`. */
  commit(file: ReceivedFile, key: string): Promise<void>;
  /** Removes a committed file (its row was not written after all). */
  remove(key: string): Promise<void>;
  /** Removes uploads left half-written by a process that died (older than `maxAgeMs`); returns how many. */
  clearStale(maxAgeMs: number): Promise<number>;
  /** Opens a stored file for reading; rejects when it is not there. */
  open(key: string): Promise<{ stream: fs.ReadStream; sizeBytes: number }>;
}

/** A document's key: its id under a directory of the id's first two characters (so no directory grows past a few thousand entries per 1M documents). */
export const storageKey = (id: string): string => `${id.slice(0, 2)}/${id}`;

const TEMP = '.incoming';

export function documentStore(dir: string): DocumentStore {
  const full = (key: string) => path.join(dir, ...key.split('/'));
  return {
    async receive(body, accepted, maxBytes) {
      await fs.promises.mkdir(path.join(dir, TEMP), { recursive: true });
      const tempPath = path.join(dir, TEMP, randomUUID());
      const inspector = new Inspector(maxBytes, accepted);
      try {
        await pipeline(body, inspector, fs.createWriteStream(tempPath, { flags: 'wx', mode: 0o600 }));
      } catch (error) {
        await fs.promises.rm(tempPath, { force: true });
        throw error;
      }
      return { tempPath, contentType: inspector.detected, sizeBytes: inspector.size, sha256: inspector.hash.digest('hex') };
    },
    async commit(file, key) {
      await fs.promises.mkdir(path.dirname(full(key)), { recursive: true });
      await fs.promises.rename(file.tempPath, full(key));
    },
    async remove(key) {
      await fs.promises.rm(full(key), { force: true });
    },
    async clearStale(maxAgeMs) {
      const incoming = path.join(dir, TEMP);
      const names = await fs.promises.readdir(incoming).catch(() => [] as string[]);
      let removed = 0;
      for (const name of names) {
        const stat = await fs.promises.stat(path.join(incoming, name)).catch(() => null);
        if (stat && Date.now() - stat.mtimeMs > maxAgeMs) {
          await fs.promises.rm(path.join(incoming, name), { force: true });
          removed += 1;
        }
      }
      return removed;
    },
    async open(key) {
      const handle = await fs.promises.open(full(key), 'r');
      const { size } = await handle.stat();
      return { stream: handle.createReadStream(), sizeBytes: size };
    },
  };
}
