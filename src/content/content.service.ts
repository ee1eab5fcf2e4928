import { EventEmitter2 } from '@nestjs/event-emitter';
import { CONTENT_ARCHIVED, CONTENT_PUBLISHED, ContentChanged } from './content-events';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Principal } from '../auth/roles';
import { Statement, containsPattern, inTransaction, isDuplicateKey, writeTogether } from '../database/mysql';
import { DomainError } from '../common/domain-error';
import { EntityColumns } from '../database/entity-columns';
import { distinctByCollation } from '../database/collation';
import { PageQuery, pageOffset } from '../common/page.dto';
import { Kind } from '../templates/kind';
import { KindRegistry } from '../templates/kind-registry.service';
import { RendererService } from '../templates/renderer.service';
import { ContentPiece } from './content-piece.entity';
import { ContentRevision } from './content-revision.entity';
import { ContentTag } from './content-tag.entity';
import { toRenderable } from './renderable-revisions.service';
import { RevisionContent, pieceView, revisionView, summary } from './content-views';
import { PostFollowers } from '../posts/lifecycle/post-followers.service';
import { PictureCheck } from './picture-check.service';
import { MessageCheck } from './message-check.service';
import { stableJson } from '../common/stable-json';
import { CreateContentDto, ListContentQuery, PublishContentDto, UpdateContentDto } from './dto/content.dto';
import { ContentPageDto, ContentPieceDto, KindDto, RevisionDto, RevisionPageDto } from './dto/content-views.dto';

type RevisionInput = Pick<RevisionContent, 'title' | 'fields'> & Partial<Omit<RevisionContent, 'title' | 'fields'>>;

function staleVersion(id: string, current: number, expected: number): DomainError {
  return DomainError.conflict(`content ${id} is at version ${current}, not ${expected}; reload and retry`, [
    { field: 'version', message: `stale: current version is ${current}` },
  ]);
}

/** Two revisions say the same thing (JSON key order aside). */
function sameContent(a: RevisionContent, b: RevisionContent): boolean {
  const pick = (c: RevisionContent) => ({
    title: c.title,
    fields: c.fields,
    body: c.body,
    media: c.media,
    link: c.link,
    tags: c.tags,
  });
  return stableJson(pick(a)) === stableJson(pick(b));
}

/** The unique index on content_pieces.slug (named by the first migration). */
const SLUG_INDEX = 'IDX_d018e8ed48fe4e4e6b89d9bdcc';

