// Which lines of a transcript a rewind took out of the conversation: known only once the whole file is read, so
// import finds them in a first pass over the file (a live tap records lines before their future is known).
import { isObj, objects, str } from "./values.ts";

export interface RewindFinder {
  add(line: number, value: unknown): void;
  /** Lines (1-based) that are no longer part of the conversation. */
  rewound(): Set<number>;
}

interface Node {
  line: number;
  parent: string | undefined;
  /** A prompt typed by the user (not a tool result): where a rewind's abandoned branch starts. */
  prompt: boolean;
  sidechain: boolean;
}

/**
 * Claude Code: the conversation is the path from the last message up the `parentUuid` links (through a compaction's
 * `logicalParentUuid`). Lines off that path are mostly parallel tool calls and their results, which hang off it as
 * side branches; a rewind instead leaves a branch that starts with a user prompt, a sibling of the prompt sent in
 * its place. Such branches, whole, are rewound.
 */
export function claudeRewinds(): RewindFinder {
  const nodes = new Map<string, Node>();
  let leaf: string | undefined;
  let sidechainLeaf: string | undefined;
  return {
    add(line, value) {
      if (!isObj(value)) return;
      const uuid = str(value.uuid);
      if (!uuid) return;
      const type = value.type;
      const sidechain = value.isSidechain === true;
      const content = isObj(value.message) ? value.message.content : undefined;
      const prompt = type === "user" && (typeof content === "string" || objects(content).some((b) => b.type !== "tool_result"));
      nodes.set(uuid, { line, parent: str(value.parentUuid) ?? str(value.logicalParentUuid), prompt, sidechain });
      if (type === "user" || type === "assistant") {
        if (sidechain) sidechainLeaf = uuid;
        else leaf = uuid;
      }
    },
    rewound() {
      const end = leaf ?? sidechainLeaf;
      const out = new Set<number>();
      if (!end) return out;
      const onPath = new Set<string>();
      for (let at: string | undefined = end; at && !onPath.has(at); at = nodes.get(at)?.parent) onPath.add(at);
      const sidechain = nodes.get(end)!.sidechain;
      const branchRoot = new Map<string, string>();
      const rootOf = (uuid: string): string => {
        const chain: string[] = [];
        let at = uuid;
        for (;;) {
          const known = branchRoot.get(at);
          if (known) {
            at = known;
            break;
          }
          const parent = nodes.get(at)?.parent;
          chain.push(at);
          if (!parent || onPath.has(parent) || !nodes.has(parent) || chain.includes(parent)) break;
          at = parent;
        }
        for (const c of chain) branchRoot.set(c, at);
        return at;
      };
      for (const [uuid, node] of nodes) {
        if (onPath.has(uuid) || node.sidechain !== sidechain) continue;
        if (nodes.get(rootOf(uuid))!.prompt) out.add(node.line);
      }
      return out;
    },
  };
}

/**
 * Gemini CLI: `{"$rewindTo": id}` removes that message and every one after it; `{"$set": {messages}}` replaces the
 * history, removing the messages it leaves out. Every copy of a removed message, up to then, is rewound.
 */
export function geminiRewinds(): RewindFinder {
  let history: string[] = [];
  const copies = new Map<string, number[]>();
  const out = new Set<number>();
  const remove = (ids: string[]) => {
    for (const id of ids) for (const l of copies.get(id) ?? []) out.add(l);
    for (const id of ids) copies.delete(id);
  };
  return {
    add(line, value) {
      if (!isObj(value)) return;
      if (value.$rewindTo !== undefined) {
        const at = history.indexOf(String(value.$rewindTo));
        if (at !== -1) remove(history.splice(at));
      } else if (isObj(value.$set) && Array.isArray(value.$set.messages)) {
        const kept = new Set(objects(value.$set.messages).map((m) => str(m.id)).filter((id): id is string => id !== undefined));
        remove(history.filter((id) => !kept.has(id)));
        history = [...kept];
      } else {
        const id = str(value.id);
        if (!id || !str(value.type)) return;
        if (!copies.has(id)) {
          copies.set(id, []);
          if (!history.includes(id)) history.push(id);
        }
        copies.get(id)!.push(line);
      }
    },
    rewound: () => out,
  };
}
