// The import graph of a source tree, read with the TypeScript parser: `import` / `export … from` (type-only ones
// included), `import("…")` calls and `import("…")` types. The rules of docs/ARCHITECTURE.md are checked on it.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export interface ImportGraph {
  /** Project files (absolute paths) → the project files they import. */
  files: Map<string, Set<string>>;
  /** Project files → the packages they import (`ink`, `react`, `node:fs`…; the package name only). */
  packages: Map<string, Set<string>>;
  /** What could not be checked: an import whose file is missing, or an `import()` of a computed name. */
  problems: string[];
}

const SOURCE = /\.(ts|tsx|js|mjs)$/;

/** Every source file under `dirs` (and the files given), with what each imports. */
export function importGraph(root: string, entries: string[]): ImportGraph {
  const graph: ImportGraph = { files: new Map(), packages: new Map(), problems: [] };
  for (const file of entries.flatMap((e) => sourceFiles(path.resolve(root, e)))) addFile(graph, file);
  return graph;
}

function sourceFiles(at: string): string[] {
  if (!fs.statSync(at).isDirectory()) return [at];
  return fs.readdirSync(at, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(path.join(at, d.name)) : SOURCE.test(d.name) ? [path.join(at, d.name)] : [],
  );
}

function addFile(graph: ImportGraph, file: string): void {
  const files = new Set<string>();
  const packages = new Set<string>();
  graph.files.set(file, files);
  graph.packages.set(file, packages);
  for (const spec of specifiersOf(file, graph.problems)) {
    if (!spec.startsWith(".")) {
      packages.add(packageName(spec));
      continue;
    }
    const target = path.resolve(path.dirname(file), spec);
    if (fs.existsSync(target)) files.add(target);
    else graph.problems.push(`${file}: imports ${spec}, which does not exist`);
  }
}

/** `@scope/name/sub` → `@scope/name`, `ink/build/x` → `ink`, `node:fs` stays. */
function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function specifiersOf(file: string, problems: string[]): string[] {
  const text = fs.readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) found.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) literal(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.push(arg.text);
      else problems.push(`${file}: import() of a computed name at line ${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1} cannot be checked`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** One path of imports from `from` to `to` (both included), for a message that shows how a rule is broken. */
export function importPath(graph: ImportGraph, from: string, to: (file: string) => boolean): string[] | null {
  const cameFrom = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (to(file)) {
      const chain: string[] = [];
      for (let at: string | null = file; at !== null; at = cameFrom.get(at) ?? null) chain.unshift(at);
      return chain;
    }
    for (const next of graph.files.get(file) ?? []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return null;
}

/** The import cycles: each group of files that import each other, directly or not (Tarjan's strongly connected
 * components of more than one file, or a file importing itself). */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  const connect = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.files.get(file) ?? []) {
      if (!graph.files.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || graph.files.get(file)!.has(file)) cycles.push(group.sort());
  };
  for (const file of graph.files.keys()) if (!index.has(file)) connect(file);
  return cycles;
}
