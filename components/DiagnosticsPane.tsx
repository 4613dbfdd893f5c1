// Recorder health at a glance: alive, pid, uptime, endpoints, a rate graph of the last minutes, sync latency,
// taps, unwritten records, disk use, compression and backups, index state, recoveries and the latest errors.
/** @jsxRuntime automatic @jsxImportSource react */
import { Box, Text } from "ink";
import { storageLines, type StorageSummary } from "../src/backup/storageSummary.ts";
import { sessionCounts, tapsText, unwrittenText, type RecorderState } from "../src/control/recorderStatus.ts";
import { sanitizeForTerminal } from "../src/text/sanitize.ts";
import { bytesText, durationText, sparkline } from "./format.ts";
import { fit } from "../src/text/width.ts";
import { PaneHeader } from "./PaneHeader.tsx";
import { color } from "./theme.ts";

export function diagnosticsLines(
  recorder: RecorderState | null,
  diskBytes: number | null,
  storage: StorageSummary | null,
  indexState: string,
  width: number,
  now = Date.now(),
): Array<{ text: string; tone?: "bad" | "good" }> {
  const out: Array<{ text: string; tone?: "bad" | "good" }> = [];
  const s = recorder?.status;
  out.push(
    recorder?.alive
      ? { text: `recorder: alive · pid ${s!.pid} · ${s!.state} · up ${durationText(now - Date.parse(s!.started_at))}`, tone: "good" }
      : { text: `recorder: not running${recorder?.reason ? ` (${recorder.reason})` : ""}`, tone: "bad" },
  );
  if (s) {
    for (const e of s.endpoints) {
      out.push({ text: `broker ${e.endpoint}: ${e.connected ? "connected" : "disconnected"}${e.since ? ` since ${e.since}` : ""}`, tone: e.connected ? undefined : "bad" });
    }
    out.push({ text: `session ${s.session.id}: ${sessionCounts(s.session, "msgs")}, ${bytesText(s.session.bytes)}` });
    out.push({ text: `rate: ${s.rates.last_1s}/s now · ${s.rates.last_1m.toFixed(1)}/s last minute` });
    const minutes = Math.max(1, Math.round(s.history.length / 60));
    out.push({ text: `last ${minutes} min ${sparkline(s.history, Math.max(10, width - 16))}` });
    out.push({ text: `sync latency: p50 ${s.sync_ms.p50.toFixed(1)} ms · p99 ${s.sync_ms.p99.toFixed(1)} ms` });
    out.push({ text: `last checkpoint: ${s.last_checkpoint ? `${s.last_checkpoint.created_at} ${s.last_checkpoint.label}` : "none"}` });
    out.push({ text: `recoveries: ${s.recoveries} · dropped: ${s.dropped} · backlog: ${bytesText(s.backlog_bytes)} · enrichment errors: ${s.enrich_errors}` });
    if (s.taps) out.push({ text: `taps: ${tapsText(s.taps)}`, tone: s.taps.errors > 0 ? "bad" : undefined });
    if (s.taps?.lastError) out.push({ text: `last tap error: ${s.taps.lastError}`, tone: "bad" });
    if (s.unwritten) out.push({ text: `unwritten: ${unwrittenText(s.unwritten)}`, tone: "bad" });
  }
  out.push({ text: `disk use of the logs folder: ${diskBytes === null ? "measuring…" : bytesText(diskBytes)}` });
  if (storage) {
    const [sealed, backup, compaction] = storageLines(storage);
    out.push(
      { text: sealed },
      { text: backup, tone: storage.backup.last && !storage.backup.last.ok ? "bad" : undefined },
      { text: compaction, tone: storage.compaction && !storage.compaction.ok ? "bad" : undefined },
    );
  }
  out.push({ text: `search index: ${indexState}` });
  for (const e of s?.errors.slice(-5) ?? []) out.push({ text: `error ${e.at}: ${e.message}`, tone: "bad" });
  // Every line quotes files other processes write: endpoints, reasons, labels, errors, backup destinations.
  return out.map((l) => ({ ...l, text: sanitizeForTerminal(l.text) }));
}

export function DiagnosticsPane(props: {
  recorder: RecorderState | null;
  diskBytes: number | null;
  storage: StorageSummary | null;
  indexState: string;
  width: number;
  height: number;
  focused?: boolean;
}) {
  const lines = diagnosticsLines(props.recorder, props.diskBytes, props.storage, props.indexState, props.width).slice(0, props.height);
  return (
    <Box flexDirection="column">
      <PaneHeader text="Diagnostics" width={props.width} focused={props.focused} />
      <Box flexDirection="column" height={props.height} overflowY="hidden">
        {lines.map((l, i) => (
          <Text key={i} color={l.tone === "bad" ? color("red") : l.tone === "good" ? color("green") : undefined}>
            {fit(l.text, props.width)}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
