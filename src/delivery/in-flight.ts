import { Injectable } from '@nestjs/common';

/**
 * The posts this process is delivering right now. A post that must wait for an earlier one to the
 * same group can wait for it here, when this process is the one sending it, instead of going back
 * to the queue and being claimed, gated and recorded once more.
 */
@Injectable()
export class InFlight {
  private readonly posts = new Map<string, Promise<void>>();

  /** Marks a post in flight; call the returned function when its delivery is over, however it ended. */
  begin(postId: string): () => void {
    let end!: () => void;
    this.posts.set(postId, new Promise<void>((resolve) => (end = resolve)));
    return () => {
      this.posts.delete(postId);
      end();
    };
  }

  /** True when the post was in flight here and its delivery ended within `ms`. */
  async ended(postId: string, ms: number): Promise<boolean> {
    const pending = this.posts.get(postId);
    if (!pending) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms), false)));
    try {
      return await Promise.race([pending.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
