/**
 * Parses one YAML file keeping node positions, so every issue can be reported as file:line:col.
 */
import { Document, LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from "yaml";
import { type ConfigIssue, type PathSegment } from "./issues";

export interface Position {
  readonly line: number;
  readonly col: number;
}

export class YamlSource {
  private constructor(
    /** Path as shown to the user. */
    public readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Parses `text`; returns the source, or the syntax/duplicate-key issues when it cannot be used. */
  public static parse(file: string, text: string): { source?: YamlSource; issues: ConfigIssue[] } {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
    const issues: ConfigIssue[] = doc.errors.map((e) => {
      const offset = e.pos[0];
      const { line, col } = lines.linePos(offset);
      if (e.code === "DUPLICATE_KEY") {
        const key = /^[^:\n]*/.exec(text.slice(offset))?.[0]?.trim() ?? "";
        return {
          file,
          line,
          col,
          path: key ? [key] : [],
          expected: "each key once per mapping",
          found: `"${key}" a second time (duplicate key)`,
        };
      }
      return {
        file,
        line,
        col,
        path: [],
        expected: "valid YAML",
        found: `${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")} (${e.code})`,
      };
    });
    if (issues.length > 0) return { issues };
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
      return { issues: [{ file, line: 1, col: 1, path: [], expected: "a mapping of fields", found: "an empty file" }] };
    }
    return { source: new YamlSource(file, doc, lines), issues: [] };
  }

  /** The plain JavaScript value of the document. */
  public toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }

  /**
   * Whether the document itself sets `path` (a key present, whatever its value), as opposed to a
   * field the schema fills with its default: zod's defaults make the two look alike afterwards.
   */
  public has(path: readonly PathSegment[]): boolean {
    let node: unknown = this.doc.contents;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = (node.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return false;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
        node = node.items[seg];
      } else {
        return false;
      }
    }
    return true;
  }

  /**
   * Position of the node at `path`. With `pointAtKey`, the position of the key rather than its
   * value. A path that does not exist resolves to its nearest existing ancestor (the key that
   * introduces it), which is where a missing field belongs.
   */
  public locate(path: readonly PathSegment[], pointAtKey = false): Position {
    let node: unknown = this.doc.contents;
    // Where a missing descendant is reported: the key that introduces the current node.
    let pos: number = (node as Node | null)?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = (node.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        pos = (pair.key as Node).range?.[0] ?? pos;
        if (last && pointAtKey) break;
        node = pair.value;
        if (last) pos = (node as Node | null)?.range?.[0] ?? pos;
      } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
        node = node.items[seg];
        pos = (node as Node | null)?.range?.[0] ?? pos;
      } else {
        break;
      }
    }
    return this.lines.linePos(pos);
  }
}
