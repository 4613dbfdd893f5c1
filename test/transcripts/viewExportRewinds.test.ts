// `view` and `export` mark the messages a live tap's rewind event took back as they mark an imported transcript's
// rewound messages: a real recorder taps a Claude Code transcript an agent stand-in appends to, and the rewind's
// event comes after the messages it names. view's lines say `(rewound)` after who said it (its --tail too, the event
// after the tail's start), --json prints the lines as stored, Markdown and HTML say "rewound" in the message's notes;
// a checkpoint taken before the event is the conversation as it was then, unmarked; a sealed session compressed and
// encrypted reads marked as the active one did.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN_PATH } from "../../src/cli/selfCommand.ts";
import { sessionFileOf } from "../../src/storage/checkpoints.ts";
import { logsPaths } from "../../src/storage/logsDir.ts";
import { readSessionId } from "../../src/storage/sessionFile.ts";
import { newSession } from "../../src/storage/sessions.ts";
import { tmpDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { TAKEN_BACK, tappedConversation } from "./claudeTap.ts";

const PASSPHRASE = "correct horse battery staple";

/** The executable, its output and status; the passphrase of the encrypted sessions in its environment. */
function shearwater(...args: string[]): string {
  const r = spawnSync(process.execPath, [BIN_PATH, ...args], {
    encoding: "utf8",
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: "1", SHEARWATER_PASSPHRASE: PASSPHRASE, SHEARWATER_AGE_IDENTITY: "", SHEARWATER_PASSPHRASE_FILE: "", SHEARWATER_ENCRYPT_TO: "" },
  });
  expect([r.status, r.stderr], args.join(" ")).toEqual([0, expect.any(String)]);
  return r.stdout;
}

