import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { schemaErrorDetails } from '../common/json-schema-validation';
import { FORMATS, Format } from './formats';
import { Kind } from './kind';
import { KindRegistry } from './kind-registry.service';
import { RenderGroup, RenderPost, RenderablePiece, buildRenderContext, contextSchema } from './render-context';
import { RenderFailure, runTemplate } from './render';
import { TextSize, measure } from '../common/text-size';
import { FormatNote, SizeWarning, formatNotes, sizeWarnings } from './size-limits';
import { checkTemplate } from './template-checker';
import { cardLink, picturesOf } from './pictures';
import { TemplateProblem, problemToDetail } from './template-problem';

export interface PieceToRender extends RenderablePiece {
  /** Identifies the body override in the compiled-template cache: piece id and revision. */
  cacheKey: string;
  body?: string | null;
}

/** A piece not saved yet (what an editor is typing): its body is compiled for one render. */
export interface DraftPiece extends RenderablePiece {
  body?: string | null;
}

export interface PieceTexts {
  title: string;
  text: string;
  markdown: string;
  /** The piece's pictures (image fields, then media): shown, not clicked; sent as pictures where the provider can. */
  images: string[];
  /** Where a card of the piece leads (a product's page): providers with cards show it with the first picture. */
  link: string | null;
}

export interface RenderedText extends TextSize {
  format: Format;
  text: string;
  warnings: SizeWarning[];
  notes: FormatNote[];
}

const BODY_CACHE_SIZE = 1000;
/** Whitespace and invisible format characters (zero-width spaces, direction marks) only. */
const BLANK = /^[\s\p{Cf}]*$/u;

@Injectable()
export class RendererService {
  private readonly bodyCache = new Map<string, HandlebarsTemplateDelegate>();

  constructor(private readonly kinds: KindRegistry) {}

  kind(name: string): Kind {
    const kind = this.kinds.get(name);
    if (!kind) {
      throw DomainError.invalid([{ field: 'kind', message: `unknown kind; known kinds: ${this.kinds.names().join(', ')}` }]);
    }
    return kind;
  }

  /** Checks fields against the kind's schema; every problem names its field. */
  validateFields(kind: Kind, fields: unknown): void {
    if (kind.validate(fields)) return;
    const details = schemaErrorDetails(kind.validate.errors, 'fields', `kind ${kind.name}`);
    throw DomainError.invalid(details);
  }

  /** Checks a piece's body override as a template of its kind: syntax, helpers, variables. */
  checkBody(kind: Kind, body: string): void {
    const problems = checkTemplate(this.kinds.env, 'body', body, contextSchema(kind.schema));
    if (problems.length > 0) throw this.templateError(problems);
  }

  render(piece: PieceToRender | DraftPiece, format: Format, group?: RenderGroup, post?: RenderPost): RenderedText {
    let text: string;
    try {
      text = this.run(piece, format, group, post);
    } catch (error) {
      if (!(error instanceof RenderFailure)) throw error;
      throw this.templateError([{ template: error.template, message: `cannot render: ${error.message}` }]);
    }
    // Providers refuse an empty message, and a chat would show nothing: refuse it here, at save time.
    if (BLANK.test(text)) throw DomainError.invalid([{ field: piece.body ? 'body' : 'fields', message: `renders to an empty ${format} message` }]);
    return { format, text, ...measure(text), warnings: sizeWarnings(format, text), notes: formatNotes(format, text) };
  }

  /**
   * Refuses a body that asks more of a render than its budget allows (size, loops, time), with the
   * sample group, when it is saved; other problems of a draft wait for its publishing.
   */
  checkBudget(piece: RenderablePiece & { body: string }): void {
    for (const format of FORMATS) {
      try {
        this.run(piece, format);
      } catch (error) {
        if (error instanceof RenderFailure && error.overBudget) {
          throw this.templateError([{ template: error.template, message: `cannot render: ${error.message}` }]);
        }
      }
    }
  }

  /** A piece without a cache key (not saved yet) has its body compiled for this render alone. */
  private run(
    piece: DraftPiece & Partial<Pick<PieceToRender, 'cacheKey'>>,
    format: Format,
    group?: RenderGroup,
    post?: RenderPost,
  ): string {
    const kind = this.kind(piece.kind);
    const body = piece.body
      ? piece.cacheKey === undefined
        ? this.kinds.env.compile(piece.body)
        : this.compiledBody(piece.cacheKey, piece.body)
      : undefined;
    const template = body ? { file: 'body', render: body } : kind.templates[format];
    const context = buildRenderContext(
      piece,
      kind.schema,
      group ?? this.kinds.sampleGroup(),
      post ?? { dueAt: new Date() },
      format,
    );
    return runTemplate(template.file, template.render, context);
  }

  /** What a piece says to a group in both formats, with its pictures and where a card of it leads. */
  texts(piece: PieceToRender | DraftPiece, group?: RenderGroup, post?: RenderPost): PieceTexts {
    return {
      title: piece.title,
      text: this.render(piece, 'text', group, post).text,
      markdown: this.render(piece, 'markdown', group, post).text,
      images: this.pictures(piece),
      link: this.cardLink(piece),
    };
  }

  /** The piece's pictures: its kind's image fields, then its media. */
  pictures(piece: RenderablePiece): string[] {
    return picturesOf(this.kind(piece.kind).schema, piece.fields, piece.media ?? []);
  }

  /** Where a card of the piece leads (its link, or its kind's first plain URL field); null for none. */
  cardLink(piece: RenderablePiece): string | null {
    return cardLink(this.kind(piece.kind).schema, piece.fields, piece.link);
  }

  private compiledBody(cacheKey: string, body: string): HandlebarsTemplateDelegate {
    let compiled = this.bodyCache.get(cacheKey);
    if (!compiled) {
      compiled = this.kinds.env.compile(body);
      if (this.bodyCache.size >= BODY_CACHE_SIZE) {
        this.bodyCache.delete(this.bodyCache.keys().next().value as string);
      }
      this.bodyCache.set(cacheKey, compiled);
    }
    return compiled;
  }

  private templateError(problems: TemplateProblem[]): DomainError {
    return DomainError.invalid(problems.map((p) => problemToDetail(p.template === 'body' ? 'body' : `template ${p.template}`, p)));
  }
}
