// Keeps the last N backups at a destination: an older backup's manifest goes first (from then on it does not
// exist), then the objects no kept backup lists, then its object list. The lists are plain, so this needs no key.
import { backupsIn, BACKUPS_DIR, manifestName, objectListName, objectName, type ObjectList } from "./manifest.ts";
import type { BackupStore } from "./store.ts";

/** Removes all but the newest `keep` backups; returns the ids removed. */
export async function applyRetention(store: BackupStore, keep: number): Promise<string[]> {
  const backups = backupsIn(await store.list(BACKUPS_DIR));
  const old = backups.slice(0, Math.max(0, backups.length - keep));
  if (old.length === 0) return [];
  const needed = new Set<string>();
  for (const b of backups.slice(old.length)) for (const o of (await objectList(store, b.id)).objects) needed.add(o);
  for (const b of old) {
    const list = await objectList(store, b.id);
    await store.remove(manifestName(b.id, b.encrypted));
    for (const o of list.objects) if (!needed.has(o)) await store.remove(objectName(o));
    await store.remove(objectListName(b.id));
  }
  return old.map((b) => b.id);
}

async function objectList(store: BackupStore, id: string): Promise<ObjectList> {
  const list = JSON.parse((await store.get(objectListName(id))).toString("utf8")) as ObjectList;
  if (!Array.isArray(list?.objects)) throw new Error(`${store.where}: the object list of backup ${id} is damaged`);
  return list;
}
