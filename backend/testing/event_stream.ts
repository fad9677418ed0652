/**
 * A streamed response (the SSE event stream, a child process's output) read
 * as text by a test: `until` reads on until what the test expects is there,
 * and fails at a deadline with what it saw instead of hanging on a read that
 * never returns.
 */
import { withDeadline } from "./eventually.ts";

export class StreamReader {
  /** Everything read so far. */
  text = "";
  #reader: ReadableStreamDefaultReader<string>;
  /** A read still outstanding when a deadline passed: the next `until` takes its chunk. */
  #pending?: Promise<ReadableStreamReadResult<string>>;

  constructor(body: ReadableStream<Uint8Array<ArrayBuffer>>) {
    this.#reader = body.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** Reads until `done` holds (a string: until the text contains it); returns all text read. */
  async until(done: string | ((text: string) => boolean), timeoutMs = 5000, what?: string): Promise<string> {
    const holds = typeof done === "string" ? (t: string) => t.includes(done) : done;
    what ??= typeof done === "string" ? `the stream to contain ${done}` : "what the test awaits";
    const deadline = Date.now() + timeoutMs;
    while (!holds(this.text)) {
      this.#pending ??= this.#reader.read();
      let chunk: ReadableStreamReadResult<string>;
      try {
        chunk = await withDeadline(this.#pending, deadline, what);
      } catch (err) {
        throw new Error(`${(err as Error).message}; read so far: ${this.text.slice(-1000)}`);
      }
      this.#pending = undefined;
      if (chunk.done) throw new Error(`the stream ended before ${what}; read: ${this.text.slice(-1000)}`);
      this.text += chunk.value;
    }
    return this.text;
  }

  async close(): Promise<void> {
    // Cancelling a stream that already failed rejects with that failure, which the test has seen.
    await this.#reader.cancel().catch(() => undefined);
  }
}

/** The response's body as a `StreamReader` (the status and headers stay on the response). */
export function readStream(res: Response): StreamReader {
  if (!res.body) throw new Error(`no body to read (status ${res.status})`);
  return new StreamReader(res.body);
}
