// What every search answers about a message it found — the index, the scan of what is not indexed yet, and an
// archive alike: where its line is, who sent it, its score, and a snippet with the matched words marked.
import type { MessageRecord } from "../record.ts";
import type { Matcher } from "./matcher.ts";
import type { DocFields } from "./recordFields.ts";
import { snippetWithHits, type Snippet } from "./snippet.ts";

export interface HitFields {
  session: string;
  /** Byte offset and length of the record's line in its session file. */
  offset: number;
  length: number;
  seq: number;
  ts: string;
  agent: string;
  recipient: string;
  topic: string;
  /** Taken out of the conversation by a rewind (imported so, or named by a tap's event): shown dimmed. */
  rewound: boolean;
  /** Lower is better (BM25 with recency); null for scan results, which come in file order. */
  score: number | null;
  snippet: Snippet;
}

export function hitFields(
  where: { session: string; offset: number; length: number },
  rec: MessageRecord,
  fields: DocFields,
  score: number | null,
  matcher: Matcher,
): HitFields {
  return {
    session: where.session,
    offset: where.offset,
    length: where.length,
    seq: rec.seq,
    ts: rec.ts,
    agent: fields.agent,
    recipient: fields.recipient,
    topic: fields.topic,
    rewound: fields.rewound,
    score,
    snippet: snippetWithHits(fields.text, (t) => matcher.isHit(t)),
  };
}
