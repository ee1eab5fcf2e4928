import { Because, SkipCode } from '../../common/hold-codes';
import { PostAttempt } from '../post-attempt.entity';
import { Post } from '../post.entity';

/** The posts due together to one owner: the one that sends, how many others' jobs hold theirs, and the others waiting. */
export interface DueTogether {
  head: string;
  sending: number;
  queued: { id: string; groupId: string }[];
}

export type NewPost = Pick<
  Post,
  'id' | 'step' | 'stage' | 'groupId' | 'channelType' | 'contentId' | 'revision' | 'promotional' | 'dueAt'
> &
  ({ runId: string; routineId?: undefined } | { runId?: undefined; routineId: string }) & {
    /** Written as skipped, with this reason. */
    skipped?: Because<SkipCode>;
    /** Why it is due later than its rule says (recorded as its first deferral). */
    moved?: Because;
  };

/** A claim whose answer never came back: the database may hold it, under this token. */
export class UnsureClaim extends Error {
  constructor(
    readonly token: string,
    cause: Error,
  ) {
    super(cause.message, { cause });
    this.name = 'UnsureClaim';
  }
}

/** What a run asks of its posts' policy, read with the claim (posts follow runs; they never write them). */
export interface ClaimedRun {
  blackoutMode: 'skip' | 'shift';
  catchUp: 'spread' | 'skip' | null;
  capMode?: 'wait' | 'skip';
  keepSteps?: number[] | null;
}

/** A post this worker holds, with the token of the claim that took it (never read back from the row). */
export type ClaimedPost = Post & { run: ClaimedRun; claimToken: string };

export type Progress = Partial<Pick<Post, 'attempts' | 'partsSent'>>;
export type Failure = Progress & { errorCode: string; error: string };

export interface AwaitingPost {
  id: string;
  groupId: string;
  channelType: string;
  stage: string;
  dueAt: Date;
  externalId: string;
  awaitingSince: Date;
  remindedAt: Date | null;
  /** Reminders its task has had. */
  reminders: number;
  attempts: number;
  /** Null for a routine's post. */
  runStatus: string | null;
  /** The run's or routine's deadline for confirming; null: the service default. */
  deadlineMinutes: number | null;
}

export interface Delivered {
  id: string;
  sentAt: Date;
  externalId: string | null;
  /** Unknown for posts an external consumer sent. */
  partsSent?: number;
  /** Messages with text it became; unknown (one) for posts an external consumer sent. */
  messages?: number;
  attempts: number;
  /** The attempt that sent it, recorded with it (one round trip), when not recorded already. */
  attempt?: Attempt;
}

/** One try at the provider, as post_attempts keeps it for a post. */
export type Attempt = Omit<PostAttempt, 'id' | 'postId'>;

/** What made a set of posts: a run or a routine. */
export type PostSource = { runId: string } | { routineId: string };
