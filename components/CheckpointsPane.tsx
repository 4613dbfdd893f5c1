// The checkpoint list: the current session first, then checkpoints newest first, one line each.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import type { CheckpointInfo } from "../src/storage/checkpoints.ts";
import type { RecorderState } from "../src/control/recorderStatus.ts";
import type { SessionFile } from "../src/search/sessionFiles.ts";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { bytesText, minuteOf } from "./format.ts";
import { fit } from "../src/text/width.ts";
import { ListRows } from "./ListRows.tsx";
import { PaneHeader } from "./PaneHeader.tsx";
import type { ListWindow } from "./state/listWindow.ts";

/** One row of the list as cells: when, how much, how big, what. */
export interface CheckpointCells {
  time: string;
  count: string;
  size: string;
  label: string;
}

export function checkpointCells(cp: CheckpointInfo): CheckpointCells {
  return { time: minuteOf(cp.created_at), count: `${cp.messages} msgs`, size: bytesText(cp.bytes), label: sanitizeForTerminal(cp.label || cp.id) };
}

/** The launcher's menu line. */
export function checkpointLine(cp: CheckpointInfo): string {
  const c = checkpointCells(cp);
  return `${c.time} | ${c.count} | ${c.size} | ${c.label}`;
}

/** `20261124T010203Z-3fa9` → `2026-11-24 01:02`. */
function sessionStart(id: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})/.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}` : "—";
}

/** With a recorder its status has the counts; without one, the file on disk and the lines the viewer counted. */
export function currentCells(recorder: RecorderState | null, file: SessionFile | null, records: number | null): CheckpointCells {
  const s = recorder?.status?.session;
  if (s) return { time: sessionStart(s.id), count: `${s.messages} msgs`, size: bytesText(s.bytes), label: "current session" };
  if (!file) return { time: "—", count: "no session yet", size: "", label: "current session" };
  return { time: sessionStart(file.session), count: `${records ?? "?"} records`, size: bytesText(file.size), label: "current session" };
}

/** Fixed columns; a narrow list (the left column beside the viewer) gives up the year and the size for the label. */
export function checkpointRow(c: CheckpointCells, width: number): string {
  const narrow = width < 64;
  const time = narrow && /^\d{4}-/.test(c.time) ? c.time.slice(5) : c.time;
  const cells = [fit(time, narrow ? 11 : 16), fit(c.count.padStart(11), 11), ...(narrow ? [] : [fit(c.size.padStart(8), 8)])];
  const used = cells.reduce((n, x) => n + x.length + 1, 0);
  return `${cells.join(" ")} ${fit(c.label, Math.max(0, width - used))}`;
}

export function CheckpointsPane(props: {
  checkpoints: CheckpointInfo[];
  recorder: RecorderState | null;
  currentFile: SessionFile | null;
  currentRecords: number | null;
  /** Another header and first row (an archive's list of sessions). */
  head?: { header: string; first: CheckpointCells } | null;
  list: ListWindow;
  width: number;
  height: number;
  focused?: boolean;
}) {
  const first = () => props.head?.first ?? currentCells(props.recorder, props.currentFile, props.currentRecords);
  const cells = (i: number) => (i === 0 ? first() : checkpointCells(props.checkpoints[i - 1]));
  return (
    <Box flexDirection="column">
      <PaneHeader text={props.head?.header ?? "Checkpoints — Enter view · L load · N new · C checkpoint"} width={props.width} focused={props.focused} />
      <ListRows
        list={props.list}
        height={props.height}
        renderRow={(i, selected) => <Text inverse={selected} bold={i === 0}>{checkpointRow(cells(i), props.width)}</Text>}
      />
    </Box>
  );
}
