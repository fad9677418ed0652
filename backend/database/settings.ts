import type { Db } from "./db.ts";

export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  const rs = await db.execute({ sql: "SELECT value FROM app_settings WHERE key = ?", args: [key] });
  return rs.rows[0] ? String(rs.rows[0].value) : undefined;
}

/** Stores `value` unless the key already has one; returns the value that won. A read when it has one. */
export async function getOrCreateSetting(db: Db, key: string, create: () => string): Promise<string> {
  const existing = await getSetting(db, key);
  if (existing !== undefined) return existing;
  await db.execute({
    sql: "INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
    args: [key, create()],
  });
  return (await getSetting(db, key))!;
}
