// Every subcommand registers itself here; one file per command.
import type { Command } from "commander";
import * as broker from "./broker.ts";
import * as record from "./record.ts";
import * as send from "./send.ts";
import * as status from "./status.ts";
import * as checkpoint from "./checkpoint.ts";
import * as launch from "./launch.ts";
import * as stop from "./stop.ts";
import * as demo from "./demo.ts";
import * as checkpoints from "./checkpoints.ts";
import * as tui from "./tui.ts";
import * as view from "./view.ts";
import * as search from "./search.ts";

export function registerCommands(program: Command): void {
  broker.register(program);
  record.register(program);
  send.register(program);
  status.register(program);
  checkpoint.register(program);
  launch.register(program);
  stop.register(program);
  demo.register(program);
  checkpoints.register(program);
  tui.register(program);
  view.register(program);
  search.register(program);
}
