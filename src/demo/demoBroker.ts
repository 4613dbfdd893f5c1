// The demo's embedded broker: on docs/SPEC.md's ports when they are free, else on free ports (said so, not failed).
import net from "node:net";
import { startBroker, type BrokerEndpoints, type RunningBroker } from "../broker/referenceBroker.ts";
import { DEFAULT_BROKER, DEFAULT_PUBLISH_ENDPOINT } from "../config.ts";

export interface DemoBroker extends RunningBroker {
  endpoints: BrokerEndpoints;
  /** Set when docs/SPEC.md's ports were taken and others were used. */
  note?: string;
}

/** With `chosen` endpoints (`--pub`/`--sub`), exactly those, and a clear error when they are taken. */
export async function startDemoBroker(chosen?: BrokerEndpoints): Promise<DemoBroker> {
  if (chosen) return { ...(await startBroker(chosen)), endpoints: chosen };
  const preferred = { pub: DEFAULT_PUBLISH_ENDPOINT, sub: DEFAULT_BROKER };
  try {
    return { ...(await startBroker(preferred)), endpoints: preferred };
  } catch (err) {
    const endpoints = { pub: await freeLoopbackEndpoint(), sub: await freeLoopbackEndpoint() };
    const broker = await startBroker(endpoints);
    const why = err instanceof Error ? err.message.split(":")[0] : "in use";
    return { ...broker, endpoints, note: `${why}: the demo broker uses ${endpoints.pub} / ${endpoints.sub} instead` };
  }
}

function freeLoopbackEndpoint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(`tcp://127.0.0.1:${port}`));
    });
  });
}
