/**
 * Issue 15 §2 — the document endpoints, plain HTTP beside /graphql, behind the same gate (auth/gate.ts:
 * the same bearer tokens, rate limits and institution checks):
 *
 * - `POST /documents?kind=<DocumentKind>&fileName=<name>` with the file as the body and its media type as
 *   Content-Type, or as the first file part of a `multipart/form-data` body (wx.uploadFile, a browser
 *   form; a part typed application/octet-stream is taken for what its first bytes show): the
 *   enterprise's verified holder uploads a document. The body is streamed to the store
 *   (document.store.ts: size limit, type checked on the first bytes, sha256) — refused early from the
 *   headers where they tell (type, declared length), else as soon as the stream breaks a limit; a refused
 *   upload stores nothing. 201 with the document; 200 with the existing one when the same content of the
 *   same kind was uploaded before (upload once).
 * - `GET /documents/<id>`: the enterprise downloads its own; a bank one shared with it under an offer,
 *   each such download recorded (document_download) before a byte is sent. Anyone else: 404.
 *
 * Failures are JSON, GraphQL-shaped (`{ errors: [{ message, extensions: { code, requestId } }] }`), in
 * Chinese or, with Accept-Language: en, English.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import express, { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { admissionOf, requestGate } from '../auth/gate';
import { sendErrors } from '../common/access-log';
import { createContext, RequestContext } from '../common/context';
import { toGlobalId, uuidOf } from '../common/ids';
import { languageFrom, message, Params } from '../common/messages';
import type { RefreshQueue } from '../common/refresh';
import type { Config } from '../config';
import { DocumentEntity } from './document.entity';
import { cleanFileName, DOCUMENT_KINDS, isDocumentKind, mediaTypeOf } from './document.rules';
import { firstFilePart, NoFilePart } from './document.multipart';
import { downloadable, recordDocument, recordDownload, uploaderOf } from './document.service';
import { documentStore, storageKey, UploadRefused } from './document.store';

export const DOCUMENTS_PATH = '/documents';

/** What a form may add around its file (boundaries, part headers, a few small fields) before the declared length is over the limit. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** A half-written upload older than this is a dead process's. */
const STALE_UPLOAD_MS = 24 * 3_600_000;

/** A refusal: HTTP status, the code clients switch on, and its message key (offer.messages.ts `DOCUMENT.*`, or a shared code's). */
function refuse(req: Request, res: Response, status: number, code: string, key: string, params: Params = {}): void {
  if (!req.complete) res.set('Connection', 'close');
  sendErrors(res, status, [{ message: message(languageFrom(req.headers['accept-language']), key, params), extensions: { code } }]);
  // The body not read is discarded; the connection closes after the answer.
  req.resume();
}

/** The document as the endpoints answer it (the ids are the API's). */
const documentJson = (d: DocumentEntity) => ({
  id: toGlobalId('Document', d.id), kind: d.kind, fileName: d.fileName, contentType: d.contentType, sizeBytes: d.sizeBytes, sha256: d.sha256,
  createdAt: d.createdAt.toISOString(), downloadPath: `${DOCUMENTS_PATH}/${toGlobalId('Document', d.id)}`,
});