/** What `view --follow` prints until its last line holds `last`, then interrupted. */
async function followed(last: string, ...args: string[]): Promise<string> {
  const child = spawn(process.execPath, [BIN_PATH, "view", "--follow", ...args], { env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const exit = new Promise((resolve) => child.on("close", resolve));
  try {
    await waitFor(() => out.includes(last), { what: `"${last}" followed` });
  } finally {
    child.kill("SIGINT");
    await exit;
  }
  return out;
}

/** The conversation, each message with whether it is marked rewound. */
const MARKED: Array<[string, boolean]> = [
  ["first question", false],
  ["first answer", false],
  [TAKEN_BACK[0], true],
  [TAKEN_BACK[1], true],
  ["asked again from the first answer", false],
];
const unmarked = (rows: Array<[string, boolean]>) => rows.map(([text]): [string, boolean] => [text, false]);

/** view's lines of the tapped messages: their text, and whether it says (rewound) after who said it. */
function viewed(out: string): Array<[string, boolean]> {
  return out.split("\n").flatMap((l): Array<[string, boolean]> => {
    const m = /^\d\d:\d\d:\d\d claude_code · (?:user|assistant)( \(rewound\))? (.*)$/.exec(l);
    return m ? [[m[2], m[1] !== undefined]] : [];
  });
}

/** An export's messages: their text, and whether their notes say rewound (Markdown: the heading; HTML: the notes). */
function exported(out: string, format: "md" | "html"): Array<[string, boolean]> {
  if (format === "md") {
    return out.split("\n### ").slice(1).map((s): [string, boolean] => {
      const [heading, , text] = s.split("\n");
      return [text.replace(/^> /, ""), / · rewound( · |$)/.test(heading)];
    });
  }
  return out.split('<div class="m ').slice(1).map((s): [string, boolean] => {
    const notes = /<span class="n">([^<]*)<\/span>/.exec(s)?.[1] ?? "";
    return [/<pre>([^<]*)<\/pre>/.exec(s)![1], /(^|· )rewound( ·|$)/.test(notes)];
  });
}

/** How many of the first `bytes` of a session's lines a tail takes to start at the line holding `text`. */
function tailFrom(stored: string, bytes: number, text: string): string {
  const lines = Buffer.from(stored).subarray(0, bytes).toString("utf8").trimEnd().split("\n");
  return String(lines.length - lines.findIndex((l) => l.includes(text)));
}

describe("view and export: rewinds a live tap recorded", () => {
  it("mark the messages a rewind event took back, as imported ones; --json and a checkpoint before the event do not", { timeout: 120_000 }, async () => {
    const dir = await tmpDir();
    const { logs, rewind, stop } = await tappedConversation(dir);
    const checkpoint = (label: string) => JSON.parse(shearwater("checkpoint", label, "--json", "--logs", logs)) as { id: string; bytes: number };
    let before: { id: string; bytes: number };
    let after: { id: string; bytes: number };
    try {
      before = checkpoint("before the rewind");
      await rewind();
      after = checkpoint("after the rewind");
    } finally {
      await stop();
    }
    const current = logsPaths(logs).current;
    const stored = await fs.readFile(current, "utf8");
    const lines = stored.trimEnd().split("\n");
    const fromAnswer = tailFrom(stored, Infinity, TAKEN_BACK[1]);

    // view: exactly the two messages taken back say (rewound), as an imported rewound message does.
    const all = shearwater("view", "--logs", logs);
    expect(viewed(all)).toEqual(MARKED);
    expect(all).toMatch(/^\d\d:\d\d:\d\d claude_code · user \(rewound\) a question taken back$/m);
    // --tail from the second message taken back: the event after the tail's start still marks it.
    expect(viewed(shearwater("view", "--logs", logs, "--tail", fromAnswer))).toEqual(MARKED.slice(3));
    // --follow: the lines it shows first are marked likewise (one printed before its event arrives stays as printed).
    expect(viewed(await followed(MARKED[4][0], "--logs", logs, "--tail", fromAnswer))).toEqual(MARKED.slice(3));
    // --json: the lines as stored, byte for byte.
    expect(shearwater("view", "--logs", logs, "--json")).toBe(stored);
    expect(shearwater("view", "--logs", logs, "--json", "--tail", fromAnswer)).toBe(lines.slice(-Number(fromAnswer)).join("\n") + "\n");

    // export: Markdown and HTML say rewound of the same two; JSONL gives the lines as stored.
    for (const format of ["md", "html"] as const) {
      expect(exported(shearwater("export", "--current", "--format", format, "--logs", logs), format), format).toEqual(MARKED);
    }
    expect(shearwater("export", "--current", "--format", "jsonl", "--no-redact", "--logs", logs)).toBe(stored);

    // A checkpoint taken before the event is the conversation as it was then: nothing rewound yet, its last lines
    // included (the event lies past its end); one taken after it marks them.
    const beforeTail = tailFrom(stored, before.bytes, TAKEN_BACK[0]);
    const afterTail = tailFrom(stored, after.bytes, TAKEN_BACK[1]);
    expect(viewed(shearwater("view", "--logs", logs, "--checkpoint", before.id))).toEqual(unmarked(MARKED.slice(0, 4)));
    expect(viewed(shearwater("view", "--logs", logs, "--checkpoint", before.id, "--tail", beforeTail))).toEqual(unmarked(MARKED.slice(2, 4)));
    for (const format of ["md", "html"] as const) {
      const out = shearwater("export", "--checkpoint", before.id, "--format", format, "--logs", logs);
      expect(exported(out, format), format).toEqual(unmarked(MARKED.slice(0, 4)));
    }
    expect(viewed(shearwater("view", "--logs", logs, "--checkpoint", after.id))).toEqual(MARKED);

    // The session sealed, compressed and encrypted: the pass reads the bytes through the same source as the lines.
    const session = (await readSessionId(current))!;
    await newSession(logs);
    const pass = path.join(dir, "pass.txt");
    await fs.writeFile(pass, `${PASSPHRASE}\n`, { mode: 0o600 });
    shearwater("compact", "--passphrase-file", pass, "--logs", logs);
    expect(await sessionFileOf(logs, session)).toMatch(/\.jsonl\.swc\.age$/);
    for (const format of ["md", "html"] as const) {
      expect(exported(shearwater("export", "--session", session, "--format", format, "--logs", logs), format), format).toEqual(MARKED);
    }
    expect(viewed(shearwater("view", "--logs", logs, "--checkpoint", after.id, "--tail", afterTail))).toEqual(MARKED.slice(3));
    expect(viewed(shearwater("view", "--logs", logs, "--checkpoint", before.id, "--tail", beforeTail))).toEqual(unmarked(MARKED.slice(2, 4)));
  });
});
