/**
 * Google Sheets (sandbox): drives → spreadsheets → worksheets, a chain of
 * remote options where each level depends on the one before, and rows that
 * really land in a table and can be read back through the proxy.
 */
import { type AppDef, type Option, PropError, str } from "../types.ts";
import { appendRow, readRows } from "./store.ts";

type Sheet = {
  id: string;
  title: string;
  worksheets: Array<{ id: string; title: string; columns: string[] }>;
};

const DRIVES: Array<{ id: string; name: string; spreadsheets: Sheet[] }> = [
  {
    id: "root",
    name: "My Drive",
    spreadsheets: [
      {
        id: "ss_sales_2026",
        title: "Sales pipeline 2026",
        worksheets: [
          { id: "ws_leads", title: "Leads", columns: ["Name", "Email", "Stage"] },
          { id: "ws_won", title: "Won", columns: ["Name", "Amount"] },
        ],
      },
      {
        id: "ss_contacts",
        title: "Contacts",
        worksheets: [{ id: "ws_people", title: "People", columns: ["Name", "Email", "Phone"] }],
      },
    ],
  },
  {
    id: "team",
    name: "Team drive: Operations",
    spreadsheets: [{
      id: "ss_budget",
      title: "Team budget",
      worksheets: [{ id: "ws_q4", title: "Q4", columns: ["Item", "Cost"] }],
    }],
  },
];

const drive = (id: unknown) => DRIVES.find((d) => d.id === id);
const spreadsheet = (id: unknown) => DRIVES.flatMap((d) => d.spreadsheets).find((s) => s.id === id);

export const googleSheets: AppDef = {
  slug: "google_sheets",
  name: "Google Sheets (sandbox)",
  authType: "oauth",
  description: "A sandbox stand-in for Google Sheets: spreadsheets and rows kept by the local sandbox.",
  categories: ["Productivity"],
  color: "#0F9D58",
  glyph: "S",
  apiBase: "https://sheets.googleapis.com",
  // As live Google Sheets lists them (observed in a Connect webhook's account.app.connect).
  allowedDomains: ["www.googleapis.com", "sheets.googleapis.com"],
  components: [{
    key: "google_sheets-add-single-row",
    name: "Add Single Row",
    version: "2.1.0",
    description:
      "Add a single row of data to a worksheet. Pick the drive, then the spreadsheet, then the worksheet.",
    type: "action",
    props: () => [
      { name: "googleSheets", type: "app", app: "google_sheets", label: "Google Sheets account" },
      {
        name: "drive",
        type: "string",
        label: "Drive",
        description: "The drive that holds the spreadsheet",
        remoteOptions: true,
      },
      {
        name: "spreadsheet",
        type: "string",
        label: "Spreadsheet",
        description: "Loaded from the chosen drive",
        remoteOptions: true,
        useQuery: true,
      },
      {
        name: "worksheet",
        type: "string",
        label: "Worksheet",
        description: "Loaded from the chosen spreadsheet",
        remoteOptions: true,
      },
      {
        name: "row",
        type: "object",
        label: "Row",
        description: 'Column names and values, e.g. {"Name": "Ada", "Email": "ada@example.com"}',
      },
    ],
    options(_ctx, prop, configured, query): Promise<Option[]> {
      let options: Option[] = [];
      if (prop === "drive") options = DRIVES.map((d) => ({ label: d.name, value: d.id }));
      else if (prop === "spreadsheet") {
        const d = drive(configured.drive);
        if (!d) throw new PropError("Choose a drive first");
        options = d.spreadsheets.map((s) => ({ label: s.title, value: s.id }));
        if (query) options = options.filter((o) => o.label.toLowerCase().includes(query.toLowerCase()));
      } else if (prop === "worksheet") {
        const s = spreadsheet(configured.spreadsheet);
        if (!s) throw new PropError("Choose a spreadsheet first");
        options = s.worksheets.map((w) => ({ label: `${w.title} (${w.columns.join(", ")})`, value: w.id }));
      } else throw new PropError(`Prop ${prop} has no remote options`);
      return Promise.resolve(options);
    },
    async run(ctx, configured) {
      const account = await ctx.account("googleSheets");
      const d = drive(configured.drive ?? "root");
      const s = spreadsheet(str(configured.spreadsheet, "spreadsheet"));
      if (!d || !s || !d.spreadsheets.includes(s)) {
        throw new PropError("That spreadsheet is not in that drive");
      }
      const w = s.worksheets.find((x) => x.id === configured.worksheet);
      if (!w) throw new PropError("That worksheet is not in that spreadsheet");
      const row = configured.row;
      if (!row || typeof row !== "object" || Array.isArray(row)) throw new PropError("row must be an object");
      const unknown = Object.keys(row).filter((k) => !w.columns.includes(k));
      if (unknown.length) {
        throw new PropError(`Unknown column(s) ${unknown.join(", ")}; columns are ${w.columns.join(", ")}`);
      }
      const values = w.columns.map((c) => String((row as Record<string, unknown>)[c] ?? ""));
      ctx.log(`Appending to ${s.title} › ${w.title}`);
      const sheet = { accountId: account.id, spreadsheetId: s.id, worksheetId: w.id };
      await appendRow(ctx.db, sheet, values, ctx.now);
      const total = (await readRows(ctx.db, sheet)).length;
      const range = `${w.title}!A${total + 1}:${String.fromCharCode(64 + w.columns.length)}${total + 1}`;
      return {
        summary: `Added 1 row to ${s.title} › ${w.title}`,
        ret: {
          spreadsheetId: s.id,
          tableRange: `${w.title}!A1:${range.split(":")[1]}`,
          updates: {
            updatedRange: range,
            updatedRows: 1,
            updatedColumns: w.columns.length,
            updatedCells: w.columns.length,
          },
          values,
        },
      };
    },
  }],
  async api(ctx, account, req) {
    // GET /v4/spreadsheets/{id}/values/{worksheet}: the rows written by the action.
    const m = req.path.match(/^\/v4\/spreadsheets\/([^/]+)\/values\/([^/]+)$/);
    if (req.method === "GET" && req.path === "/v4/spreadsheets") {
      return {
        status: 200,
        body: {
          files: DRIVES.flatMap((d) => d.spreadsheets.map((s) => ({ id: s.id, name: s.title, drive: d.id }))),
        },
      };
    }
    if (req.method === "GET" && m) {
      const s = spreadsheet(decodeURIComponent(m[1]));
      const w = s?.worksheets.find((x) =>
        x.id === decodeURIComponent(m[2]) || x.title === decodeURIComponent(m[2])
      );
      if (!s || !w) {
        return { status: 404, body: { error: { code: 404, message: "Requested entity was not found." } } };
      }
      return {
        status: 200,
        body: {
          range: `${w.title}`,
          majorDimension: "ROWS",
          values: [
            w.columns,
            ...await readRows(ctx.db, { accountId: account.id, spreadsheetId: s.id, worksheetId: w.id }),
          ],
        },
      };
    }
    return {
      status: 404,
      body: { error: { code: 404, message: `No sandbox route for ${req.method} ${req.path}` } },
    };
  },
};
