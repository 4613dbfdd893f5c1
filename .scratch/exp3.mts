import { startBroker } from "../src/broker/referenceBroker.ts";
import { Publisher, Subscriber } from "zeromq";
const pub = "tcp://127.0.0.1:47131", sub = "tcp://127.0.0.1:47132";
const b = await startBroker({ pub, sub });
const sb = new Subscriber(); sb.connect(sub); sb.subscribe();
const got: string[] = [];
(async () => { for await (const [t, m] of sb) got.push(m.toString()); })();
const s = new Publisher({ linger: 0 }); s.connect(pub);
for (let i = 0; i < 20; i++) { await s.send(["chat", "m" + i]); await new Promise(r => setTimeout(r, 100)); }
console.log(got.join(" "));
sb.close(); s.close(); b.stop();
