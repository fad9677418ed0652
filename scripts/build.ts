/**
 * `deno task build`: bundles the frontend into dist/frontend, with brotli and
 * gzip copies of each text asset made at the highest effort (served in
 * preference to bundling at runtime).
 */
import { bundleFrontend, writeBuild } from "../backend/lib/frontend_build.ts";
import { PROJECT_ROOT } from "../backend/lib/files.ts";

const started = performance.now();
const build = await bundleFrontend(PROJECT_ROOT, "max");
const dir = await writeBuild(build);
const kb = (bytes: Uint8Array) => `${(bytes.length / 1024).toFixed(1)} KB`;
const sizes = (await Promise.all(
  [...build.assets].map(async ([n, a]) =>
    `${n} ${kb(await a.read())}${a.encodings.includes("br") ? ` (br ${kb(await a.read("br"))})` : ""}`
  ),
)).join(", ");
console.log(
  `frontend build ${build.id} in ${Math.round(performance.now() - started)} ms → ${dir} (${sizes})`,
);
