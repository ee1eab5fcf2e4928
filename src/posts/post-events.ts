/** An operator sent a failed or unconfirmed post again: whatever made it may have to take it back (a completed run runs again). */
export const POST_RETRIED = 'post.retried';

export interface PostRetried {
  postId: string;
  runId: string | null;
}
