/** Small statistics helpers for the benchmarks. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), n: s.length };
}

export const median = (xs: number[]) => summarize(xs).p50;

export type Row = {
  section: string;
  figure: string;
  app: number;
  baseline: number;
  unit: string;
  /** app / baseline, or a difference when `delta` is set. */
  ratio: number;
  target?: string;
  met?: boolean;
  how: string;
};

/** What a figure should be, when there is a target: the text shown, and whether a measurement meets it. */
export type Target = { text: string; met: (app: number, baseline: number) => boolean };

/** Rows of one section in one unit: each an app figure beside its baseline, with their ratio. */
export function section(name: string, unit: string) {
  return (figure: string, app: number, baseline: number, how: string, target?: Target): Row => ({
    section: name,
    figure,
    app,
    baseline,
    unit,
    ratio: baseline ? app / baseline : NaN,
    ...(target ? { target: target.text, met: target.met(app, baseline) } : {}),
    how,
  });
}

export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

export function rssKb(pid: number): { rss: number; hwm: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const get = (k: string) => Number(status.match(new RegExp(`${k}:\\s+(\\d+)`))?.[1] ?? NaN);
  return { rss: get("VmRSS"), hwm: get("VmHWM") };
}
