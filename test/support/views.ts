import type { PostDto, PostWithAttemptsDto } from '../../src/posts/dto/post.dto';

/**
 * A DTO as a client reads it from JSON: dates are ISO strings, and string enums the literals they
 * stand for. The e2e tests read the API's answers through these, so a field renamed in a DTO
 * breaks the tests that read it at compile time.
 */
export type Json<T> = T extends Date
  ? string
  : T extends string
    ? `${T}`
    : T extends (infer U)[]
      ? Json<U>[]
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T;

/** A post as `GET /v1/posts` lists it. */
export type PostView = Json<PostDto>;

/** A post as `GET /v1/posts/:id` shows it, with its attempts and deferrals. */
export type PostDetailView = Json<PostWithAttemptsDto>;
