/**
 * JSON Schemas of the YAML files, generated from the zod schemas the loader validates with (one
 * source of truth). yaml-language-server (VS Code's YAML extension, Neovim, JetBrains, ...) reads
 * them through the `# yaml-language-server: $schema=...` modeline at the top of each file and
 * completes fields, shows their descriptions and defaults, and flags unknown keys as you type.
 *
 * `npm run schemas` writes them to schemas/; a test fails when the committed files are stale.
 *
 * What JSON Schema cannot say: cross-field and cross-file checks (superRefine: "exactly one of
 * provisioned or autoscaling", topic references, date formats...) are left out of the schema;
 * the loader still reports them with file:line:col. Enumerations checked by refinements carry an
 * explicit `enum` through `.meta()` in schema/*.ts.
 */
import * as path from "node:path";
import { z } from "zod";
import { archiveSchema, connectorSchema, environmentSchema, pluginManifestSchema, processorSchema, topicSchema } from "./schema";

export const SCHEMA_DIR = "schemas";

export interface ConfigKind {
  /** File name under schemas/. */
  readonly schemaFile: string;
  readonly title: string;
  readonly schema: z.ZodType;
  /** Whether a project-relative path (POSIX separators) is a file of this kind. */
  readonly matches: (relPath: string) => boolean;
}

/** YAML files directly in configs/<dir>, or in examples/<dir> (examples to copy there, same depth, same modeline). */
const yamlIn = (dir: string) => (p: string) =>
  [dir, dir.replace(/^configs\//, "examples/")].some((d) => p.startsWith(`${d}/`) && !p.slice(d.length + 1).includes("/")) && /\.ya?ml$/.test(p);

export const CONFIG_KINDS: readonly ConfigKind[] = [
  {
    schemaFile: "environment.schema.json",
    title: "Pipeline environment (configs/environments/<env>.yaml)",
    schema: environmentSchema,
    matches: yamlIn("configs/environments"),
  },
  {
    schemaFile: "topic.schema.json",
    title: "Pipeline topic (configs/topics/<topic>.yaml)",
    schema: topicSchema,
    matches: yamlIn("configs/topics"),
  },
  {
    schemaFile: "connector.schema.json",
    title: "Pipeline connector (configs/connectors/<name>.yaml)",
    schema: connectorSchema,
    matches: yamlIn("configs/connectors"),
  },
  {
    schemaFile: "processor.schema.json",
    title: "Pipeline stream processor (configs/processors/<name>.yaml)",
    schema: processorSchema,
    matches: yamlIn("configs/processors"),
  },
  {
    schemaFile: "archive.schema.json",
    title: "Pipeline archive: Firehose from a topic to S3 (configs/archives/<name>.yaml)",
    schema: archiveSchema,
    matches: yamlIn("configs/archives"),
  },
  {
    schemaFile: "plugin-manifest.schema.json",
    title: "MSK Connect plugin manifest (connectors/manifest.yaml)",
    schema: pluginManifestSchema,
    matches: (p) => p === "connectors/manifest.yaml",
  },
];

/** The kind of a config file, by its path relative to the project root; undefined if none. */
export function configKindOf(relPath: string): ConfigKind | undefined {
  const posix = relPath.split(path.sep).join("/");
  return CONFIG_KINDS.find((k) => k.matches(posix));
}

/** The first line every config file carries: a schema path relative to the file itself. */
export function modelineFor(relPath: string): string {
  const kind = configKindOf(relPath);
  if (!kind) throw new Error(`${relPath} is not a pipeline config file`);
  const rel = path.posix.relative(path.posix.dirname(relPath.split(path.sep).join("/")), `${SCHEMA_DIR}/${kind.schemaFile}`);
  return `# yaml-language-server: $schema=${rel}`;
}

/** zod marks `.int()` with JavaScript's safe-integer range; that is noise in an editor. */
function dropSafeIntegerBounds(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(dropSafeIntegerBounds);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const o = node as Record<string, unknown>;
  if (o.minimum === Number.MIN_SAFE_INTEGER) delete o.minimum;
  if (o.maximum === Number.MAX_SAFE_INTEGER) delete o.maximum;
  for (const v of Object.values(o)) dropSafeIntegerBounds(v);
}

/**
 * The JSON Schema of one kind of file. `io: "input"` describes what the user writes: fields with
 * a default are optional and show the default. draft-07 is what yaml-language-server supports best.
 */
export function jsonSchemaOf(kind: ConfigKind): Record<string, unknown> {
  const generated = z.toJSONSchema(kind.schema, { io: "input", target: "draft-07", unrepresentable: "throw" }) as Record<string, unknown>;
  dropSafeIntegerBounds(generated);
  const { $schema, ...rest } = generated;
  return { $schema, title: kind.title, ...rest };
}

/** Every schema file's content (stable, 2-space JSON with a final newline), by file name. */
export function renderJsonSchemas(): Record<string, string> {
  return Object.fromEntries(CONFIG_KINDS.map((k) => [k.schemaFile, `${JSON.stringify(jsonSchemaOf(k), null, 2)}\n`]));
}
