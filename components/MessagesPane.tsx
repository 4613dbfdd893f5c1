// The message list: only the rows on screen are read and drawn. Header: what is open, follow state, new count.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import { memo } from "react";
import type { Entry } from "../src/storage/entry.ts";
import { countText, rowOf, type RowText } from "./format.ts";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { fit } from "../src/text/width.ts";
import { ListRows } from "./ListRows.tsx";
import { PaneHeader } from "./PaneHeader.tsx";
import type { ListWindow } from "./state/listWindow.ts";
import type { ViewInfo } from "./store/tuiStore.ts";
import { GAP, rowColumns } from "./rowColumns.ts";
import { color, TIER_COLORS } from "./theme.ts";

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
  const w = rowColumns(props.width);
  const cell = (text: string, width: number) => (width > 0 ? fit(text, width) + " ".repeat(GAP) : "");
  const tierColor = r.tier && !r.dim ? color(TIER_COLORS[r.tier]) : undefined;
  return (
    <Text inverse={props.selected} dimColor={r.dim} wrap="truncate">
      {cell(r.time, w.time)}
      <Text color={r.dim ? undefined : color("cyan")}>{cell(r.who, w.who)}</Text>
      <Text color={tierColor}>{cell(r.tierLabel, w.tier)}</Text>
      {cell(r.type, w.type)}
      <Text color={tierColor}>{cell(r.tags, w.tags)}</Text>
      {fit(r.text, w.text)}
    </Text>
  );
});

export function messagesHeader(view: ViewInfo | null, list: ListWindow, note: string | null = null): string {
  if (!view) return "Messages — nothing open (V: current session)";
  const parts = [`Messages — ${view.source.title}`, `${countText(view.total)} rows`];
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
  focused?: boolean;
}) {
  const { view } = props;
  return (
    <Box flexDirection="column">
      <PaneHeader text={sanitizeForTerminal(messagesHeader(view, props.list, props.note))} width={props.width} focused={props.focused} />
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
