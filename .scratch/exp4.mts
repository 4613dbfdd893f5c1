import { startBroker } from "../src/broker/referenceBroker.ts";
import { Publisher } from "zeromq";
import fs from "node:fs";
import { spawn } from "node:child_process";
const pub = "tcp://127.0.0.1:47141", sub = "tcp://127.0.0.1:47142";
const b = await startBroker({ pub, sub });
const logsDir = "/tmp/lt/exp4";
const rec = spawn(process.execPath, ["bin/shearwater.js", "record", "--logs", logsDir, "--broker", sub], { stdio: "inherit" });
await new Promise(r => setTimeout(r, 4000));
const s = new Publisher({ linger: 0 }); s.connect(pub);
await new Promise(r => setTimeout(r, 500));
for (let i = 0; i < 20; i++) { await s.send(["chat", JSON.stringify({ text: "m" + i })]); await new Promise(r => setTimeout(r, 100)); }
await new Promise(r => setTimeout(r, 500));
console.log(fs.readFileSync(logsDir + "/current_session.jsonl", "utf8").split("\n").filter(l => l.includes('"message"')).map(l => JSON.parse(l).payload.text).join(" "));
rec.kill("SIGTERM"); s.close(); b.stop();
