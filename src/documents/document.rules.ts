/**
 * Issue 15 §2 — an enterprise's documents, as plain data: the kinds a bank may require and the enterprise
 * uploads once, the file types accepted and how each is recognised by its first bytes (the client's
 * Content-Type alone is not trusted), and what a stored file's name may be. Pure.
 */
export const DOCUMENT_KINDS = ['BUSINESS_LICENCE', 'FINANCIAL_STATEMENTS', 'TAX_CERTIFICATE'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const isDocumentKind = (value: string): value is DocumentKind => (DOCUMENT_KINDS as readonly string[]).includes(value);

/** The file types finmatch can recognise, with their signatures (the first bytes of every such file). */
export const DOCUMENT_TYPES: Record<string, { extension: string; signatures: readonly number[][] }> = {
  'application/pdf': { extension: 'pdf', signatures: [[0x25, 0x50, 0x44, 0x46, 0x2d]] }, // %PDF-
  'image/png': { extension: 'png', signatures: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]] },
  'image/jpeg': { extension: 'jpg', signatures: [[0xff, 0xd8, 0xff]] },
};

/** Bytes needed to recognise any known type. */
export const SIGNATURE_BYTES = Math.max(...Object.values(DOCUMENT_TYPES).flatMap((t) => t.signatures.map((s) => s.length)));

/** The media type of a Content-Type header (lower-case, parameters dropped), or ''. */
export const mediaTypeOf = (header: string | undefined): string => (header ?? '').split(';')[0].trim().toLowerCase();

/** Whether `head` (the file's first bytes) starts like a file of `contentType`. */
export function contentMatches(contentType: string, head: Uint8Array): boolean {
  const type = DOCUMENT_TYPES[contentType];
  return !!type && type.signatures.some((sig) => head.length >= sig.length && sig.every((byte, i) => head[i] === byte));
}

/** A file name as stored and sent back: its last path segment, trimmed, without control characters, at most 200 characters. */
export function cleanFileName(raw: string | undefined, contentType: string): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return clean || `document.${DOCUMENT_TYPES[contentType]?.extension ?? 'bin'}`;
}
