// Copying to the clipboard of the terminal the user looks at, through OSC 52: it works over SSH and needs nothing
// installed. Inside tmux the plain sequence reaches tmux's own clipboard (`set -g set-clipboard on`), and a copy
// wrapped in tmux's passthrough reaches the outer terminal where tmux passes it on (`allow-passthrough on`).

/** Most terminals ignore (or cut) longer OSC 52 payloads. */
export const MAX_CLIPBOARD_BASE64 = 100_000;

export type CopyResult = { ok: true; sequence: string; chars: number } | { ok: false; why: string };

export function osc52(text: string, env: NodeJS.ProcessEnv = process.env): CopyResult {
  const base64 = Buffer.from(text, "utf8").toString("base64");
  if (base64.length > MAX_CLIPBOARD_BASE64) {
    return { ok: false, why: `too long for the clipboard through the terminal (${Math.round(base64.length / 1024)} KB encoded, at most ${MAX_CLIPBOARD_BASE64 / 1000} KB); o opens it in $PAGER` };
  }
  const plain = `\x1b]52;c;${base64}\x07`;
  // In a passthrough every ESC of the wrapped sequence is doubled.
  const passthrough = env.TMUX ? `\x1bPtmux;${plain.replace(/\x1b/g, "\x1b\x1b")}\x1b\\` : "";
  return { ok: true, sequence: plain + passthrough, chars: [...text].length };
}
