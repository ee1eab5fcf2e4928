import { ApiProperty } from '@nestjs/swagger';
import { ContentStatus } from '../content-status';
import { Format } from '../../templates/formats';

export class ContentSummaryDto {
  id: string;
  kind: string;
  slug: string;
  title: string;
  status: ContentStatus;
  /** The current (latest) revision. */
  revision: number;
  /** The revision that is live, if any. */
  publishedRevision: number | null;
  version: number;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export class ContentPieceDto extends ContentSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: true })
  fields: Record<string, unknown>;
  body: string | null;
  media: string[];
  link: string | null;
}

export class ContentPageDto {
  items: ContentSummaryDto[];
  page: number;
  pageSize: number;
  total: number;
}

export class RevisionDto {
  revision: number;
  title: string;
  @ApiProperty({ type: 'object', additionalProperties: true })
  fields: Record<string, unknown>;
  body: string | null;
  media: string[];
  link: string | null;
  tags: string[];
  createdBy: string;
  /** The name of the key that wrote it; null when that key was deleted. */
  author?: string | null;
  createdAt: Date;
  /** Whether this is the live revision. */
  published: boolean;
}

export class RevisionPageDto {
  items: RevisionDto[];
  page: number;
  pageSize: number;
  total: number;
}

export class SizeWarningDto {
  channel: string;
  format: Format;
  unit: 'bytes' | 'characters';
  limit: number;
  size: number;
  message: string;
}

export class FormatNoteDto {
  channel: string;
  message: string;
}

export class PreviewDto {
  format: Format;
  text: string;
  /** Unicode code points. */
  characters: number;
  /** UTF-8 bytes. */
  bytes: number;
  warnings: SizeWarningDto[];
  /** What a channel does to this text beyond its size (a WeCom robot's markdown shows no pictures). */
  notes: FormatNoteDto[];
}

export class KindDto {
  name: string;
  label: string;
  description?: string;
  promotional: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON Schema of the fields' })
  schema: Record<string, unknown>;
}
