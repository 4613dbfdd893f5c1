// The client side of the recorder's control channel (docs/ARCHITECTURE.md "Control channel").
import fs from "node:fs/promises";
import net from "node:net";
import { logsPaths } from "../storage/logsDir.ts";

export type ControlCommand = "ping" | "checkpoint" | "new" | "load" | "stop";

export interface ControlEndpoint {
  pid: number;
  port: number;
  token: string;
}

/** No recorder is listening for this logs folder (no control file, or nobody at its port). */
export class NoRecorderError extends Error {}

async function readControlFile(logsDir: string): Promise<ControlEndpoint> {
  try {
    return JSON.parse(await fs.readFile(logsPaths(logsDir).control, "utf8")) as ControlEndpoint;
  } catch {
    throw new NoRecorderError(`no recorder is running for ${logsDir}`);
  }
}

export async function sendControl(
  logsDir: string,
  cmd: ControlCommand,
  args: object = {},
  { timeoutMs = 15_000 }: { timeoutMs?: number } = {},
): Promise<unknown> {
  const { port, token, pid } = await readControlFile(logsDir);
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
      if (nl >= 0) {
        socket.end();
        resolve(data.slice(0, nl));
      }
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      reject(err.code === "ECONNREFUSED" ? new NoRecorderError(`no recorder is running for ${logsDir} (pid ${pid} is gone)`) : err);
    });
    socket.on("close", () => reject(new Error(`the recorder (pid ${pid}) closed the control channel without answering`)));
  });
  const answer = JSON.parse(reply) as { ok: boolean; result?: unknown; error?: string };
  if (!answer.ok) throw new Error(answer.error ?? "the recorder refused the command");
  return answer.result;
}
