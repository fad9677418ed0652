/** The deployment the webhook benchmark delivers to, and its signing key (shared by server and load). */
export const BENCH_TARGET = {
  deploymentId: "dc_benchdeploy1",
  externalUserId: "u_benchuser00000000000000",
  key: "sbx_sec_bench_signing_key",
};
