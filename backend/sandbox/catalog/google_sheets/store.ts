/** Google Sheets' table in the sandbox: the rows appended to each worksheet, per account. */
import type { Db } from "../../../database/db.ts";
import type { Migration } from "../../../database/migrate.ts";

export const googleSheetsMigrations: Migration[] = [{
  id: "sandbox-google_sheets-001",
  sql: [
    `CREATE TABLE IF NOT EXISTS sandbox_sheet_rows (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      account_id TEXT NOT NULL,
      spreadsheet_id TEXT NOT NULL,
      worksheet_id TEXT NOT NULL,
      row_values TEXT NOT NULL,
      created_at INTEGER NOT NULL
    )`,
  ],
}];

type Sheet = { accountId: string; spreadsheetId: string; worksheetId: string };

export async function appendRow(db: Db, sheet: Sheet, values: string[], createdAt: number): Promise<void> {
  await db.execute({
    sql: `INSERT INTO sandbox_sheet_rows (account_id, spreadsheet_id, worksheet_id, row_values, created_at)
      VALUES (?, ?, ?, ?, ?)`,
    args: [sheet.accountId, sheet.spreadsheetId, sheet.worksheetId, JSON.stringify(values), createdAt],
  });
}

/** A worksheet's rows, oldest first. */
export async function readRows(db: Db, sheet: Sheet): Promise<string[][]> {
  const rs = await db.execute({
    sql: `SELECT row_values FROM sandbox_sheet_rows
      WHERE account_id = ? AND spreadsheet_id = ? AND worksheet_id = ? ORDER BY id`,
    args: [sheet.accountId, sheet.spreadsheetId, sheet.worksheetId],
  });
  return rs.rows.map((r) => JSON.parse(String(r.row_values)) as string[]);
}
