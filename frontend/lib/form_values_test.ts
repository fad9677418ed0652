import { deepEqual, equal } from "node:assert/strict";
import type { AccountView } from "../../shared/api.ts";
import {
  accountLabel,
  clearDependents,
  fieldMessages,
  integerProblem,
  pickAccount,
  type PropSpec,
  sdkErrorsFor,
  shareableValues,
  unwrapOptions,
  withIntegers,
} from "./form_values.ts";

const SHEETS: PropSpec[] = [
  { name: "googleSheets", type: "app", app: "google_sheets" },
  { name: "drive", type: "string", remoteOptions: true },
  { name: "spreadsheet", type: "string", remoteOptions: true },
  { name: "worksheet", type: "string", remoteOptions: true },
  { name: "row", type: "object" },
];
const lv = (label: string, value: string) => ({ __lv: { label, value } });

Deno.test("a changed parent clears the remote-option values chosen under it, and only those", () => {
  const before = {
    googleSheets: { authProvisionId: "apn_1" },
    drive: lv("My Drive", "root"),
    spreadsheet: lv("Sales", "ss_1"),
    worksheet: lv("Leads", "ws_1"),
    row: { Name: "Ada" },
  };
  const after = clearDependents(SHEETS, before, { ...before, drive: lv("Shared", "shared") });
  deepEqual(after, {
    googleSheets: before.googleSheets,
    drive: lv("Shared", "shared"),
    row: { Name: "Ada" },
  });
  // Choosing the last one clears nothing; neither does the form filling several values at once.
  const last = { ...before, worksheet: lv("Other", "ws_2") };
  equal(clearDependents(SHEETS, before, last), last);
  const many = { ...before, drive: lv("Shared", "shared"), spreadsheet: lv("X", "x") };
  equal(clearDependents(SHEETS, before, many), many);
  // A first choice (nothing was there before) leaves later values alone.
  const first = { ...before, drive: undefined };
  const chosen = { ...first, drive: lv("My Drive", "root") };
  equal(clearDependents(SHEETS, first, chosen), chosen);
});

Deno.test("integer fields say what is wrong and keep what was typed", () => {
  const amount: PropSpec = { name: "amount", type: "integer", min: 0, max: 10_000_000 };
  equal(integerProblem(amount, "1.5"), "Enter a whole number (no decimals or exponents).");
  equal(integerProblem(amount, "1e5"), "Enter a whole number (no decimals or exponents).");
  equal(integerProblem(amount, -1), "Must be at least 0.");
  equal(integerProblem(amount, "10000001"), "Must be at most 10,000,000.");
  equal(integerProblem(amount, 12000), undefined);
  equal(integerProblem(amount, undefined), undefined);
  deepEqual(withIntegers([amount], { amount: "12000", title: "x" }), { amount: 12000, title: "x" });
  deepEqual(fieldMessages(amount, 99_000_000, ["number too big"], {}), ["Must be at most 10,000,000."]);
  deepEqual(fieldMessages(amount, undefined, ["required"], { badInput: true }), ["Enter a whole number."]);
});

Deno.test("required is said in the summary, or once a field was touched; connect-react's bookkeeping never", () => {
  const drive = SHEETS[1];
  deepEqual(fieldMessages(drive, undefined, ["required"], {}), []);
  deepEqual(fieldMessages(drive, undefined, ["required"], { touched: true }), ["Required."]);
  deepEqual(fieldMessages(drive, undefined, ["required"], { forSummary: true }), ["Required."]);
  deepEqual(fieldMessages(SHEETS[0], undefined, ["field not registered"], { forSummary: true }), []);
  deepEqual(fieldMessages(SHEETS[0], undefined, ["no app configured"], { forSummary: true }), [
    "Choose or connect an account.",
  ]);
});

Deno.test("run errors land on the fields they name", () => {
  const errors = [
    { name: "Error", message: "email must be an email address" },
    { name: "Error", message: "Missing required props: title, amount" },
  ];
  deepEqual(sdkErrorsFor({ name: "email", type: "string" }, errors), ["Email must be an email address"]);
  deepEqual(sdkErrorsFor({ name: "amount", type: "integer" }, errors), ["Required."]);
  deepEqual(sdkErrorsFor({ name: "name", type: "string" }, errors), []);
});

Deno.test("a shareable URL holds no secrets and no accounts, and keeps option labels", () => {
  const props: PropSpec[] = [...SHEETS, { name: "privateNote", type: "string", secret: true }];
  deepEqual(
    shareableValues(props, {
      googleSheets: { authProvisionId: "apn_1" },
      drive: lv("My Drive", "root"),
      privateNote: "do not share",
      unknown: 1,
    }),
    { drive: lv("My Drive", "root") },
  );
});

Deno.test("the account a form starts with: last used if working, else the newest working; never none when one exists", () => {
  const acc = (id: string, createdAt: string, healthy = true): AccountView => ({
    id,
    name: "u@slack",
    createdAt,
    healthy,
    dead: !healthy,
    app: { nameSlug: "slack", name: "Slack" },
  });
  const list = [
    acc("apn_old", "2026-01-01"),
    acc("apn_new", "2026-03-01"),
    acc("apn_dead", "2026-04-01", false),
  ];
  equal(pickAccount(list, "slack")?.id, "apn_new");
  equal(pickAccount(list, "slack", "apn_old")?.id, "apn_old");
  equal(pickAccount(list, "slack", "apn_dead")?.id, "apn_new");
  equal(pickAccount([acc("apn_dead", "2026-04-01", false)], "slack")?.id, "apn_dead");
  equal(pickAccount(list, "google_sheets"), undefined);
});

Deno.test("two accounts with one name are labelled apart", () => {
  const a = accountLabel({ id: "apn_aaaaaa111111", name: "u@slack", createdAt: "2026-01-02T10:00:00Z" });
  const b = accountLabel({ id: "apn_bbbbbb222222", name: "u@slack", createdAt: "2026-01-02T10:00:00Z" });
  equal(a === b, false);
  equal(a.includes("…111111"), true);
});

Deno.test("option wrappers are written as their values in code", () => {
  deepEqual(unwrapOptions({ channel: lv("#general", "C01"), tags: { __lv: [{ label: "a", value: "1" }] } }), {
    channel: "C01",
    tags: ["1"],
  });
});
