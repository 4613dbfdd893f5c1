// ISO receive times, formatted once per millisecond rather than once per record (a busy writer asks thousands of
// times a millisecond).
import { timestamp } from "../record.ts";

export class MillisecondClock {
  private ms = -1;
  private iso = "";

  now(): string {
    const ms = Date.now();
    if (ms !== this.ms) {
      this.ms = ms;
      this.iso = timestamp(new Date(ms));
    }
    return this.iso;
  }
}
