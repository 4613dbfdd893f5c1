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
import type { ListWindow } from "./state/listWindow.ts";

export function checkpointLine(cp: CheckpointInfo): string {
  return `${minuteOf(cp.created_at)} | ${cp.messages} msgs | ${bytesText(cp.bytes)} | ${sanitizeForTerminal(cp.label || cp.id)}`;
}

/** `20261124T010203Z-3fa9` → `2026-11-24 01:02`. */
function sessionStart(id: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})/.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}` : "—";
}

/** With a recorder its status has the counts; without one, the file on disk and the lines the viewer counted. */
export function currentLine(recorder: RecorderState | null, file: SessionFile | null, records: number | null): string {
  const s = recorder?.status?.session;
  if (s) return `${sessionStart(s.id)} | ${s.messages} msgs | ${bytesText(s.bytes)} | current session`;
  if (!file) return "— | no session yet | current session";
  return `${sessionStart(file.session)} | ${records ?? "?"} records | ${bytesText(file.size)} | current session`;
}

export function CheckpointsPane(props: {
  checkpoints: CheckpointInfo[];
  recorder: RecorderState | null;
  currentFile: SessionFile | null;
  currentRecords: number | null;
  list: ListWindow;
  width: number;
  height: number;
}) {
  const line = (i: number) => (i === 0 ? currentLine(props.recorder, props.currentFile, props.currentRecords) : checkpointLine(props.checkpoints[i - 1]));
  return (
    <Box flexDirection="column">
      <Text bold>{fit(`Checkpoints — Enter view · L load · N new · C checkpoint`, props.width)}</Text>
      <ListRows
        list={props.list}
        height={props.height}
        renderRow={(i, selected) => <Text inverse={selected} bold={i === 0}>{fit(line(i), props.width)}</Text>}
      />
    </Box>
  );
}
