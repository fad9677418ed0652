/**
 * Results as @libsql/client gives them, from a statement's plain
 * result (driver_connection.ts): the app reads one shape whether its
 * database is a local file, a writer Worker's answer, or a remote libSQL.
 */
import type { ResultSet, Row } from "@libsql/client";
import type { PlainResult } from "./driver_connection.ts";

/** Each row by column name (enumerable, as the client's) and by index. */
export function toResultSet(r: PlainResult): ResultSet {
  const rows = r.rows.map((values) => {
    const row = {} as Row;
    Object.defineProperty(row, "length", { value: values.length });
    values.forEach((value, i) => {
      Object.defineProperty(row, i, { value });
      const column = r.columns[i];
      if (!Object.hasOwn(row, column)) {
        Object.defineProperty(row, column, { value, enumerable: true, configurable: true, writable: true });
      }
    });
    return row;
  });
  return {
    columns: r.columns,
    // SQLite declares no types for expressions: as @libsql/client's local client, nothing to read here.
    columnTypes: r.columns.map(() => ""),
    rows,
    rowsAffected: r.rowsAffected,
    lastInsertRowid: r.lastInsertRowid,
    toJSON: () => ({
      ...r,
      lastInsertRowid: r.lastInsertRowid === undefined ? null : String(r.lastInsertRowid),
    }),
  };
}
