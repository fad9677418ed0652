import { deepStrictEqual, equal } from "node:assert/strict";
import { journalLine, parseJournalLine } from "./journal_format.ts";

const delivery = {
  deploymentId: "dc_format1",
  externalUserId: 'user\twith "tab"\nand line',
  t: 1_795_000_000,
  signature: "ab".repeat(32),
  receivedAt: 1_795_000_000_123,
  eventText: '{\r\n  "text": "two\\nlines",\n  "n": 1\n}',
};

Deno.test("a journal line is one line whatever the event and owner hold, and reads back as written", () => {
  const line = journalLine(delivery);
  equal(line.indexOf("\n"), line.length - 1, "one LF, at the end");
  const read = parseJournalLine(line.slice(0, -1));
  deepStrictEqual(read?.event, { text: "two\nlines", n: 1 });
  deepStrictEqual({ ...read?.delivery, eventText: undefined }, { ...delivery, eventText: undefined });
  deepStrictEqual(JSON.parse(read!.delivery.eventText), JSON.parse(delivery.eventText));
});

Deno.test("a line cut short, or not a record, is not read", () => {
  const line = journalLine(delivery).slice(0, -1);
  for (let cut = 0; cut < line.length; cut += 7) equal(parseJournalLine(line.slice(0, cut)), undefined);
  equal(parseJournalLine('["dc_x","u",1,"s"]\t{}'), undefined, "four fields");
  equal(parseJournalLine('["dc_x","u","1","s",2]\t{}'), undefined, "t not a number");
  equal(parseJournalLine("no tab at all"), undefined);
});
