// An agent's name becomes a file name (transcripts/<name>.jsonl) and is shown on terminals, so only names that are
// safe as both are accepted: `..`, a slash or a control character in a name would write outside the logs folder or
// reach a terminal raw.
import { UsageError } from "../config.ts";
import { sanitizeForTerminal } from "../text/sanitize.ts";

export const AGENT_NAME_MAX = 64;
const AGENT_NAME = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${AGENT_NAME_MAX - 1}}$`);

/** The name, when it is one; else a UsageError that says what a name may be. */
export function checkAgentName(name: unknown): string {
  if (typeof name !== "string") throw new UsageError(`bad agent name: expected a string, got ${typeof name}`);
  if (AGENT_NAME.test(name)) return name;
  const shown = name.length > AGENT_NAME_MAX ? `${name.slice(0, AGENT_NAME_MAX)}…` : name;
  throw new UsageError(
    `bad agent name "${sanitizeForTerminal(shown)}": up to ${AGENT_NAME_MAX} letters, digits, ".", "_" and "-", starting with a letter or digit (e.g. claude_code)`,
  );
}