/** An RFC 6266 Content-Disposition that keeps a Chinese file name. */
const disposition = (fileName: string) => `attachment; filename="${fileName.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

export function documentRoutes(dataSource: DataSource, config: Config, log: Logger, refresh: RefreshQueue): express.Router {
  const store = documentStore(config.documents.dir);
  const { maxBytes, types } = config.documents;
  // Uploads a crashed process left half-written (a day old: no live upload takes that long, and the directory may be shared).
  store.clearStale(STALE_UPLOAD_MS).then((n) => n && log.info({ removed: n }, 'half-written uploads removed'), (error) => log.warn({ err: error }, 'could not clear half-written uploads'));
  const router = express.Router();
  router.use(requestGate(dataSource, config, log));

  /** The request's context, or null after answering 401. */
  const contextOf = (req: Request, res: Response): RequestContext | null => {
    const { viewer, tokenProblem } = admissionOf(res);
    if (!viewer) {
      const text = message(languageFrom(req.headers['accept-language']), 'UNAUTHENTICATED');
      if (!req.complete) res.set('Connection', 'close');
      sendErrors(res, 401, [{ message: tokenProblem ? `${text} (${tokenProblem})` : text, extensions: { code: 'UNAUTHENTICATED' } }]);
      req.resume();
      return null;
    }
    return createContext({ viewer, tokenProblem, lang: languageFrom(req.headers['accept-language']), db: dataSource, primary: dataSource, config, log, refresh });
  };

  router.post('/', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const ctx = contextOf(req, res);
      if (!ctx) return;
      if (ctx.viewer!.role !== 'ENTERPRISE') return refuse(req, res, 403, 'FORBIDDEN', 'DOCUMENT.FORBIDDEN_UPLOAD', { role: ctx.viewer!.role });
      const kind = typeof req.query.kind === 'string' ? req.query.kind : '';
      if (!isDocumentKind(kind)) return refuse(req, res, 400, 'INVALID_DOCUMENT_KIND', 'DOCUMENT.INVALID_KIND', { allowed: DOCUMENT_KINDS.join(', ') });
      const contentType = mediaTypeOf(req.headers['content-type']);
      const multipart = contentType === 'multipart/form-data';
      if (!multipart && !types.includes(contentType)) return refuse(req, res, 415, 'UNSUPPORTED_DOCUMENT_TYPE', 'DOCUMENT.UNSUPPORTED_TYPE', { type: contentType || '—', allowed: types.join(', ') });
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (declared > maxBytes + (multipart ? MULTIPART_OVERHEAD : 0)) return refuse(req, res, 413, 'DOCUMENT_TOO_LARGE', 'DOCUMENT.TOO_LARGE', { limit: maxBytes });
      if (req.headers['content-encoding'] && req.headers['content-encoding'] !== 'identity') return refuse(req, res, 415, 'UNSUPPORTED_DOCUMENT_TYPE', 'DOCUMENT.UNSUPPORTED_TYPE', { type: `${contentType} (${req.headers['content-encoding']})`, allowed: types.join(', ') });
      const uploader = await uploaderOf(ctx);
      if ('refusal' in uploader) return refuse(req, res, 403, uploader.refusal, uploader.refusal);

      // The bytes: the body itself, or the first file part of a form. Either feeds a stream of the store's,
      // so a refusal mid-way stops that stream, not the socket, and the answer still reaches the client.
      let source: Readable;
      let accepted: readonly string[];
      let givenName = typeof req.query.fileName === 'string' ? req.query.fileName : undefined;
      if (multipart) {
        let part;
        try {
          part = await firstFilePart(req);
        } catch (error) {
          req.unpipe();
          if (error instanceof NoFilePart) return refuse(req, res, 400, 'DOCUMENT_NO_FILE', 'DOCUMENT.NO_FILE');
          throw error;
        }
        source = part.stream;
        givenName ??= part.fileName;
        // A part typed application/octet-stream (a client that did not know) is taken for what its first bytes show.
        if (part.mimeType && part.mimeType !== 'application/octet-stream') {
          if (!types.includes(part.mimeType)) {
            req.unpipe();
            return refuse(req, res, 415, 'UNSUPPORTED_DOCUMENT_TYPE', 'DOCUMENT.UNSUPPORTED_TYPE', { type: part.mimeType, allowed: types.join(', ') });
          }
          accepted = [part.mimeType];
        } else accepted = types;
      } else {
        const body = new PassThrough();
        req.pipe(body);
        source = body;
        accepted = [contentType];
      }
      let file;
      try {
        file = await store.receive(source, accepted, maxBytes);
      } catch (error) {
        req.unpipe();
        if (error instanceof UploadRefused) {
          const codes = { TOO_LARGE: 'DOCUMENT_TOO_LARGE', CONTENT_MISMATCH: 'DOCUMENT_CONTENT_MISMATCH', EMPTY: 'DOCUMENT_EMPTY' } as const;
          return refuse(req, res, error.status, codes[error.code], `DOCUMENT.${error.code}`, { limit: maxBytes, type: accepted.join(' / ') });
        }
        throw error;
      }
      const id = randomUUID();
      const key = storageKey(id);
      await store.commit(file, key);
      let recorded;
      try {
        recorded = await recordDocument(ctx, {
          id, enterpriseId: uploader.enterpriseId, kind, fileName: cleanFileName(givenName, file.contentType),
          contentType: file.contentType, sizeBytes: file.sizeBytes, sha256: file.sha256, storageKey: key, uploadedBy: ctx.viewer!.sub,
        });
      } catch (error) {
        await store.remove(key);
        throw error;
      }
      // The same content of the same kind was uploaded before: that document stands, this copy goes.
      if (!recorded.created) await store.remove(key);
      const json = documentJson(recorded.document);
      res.status(recorded.created ? 201 : 200).location(json.downloadPath).json({ document: json });
    } catch (error) {
      next(error);
    }
  });

  router.get('/:id', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const ctx = contextOf(req, res);
      if (!ctx) return;
      const id = uuidOf(String(req.params.id), 'Document');
      const found = id ? await downloadable(ctx, id) : null;
      if (!found) return refuse(req, res, 404, 'NOT_FOUND', 'DOCUMENT.NOT_FOUND');
      let opened;
      try {
        opened = await store.open(found.document.storageKey);
      } catch (error) {
        log.error({ err: error, documentId: found.document.id }, 'a document\'s file cannot be read');
        return refuse(req, res, 503, 'DOCUMENT_UNAVAILABLE', 'DOCUMENT.UNAVAILABLE');
      }
      try {
        // R10: the read is on record before the bytes leave.
        await recordDownload(ctx, found.document, found.offerId);
      } catch (error) {
        opened.stream.destroy();
        throw error;
      }
      res.status(200).set({
        'Content-Type': found.document.contentType,
        'Content-Length': String(opened.sizeBytes),
        'Content-Disposition': disposition(found.document.fileName),
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
        'X-Content-SHA256': found.document.sha256,
        'Repr-Digest': `sha-256=:${Buffer.from(found.document.sha256, 'hex').toString('base64')}:`,
      });
      opened.stream.on('error', (error) => {
        log.error({ err: error, documentId: found.document.id }, 'a document\'s file failed while being sent');
        res.destroy(error);
      });
      opened.stream.pipe(res);
    } catch (error) {
      next(error);
    }
  });

  return router;
}
