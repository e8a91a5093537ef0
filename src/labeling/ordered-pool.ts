/**
 * Runs `work` on every item with at most `concurrency` in flight and yields the results in the
 * items' order, so output is the same however the work interleaves.
 */
export async function* orderedPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): AsyncGenerator<R> {
  const running: Promise<R>[] = [];
  let next = 0;
  const launch = () => {
    if (next < items.length) {
      const index = next++;
      const task = work(items[index]!, index);
      // Rejections surface when the task is awaited in order; this only keeps Node from calling them unhandled meanwhile.
      task.catch(() => {});
      running.push(task);
    }
  };
  for (let i = 0; i < concurrency; i++) launch();
  while (running.length > 0) {
    const result = await running.shift()!;
    launch();
    yield result;
  }
}
