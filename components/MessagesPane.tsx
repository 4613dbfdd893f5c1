// The message list: only the rows on screen are read and drawn. Header: what is open, follow state, new count.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import { memo } from "react";
import type { Entry } from "../src/storage/entry.ts";
import { rowOf, type RowText } from "./format.ts";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { fit } from "../src/text/width.ts";
import { ListRows } from "./ListRows.tsx";
import type { ListWindow } from "./state/listWindow.ts";
import type { ViewInfo } from "./store/tuiStore.ts";
import { color, TIER_COLORS } from "./theme.ts";

const TIME_W = 9;

/** Each entry is formatted once, however often its row is drawn again (cursor moves, panes and overlays closed). */
const rowTexts = new WeakMap<Entry, RowText>();
function rowTextOf(entry: Entry): RowText {
  let r = rowTexts.get(entry);
  if (!r) rowTexts.set(entry, (r = rowOf(entry)));
  return r;
}

/** Memoized: while following, the rows on screen are mostly the same entries as in the frame before. */
export const MessageRow = memo(function MessageRow(props: { entry: Entry | undefined; width: number; selected: boolean }) {
  if (!props.entry) return <Text dimColor inverse={props.selected}>{fit("…", props.width)}</Text>;
  const r = rowTextOf(props.entry);
  const whoW = Math.min(24, Math.max(10, Math.floor(props.width * 0.22)));
  const tagsW = r.tags ? Math.min(24, Math.max(6, Math.floor(props.width * 0.2))) : 0;
  const textW = Math.max(0, props.width - TIME_W - whoW - tagsW - (tagsW ? 1 : 0));
  return (
    <Text inverse={props.selected} dimColor={r.dim} wrap="truncate">
      {fit(r.time, TIME_W)}
      <Text color={r.dim ? undefined : color("cyan")}>{fit(r.who, whoW)}</Text>
      {tagsW > 0 && <Text color={r.tier ? color(TIER_COLORS[r.tier]) : undefined}>{fit(r.tags, tagsW) + " "}</Text>}
      {fit(r.text, textW)}
    </Text>
  );
});

export function messagesHeader(view: ViewInfo | null, list: ListWindow, note: string | null = null): string {
  if (!view) return "Messages — nothing open (V: current session)";
  const parts = [`Messages — ${view.source.title}`, `${view.total.toLocaleString("en-US")} rows`];
  if (view.progress !== null) parts.push(`indexing ${Math.round(view.progress * 100)}%`);
  if (note) parts.push(note);
  if (list.followable) parts.push(list.follow ? "following" : list.unseen > 0 ? `↓ ${list.unseen} new (f/G)` : "paused (f/G follow)");
  return parts.join(" · ");
}

export function MessagesPane(props: {
  view: ViewInfo | null;
  list: ListWindow;
  note: string | null;
  row: (i: number) => Entry | undefined;
  width: number;
  height: number;
}) {
  const { view } = props;
  return (
    <Box flexDirection="column">
      <Text bold>{fit(sanitizeForTerminal(messagesHeader(view, props.list, props.note)), props.width)}</Text>
      {view?.error ? (
        <Box height={props.height}>
          <Text color={color("yellow")}>{fit(sanitizeForTerminal(view.error), props.width)}</Text>
        </Box>
      ) : (
        <ListRows
          list={props.list}
          height={props.height}
          empty="no messages yet"
          renderRow={(i, selected) => <MessageRow entry={props.row(i)} width={props.width} selected={selected} />}
        />
      )}
    </Box>
  );
}
