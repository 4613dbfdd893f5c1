// A publisher in its own process, standing in for the broker, so the recorder is measured fairly. It binds an XPUB
// socket, waits for the expected subscribers, publishes `count` messages of about `size` bytes at `rate` per second
// (0 = as fast as it can) and reports {sent, ms} on stdout. Every payload carries its number and its send time.
import { XPublisher } from "zeromq";

const { endpoint, count, size, rate, subscribers } = JSON.parse(process.argv[2]) as {
  endpoint: string; count: number; size: number; rate: number; subscribers: number;
};
const socket = new XPublisher({ linger: 5000, sendHighWaterMark: 0 });
await socket.bind(endpoint);
for (let n = 0; n < subscribers; n++) await socket.receive();
const pad = "x".repeat(Math.max(0, size - 80));
const now = () => performance.timeOrigin + performance.now();
const start = performance.now();
for (let i = 0; i < count; ) {
  const due = rate > 0 ? Math.min(count, Math.floor(((performance.now() - start) / 1000) * rate) + 1) : count;
  for (; i < due; i++) await socket.send(["bench", JSON.stringify({ sender: "bench", seq: i + 1, t: now(), pad })]);
  if (rate > 0) await new Promise((r) => setTimeout(r, 1));
}
process.stdout.write(JSON.stringify({ sent: count, ms: performance.now() - start }) + "\n");
process.stdin.resume();
process.stdin.on("end", () => {
  socket.close();
  process.exit(0);
});
