// The bottom line: recorder state, message count, rate, and the hint for help.
/** @jsxRuntime automatic @jsxImportSource react */
import { Text } from "ink";
import { partialMark, type RecorderState } from "../src/control/recorderStatus.ts";
import { fit } from "../src/text/width.ts";

export function statusText(recorder: RecorderState | null, browseOnly: boolean): string {
  const s = recorder?.status;
  const state = recorder?.alive ? `● recording (${s!.state}, pid ${s!.pid})` : browseOnly ? "○ browsing (no recorder)" : "○ recorder not running";
  const counts = s ? ` · ${s.session.messages.toLocaleString("en-US")}${partialMark(s.session)} msgs · ${s.rates.last_1s}/s` : "";
  return `${state}${counts} · ? help · Q quit`;
}

export function StatusBar(props: { recorder: RecorderState | null; browseOnly: boolean; width: number }) {
  return <Text inverse>{fit(statusText(props.recorder, props.browseOnly), props.width)}</Text>;
}
