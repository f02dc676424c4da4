/** In-process serialization: work for the same key runs one after another, in call order. */
const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `work` after every earlier `serialize` call with the same key has settled (fulfilled or
 * rejected), so two read-modify-write updates of one project never interleave in this process.
 * Other programs writing the same file are detected by the store, not blocked here.
 */
export async function serialize<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}
