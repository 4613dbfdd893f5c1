// The search box on top, its status (count, progress while more hits come) and the hits as they stream in, the
// matched words highlighted; Enter jumps to the hit in its session.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import { memo } from "react";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { fit } from "../src/text/width.ts";
import { ListRows } from "./ListRows.tsx";
import { MarkedText } from "./MarkedText.tsx";
import { GAP, rowColumns } from "./rowColumns.ts";
import type { SearchHitView } from "./services.ts";
import type { SearchState } from "./state/search.ts";
import { color } from "./theme.ts";

export function searchStatus<H>(s: SearchState<H>, indexState: string): string {
  if (s.error) return s.error;
  const parts: string[] = [];
  if (indexState.startsWith("building")) parts.push(`index ${indexState}`);
  // The hits of the query before stay until the new one's first arrives; only the shown query's are counted.
  if (s.shownQuery && s.shownQuery === s.query) parts.push(`${s.hits.length}${s.running ? "+" : ""} hits`);
  if (s.running) parts.push("searching…");
  if (s.progress) parts.push(s.progress);
  if (!s.query) parts.push('words, "phrase", from: to: type: tier: tag: topic: since: until:');
  return parts.join(" · ");
}

const PROMPT = "Search: ";

/**
 * Memoized: typing in the box and hits streaming in redraw the pane, while most rows stay the same hits. A rewound
 * hit is drawn as the message list draws a rewound message: dimmed, who uncoloured (it says `(rewound)`).
 */
export const HitRow = memo(function HitRow(props: { hit: SearchHitView; width: number; selected: boolean }) {
  const w = rowColumns(props.width);
  const textW = props.width - w.time - w.who - 2 * GAP;
  const dim = props.hit.rewound;
  return (
    <Text inverse={props.selected} dimColor={dim} wrap="truncate">
      {fit(props.hit.time, w.time) + " ".repeat(GAP)}
      <Text color={dim ? undefined : color("cyan")}>{fit(props.hit.who, w.who) + " ".repeat(GAP)}</Text>
      <MarkedText marked={props.hit.snippet} width={textW} dim={dim} />
    </Text>
  );
});

export function SearchPane(props: { search: SearchState<SearchHitView>; indexState: string; width: number; height: number; focused?: boolean }) {
  const s = props.search;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold inverse={props.focused}>{PROMPT}</Text>
        {fit(`${sanitizeForTerminal(s.query)}▏`, props.width - PROMPT.length)}
      </Text>
      <Text dimColor color={s.error ? color("red") : undefined}>{fit(sanitizeForTerminal(searchStatus(s, props.indexState)), props.width)}</Text>
      <ListRows
        list={s.list}
        height={props.height - 1}
        empty={s.shownQuery && !s.running ? "no hits" : ""}
        renderRow={(i, selected) => <HitRow hit={s.hits[i]} width={props.width} selected={selected} />}
      />
    </Box>
  );
}
