// What an agent calls at startup and at exit (docs/SPEC.md "The launcher as a library"): a recorder up for the logs
// folder, the checkpoint menu on a terminal, the chosen conversation handed back; the recorder stopped gracefully
// when the last connected agent leaves.
import fs from "node:fs/promises";
import { sendControl } from "../control/client.ts";
import { readRecorderState } from "../control/recorderStatus.ts";
import { resolveBrokers, resolveLogsDir } from "../config.ts";
import type { SessionRecord } from "../record.ts";
import { currentSessionSummary } from "../control/sessionSummary.ts";
import { checkpointRecords, listCheckpoints, sessionFileOf, type CheckpointInfo } from "../storage/checkpoints.ts";
import { streamEntries } from "../storage/sessionReader.ts";
import { checkAgentName } from "./agentName.ts";
import { withAgentRegistry, type AgentEntry } from "./agents.ts";
import { loadCheckpointMenu } from "./menu.ts";
import type { CheckpointMenu, MenuChoice } from "./menuChoice.ts";
import { lastMessagesOf, type RecentMessages } from "./recentMessages.ts";
import { ensureRecorder, stopRecorder } from "./recorderProcess.ts";
import { DEFAULT_TRANSCRIPT_LIMIT } from "./transcript.ts";

export interface LauncherOptions {
  /** Logs folder; default as docs/SPEC.md (`--logs`, SHEARWATER_LOGS, ./conversation_logs). */
  logsDir?: string;
  /** Broker endpoint(s) the recorder subscribes to; default as docs/SPEC.md. */
  broker?: string | string[];
  /** Show the checkpoint menu: default when stdin and stdout (or stderr) are terminals; `false` never; or your own. */
  menu?: boolean | CheckpointMenu;
  /** Decide without a menu (e.g. `shearwater launch --load ID`). */
  choice?: MenuChoice;
  /** Leave the recorder running when the last agent disconnects. */
  keepRunning?: boolean;
  /** The process whose death means the agent is gone; default this process. null: only an explicit disconnect. */
  pid?: number | null;
  /** More `shearwater record` flags for a recorder this launcher starts. */
  recorderArgs?: string[];
  /** How long to wait for a recorder to be ready. */
  timeoutMs?: number;
  /** How long to wait for the broker connection before reporting it unreachable (recording starts when it is up). */
  brokerWaitMs?: number;
}

export interface LaunchChoice {
  action: "load" | "new" | "continue";
  /** The checkpoint loaded (action "load"). */
  checkpoint?: CheckpointInfo;
  /** The active session after the choice was carried out. */
  session: string;
  recorder: { pid: number; started: boolean };
  /** The endpoints the recorder subscribes to, and whether it is connected to one of them. */
  broker: { endpoints: string[]; connected: boolean };
  /** Messages of the chosen conversation: the checkpoint's, the active session's so far, or none for "new". */
  messages(): AsyncIterable<SessionRecord>;
  /** The last `limit` messages of that conversation (default 1000), read from its end: what a transcript holds. */
  recentMessages(limit?: number): Promise<RecentMessages>;
}

export class PersistenceLauncher {
  readonly logsDir: string;
  readonly brokers: string[];
  private entry: AgentEntry | undefined;

  constructor(private readonly opts: LauncherOptions = {}) {
    this.logsDir = resolveLogsDir(opts.logsDir);
    const broker = opts.broker;
    this.brokers = resolveBrokers(broker === undefined ? undefined : Array.isArray(broker) ? broker : [broker]);
  }

  async onAgentConnected(name: string): Promise<LaunchChoice> {
    checkAgentName(name); // before anything is started or written: the name names files
    const { logsDir } = this;
    // Under the agents lock: a recorder being stopped by a leaving agent is never mistaken for a live one.
    const recorder = await withAgentRegistry(logsDir, async (reg) => {
      const started = await ensureRecorder({
        logsDir,
        brokers: this.brokers,
        extraArgs: this.opts.recorderArgs,
        timeoutMs: this.opts.timeoutMs,
      });
      const pid = this.opts.pid === undefined ? process.pid : this.opts.pid;
      // Connecting again (a hook that fires on every session start) replaces the agent's entry, never doubles it.
      reg.remove((a) => a.id === this.entry?.id || (a.name === name && a.pid === pid && pid !== null));
      this.entry = reg.add(name, pid, this.opts.keepRunning);
      return started;
    });
    let picked: MenuChoice;
    let checkpoint: CheckpointInfo | undefined;
    try {
      picked = await this.pick(name);
      checkpoint = await this.carryOut(picked);
    } catch (err) {
      // The agent did not get started: it must not keep the recorder running.
      const id = this.entry?.id;
      this.entry = undefined;
      await withAgentRegistry(logsDir, async (reg) => reg.remove((a) => a.id === id));
      throw err;
    }
    const broker = await this.brokerState();
    const session = await this.sessionId();
    return {
      action: picked.action,
      checkpoint,
      session,
      recorder,
      broker,
      messages: () => this.conversation(picked, session),
      recentMessages: (limit = DEFAULT_TRANSCRIPT_LIMIT) => this.recentMessages(picked, session, checkpoint, limit),
    };
  }

