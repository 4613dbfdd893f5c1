#!/usr/bin/env python3
"""A Python agent using Shearwater through its CLI.

At start: `shearwater launch --agent NAME --json` (a recorder up, the checkpoint menu when on a terminal, the choice
as JSON with the paths of a Markdown and a JSONL transcript of the chosen conversation). At exit:
`shearwater stop --agent NAME` (the last agent out stops the recorder with a final checkpoint).

Run: python3 examples/python_agent.py [NAME]   (settings from SHEARWATER_LOGS / SHEARWATER_BROKER; the
executable from SHEARWATER_BIN, else `shearwater` on PATH, else this checkout's bin/shearwater.js)
"""
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys


def shearwater_command():
    if os.environ.get("SHEARWATER_BIN"):
        return [os.environ["SHEARWATER_BIN"]]
    if shutil.which("shearwater"):
        return ["shearwater"]
    here = os.path.dirname(os.path.abspath(__file__))
    return ["node", os.path.join(here, "..", "bin", "shearwater.js")]


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "python_agent"
    cmd = shearwater_command()
    # --pid: this process stands for the agent, so a crash of it is noticed by the next agent to come or go.
    # No --no-menu: the menu shows when this runs on a terminal, and is skipped otherwise.
    launched = subprocess.run(
        cmd + ["launch", "--agent", name, "--json", "--pid", str(os.getpid())],
        stdout=subprocess.PIPE,
        check=True,
        text=True,
    )
    choice = json.loads(launched.stdout)

    def leave():
        subprocess.run(cmd + ["stop", "--agent", name], stdout=subprocess.DEVNULL, check=False)

    atexit.register(leave)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    with open(choice["transcript"]["markdown"], encoding="utf-8") as f:
        context = f.read()  # what the agent would give its model as the conversation so far
    print(json.dumps({"ready": True, "agent": name, "action": choice["action"],
                      "context_messages": choice["transcript"]["messages"], "context_chars": len(context)}),
          flush=True)

    # The agent's own work would run here; this one waits until stdin closes (or SIGTERM).
    sys.stdin.read()


if __name__ == "__main__":
    main()
