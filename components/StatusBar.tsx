// The bottom line: recorder state, message count, rate and the last seconds' rate as a sparkline, then a notice
// (what a key just did) or the hint for help.
/** @jsxRuntime automatic @jsxImportSource react */
import { Text } from "ink";
import { partialMark, type RecorderState } from "../src/control/recorderStatus.ts";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { fit } from "../src/text/width.ts";
import { countText, sparkline } from "./format.ts";

/** Seconds of rate history the sparkline shows, one column each. */
export function sparkSeconds(columns: number): number {
  return columns >= 120 ? 40 : 16;
}

export function statusText(recorder: RecorderState | null, browseOnly: boolean, columns = 80, notice: string | null = null): string {
  const s = recorder?.status;
  const state = recorder?.alive ? `● recording (${s!.state}, pid ${s!.pid})` : browseOnly ? "○ browsing (no recorder)" : "○ recorder not running";
  let counts = "";
  if (s) {
    const seconds = sparkSeconds(columns);
    const history = s.history.slice(-seconds);
    counts = ` · ${countText(s.session.messages)}${partialMark(s.session)} msgs · ${s.rates.last_1s}/s`;
    if (history.length > 0) counts += ` ${sparkline(history, seconds).padStart(seconds)}`;
  }
  return `${state}${counts} · ${notice === null ? "? help · Q quit" : sanitizeForTerminal(notice)}`;
}

export function StatusBar(props: { recorder: RecorderState | null; browseOnly: boolean; notice: string | null; width: number }) {
  return <Text inverse>{fit(statusText(props.recorder, props.browseOnly, props.width, props.notice), props.width)}</Text>;
}
