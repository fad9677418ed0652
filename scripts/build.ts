/** `deno task build`: bundles the frontend into dist/frontend (served in preference to bundling at runtime). */
import { bundleFrontend, writeBuild } from "../backend/lib/frontend_build.ts";

const started = performance.now();
const build = await bundleFrontend();
const dir = await writeBuild(build);
const sizes = [...build.assets].map(([n, a]) => `${n} ${(a.bytes.length / 1024).toFixed(1)} KB`).join(", ");
console.log(
  `frontend build ${build.id} in ${Math.round(performance.now() - started)} ms → ${dir} (${sizes})`,
);
