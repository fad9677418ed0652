/**
 * HTTP/1.1 by hand over TCP, for what fetch cannot show: how many bytes of a
 * body the server took before it answered and stopped reading, a body that
 * trickles, a Host header of the test's choosing.
 */

export type RawResponse = { status: number; headers: Headers; body: string };

function parse(text: string): RawResponse {
  const [head, ...rest] = text.split("\r\n\r\n");
  const [statusLine, ...lines] = head.split("\r\n");
  const headers = new Headers();
  for (const line of lines) {
    const i = line.indexOf(":");
    if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
}

async function readResponse(conn: Deno.Conn, timeoutMs = 15_000): Promise<RawResponse | undefined> {
  const chunks: Uint8Array[] = [];
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch { /* closed already */ }
  }, timeoutMs);
  try {
    const buf = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
      const text = new TextDecoder().decode(concat(chunks));
      const end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        const length = Number(text.slice(0, end).match(/content-length:\s*(\d+)/i)?.[1] ?? "-1");
        if (length >= 0 && new TextEncoder().encode(text).length >= end + 4 + length) break;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  const text = new TextDecoder().decode(concat(chunks));
  return text.includes("\r\n\r\n") ? parse(text) : undefined;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

const enc = new TextEncoder();

function connect(baseUrl: string): Promise<Deno.TcpConn> {
  const u = new URL(baseUrl);
  return Deno.connect({ hostname: u.hostname, port: Number(u.port) });
}

/** One request with a small body (or none), with any headers (Host included). */
export async function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = "",
): Promise<RawResponse | undefined> {
  const conn = await connect(baseUrl);
  const all = { host: new URL(baseUrl).host, connection: "close", ...headers };
  if (body) Object.assign(all, { "content-length": String(enc.encode(body).length) });
  const head = Object.entries(all).map(([k, v]) => `${k}: ${v}`).join("\r\n");
  await conn.write(enc.encode(`${method} ${path} HTTP/1.1\r\n${head}\r\n\r\n${body}`));
  try {
    return await readResponse(conn);
  } finally {
    try {
      conn.close();
    } catch { /* closed already */ }
  }
}

/**
 * Streams a chunked body of `totalBytes` as fast as the server takes it, and
 * reports how many bytes it took before it stopped reading (the socket
 * blocked for a second, or the server reset it) and what it answered.
 */
export async function floodChunked(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  totalBytes: number,
): Promise<{ sent: number; response?: RawResponse }> {
  const conn = await connect(baseUrl);
  const all = { host: new URL(baseUrl).host, "transfer-encoding": "chunked", ...headers };
  const head = Object.entries(all).map(([k, v]) => `${k}: ${v}`).join("\r\n");
  await conn.write(enc.encode(`POST ${path} HTTP/1.1\r\n${head}\r\n\r\n`));
  const data = new Uint8Array(64 * 1024).fill(0x20); // spaces: valid JSON padding
  const chunk = concat([enc.encode(`${data.length.toString(16)}\r\n`), data, enc.encode("\r\n")]);
  const response = readResponse(conn);
  let sent = 0;
  try {
    while (sent < totalBytes) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const blocked = new Promise<"blocked">((r) => (timer = setTimeout(() => r("blocked"), 1000)));
      const write = conn.write(chunk).then(() => "wrote" as const, () => "reset" as const);
      const wrote = await Promise.race([write, blocked]).finally(() => clearTimeout(timer));
      if (wrote !== "wrote") break;
      sent += data.length;
    }
  } catch {
    // Reset by the server: it stopped reading.
  }
  const res = await response;
  try {
    conn.close();
  } catch { /* closed already */ }
  return { sent, response: res };
}

/** Sends headers and the first bytes of a body, then nothing: what the server answers, and when. */
export async function stallBody(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  firstBytes: string,
  declaredLength: number,
): Promise<RawResponse | undefined> {
  const conn = await connect(baseUrl);
  const all = { host: new URL(baseUrl).host, "content-length": String(declaredLength), ...headers };
  const head = Object.entries(all).map(([k, v]) => `${k}: ${v}`).join("\r\n");
  await conn.write(enc.encode(`POST ${path} HTTP/1.1\r\n${head}\r\n\r\n${firstBytes}`));
  try {
    return await readResponse(conn, 20_000);
  } finally {
    try {
      conn.close();
    } catch { /* closed already */ }
  }
}

/** A response read as it arrives (an event stream), over a connection with the headers of the test's choosing. */
export async function rawStream(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
): Promise<
  {
    status: number;
    headers: Headers;
    until(pattern: RegExp, timeoutMs?: number): Promise<string>;
    close(): void;
  }
> {
  const conn = await connect(baseUrl);
  const all = { host: new URL(baseUrl).host, accept: "text/event-stream", ...headers };
  const head = Object.entries(all).map(([k, v]) => `${k}: ${v}`).join("\r\n");
  await conn.write(enc.encode(`GET ${path} HTTP/1.1\r\n${head}\r\n\r\n`));
  const decoder = new TextDecoder();
  let text = "";
  const buf = new Uint8Array(64 * 1024);
  const more = async () => {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) throw new Error("the stream closed");
    text += decoder.decode(buf.subarray(0, n), { stream: true });
  };
  while (!text.includes("\r\n\r\n")) await more();
  const parsed = parse(text.slice(0, text.indexOf("\r\n\r\n") + 4));
  text = text.slice(text.indexOf("\r\n\r\n") + 4);
  return {
    status: parsed.status,
    headers: parsed.headers,
    async until(pattern, timeoutMs = 10_000) {
      const timer = setTimeout(() => conn.close(), timeoutMs);
      try {
        while (!pattern.test(text)) await more();
        return text;
      } catch {
        throw new Error(`no ${pattern} within ${timeoutMs} ms; got: ${text.slice(-500)}`);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      try {
        conn.close();
      } catch { /* closed already */ }
    },
  };
}
