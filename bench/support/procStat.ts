// What Linux's /proc tells of another process: its CPU time so far (all its threads) and its children, for the
// whole-process figures of the benchmarks that run the built program.
import fs from "node:fs";

/** User and system time of a process so far (/proc/PID/stat, in clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The processes a process started, with their command lines. */
export function childrenOf(pid: number): Array<{ pid: number; command: string }> {
  const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  return text === "" ? [] : text.split(" ").map(Number).map((p) => ({ pid: p, command: fs.readFileSync(`/proc/${p}/cmdline`, "utf8").replaceAll("\0", " ") }));
}