@Injectable()
export class ContentService {
  /** What a new piece and revision write, sent together (`writeTogether`). */
  private readonly pieceColumns: EntityColumns<ContentPiece>;
  private readonly revisionColumns: EntityColumns<ContentRevision>;
  private readonly tagColumns: EntityColumns<ContentTag>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ContentPiece) private readonly pieces: Repository<ContentPiece>,
    @InjectRepository(ContentRevision) private readonly revisions: Repository<ContentRevision>,
    @InjectRepository(ContentTag) private readonly tags: Repository<ContentTag>,
    private readonly posts: PostFollowers,
    private readonly renderer: RendererService,
    private readonly kinds: KindRegistry,
    private readonly pictureCheck: PictureCheck,
    private readonly messageCheck: MessageCheck,
    private readonly events: EventEmitter2,
  ) {
    this.pieceColumns = new EntityColumns(dataSource, ContentPiece, 'p');
    this.revisionColumns = new EntityColumns(dataSource, ContentRevision, 'r');
    this.tagColumns = new EntityColumns(dataSource, ContentTag, 't');
  }

  listKinds(): KindDto[] {
    return this.kinds.list().map((kind) => ({
      name: kind.name,
      label: kind.label,
      description: kind.description,
      promotional: kind.promotional,
      schema: kind.schema as Record<string, unknown>,
    }));
  }

  async create(dto: CreateContentDto, author: Principal): Promise<ContentPieceDto> {
    const kind = this.renderer.kind(dto.kind);
    const content = this.revisionContent(kind, { ...dto, tags: await this.foldTags(dto.tags) });
    await this.pictureCheck.check(kind, content.fields, content.media);
    const slug = dto.slug ?? `${dto.kind.replace(/_/g, '-')}-${randomBytes(4).toString('hex')}`;
    try {
      // Inserts, not save(): nothing to read back, since the id and the times are made here, and
      // the answer is what was written.
      const now = new Date();
      const piece: ContentPiece = {
        id: randomUUID(),
        kind: kind.name,
        slug,
        title: content.title,
        status: 'draft',
        currentRevision: 1,
        publishedRevision: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
        publishedAt: null,
      };
      // One round trip: the piece, its first revision and its tags.
      await writeTogether(this.dataSource, [
        this.pieceColumns.insert([piece]),
        ...this.revisionStatements(piece.id, 1, content, author, now),
      ]);
      return pieceView(piece, content);
    } catch (error) {
      if (isDuplicateKey(error, SLUG_INDEX)) {
        throw DomainError.conflict(`slug ${slug} is taken`, [
          { field: 'slug', message: 'is already used by another piece' },
        ]);
      }
      throw error;
    }
  }

  /**
   * A new revision from the current one and the fields given. Without a version (If-Match or
   * `version`) the edit applies to whatever is current, in turn with concurrent ones; a change
   * that changes nothing makes no revision.
   */
  async update(
    id: string,
    dto: UpdateContentDto,
    expectedVersion: number | undefined,
    author: Principal,
  ): Promise<ContentPieceDto> {
    const basedOn = expectedVersion ?? dto.version;
    const tags = dto.tags && (await this.foldTags(dto.tags));
    // The pictures it names anew, fetched before the piece is locked.
    if (dto.fields !== undefined || dto.media !== undefined) {
      await this.pictureCheck.check(this.renderer.kind((await this.findPiece(id)).kind), dto.fields, dto.media);
    }
    await inTransaction(this.dataSource, async (manager) => {
      const piece = await manager.findOne(ContentPiece, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!piece) throw DomainError.notFound('content', id);
      if (piece.status === 'archived')
        throw DomainError.conflict(`content ${id} is archived; publish it again to edit it`);
      if (basedOn !== undefined && basedOn !== piece.version) throw staleVersion(id, piece.version, basedOn);
      const revision = await manager.findOneByOrFail(ContentRevision, { pieceId: id, revision: piece.currentRevision });
      const content = this.revisionContent(this.renderer.kind(piece.kind), {
        title: dto.title ?? revision.title,
        fields: dto.fields ?? revision.fields,
        body: dto.body === undefined ? revision.body : dto.body,
        media: dto.media ?? revision.media,
        link: dto.link === undefined ? revision.link : dto.link,
        tags: tags ?? revision.tags,
      });
      if (sameContent(content, revision)) return;
      const next = piece.currentRevision + 1;
      await this.bumpVersion(manager, piece.id, piece.version, { currentRevision: next, title: content.title });
      // Tags are the revision's: the ones before it go.
      await manager.delete(ContentTag, { pieceId: piece.id });
      for (const statement of this.revisionStatements(piece.id, next, content, author, new Date()))
        await manager.query(statement.sql, statement.params);
    });
    return this.get(id);
  }

  async publish(id: string, dto: PublishContentDto, expectedVersion: number | undefined): Promise<ContentPieceDto> {
    const piece = await this.findPiece(id);
    const number = dto.revision ?? piece.currentRevision;
    const revision = await this.revisions.findOneBy({ pieceId: id, revision: number });
    if (!revision) throw DomainError.invalid([{ field: 'revision', message: `revision ${number} does not exist` }]);
    const kind = this.renderer.kind(piece.kind);
    this.renderer.validateFields(kind, revision.fields);
    if (revision.body) this.renderer.checkBody(kind, revision.body);
    // It renders in both formats, and no channel would get it as more messages than a post may be.
    await this.messageCheck.check(toRenderable(piece, revision));
    // Posts not yet sent follow the correction (unless their run pins revisions), in the same transaction.
    await inTransaction(this.dataSource, async (manager) => {
      await this.bumpVersion(manager, id, expectedVersion ?? dto.version, {
        status: 'published',
        publishedRevision: number,
        publishedAt: new Date(),
      });
      await this.posts.followRevision(manager, id, number);
    });
    await this.events.emitAsync(CONTENT_PUBLISHED, { pieceId: id, kind: piece.kind } satisfies ContentChanged);
    return this.get(id);
  }

  /** An archived piece is sent no more: its posts not yet sent are skipped, with the reason. */
  async archive(id: string, expectedVersion: number | undefined): Promise<ContentPieceDto> {
    const piece = await this.findPiece(id);
    if (piece.status !== 'archived') {
      await inTransaction(this.dataSource, async (manager) => {
        await this.bumpVersion(manager, id, expectedVersion, { status: 'archived' });
        await this.posts.skipUnsent(manager, id, `content ${piece.slug} was archived`);
      });
      await this.events.emitAsync(CONTENT_ARCHIVED, { pieceId: id, kind: piece.kind } satisfies ContentChanged);
    }
    return this.get(id);
  }

  async get(id: string): Promise<ContentPieceDto> {
    const { piece, revision } = await this.loadCurrent(id);
    return pieceView(piece, revision);
  }

  async list(query: ListContentQuery): Promise<ContentPageDto> {
    const qb = this.pieces.createQueryBuilder('p');
    if (query.kind) qb.andWhere('p.kind = :kind', { kind: query.kind });
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.tag) {
      qb.andWhere('EXISTS (SELECT 1 FROM content_tags t WHERE t.piece_id = p.id AND t.tag = :tag)', { tag: query.tag });
    }
    if (query.q) {
      qb.andWhere('(p.title LIKE :q OR p.slug LIKE :q)', { q: containsPattern(query.q) });
    }
    const [pieces, total] = await qb
      .orderBy('p.updatedAt', 'DESC')
      .addOrderBy('p.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.pageSize)
      .getManyAndCount();
    const tagsByPiece = await this.tagsOf(pieces.map((p) => p.id));
    return {
      items: pieces.map((piece) => summary(piece, tagsByPiece.get(piece.id) ?? [])),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }

  async listRevisions(id: string, query: PageQuery): Promise<RevisionPageDto> {
    const piece = await this.findPiece(id);
    const [revisions, total] = await this.revisions.findAndCount({
      where: { pieceId: id },
      order: { revision: 'DESC' },
      skip: pageOffset(query),
      take: query.pageSize,
    });
    return { items: revisions.map((r) => revisionView(r, piece)), page: query.page, pageSize: query.pageSize, total };
  }

  async getRevision(id: string, number: number): Promise<RevisionDto> {
    const piece = await this.findPiece(id);
    const revision = await this.revisions.findOneBy({ pieceId: id, revision: number });
    if (!revision) throw DomainError.notFound(`revision ${number} of content`, id);
    return revisionView(revision, piece);
  }

  /** Tags once as the database compares them (`ＶＩＰ` and `VIP` are one tag to its collation). */
  private async foldTags(tags: string[] | undefined): Promise<string[] | undefined> {
    if (!tags) return tags;
    const [folded] = await distinctByCollation(this.dataSource, 'content_tags', 'tag', [tags]);
    return folded;
  }

  /** The INSERTs of a revision and its tags. */
  private revisionStatements(
    pieceId: string,
    revision: number,
    content: RevisionContent,
    author: Principal,
    at: Date,
  ): Statement[] {
    const tags = content.tags.map((tag) => ({ pieceId, tag }));
    return [
      this.revisionColumns.insert([{ pieceId, revision, ...content, createdBy: author.keyId, createdAt: at }]),
      ...(tags.length > 0 ? [this.tagColumns.insert(tags)] : []),
    ];
  }

  private revisionContent(kind: Kind, input: RevisionInput): RevisionContent {
    this.renderer.validateFields(kind, input.fields);
    if (input.body) {
      this.renderer.checkBody(kind, input.body);
      this.renderer.checkBudget({ ...input, kind: kind.name, body: input.body });
    }
    return {
      title: input.title,
      fields: input.fields,
      body: input.body || null,
      media: input.media ?? [],
      link: input.link ?? null,
      tags: input.tags ?? [],
    };
  }

  /** Applies a change, and with `expected` only if the piece is still at that version; otherwise a 409 says what it is now. */
  private async bumpVersion(
    manager: EntityManager,
    id: string,
    expected: number | undefined,
    changes: Partial<ContentPiece>,
  ): Promise<void> {
    const query = manager
      .createQueryBuilder()
      .update(ContentPiece)
      .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'CURRENT_TIMESTAMP(3)' })
      .where('id = :id', { id });
    if (expected !== undefined) query.andWhere('version = :expected', { expected });
    const result = await query.execute();
    if (result.affected === 1) return;
    const current = await manager.findOne(ContentPiece, { where: { id }, select: ['id', 'version'] });
    if (!current) throw DomainError.notFound('content', id);
    throw staleVersion(id, current.version, expected!);
  }

  private async findPiece(id: string): Promise<ContentPiece> {
    const piece = await this.pieces.findOneBy({ id });
    if (!piece) throw DomainError.notFound('content', id);
    return piece;
  }

  private async loadCurrent(id: string): Promise<{ piece: ContentPiece; revision: ContentRevision }> {
    const piece = await this.findPiece(id);
    const revision = await this.revisions.findOneByOrFail({ pieceId: id, revision: piece.currentRevision });
    return { piece, revision };
  }

  private async tagsOf(ids: string[]): Promise<Map<string, string[]>> {
    const byPiece = new Map<string, string[]>();
    if (ids.length === 0) return byPiece;
    const rows = await this.tags
      .createQueryBuilder('t')
      .where('t.pieceId IN (:...ids)', { ids })
      .orderBy('t.tag')
      .getMany();
    for (const row of rows) byPiece.set(row.pieceId, [...(byPiece.get(row.pieceId) ?? []), row.tag]);
    return byPiece;
  }
}
