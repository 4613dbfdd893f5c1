// Which lines of a transcript a rewind took out of the conversation. A rewind is known only from a later line (a
// prompt sent from an earlier point, a `$rewindTo`): import finds them as it reads and writes the file again when
// some turn up (rare); a live tap, which records lines before their future is known, asks after each read and
// records an event for the lines newly rewound (rewindEvent.ts).
import { isObj, objects, str } from "./values.ts";

export interface RewindFinder {
  add(line: number, value: unknown): void;
  /** Lines (1-based) that are no longer part of the conversation. */
  rewound(): Set<number>;
  /**
   * Of a line `rewound()` gave: its message's id, and the id of the message the conversation went back to (the one
   * its abandoned branch hangs from; for Gemini the `$rewindTo` id).
   */
  describe(line: number): { id?: string; at?: string };
}

const PROMPT = 1;
const SIDECHAIN = 2;
const NO_NODE = -1;

/**
 * Claude Code: the conversation is the path from the last message up the `parentUuid` links (through a compaction's
 * `logicalParentUuid`). Lines off that path are mostly parallel tool calls and their results, which hang off it as
 * side branches; a rewind instead leaves a branch that starts with a user prompt (not a tool result), a sibling of
 * the prompt sent in its place. Such branches, whole, are rewound.
 *
 * The tree holds every line of a file that may be 100 MB, so a node is a few numbers in typed arrays (its parent
 * found when it is added: parents come before their children), not an object holding strings.
 */
export function claudeRewinds(): RewindFinder {
  const nodeOf = new Map<string, number>();
  /** Node → its uuid (the same strings nodeOf holds). */
  const uuids: string[] = [];
  /** Each node's branch root as the last rewound() found it. */
  let roots = new Int32Array(0);
  let parents = new Int32Array(1024);
  let lines = new Int32Array(1024);
  let flags = new Uint8Array(1024);
  /** Nodes whose parent had not been seen when they were added, looked up again at the end. */
  const unresolved = new Map<number, string>();
  let leaf = NO_NODE;
  let sidechainLeaf = NO_NODE;
  const grow = () => {
    const bigger = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    [parents, lines, flags] = [bigger(parents), bigger(lines), bigger(flags)];
  };
  return {
    add(line, value) {
      if (!isObj(value)) return;
      const uuid = str(value.uuid);
      if (!uuid) return;
      let node = nodeOf.get(uuid);
      if (node === undefined) {
        node = nodeOf.size;
        if (node === parents.length) grow();
        nodeOf.set(uuid, node);
        uuids.push(uuid);
      }
      const type = value.type;
      const sidechain = value.isSidechain === true;
      const content = isObj(value.message) ? value.message.content : undefined;
      const prompt = type === "user" && (typeof content === "string" || objects(content).some((b) => b.type !== "tool_result"));
      const parent = str(value.parentUuid) ?? str(value.logicalParentUuid);
      const parentNode = parent === undefined ? NO_NODE : (nodeOf.get(parent) ?? NO_NODE);
      if (parent !== undefined && parentNode === NO_NODE) unresolved.set(node, parent);
      else if (unresolved.size > 0) unresolved.delete(node); // (a delete costs even on an empty map)
      parents[node] = parentNode;
      lines[node] = line;
      flags[node] = (prompt ? PROMPT : 0) | (sidechain ? SIDECHAIN : 0);
      if (type === "user" || type === "assistant") {
        if (sidechain) sidechainLeaf = node;
        else leaf = node;
      }
    },
    rewound() {
      const out = new Set<number>();
      const end = leaf !== NO_NODE ? leaf : sidechainLeaf;
      if (end === NO_NODE) return out;
      for (const [node, parent] of unresolved) parents[node] = nodeOf.get(parent) ?? NO_NODE;
      const count = nodeOf.size;
      const onPath = new Uint8Array(count);
      for (let at = end; at !== NO_NODE && !onPath[at]; at = parents[at]) onPath[at] = 1;
      const side = flags[end] & SIDECHAIN;
      /** Each node's branch root, once known: the node below the path (or the top of a branch cut off from it). */
      roots = new Int32Array(count).fill(NO_NODE);
      /** The walk that last passed a node, so a cycle of links ends the walk. */
      const walked = new Int32Array(count).fill(NO_NODE);
      const chain: number[] = [];
      const rootOf = (start: number): number => {
        chain.length = 0;
        let at = start;
        for (;;) {
          if (roots[at] !== NO_NODE) {
            at = roots[at];
            break;
          }
          chain.push(at);
          walked[at] = start;
          const parent = parents[at];
          if (parent === NO_NODE || onPath[parent] || walked[parent] === start) break;
          at = parent;
        }
        for (const c of chain) roots[c] = at;
        return at;
      };
      for (let node = 0; node < count; node++) {
        if (onPath[node] || (flags[node] & SIDECHAIN) !== side) continue;
        if (flags[rootOf(node)] & PROMPT) out.add(lines[node]);
      }
      return out;
    },
    describe(line) {
      const node = lines.subarray(0, uuids.length).lastIndexOf(line);
      if (node === -1) return {};
      const root = roots[node] ?? NO_NODE;
      const at = root === NO_NODE ? NO_NODE : parents[root];
      return { id: uuids[node], ...(at !== NO_NODE ? { at: uuids[at] } : {}) };
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
  const described = new Map<number, { id: string; at?: string }>();
  const remove = (ids: string[], at?: string) => {
    for (const id of ids) {
      for (const l of copies.get(id) ?? []) {
        out.add(l);
        described.set(l, { id, ...(at !== undefined ? { at } : {}) });
      }
      copies.delete(id);
    }
  };
  return {
    add(line, value) {
      if (!isObj(value)) return;
      if (value.$rewindTo !== undefined) {
        const to = String(value.$rewindTo);
        const at = history.indexOf(to);
        if (at !== -1) remove(history.splice(at), to);
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
    describe: (line) => described.get(line) ?? {},
  };
}
