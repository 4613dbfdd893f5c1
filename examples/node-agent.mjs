// A Node agent using Shearwater as a library: connect at startup (recorder up, checkpoint menu on a terminal, the
// chosen conversation handed back as context), work, disconnect at exit (the last agent out stops the recorder with
// a final checkpoint). Plain JavaScript, run by plain Node: node examples/node-agent.mjs   (settings from
// SHEARWATER_LOGS / SHEARWATER_BROKER; the package imports itself by its name)
import { PersistenceLauncher } from "shearwater";

const name = process.argv[2] ?? "node_agent";
const launcher = new PersistenceLauncher();
const choice = await launcher.onAgentConnected(name);

// The context an agent would feed to its model: who said what, in order.
const context = [];
for await (const rec of choice.messages()) {
  if (rec.kind === "message") context.push(`${rec.meta.agent ?? rec.topic}: ${JSON.stringify(rec.payload ?? rec.frames)}`);
}
console.log(JSON.stringify({ ready: true, agent: name, action: choice.action, session: choice.session, context: context.length }));

// The agent's own work would run here; this one waits until it is told to stop (Ctrl+C, SIGTERM, or stdin closing).
let leaving = false;
async function leave() {
  if (leaving) return;
  leaving = true;
  const { stopped, remaining } = await launcher.onAgentDisconnected();
  console.log(JSON.stringify({ left: true, recorder_stopped: stopped, remaining }));
  process.exit(0);
}
process.on("SIGINT", leave);
process.on("SIGTERM", leave);
process.stdin.on("end", leave);
process.stdin.resume();
