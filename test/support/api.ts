import type {
  BoardPageDto,
  CampaignDto,
  CreateCampaignDto,
  LaunchRunDto,
  PlanDto,
  RunDto,
  RunStatsDto,
} from '../../src/campaigns/dto/campaign.dto';
import type { PostDto, PostPageDto, PostWithAttemptsDto } from '../../src/posts/dto/post.dto';
import type { RequestWith } from './test-app';
import type { Json } from './views';

type Query = Record<string, string | number | undefined>;

function withQuery(path: string, query: Query): string {
  const given = Object.entries(query).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  return given.length === 0
    ? path
    : `${path}?${new URLSearchParams(given.map(([k, v]): [string, string] => [k, String(v)]))}`;
}

/**
 * The API as the e2e tests call it, typed by its DTOs: each call checks the status it expects
 * (and, through the shared client, the answer against the OpenAPI document) and gives the body as
 * a client reads it from JSON.
 */
export function api(as: RequestWith) {
  const read = async <T>(path: string): Promise<Json<T>> => (await as.get(path).expect(200)).body as Json<T>;
  const post = async <T>(path: string, body: object, status: number): Promise<Json<T>> =>
    (await as.post(path).send(body).expect(status)).body as Json<T>;
  return {
    posts: {
      list: (query: Query) => read<PostPageDto>(withQuery('/v1/posts', query)),
      get: (id: string) => read<PostWithAttemptsDto>(`/v1/posts/${id}`),
      retry: (id: string) => post<PostDto>(`/v1/posts/${id}/retry`, {}, 200),
      cancel: (id: string) => post<PostDto>(`/v1/posts/${id}/cancel`, {}, 200),
    },
    campaigns: {
      create: (body: CreateCampaignDto) => post<CampaignDto>('/v1/campaigns', body, 201),
      plan: (id: string, body: LaunchRunDto, query: Query = {}) =>
        post<PlanDto>(withQuery(`/v1/campaigns/${id}/plan`, query), body, 200),
      launch: (id: string, body: LaunchRunDto) => post<RunDto>(`/v1/campaigns/${id}/runs`, body, 201),
    },
    runs: {
      get: (id: string) => read<RunDto>(`/v1/runs/${id}`),
      stats: (id: string) => read<RunStatsDto>(`/v1/runs/${id}/stats`),
      board: (id: string, query: Query = {}) => read<BoardPageDto>(withQuery(`/v1/runs/${id}/groups`, query)),
    },
  };
}
