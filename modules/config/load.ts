/**
 * Loads every YAML file of the pipeline into one typed, validated PipelineConfig. Parsing never
 * creates resources; constructs never read files. Each file is checked against its schema, then
 * the cross-file checks of checks/ (CONFIG_CHECKS, a table run in order) look at the files that
 * passed. All issues of all files are collected before anything is reported.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { CONFIG_CHECKS, MANIFEST_PATH, type CheckContext, type Parsed, type UsedPluginArtifact } from "./checks";
import { ConfigError, formatPath, fromZodIssues, type ConfigIssue, type PathSegment } from "./issues";
import { LOCK_PATH, pinsFor, pluginLockSchema, type PluginLock } from "./plugin-lock";
import {
  REMOVED_ENVIRONMENT_FIELDS,
  archiveSchema,
  connectorSchema,
  environmentSchema,
  isMskConnect,
  pluginManifestSchema,
  processorSchema,
  topicSchema,
  type ArchiveSpec,
  type ConnectorSpec,
  type EnvironmentSpec,
  type PluginManifestSpec,
  type PluginSpec,
  type ProcessorSpec,
  type TopicSpec,
} from "./schema";
import { readSavedObjectsFile, type SavedObjectsFile } from "./saved-objects";
import { readSchemaFile, type SchemaFile } from "./schema-files";
import { YamlSource } from "./yaml-source";

/** Where a value came from, for messages that point the user at a file. */
export interface ConfigOrigin {
  readonly file: string;
  /** `file:line:col` of the value at `path` (or of its nearest existing parent). */
  at(path: readonly PathSegment[]): string;
}

export interface EnvironmentConfig {
  /** Stack name = file name without extension. */
  readonly name: string;
  readonly spec: EnvironmentSpec;
  readonly origin: ConfigOrigin;
  /** The files of opensearch.dashboards_saved_objects, read and checked, in the YAML's order. */
  readonly dashboardsSavedObjects: readonly SavedObjectsFile[];
}

export interface TopicConfig {
  readonly name: string;
  readonly spec: TopicSpec;
  readonly origin: ConfigOrigin;
  /** The text of the file `spec.schema.file` names (read and checked by the loader), when there is a schema. */
  readonly schemaDefinition?: string;
}

export interface ConnectorConfig {
  readonly name: string;
  readonly spec: ConnectorSpec;
  readonly origin: ConfigOrigin;
}

export interface ProcessorConfig {
  readonly name: string;
  readonly spec: ProcessorSpec;
  readonly origin: ConfigOrigin;
}

export interface ArchiveConfig {
  readonly name: string;
  readonly spec: ArchiveSpec;
  readonly origin: ConfigOrigin;
}

export interface PluginArtifact {
  /** Absolute path of the local file. */
  readonly path: string;
  /** Path relative to the project root, as shown to users. */
  readonly displayPath: string;
  /** Whether the file is there (it always is unless missing artifacts are allowed). */
  readonly present: boolean;
  /**
   * The artifact's sha256 pinned in connectors/manifest.lock.json; when the file is present it has
   * been verified to match. Undefined only for a missing, never pinned artifact.
   */
  readonly sha256?: string;
}

export interface PluginConfig {
  readonly name: string;
  readonly spec: PluginSpec;
  readonly artifact: PluginArtifact;
  readonly origin: ConfigOrigin;
}

export interface PipelineConfig {
  readonly rootDir: string;
  readonly environments: readonly EnvironmentConfig[];
  readonly topics: readonly TopicConfig[];
  readonly connectors: readonly ConnectorConfig[];
  /** Stream processors (configs/processors/). */
  readonly processors: readonly ProcessorConfig[];
  /** Archives: Firehose delivery streams from a topic to S3 (configs/archives/). */
  readonly archives: readonly ArchiveConfig[];
  /** Plugins of the manifest that at least one connector or processor uses. */
  readonly plugins: readonly PluginConfig[];
  /** Non-fatal notes for the user (e.g. artifacts not downloaded when that is allowed). */
  readonly warnings: readonly string[];
}

export interface LoadOptions {
  /** Project root holding configs/ and connectors/. */
  readonly rootDir: string;
  /**
   * Accept plugins whose artifact has not been downloaded (a warning instead of an error); the
   * plan then fails in Terraform until `bash scripts/download-connectors.sh` has run.
   * @default false
   */
  readonly allowMissingArtifacts?: boolean;
  /**
   * Directory that file names in issues are shown relative to (where the user runs synth).
   * @default process.cwd()
   */
  readonly cwd?: string;
}

export { DOWNLOAD_COMMAND, MANIFEST_PATH } from "./checks";

/** A file that failed validation: its raw `name`, when readable, so others may still refer to it. */
interface Invalid {
  readonly invalid: true;
  readonly name?: string;
}

