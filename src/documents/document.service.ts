/**
 * Issue 15 §2 — an enterprise's documents: uploaded once (the HTTP endpoint in document.routes.ts streams
 * the bytes into the store, this records them), shared with the bank of one of its offers, downloaded by
 * that bank. Every download by an institution is recorded before a byte is sent (`document_download`,
 * append-only), as R10 records every read of credit data; the enterprise and the authorities read the
 * record (`Document.downloads`).
 */
import DataLoader from 'dataloader';
import { AuthedContext, byKey, defineLoader, groupedBy, RequestContext } from '../common/context';
import { Page, PageArgs } from '../common/connection';
import { uuidOf } from '../common/ids';
import { keysetPage } from '../database/pages';
import { failure, ok, refused, Result } from '../common/user-error';
import { inTransaction } from '../database/transaction';
import { isVerifiedHolder } from '../enterprises/claim.service';
import { viewerEnterpriseId } from '../enterprises/enterprise.service';
import { OfferEntity } from '../offers/offer.entity';
import { isManager } from '../privacy/privacy.policy';
import { DocumentEntity } from './document.entity';
import type { DocumentKind } from './document.rules';

export const documentById = defineLoader((ctx) => byKey(ctx, DocumentEntity, 'id'));

/** The institutions each document is shared with (through an offer of theirs), for the viewer's batch. */
const sharedWith = defineLoader((ctx) => groupedBy<{ document_id: string; institution_id: string }>(
  (r) => r.document_id,
  (ids) => ctx.db.query(`SELECT DISTINCT document_id, institution_id FROM document_share WHERE document_id = ANY($1::uuid[])`, [ids]),
));

/** Who may see a document: its enterprise, a bank it was shared with, authorities and admins (who review the audit). */
export async function canSeeDocument(ctx: RequestContext, doc: Pick<DocumentEntity, 'id' | 'enterpriseId'>): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer) return false;
  if (viewer.role === 'ENTERPRISE') return (await viewerEnterpriseId(ctx)) === doc.enterpriseId;
  if (isManager(ctx)) return true;
  if (!viewer.institutionId) return false;
  return (await sharedWith(ctx).load(doc.id)).some((s) => s.institution_id === viewer.institutionId);
}

/** The enterprise's documents, newest first (`myDocuments`, a keyset page). */
export async function myDocuments(ctx: AuthedContext, page: PageArgs): Promise<Page<DocumentEntity>> {
  const enterpriseId = await viewerEnterpriseId(ctx);
  const qb = ctx.db.getRepository(DocumentEntity).createQueryBuilder('d').where('d.enterprise_id = :enterpriseId', { enterpriseId: enterpriseId ?? '00000000-0000-0000-0000-000000000000' });
  return keysetPage(ctx, qb, 'd', page);
}

export interface NewDocument {
  id: string;
  enterpriseId: string;
  kind: DocumentKind;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  uploadedBy: string;
}

/**
 * Records an uploaded file. The same content of the same kind is one document ("upload once"): a repeat
 * returns the document already recorded (`created` false) and the new copy is not kept.
 */
export async function recordDocument(ctx: RequestContext, doc: NewDocument): Promise<{ document: DocumentEntity; created: boolean }> {
  const inserted: { id: string }[] = await ctx.primary.query(
    `INSERT INTO document (id, enterprise_id, kind, file_name, content_type, size_bytes, sha256, storage_key, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (enterprise_id, kind, sha256) DO NOTHING RETURNING id`,
    [doc.id, doc.enterpriseId, doc.kind, doc.fileName, doc.contentType, doc.sizeBytes, doc.sha256, doc.storageKey, doc.uploadedBy],
  );
  const repo = ctx.primary.getRepository(DocumentEntity);
  if (inserted.length) return { document: await repo.findOneByOrFail({ id: doc.id }), created: true };
  return { document: await repo.findOneByOrFail({ enterpriseId: doc.enterpriseId, kind: doc.kind, sha256: doc.sha256 }), created: false };
}

/** Who uploads: the firm's verified holder (its documents go to banks), or why not. */
export async function uploaderOf(ctx: RequestContext): Promise<{ enterpriseId: string } | { refusal: 'NOT_REGISTERED' | 'CLAIM_NOT_VERIFIED' }> {
  const enterpriseId = await viewerEnterpriseId(ctx);
  if (!enterpriseId) return { refusal: 'NOT_REGISTERED' };
  if (!(await isVerifiedHolder(ctx, enterpriseId))) return { refusal: 'CLAIM_NOT_VERIFIED' };
  return { enterpriseId };
}

export interface DocumentShare {
  document: DocumentEntity;
  offer: OfferEntity;
  sharedAt: Date;
}

