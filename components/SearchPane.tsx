// The search box and its hits, newest query's results as you type; Enter jumps to the hit in its session.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { fit } from "../src/text/width.ts";
import { ListRows } from "./ListRows.tsx";
import type { SearchState } from "./state/search.ts";
import { color } from "./theme.ts";

/** What the search pane shows of one hit (already sanitized). */
export interface HitRow {
  time: string;
  who: string;
  text: string;
}

export function searchStatus<H>(s: SearchState<H>, indexState: string): string {
  if (s.error) return s.error;
  const parts: string[] = [];
  if (indexState.startsWith("building")) parts.push(`index ${indexState}`);
  if (s.shownQuery) parts.push(`${s.hits.length}${s.running ? "+" : ""} hits`);
  if (s.running) parts.push("searching…");
  if (s.progress) parts.push(s.progress);
  if (!s.query) parts.push('words, "phrase", from: to: type: tier: tag: topic: since: until:');
  return parts.join(" · ");
}

export function SearchPane<H>(props: { search: SearchState<H>; indexState: string; rowOf: (h: H) => HitRow; width: number; height: number }) {
  const s = props.search;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Search: </Text>
        {fit(`${sanitizeForTerminal(s.query)}▏`, props.width - 8)}
      </Text>
      <Text dimColor color={s.error ? color("red") : undefined}>{fit(sanitizeForTerminal(searchStatus(s, props.indexState)), props.width)}</Text>
      <ListRows
        list={s.list}
        height={props.height - 1}
        empty={s.shownQuery && !s.running ? "no hits" : ""}
        renderRow={(i, selected) => {
          const h = props.rowOf(s.hits[i]);
          return <Text inverse={selected}>{fit(`${h.time} ${h.who}  ${h.text}`, props.width)}</Text>;
        }}
      />
    </Box>
  );
}
