import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt } from '../database/columns';
import type { DocumentKind } from './document.rules';

/** A file an enterprise uploaded once (issue 15 §2): kind, name, type, size, sha256 and where it is stored. */
@Entity('document')
export class DocumentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'text' })
  kind: DocumentKind;

  @Column({ name: 'file_name', type: 'text' })
  fileName: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  /** bigint comes back from pg as a string. */
  @Column({ name: 'size_bytes', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  sizeBytes: number;

  @Column({ type: 'text' })
  sha256: string;

  /** Where the bytes are, relative to the document store's directory. */
  @Column({ name: 'storage_key', type: 'text' })
  storageKey: string;

  @Column({ name: 'uploaded_by', type: 'text' })
  uploadedBy: string;

  @CreatedAt()
  createdAt: Date;
}
