/**
 * Issue 15 §2 — a document sent as `multipart/form-data` (what a WeChat mini-program's `wx.uploadFile` and
 * a browser form send): the first file part, as a stream, with its file name and declared type. Parsed by
 * @fastify/busboy as the bytes arrive: nothing is buffered beyond a part's headers, and at most one file
 * and a few small fields are read.
 */
import { Busboy, BusboyFileStream } from '@fastify/busboy';
import type { Request } from 'express';

export interface FilePart {
  stream: BusboyFileStream;
  fileName: string;
  /** The part's own Content-Type (application/octet-stream when the client did not know it). */
  mimeType: string;
}

/** Thrown when a multipart body holds no file part, or is not valid multipart. */
export class NoFilePart extends Error {}

/** Starts parsing `req` and resolves with its first file part (the parser stops after it). */
export function firstFilePart(req: Request): Promise<FilePart> {
  return new Promise((resolve, reject) => {
    let parser;
    try {
      parser = Busboy({ headers: req.headers as never, limits: { files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 20 } });
    } catch (error) {
      reject(new NoFilePart(String(error)));
      return;
    }
    let found = false;
    parser.on('file', (_field, stream, fileName, _encoding, mimeType) => {
      found = true;
      resolve({ stream, fileName, mimeType: (mimeType || '').toLowerCase() });
    });
    parser.on('finish', () => {
      if (!found) reject(new NoFilePart('no file part'));
    });
    parser.on('error', (error) => {
      if (!found) reject(new NoFilePart(String(error)));
    });
    req.pipe(parser);
  });
}
