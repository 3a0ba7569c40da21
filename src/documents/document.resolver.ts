import { Arg, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { AuthedContext, RequestContext } from '../common/context';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { DateTimeScalar } from '../common/scalars';
import { PayloadMutation } from '../common/validation';
import { InstitutionEntity } from '../institutions/institution.entity';
import { institutionById } from '../institutions/institution.service';
import { Institution } from '../institutions/institution.type';
import { OfferEntity } from '../offers/offer.entity';
import { Offer } from '../offers/offer.type';
import { DocumentEntity } from './document.entity';
import { canSeeDocument, canSeeDownloads, documentById, DocumentShare as Share, downloadsByDocument, myDocuments, shareDocument } from './document.service';
import { Document, DocumentConnection, DocumentDownload } from './document.type';

registerNode<DocumentEntity>({ typename: 'Document', load: (ctx, id) => documentById(ctx).load(id), visible: canSeeDocument });

@ObjectType({ description: 'A document shared with the bank of an offer.', simpleResolvers: true })
export class DocumentShare {
  @Field(() => Document, { description: 'The document.' })
  document: DocumentEntity;

  @Field(() => Offer, { description: 'The offer whose bank may now download it.' })
  offer: OfferEntity;

  @Field(() => DateTimeScalar, { description: 'When it was first shared under this offer.' })
  sharedAt: Date;
}

export const DocumentSharePayload = payloadType('DocumentSharePayload', 'share', () => DocumentShare, 'Result of sharing a document.');

@InputType({ description: 'A document of the enterprise and one of its offers.' })
export class ShareDocumentInput {
  @Field(() => ID, { description: 'The document (from the upload\'s answer or `myDocuments`).' })
  documentId: string;

  @Field(() => ID, { description: 'The offer whose bank may download it.' })
  offerId: string;
}

@Resolver(() => Document)
export class DocumentResolver {
  @Authorized(['ENTERPRISE'])
  @Query(() => DocumentConnection, { description: 'The enterprise\'s documents, newest first (upload them with POST /documents).' })
  myDocuments(
    @Ctx() ctx: AuthedContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return myDocuments(ctx, { first, after });
  }

  @Authorized(['ENTERPRISE'])
  @PayloadMutation(() => DocumentSharePayload, {
    description: 'The enterprise shares one of its documents with the bank of one of its offers: that bank may then download it (GET /documents/<id>), each download recorded. Sharing again changes nothing.',
  })
  async shareDocument(@Ctx() ctx: AuthedContext, @Arg('input', () => ShareDocumentInput) input: ShareDocumentInput) {
    return toPayload<Share>(ctx, 'share', await shareDocument(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() d: DocumentEntity): string {
    return toGlobalId('Document', d.id);
  }

  @FieldResolver(() => Float, { description: 'Size in bytes.' })
  sizeBytes(@Root() d: DocumentEntity): number {
    return d.sizeBytes;
  }

  @FieldResolver(() => String, { description: 'Where to download it: GET this path with the same bearer token.' })
  downloadPath(@Root() d: DocumentEntity): string {
    return `/documents/${toGlobalId('Document', d.id)}`;
  }

  @FieldResolver(() => [DocumentDownload], {
    nullable: true,
    description: 'Every download by an institution, newest first (R10): for the enterprise and for authorities and admins; null for anyone else.',
  })
  async downloads(@Root() d: DocumentEntity, @Ctx() ctx: RequestContext) {
    if (!(await canSeeDownloads(ctx, d))) return null;
    return (await downloadsByDocument(ctx).load(d.id)).map((r) => ({ at: r.createdAt, sub: r.sub, role: r.role, institutionId: r.institutionId }));
  }
}

@Resolver(() => DocumentDownload)
export class DocumentDownloadResolver {
  @FieldResolver(() => Institution, { nullable: true, description: 'The institution that downloaded it.' })
  async institution(@Root() r: { institutionId: string | null }, @Ctx() ctx: RequestContext): Promise<InstitutionEntity | null> {
    return r.institutionId ? institutionById(ctx).load(r.institutionId) : null;
  }
}
