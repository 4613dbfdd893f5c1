// An archive from its URL, ready for what the caller does with it: a reader needs an archive already made, a writer
// applies the migrations it lacks on first use, `archive migrate` applies them and says so.
import { ArchiveError, parseArchiveUrl } from "./archiveUrl.ts";
import type { ArchiveStore } from "./archiveStore.ts";

export type ArchivePurpose = "read" | "write";

export async function openArchive(url: string, purpose: ArchivePurpose): Promise<ArchiveStore> {
  const { store, latest } = await connectStore(url, purpose);
  try {
    const version = await store.schemaVersion();
    if (version > latest) {
      throw new ArchiveError(`the archive at ${store.location.shown} has schema version ${version}, newer than this Shearwater knows (${latest}): upgrade Shearwater`);
    }
    if (version < latest && purpose === "read") {
      throw new ArchiveError(
        version === 0
          ? `no Shearwater archive at ${store.location.shown} yet: push to it first (\`shearwater archive push --to URL\`)`
          : `the archive at ${store.location.shown} has schema version ${version}: run \`shearwater archive migrate --to URL\` first`,
      );
    }
    if (version < latest) await migrateOrExplain(store);
    return store;
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** `archive migrate`: the versions before and after. */
export async function migrateArchive(url: string): Promise<{ from: number; to: number; archive: string }> {
  const { store } = await connectStore(url, "write");
  try {
    return { ...(await migrateOrExplain(store)), archive: store.location.shown };
  } finally {
    await store.close();
  }
}

async function connectStore(url: string, purpose: ArchivePurpose): Promise<{ store: ArchiveStore; latest: number }> {
  const location = parseArchiveUrl(url);
  if (location.kind === "sqlite") {
    const { SqliteArchive } = await import("./sqlite/sqliteArchive.ts");
    return { store: SqliteArchive.open(location, { writable: purpose === "write" }), latest: SqliteArchive.latestVersion };
  }
  const { PgArchive } = await import("./postgres/pgArchive.ts");
  return { store: await PgArchive.open(location), latest: PgArchive.latestVersion };
}

async function migrateOrExplain(store: ArchiveStore): Promise<{ from: number; to: number }> {
  try {
    return await store.migrate();
  } catch (err) {
    const message = (err as Error).message;
    if (/privilege|permission denied|must be owner/i.test(message)) {
      throw new ArchiveError(
        `the archive at ${store.location.shown} needs its schema made or upgraded, which this user may not do (${message}): its owner runs \`shearwater archive migrate --to URL\``,
      );
    }
    throw err;
  }
}
