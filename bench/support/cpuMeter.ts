// CPU spent over a stretch of a benchmark: by this process (all its threads) and by the whole machine, to show
// whether a throughput figure was bound by the CPU (both cores busy) and what each message cost.
import os from "node:os";

export interface CpuSpent {
  /** CPU time of this process, user and system, in ms. */
  processMs: number;
  /** Share of the machine's CPU time that was busy, 0–1. */
  machineBusy: number;
}

function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** Starts measuring; the returned function stops and reports. */
export function startCpuMeter(): () => CpuSpent {
  const process0 = process.cpuUsage();
  const machine0 = machineTimes();
  return () => {
    const p = process.cpuUsage(process0);
    const m = machineTimes();
    return { processMs: (p.user + p.system) / 1000, machineBusy: (m.busy - machine0.busy) / Math.max(1, m.total - machine0.total) };
  };
}
