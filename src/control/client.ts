// The client side of the recorder's control channel (docs/ARCHITECTURE.md "Control channel"). After a crash the
// control file names a port that anyone may listen on now, so an answer is believed only from the process that holds
// the folder's lock, and the token is sent only while that process lives.
import net from "node:net";
import { readLockOwner } from "../storage/lock.ts";
import { logsPaths } from "../storage/logsDir.ts";
import { readPrivateFile, UnsafeFileError } from "../storage/privateFile.ts";

export type ControlCommand = "ping" | "checkpoint" | "new" | "load" | "stop";

export interface ControlEndpoint {
  pid: number;
  port: number;
  token: string;
}

/** No recorder is listening for this logs folder (no control file, its recorder is gone, or nobody at its port). */
export class NoRecorderError extends Error {}

async function readControlFile(logsDir: string): Promise<ControlEndpoint> {
  try {
    return JSON.parse(await readPrivateFile(logsPaths(logsDir).control)) as ControlEndpoint;
  } catch (err) {
    if (err instanceof UnsafeFileError) throw err;
    throw new NoRecorderError(`no recorder is running for ${logsDir}`);
  }
}

/** The control file's recorder, when it is the live holder of the folder's lock. */
async function checkHolder(logsDir: string, pid: number): Promise<void> {
  const owner = await readLockOwner(logsDir);
  if (!owner?.alive) {
    throw new NoRecorderError(`no recorder is running for ${logsDir} (recorder.control.json is left from pid ${pid}, which is gone)`);
  }
  if (owner.pid !== pid) {
    throw new NoRecorderError(`no recorder is running for ${logsDir} yet (pid ${owner.pid} holds its lock and has no control channel yet)`);
  }
}

/** Answers are a checkpoint's or a session switch's figures: anything far longer is not from a recorder. */
const MAX_ANSWER_CHARS = 1 << 20;

export async function sendControl(
  logsDir: string,
  cmd: ControlCommand,
  args: object = {},
  { timeoutMs = 15_000 }: { timeoutMs?: number } = {},
): Promise<unknown> {
  const { port, token, pid } = await readControlFile(logsDir);
  await checkHolder(logsDir, pid);
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let data = "";
    socket.setEncoding("utf8");
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`the recorder (pid ${pid}) did not answer "${cmd}" within ${timeoutMs} ms`));
    });
    socket.on("connect", () => socket.write(JSON.stringify({ token, cmd, args }) + "\n"));
    socket.on("data", (chunk: string) => {
      data += chunk;
      const nl = data.indexOf("\n");
      if (nl < 0 && data.length > MAX_ANSWER_CHARS) {
        socket.destroy();
        reject(new Error(`refusing the answer on port ${port}: longer than any answer of a recorder`));
      } else if (nl >= 0) {
        socket.end();
        resolve(data.slice(0, nl));
      }
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      reject(err.code === "ECONNREFUSED" ? new NoRecorderError(`no recorder is running for ${logsDir} (pid ${pid} is gone)`) : err);
    });
    socket.on("close", () => reject(new Error(`the recorder (pid ${pid}) closed the control channel without answering`)));
  });
  const answer = parseAnswer(reply);
  if (answer.pid !== pid) {
    const from = typeof answer.pid === "number" ? `pid ${answer.pid}` : "a process that does not say its pid";
    throw new Error(`refusing the answer on port ${port}: it comes from ${from}, not from the recorder holding the lock of ${logsDir} (pid ${pid})`);
  }
  if (!answer.ok) throw new Error(typeof answer.error === "string" ? answer.error : "the recorder refused the command");
  return answer.result;
}

function parseAnswer(line: string): { ok?: unknown; result?: unknown; error?: unknown; pid?: unknown } {
  try {
    const answer: unknown = JSON.parse(line);
    return typeof answer === "object" && answer !== null ? answer : {};
  } catch {
    return {}; // not an answer of ours: refused for want of a pid
  }
}
