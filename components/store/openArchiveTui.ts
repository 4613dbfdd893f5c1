// The TUI's store and services over a team archive, opened read-only (a reader role is enough).
import { openArchive } from "../../src/archive/openArchive.ts";
import { ArchiveServices } from "./archiveServices.ts";
import { ArchiveTuiStore } from "./archiveTuiStore.ts";

export async function openArchiveTui(url: string): Promise<{ store: ArchiveTuiStore; services: ArchiveServices; close: () => Promise<void> }> {
  const archive = await openArchive(url, "read");
  const shown = archive.location.shown;
  return { store: new ArchiveTuiStore(archive, shown), services: new ArchiveServices(archive, shown), close: () => archive.close() };
}
