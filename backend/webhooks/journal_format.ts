/**
 * The delivery journal's records (delivery_journal.ts writes them,
 * journal_import.ts reads them): one line per verified delivery,
 *
 *   ["<deployment>","<owner>",<signed t>,"<signature>",<received ms>] TAB <event JSON> LF
 *
 * The first part is JSON.stringify's output, which escapes every tab and
 * line break inside its strings, so the first tab ends it. The event is the
 * delivered JSON text itself (verified and parsed already), with its line
 * breaks, which JSON allows only as whitespace between tokens, made spaces.
 * A line is written whole or, when a process dies inside a write, cut short:
 * a reader takes only lines that end in LF and parse.
 */
export type JournaledDelivery = {
  deploymentId: string;
  externalUserId: string;
  /** The signature's `t` (unix seconds). */
  t: number;
  signature: string;
  /** When the delivery was received (ms). */
  receivedAt: number;
  /** The event as delivered: JSON text. */
  eventText: string;
};

export const JOURNAL_EXTENSION = ".jnl";

/**
 * The files in the journal folder `dir` that are other instances' journals
 * (an instance names its files `<instance>-<n>.jnl`; a `.tmp` is one being
 * created, or whose creator died before naming it): candidates for adoption
 * once nobody holds their lock. None when the folder does not exist yet.
 */
export function othersJournals(dir: string, instance: string): string[] {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return []; // no folder yet: nothing was ever journaled here
  }
  return entries.filter(({ isFile, name }) =>
    isFile && (name.endsWith(JOURNAL_EXTENSION) || name.endsWith(`${JOURNAL_EXTENSION}.tmp`)) &&
    !name.startsWith(`${instance}-`)
  ).map((e) => e.name);
}

const LINE_BREAKS = /[\r\n]/g;
const HAS_LINE_BREAK = /[\r\n]/;

export function journalLine(d: JournaledDelivery): string {
  const meta = JSON.stringify([d.deploymentId, d.externalUserId, d.t, d.signature, d.receivedAt]);
  // Most events have no line break: testing first spares building a copy of each.
  const event = HAS_LINE_BREAK.test(d.eventText) ? d.eventText.replace(LINE_BREAKS, " ") : d.eventText;
  return `${meta}\t${event}\n`;
}

/**
 * A line without its LF, with its event parsed, or undefined when it is not a
 * record (a write cut short, or not ours).
 */
export function parseJournalLine(line: string): { delivery: JournaledDelivery; event: unknown } | undefined {
  const tab = line.indexOf("\t");
  if (tab < 0) return undefined;
  try {
    const meta = JSON.parse(line.slice(0, tab));
    const eventText = line.slice(tab + 1);
    const event = JSON.parse(eventText);
    if (
      !Array.isArray(meta) || meta.length !== 5 || typeof meta[0] !== "string" ||
      typeof meta[1] !== "string" ||
      !Number.isSafeInteger(meta[2]) || typeof meta[3] !== "string" || !Number.isSafeInteger(meta[4])
    ) return undefined;
    const [deploymentId, externalUserId, t, signature, receivedAt] = meta;
    return { delivery: { deploymentId, externalUserId, t, signature, receivedAt, eventText }, event };
  } catch {
    return undefined;
  }
}
