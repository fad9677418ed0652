import { equal } from "node:assert/strict";
import { configuredOrigins, originFor } from "./origin.ts";

Deno.test("origins come from configuration: APP_URL, or localhost and 127.0.0.1 at the port", () => {
  equal(
    configuredOrigins({ appUrl: "https://connect.example.com" }, 8000).join(),
    "https://connect.example.com",
  );
  equal(configuredOrigins({}, 8123).join(), "http://localhost:8123,http://127.0.0.1:8123");
});

Deno.test("a request is matched to a configured origin by its Host; anything else matches none", () => {
  const origins = ["http://localhost:8000", "http://127.0.0.1:8000"];
  const req = (url: string, host?: string) => new Request(url, host ? { headers: { host } } : {});
  equal(originFor(origins, req("http://localhost:8000/api/session")), "http://localhost:8000");
  equal(originFor(origins, req("http://127.0.0.1:8000/", "127.0.0.1:8000")), "http://127.0.0.1:8000");
  equal(originFor(origins, req("http://LOCALHOST:8000/")), "http://localhost:8000");
  for (
    const [url, host] of [
      ["http://127.0.0.1:9/", "127.0.0.1:9"], // another port
      ["http://evil.example/", "evil.example"],
      ["http://localhost/", undefined], // no port
      // What Deno makes of `Host: localhost:8000/sandbox/admin?`: the URL looks fine, the Host does not.
      ["http://localhost:8000/sandbox/admin?/api/session", "localhost:8000/sandbox/admin?"],
      ["http://localhost:8000#/api/session", "localhost:8000#"],
      // An absolute-form request line naming another host than the Host header.
      ["http://evil.example/x", "localhost:8000"],
    ] as Array<[string, string | undefined]>
  ) {
    equal(originFor(origins, req(url, host)), undefined, `${url} (Host: ${host})`);
  }
  // Behind TLS termination the request arrives as http; the host is what must match.
  equal(
    originFor(["https://connect.example.com"], req("http://connect.example.com/")),
    "https://connect.example.com",
  );
});