  /** Returns whether the recorder was stopped (this was the last agent, and keepRunning is off). */
  async onAgentDisconnected(): Promise<{ stopped: boolean; remaining: string[] }> {
    const id = this.entry?.id;
    this.entry = undefined;
    return disconnectAgents(this.logsDir, (a) => a.id === id, this.opts.keepRunning ?? false);
  }

  private async pick(agent: string): Promise<MenuChoice> {
    if (this.opts.choice) return this.opts.choice;
    // An agent that reads the choice from stdout (`launch --json`) still gets the menu on its terminal, via stderr.
    const screen = process.stdout.isTTY ? process.stdout : process.stderr.isTTY ? process.stderr : undefined;
    const menu = this.opts.menu ?? Boolean(process.stdin.isTTY && screen);
    if (menu === false) return { action: "continue" };
    const run = menu === true ? await loadCheckpointMenu() : menu;
    return run({ logsDir: this.logsDir, agent, stdin: process.stdin, stdout: screen ?? process.stdout });
  }

  private async carryOut(choice: MenuChoice): Promise<CheckpointInfo | undefined> {
    if (choice.action === "continue") return undefined;
    const checkpoint =
      choice.action === "load" ? (await listCheckpoints(this.logsDir)).find((c) => c.id === choice.checkpoint) : undefined;
    if (choice.action === "load" && !checkpoint) throw new Error(`no checkpoint "${choice.checkpoint}" in ${this.logsDir}`);
    const before = await this.sessionId();
    await sendControl(this.logsDir, choice.action, checkpoint ? { checkpoint: checkpoint.id } : {});
    // The status file is rewritten about once a second: wait until it names the new session.
    const deadline = Date.now() + 5000;
    while ((await this.sessionId()) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return checkpoint;
  }

  private async sessionId(): Promise<string> {
    return (await readRecorderState(this.logsDir)).status?.session.id ?? "";
  }

  /** The endpoints the recorder listens to (a reused recorder keeps its own), once connected or after a short wait. */
  private async brokerState(): Promise<LaunchChoice["broker"]> {
    const deadline = Date.now() + (this.opts.brokerWaitMs ?? 1500);
    for (;;) {
      const endpoints = (await readRecorderState(this.logsDir)).status?.endpoints ?? [];
      const connected = endpoints.some((e) => e.connected);
      if (connected || Date.now() > deadline) {
        return { endpoints: endpoints.length > 0 ? endpoints.map((e) => e.endpoint) : this.brokers, connected };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async recentMessages(choice: MenuChoice, session: string, checkpoint: CheckpointInfo | undefined, limit: number): Promise<RecentMessages> {
    if (choice.action === "load" && checkpoint) {
      const file = await sessionFileOf(this.logsDir, checkpoint.session);
      return { ...(await lastMessagesOf(file, limit, checkpoint.bytes)), total: checkpoint.messages };
    }
    if (choice.action !== "continue" || !session) return { messages: [], lines: [], total: 0 };
    const file = await sessionFileOf(this.logsDir, session);
    const [recent, summary] = await Promise.all([lastMessagesOf(file, limit), currentSessionSummary(this.logsDir)]);
    return { ...recent, total: Math.max(recent.messages.length, summary?.messages ?? 0) };
  }

  private async *conversation(choice: MenuChoice, session: string): AsyncIterable<SessionRecord> {
    if (choice.action === "load") {
      yield* checkpointRecords(this.logsDir, choice.checkpoint);
    } else if (choice.action === "continue" && session) {
      // The session as it stands now (its complete lines: the status file's byte count may be a second old); what
      // arrives later is the live conversation, not the context.
      const file = await sessionFileOf(this.logsDir, session);
      for await (const entry of streamEntries(file, { endOffset: (await fs.stat(file)).size })) {
        if (entry.record) yield entry.record;
      }
    }
  }
}

/**
 * Removes the matching agents; when no live agent remains (and keepRunning is off), stops the recorder gracefully
 * with its final checkpoint. `shearwater stop --agent NAME` comes here too.
 */
export async function disconnectAgents(
  logsDir: string,
  match: (a: AgentEntry) => boolean,
  keepRunning: boolean,
): Promise<{ stopped: boolean; remaining: string[] }> {
  return withAgentRegistry(logsDir, async (reg) => {
    const left = reg.remove(match);
    const remaining = reg.agents.map((a) => a.name);
    if (remaining.length > 0 || keepRunning || left.some((a) => a.keepRunning)) return { stopped: false, remaining };
    return { stopped: (await stopRecorder(logsDir)) !== null, remaining };
  });
}
