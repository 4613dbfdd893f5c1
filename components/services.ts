// What the UI asks of the rest of the system, behind one interface so the app can be driven in tests and the
// wiring (control channel or files, the search module) lives in one place (store/services.ts).
import type { CheckpointInfo } from "../src/storage/checkpoints.ts";
import type { Marked } from "./highlight.ts";

/** One search hit as the screen shows it: every text sanitized, the matches marked in the snippet. */
export interface SearchHitView {
  session: string;
  seq: number;
  time: string;
  who: string;
  snippet: Marked;
  /** The words it matched, to highlight in the opened message. */
  words: string[];
  /** Taken out of the conversation by a rewind: drawn dimmed, `(rewound)` after who said it. */
  rewound: boolean;
}

export interface SearchCallbacks {
  signal: AbortSignal;
  /** Each hit as it is found: the index's best first, then what the scan finds in what is not indexed yet. */
  onHit: (hit: SearchHitView) => void;
  /** How far the search has come while more hits may follow. */
  onProgress: (text: string) => void;
}

export interface TuiServices {
  /** Set when the data is only read (an archive): why load, new and checkpoint are refused. */
  readonly readOnly?: string;
  /** Each returns a sentence saying what happened, or throws with why not. */
  checkpoint(label: string): Promise<string>;
  newSession(): Promise<string>;
  load(cp: CheckpointInfo): Promise<string>;
  /** Streams the hits of a query; resolves when the search is over (or aborted), throws on a bad query. */
  search(query: string, callbacks: SearchCallbacks): Promise<void>;
  /** One line for the diagnostics pane. */
  indexState(): string;
}
