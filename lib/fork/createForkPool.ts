/**
 * createForkPool({ concurrency, keep }) — fork simulations at bounded cost. At most `concurrency`
 * run at once (each is an anvil process reading the chain); the others wait in the order they
 * were asked. A result is kept per key — a proposal and the block it was simulated at — so a page
 * refresh or a second reader costs nothing; the `keep` most recent are kept. A failure is not
 * kept: the next asker tries again.
 *
 * Example: concurrency 2, three proposals asked at once and the first asked again: two forks
 * start, the third waits for one of them to finish, the repeated ask shares the first's result.
 */

export interface ForkPool {
  /** `task`'s result for `key`: kept, running, or started when a place is free. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Tasks running and waiting now. */
  load(): { running: number; waiting: number };
}

export interface CreateForkPoolParameters {
  /** Simulations running at once (default 2). */
  concurrency?: number;
  /** Results kept (default 32). */
  keep?: number;
}

export function createForkPool({ concurrency = 2, keep = 32 }: CreateForkPoolParameters = {}): ForkPool {
  const kept = new Map<string, Promise<unknown>>();
  const waiting: (() => void)[] = [];
  let running = 0;

  async function place(): Promise<void> {
    if (running < concurrency) {
      running++;
      return;
    }
    // The finishing task hands its place over: `running` does not change.
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  function release() {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }

  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const known = kept.get(key);
      if (known) return known as Promise<T>;
      const result = place().then(async () => {
        try {
          return await task();
        } finally {
          release();
        }
      });
      kept.set(key, result);
      result.catch(() => kept.delete(key));
      if (kept.size > keep) kept.delete(kept.keys().next().value!);
      return result;
    },
    load: () => ({ running, waiting: waiting.length }),
  };
}
