// At most `limit` calls of a kind at once in this provider process: with PULUMI_PARALLEL_DIFF the engine sends every
// resource's diff at once, and hundreds of diffs each asking a few searches would overflow a small cluster's search
// queue (429s) instead of finishing sooner.
export interface Gate {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function gate(limit: number): Gate {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
