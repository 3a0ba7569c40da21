import { Field, ObjectType } from 'type-graphql';
import { connectionType } from '../common/connection';
import { graphqlEnum } from '../common/enums';
import { Node, showsAs } from '../common/node';
import { DateTimeScalar } from '../common/scalars';
import { DocumentEntity } from './document.entity';
import { DOCUMENT_KINDS, DocumentKind } from './document.rules';

showsAs(DocumentEntity, 'Document');

export const DocumentKindEnum = graphqlEnum<DocumentKind>('DocumentKind', DOCUMENT_KINDS, 'A document an enterprise uploads once and shares with banks (issue 15 §2).', {
  BUSINESS_LICENCE: '营业执照: the business licence',
  FINANCIAL_STATEMENTS: '财务报表: financial statements',
  TAX_CERTIFICATE: '完税证明: tax payment certificates',
});

@ObjectType({
  implements: Node,
  description: 'A file an enterprise uploaded (POST /documents) and may share with the bank of an offer; fetched with GET /documents/<id> (docs/OFFERS.md).',
})
export class Document {
  @Field(() => DocumentKindEnum, { description: 'What it is.' })
  kind: DocumentKind;

  @Field({ description: 'The file name given at upload.' })
  fileName: string;

  @Field({ description: 'Its media type (checked against the file\'s first bytes at upload).' })
  contentType: string;

  @Field({ description: 'SHA-256 of the bytes, lower-case hex: compare it with what you downloaded.' })
  sha256: string;

  @Field(() => DateTimeScalar, { description: 'When it was uploaded.' })
  createdAt: Date;
}

export const DocumentConnection = connectionType(Document, 'Document', 'document');

@ObjectType({ description: 'One download of a document by an institution (R10: recorded before the bytes were sent).', simpleResolvers: true })
export class DocumentDownload {
  @Field(() => DateTimeScalar, { description: 'When.' })
  at: Date;

  @Field({ description: 'The token\'s subject (the person).' })
  sub: string;

  @Field({ description: 'The token\'s role.' })
  role: string;
}
