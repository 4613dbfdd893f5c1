// What the UI asks of the rest of the system, behind one interface so the app can be driven in tests and the
// wiring (control channel or files, the search module) lives in one place (store/services.ts).
import type { CheckpointInfo } from "../src/storage/checkpoints.ts";

export interface SearchHitView {
  session: string;
  seq: number;
  time: string;
  who: string;
  text: string;
}

export interface TuiServices {
  /** Each returns a sentence saying what happened, or throws with why not. */
  checkpoint(label: string): Promise<string>;
  newSession(): Promise<string>;
  load(cp: CheckpointInfo): Promise<string>;
  /** Hits of a query (best first); `onProgress` tells how far an index still being built is. */
  search(query: string, signal: AbortSignal, onProgress: (text: string) => void): Promise<SearchHitView[]>;
  /** One line for the diagnostics pane. */
  indexState(): string;
}