/** shareDocument: the enterprise shares one of its documents with the bank of one of its offers (again: the share already made). */
export async function shareDocument(ctx: AuthedContext, input: { documentId: string; offerId: string }): Promise<Result<DocumentShare>> {
  const documentId = uuidOf(input.documentId, 'Document');
  const offerId = uuidOf(input.offerId, 'Offer');
  const bad = [...(documentId ? [] : [failure('documentId', 'INVALID_ID')]), ...(offerId ? [] : [failure('offerId', 'INVALID_ID')])];
  if (bad.length) return refused(...bad);
  const uploader = await uploaderOf(ctx);
  if ('refusal' in uploader) return refused(failure([], uploader.refusal));
  return inTransaction(ctx, async (em) => {
    const document = await em.getRepository(DocumentEntity).findOneBy({ id: documentId! });
    const offer = await em.getRepository(OfferEntity).findOneBy({ id: offerId! });
    // Another enterprise's document or offer reads as missing: ids do not leak.
    const failures = [
      ...(document?.enterpriseId === uploader.enterpriseId ? [] : [failure('documentId', 'NOT_FOUND')]),
      ...(offer?.enterpriseId === uploader.enterpriseId ? [] : [failure('offerId', 'NOT_FOUND')]),
    ];
    if (failures.length) return refused(...failures);
    const [share]: { created_at: Date }[] = await em.query(
      `WITH made AS (
         INSERT INTO document_share (document_id, offer_id, institution_id, shared_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (document_id, offer_id) DO NOTHING RETURNING created_at)
       SELECT created_at FROM made UNION ALL SELECT created_at FROM document_share WHERE document_id = $1 AND offer_id = $2`,
      [document!.id, offer!.id, offer!.institutionId, ctx.viewer.sub]);
    return ok({ document: document!, offer: offer!, sharedAt: share.created_at });
  });
}

/** The documents shared under each offer, oldest share first (Offer.sharedDocuments). */
export const sharedDocumentsByOffer = defineLoader((ctx) => new DataLoader<string, DocumentEntity[]>(async (offerIds) => {
  const rows: { offer_id: string; document_id: string }[] = await ctx.db.query(
    `SELECT offer_id, document_id FROM document_share WHERE offer_id = ANY($1::uuid[]) ORDER BY created_at, id`, [[...offerIds]]);
  const docs = await documentById(ctx).loadMany(rows.map((r) => r.document_id));
  const byOffer = new Map<string, DocumentEntity[]>();
  rows.forEach((r, i) => {
    const doc = docs[i];
    if (doc instanceof DocumentEntity) byOffer.set(r.offer_id, [...(byOffer.get(r.offer_id) ?? []), doc]);
  });
  return offerIds.map((id) => byOffer.get(id) ?? []);
}));

/**
 * What a download may send: the document, and for an institution the offer whose share lets it read
 * it — or null when the viewer may not (missing and not shared read alike: ids do not leak).
 */
export async function downloadable(ctx: RequestContext, documentId: string): Promise<{ document: DocumentEntity; offerId: string | null } | null> {
  const viewer = ctx.viewer!;
  const document = await documentById(ctx).load(documentId);
  if (!document) return null;
  if (viewer.role === 'ENTERPRISE') return (await viewerEnterpriseId(ctx)) === document.enterpriseId ? { document, offerId: null } : null;
  if (!viewer.institutionId) return null;
  const [share]: { offer_id: string }[] = await ctx.primary.query(
    `SELECT offer_id FROM document_share WHERE document_id = $1 AND institution_id = $2 ORDER BY created_at DESC, id DESC LIMIT 1`, [documentId, viewer.institutionId]);
  return share ? { document, offerId: share.offer_id } : null;
}

/** Records a download by an institution (R10, as a credit read): who, when, which document, under which offer. The enterprise's own downloads are not recorded. */
export async function recordDownload(ctx: RequestContext, document: DocumentEntity, offerId: string | null): Promise<void> {
  const viewer = ctx.viewer!;
  if (viewer.role === 'ENTERPRISE') return;
  await ctx.primary.query(
    `INSERT INTO document_download (document_id, enterprise_id, offer_id, sub, role, institution_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [document.id, document.enterpriseId, offerId, viewer.sub, viewer.role, viewer.institutionId ?? null]);
}

export interface DownloadRow {
  id: string;
  createdAt: Date;
  documentId: string;
  offerId: string | null;
  sub: string;
  role: string;
  institutionId: string | null;
}

/** Each document's downloads, newest first (Document.downloads: the enterprise and managers). */
export const downloadsByDocument = defineLoader((ctx) => groupedBy<DownloadRow>(
  (r) => r.documentId,
  (ids) => ctx.db.query(
    `SELECT id, created_at AS "createdAt", document_id AS "documentId", offer_id AS "offerId", sub, role, institution_id AS "institutionId"
       FROM document_download WHERE document_id = ANY($1::uuid[]) ORDER BY created_at DESC, id DESC`, [ids]),
));

/** Who reads a document's downloads: its enterprise, authorities and admins. */
export async function canSeeDownloads(ctx: RequestContext, doc: Pick<DocumentEntity, 'enterpriseId'>): Promise<boolean> {
  return isManager(ctx) || (ctx.viewer?.role === 'ENTERPRISE' && (await viewerEnterpriseId(ctx)) === doc.enterpriseId);
}
