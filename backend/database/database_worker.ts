/**
 * A Worker holding a database connection of its own (writer_worker.ts,
 * checkpoint_worker.ts), and how it ends: asked to close its connection
 * ("close"), it answers "closed" and is terminated; one that cannot answer
 * (stuck in a long checkpoint) is terminated after 2 s anyway.
 */
export type DatabaseWorker = { post(message: unknown): void; close(): Promise<void> };

export function spawnDatabaseWorker(script: URL, onMessage: (data: unknown) => void): DatabaseWorker {
  const worker = new Worker(script, { type: "module" });
  let closed: (() => void) | undefined;
  worker.onmessage = ({ data }) => data === "closed" ? closed?.() : onMessage(data);
  return {
    post: (message) => worker.postMessage(message),
    async close() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage("close");
        timer = setTimeout(resolve, 2000);
      });
      clearTimeout(timer);
      worker.terminate();
    },
  };
}
