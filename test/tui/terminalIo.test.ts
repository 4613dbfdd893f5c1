// What the TUI writes to and reads from the terminal besides frames: OSC 52 for the clipboard, SGR mouse reports.
import { describe, expect, it } from "vitest";
import { MAX_CLIPBOARD_BASE64, osc52 } from "../../components/clipboard.ts";
import { parseMouse } from "../../components/mouse.ts";

describe("OSC 52", () => {
  it("carries the text as base64, and a passthrough copy inside tmux", () => {
    const plain = osc52("héllo 日本", {});
    expect(plain).toEqual({ ok: true, chars: 8, sequence: `\u001b]52;c;${Buffer.from("héllo 日本").toString("base64")}\u0007` });
    const inTmux = osc52("hi", { TMUX: "/tmp/tmux-1/default,1,0" });
    expect(inTmux.ok && inTmux.sequence).toBe("\u001b]52;c;aGk=\u0007\u001bPtmux;\u001b\u001b]52;c;aGk=\u0007\u001b\\");
  });

  it("refuses what terminals would not take, saying why", () => {
    const r = osc52("x".repeat((MAX_CLIPBOARD_BASE64 / 4) * 3 + 3), {});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.why).toMatch(/too long for the clipboard/);
  });
});

describe("SGR mouse reports", () => {
  it("are the wheel, a left click, or ignored; anything else is not a mouse report", () => {
    expect(parseMouse("[<64;10;5M")).toEqual({ kind: "wheel", dir: -1, x: 9, y: 4 });
    expect(parseMouse("\u001b[<65;1;1M")).toEqual({ kind: "wheel", dir: 1, x: 0, y: 0 });
    expect(parseMouse("[<69;3;3M")).toEqual({ kind: "wheel", dir: 1, x: 2, y: 2 }); // with shift
    expect(parseMouse("[<0;7;2M")).toEqual({ kind: "click", x: 6, y: 1 });
    expect(parseMouse("[<0;7;2m")).toBe("ignored");
    expect(parseMouse("[<2;7;2M")).toBe("ignored");
    expect(parseMouse("j")).toBeNull();
    expect(parseMouse("[A")).toBeNull();
  });
});
