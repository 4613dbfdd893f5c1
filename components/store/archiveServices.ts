// The TUI's actions over a team archive: search runs the archive's own search (the same query language, `host:`
// and `origin:` included), and every command that would write says why it cannot.
import { searchArchive } from "../../src/archive/archiveSearch.ts";
import type { ArchiveStore } from "../../src/archive/archiveStore.ts";
import { parseQuery } from "../../src/search/queryParser.ts";
import type { SearchCallbacks, TuiServices } from "../services.ts";
import { archiveKey } from "./archiveTuiStore.ts";
import { hitView, SEARCH_LIMIT } from "./searchHits.ts";

const READ_ONLY = "read-only: this is a team archive (load, new and checkpoint work on a logs folder)";

export class ArchiveServices implements TuiServices {
  readonly readOnly = READ_ONLY;

  constructor(
    private readonly archive: ArchiveStore,
    private readonly shown: string,
  ) {}

  async checkpoint(): Promise<string> {
    throw new Error(READ_ONLY);
  }

  async newSession(): Promise<string> {
    throw new Error(READ_ONLY);
  }

  async load(): Promise<string> {
    throw new Error(READ_ONLY);
  }

  async search(query: string, { signal, onHit }: SearchCallbacks): Promise<void> {
    const hits = await searchArchive(this.archive, parseQuery(query, Date.now(), { archive: true }), { limit: SEARCH_LIMIT });
    for (const h of hits) {
      if (signal.aborted) return;
      onHit(hitView(h, archiveKey(h.origin.id, h.session)));
    }
  }

  indexState(): string {
    return `the archive's own (${this.shown}, read-only)`;
  }
}