function origin(source: YamlSource): ConfigOrigin {
  return {
    file: source.file,
    at: (p) => {
      const { line, col } = source.locate(p);
      return `${source.file}:${line}:${col}`;
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const isValid = <T>(item: Parsed<T> | Invalid): item is Parsed<T> => !("invalid" in item);

/** Each name's first item (later ones of the same name are reported by the checks). */
function firstByName<T extends { name: string }>(items: readonly Parsed<T>[]): Map<string, Parsed<T>> {
  const byName = new Map<string, Parsed<T>>();
  for (const item of items) if (!byName.has(item.value.name)) byName.set(item.value.name, item);
  return byName;
}

/** The plugins of the manifest that connectors use, sorted by name, with their artifacts' files and pins. */
function usedPluginArtifacts(
  rootDir: string,
  connectors: readonly Parsed<ConnectorSpec>[],
  processors: readonly Parsed<ProcessorSpec>[],
  manifest: Parsed<PluginManifestSpec> | undefined,
  lock: PluginLock | undefined,
): UsedPluginArtifact[] {
  if (!manifest) return [];
  const plugins = manifest.value.plugins;
  const used = new Set([...connectors.flatMap((c) => (isMskConnect(c.value) ? [c.value.plugin] : [])), ...processors.map((p) => p.value.application)].filter((name) => plugins[name]));
  return [...used].sort().map((name) => {
    const spec = plugins[name];
    const abs = path.join(rootDir, "connectors", spec.file);
    return {
      name,
      spec,
      path: abs,
      displayPath: path.posix.join("connectors", spec.file),
      present: existsSync(abs),
      pin: pinsFor(spec, lock?.plugins[name]).artifact,
    };
  });
}

/** The schema file of each topic with a `schema` section, read once (checked by checks/schema-registry.ts). */
function schemaFiles(rootDir: string, topics: ReadonlyMap<string, Parsed<TopicSpec>>): Map<string, SchemaFile> {
  const out = new Map<string, SchemaFile>();
  for (const [name, t] of topics) if (t.value.schema) out.set(name, readSchemaFile(rootDir, t.value.schema));
  return out;
}

/** Every file, parsed and checked against its schema; schema issues go to `issues`. */
interface ParsedFiles {
  readonly envs: readonly (Parsed<EnvironmentSpec> | Invalid)[];
  readonly topics: readonly (Parsed<TopicSpec> | Invalid)[];
  readonly connectors: readonly (Parsed<ConnectorSpec> | Invalid)[];
  readonly processors: readonly (Parsed<ProcessorSpec> | Invalid)[];
  readonly archives: readonly (Parsed<ArchiveSpec> | Invalid)[];
  /** The manifest, when it passed its schema. */
  readonly manifest?: Parsed<PluginManifestSpec>;
  /** The lock, when there is one and it passed its schema. */
  readonly lock?: PluginLock;
  readonly lockInvalid: boolean;
}

function parseFiles(rootDir: string, cwd: string, issues: ConfigIssue[]): ParsedFiles {
  const display = (abs: string) => path.relative(cwd, abs) || abs;

  const parseFile = <S extends z.ZodType>(abs: string, schema: S, removed?: Readonly<Record<string, string>>): Parsed<z.output<S>> | Invalid => {
    const file = display(abs);
    const { source, issues: yamlIssues } = YamlSource.parse(file, readFileSync(abs, "utf8"));
    issues.push(...yamlIssues);
    if (!source) return { invalid: true };
    const data = source.toJS();
    const result = schema.safeParse(data, { reportInput: true });
    if (!result.success) {
      issues.push(...fromZodIssues(file, source, schema, data, result.error.issues, removed));
      const name = (data as { name?: unknown } | null)?.name;
      return { invalid: true, name: typeof name === "string" ? name : undefined };
    }
    return { source, value: result.data, stem: path.basename(abs).replace(/\.ya?ml$/, "") };
  };

  const yamlFiles = (dir: string): string[] => {
    const abs = path.join(rootDir, dir);
    if (!existsSync(abs)) return [];
    return readdirSync(abs)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => path.join(abs, f));
  };

  const envFiles = yamlFiles("configs/environments");
  if (envFiles.length === 0) {
    issues.push({ file: display(path.join(rootDir, "configs/environments")), line: 1, col: 1, path: [], expected: "at least one environment file (<env>.yaml)", found: "none" });
  }
  const envs = envFiles.map((f) => parseFile(f, environmentSchema, REMOVED_ENVIRONMENT_FIELDS));
  const topics = yamlFiles("configs/topics").map((f) => parseFile(f, topicSchema));
  const connectors = yamlFiles("configs/connectors").map((f) => parseFile(f, connectorSchema));
  const processors = yamlFiles("configs/processors").map((f) => parseFile(f, processorSchema));
  const archives = yamlFiles("configs/archives").map((f) => parseFile(f, archiveSchema));
  const manifestAbs = path.join(rootDir, MANIFEST_PATH);
  const parsedManifest = existsSync(manifestAbs) ? parseFile(manifestAbs, pluginManifestSchema) : undefined;
  if (!existsSync(manifestAbs)) {
    issues.push({ file: MANIFEST_PATH, line: 1, col: 1, path: [], expected: "the plugin manifest", found: "no file" });
  }
  // The lock is JSON, which the YAML parser reads with positions. No lock = nothing pinned yet.
  const lockAbs = path.join(rootDir, LOCK_PATH);
  const parsedLock = existsSync(lockAbs) ? parseFile(lockAbs, pluginLockSchema) : undefined;
  const lock = parsedLock && isValid(parsedLock) ? parsedLock.value : undefined;
  return {
    envs,
    topics,
    connectors,
    processors,
    archives,
    manifest: parsedManifest && isValid(parsedManifest) ? parsedManifest : undefined,
    lock,
    lockInvalid: parsedLock !== undefined && lock === undefined,
  };
}

/** What the checks see of the parsed files; they report into `issues` and `warnings`. */
function checkContext(rootDir: string, options: LoadOptions, files: ParsedFiles, issues: ConfigIssue[], warnings: string[]): CheckContext {
  const okConnectors = files.connectors.filter(isValid);
  const okProcessors = files.processors.filter(isValid);
  const okTopics = files.topics.filter(isValid);
  // Names of topic files that failed validation: references to them are not reported again. When
  // a topic file cannot be read at all, no dangling reference can be told apart, so none is reported.
  const invalidTopics = files.topics.filter((t): t is Invalid => "invalid" in t);
  const unknownTopicNames = invalidTopics.some((t) => t.name === undefined);
  const invalidTopicNames = new Set(invalidTopics.map((t) => t.name));
  return {
    rootDir,
    allowMissingArtifacts: options.allowMissingArtifacts ?? false,
    envs: files.envs.filter(isValid),
    topics: okTopics,
    connectors: okConnectors,
    processors: okProcessors,
    archives: files.archives.filter(isValid),
    manifest: files.manifest,
    lock: files.lock,
    lockInvalid: files.lockInvalid,
    topicByName: firstByName(okTopics),
    invalidTopicNames,
    refersToInvalidTopic: (name) => unknownTopicNames || invalidTopicNames.has(name),
    usedPlugins: usedPluginArtifacts(rootDir, okConnectors, okProcessors, files.manifest, files.lock),
    schemaFiles: schemaFiles(rootDir, firstByName(okTopics)),
    issueAt: (source, p, expected, found, pointAtKey = false) => {
      const { line, col } = source.locate(p, pointAtKey);
      issues.push({ file: source.file, line, col, path: p, expected, found });
    },
    warnAt: (source, p, message) => {
      const { line, col } = source.locate(p);
      warnings.push(`${source.file}:${line}:${col}  ${formatPath(p)}: ${message}`);
    },
    warn: (message) => warnings.push(message),
  };
}

/** The validated configuration, each kind sorted by name and frozen. */
function pipelineConfig(ctx: CheckContext, warnings: readonly string[]): PipelineConfig {
  const { manifest } = ctx;
  const byName = <T extends { name: string }>(items: T[]) => items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    rootDir: ctx.rootDir,
    environments: byName(
      ctx.envs.map((e) => ({
        name: e.stem,
        spec: deepFreeze(e.value),
        origin: origin(e.source),
        // Checked by the environment checks: every file reads.
        dashboardsSavedObjects: deepFreeze(e.value.opensearch.dashboards_saved_objects.map((rel) => readSavedObjectsFile(ctx.rootDir, rel).file!)),
      })),
    ),
    topics: byName(
      ctx.topics.map((t) => ({
        name: t.value.name,
        spec: deepFreeze(t.value),
        origin: origin(t.source),
        ...(t.value.schema ? { schemaDefinition: ctx.schemaFiles.get(t.value.name)?.definition } : {}),
      })),
    ),
    connectors: byName(ctx.connectors.map((c) => ({ name: c.value.name, spec: deepFreeze(c.value), origin: origin(c.source) }))),
    processors: byName(ctx.processors.map((p) => ({ name: p.value.name, spec: deepFreeze(p.value), origin: origin(p.source) }))),
    archives: byName(ctx.archives.map((a) => ({ name: a.value.name, spec: deepFreeze(a.value), origin: origin(a.source) }))),
    plugins: manifest
      ? ctx.usedPlugins.map(({ name, spec, path: abs, displayPath, present, pin }) => ({
          name,
          spec,
          artifact: { path: abs, displayPath, present, sha256: pin },
          origin: origin(manifest.source),
        }))
      : [],
    warnings,
  };
}

/**
 * Parses every file against its schema, runs CONFIG_CHECKS in order on the files that passed, and
 * throws one ConfigError with every issue found; otherwise returns the typed configuration.
 */
export function loadPipelineConfig(options: LoadOptions): PipelineConfig {
  const rootDir = path.resolve(options.rootDir);
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const files = parseFiles(rootDir, path.resolve(options.cwd ?? process.cwd()), issues);
  const ctx = checkContext(rootDir, options, files, issues, warnings);
  for (const { check } of CONFIG_CHECKS) check(ctx);
  if (issues.length > 0) throw new ConfigError(issues);
  return pipelineConfig(ctx, warnings);
}
