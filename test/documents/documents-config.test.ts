/** Issue 15 §2 — the documents' configuration (src/config.ts DocumentsConfig; docs/OFFERS.md). */
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

describe('documents configuration', () => {
  it('keeps documents under DATA_DIR by default, up to 20 MiB, PDF, PNG and JPEG', () => {
    const c = loadConfig({ DATA_DIR: '/srv/finmatch' });
    expect(c.documents).toEqual({ dir: path.resolve('/srv/finmatch/documents'), maxBytes: 20 * 1024 * 1024, types: ['application/pdf', 'image/png', 'image/jpeg'] });
  });

  it('reads DOCUMENTS_DIR, DOCUMENT_MAX_BYTES and DOCUMENT_TYPES', () => {
    const c = loadConfig({ DOCUMENTS_DIR: '/mnt/share/docs', DOCUMENT_MAX_BYTES: '1048576', DOCUMENT_TYPES: 'application/pdf, IMAGE/JPEG' });
    expect(c.documents).toEqual({ dir: path.resolve('/mnt/share/docs'), maxBytes: 1_048_576, types: ['application/pdf', 'image/jpeg'] });
  });

  it('lists every bad value at once: a type finmatch cannot recognise, a limit out of range', () => {
    let error: unknown;
    try {
      loadConfig({ DOCUMENT_TYPES: 'application/pdf,application/zip', DOCUMENT_MAX_BYTES: '10' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringContaining('DOCUMENT_TYPES lists media types finmatch recognises (application/pdf, image/png, image/jpeg), got "application/zip"'),
      'DOCUMENT_MAX_BYTES must be between 1024 and 1073741824, got 10',
    ]);
  });
});
