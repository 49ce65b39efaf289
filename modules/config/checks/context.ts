/**
 * What the loader's checks see: every file that passed its schema, what can be told about the
 * ones that did not, and where to report. A check only reads the context and reports issues (or
 * warnings); it never throws for a user mistake.
 */
import type { PathSegment } from "../issues";
import type { PluginLock } from "../plugin-lock";
import type { ArchiveSpec, ConnectorSpec, EnvironmentSpec, PluginManifestSpec, PluginSpec, ProcessorSpec, TopicSpec } from "../schema";
import type { SchemaFile } from "../schema-files";
import type { YamlSource } from "../yaml-source";

export const DOWNLOAD_COMMAND = "bash scripts/download-connectors.sh";
export const MANIFEST_PATH = "connectors/manifest.yaml";

/** Keys that look like credentials: they never belong in YAML. */
export const SECRET_KEY = /(password|passwd|secret|token|credential|private[._-]?key|api[._-]?key|access[._-]?key)/i;

/** A file that passed its schema. */
export interface Parsed<T> {
  readonly source: YamlSource;
  readonly value: T;
  /** File name without .yaml/.yml. */
  readonly stem: string;
}

/** The artifact of a plugin some connector uses, as the manifest and the lock describe it. */
export interface UsedPluginArtifact {
  readonly name: string;
  readonly spec: PluginSpec;
  /** Absolute path of the local file. */
  readonly path: string;
  /** Path relative to the project root, as shown to users. */
  readonly displayPath: string;
  readonly present: boolean;
  /** sha256 pinned in the lock, if any. */
  readonly pin?: string;
}

export interface CheckContext {
  readonly rootDir: string;
  /** Missing artifacts are a warning instead of an error. */
  readonly allowMissingArtifacts: boolean;
  readonly envs: readonly Parsed<EnvironmentSpec>[];
  readonly topics: readonly Parsed<TopicSpec>[];
  readonly connectors: readonly Parsed<ConnectorSpec>[];
  /** Stream processors that passed their schema. */
  readonly processors: readonly Parsed<ProcessorSpec>[];
  /** Archives (Firehose delivery streams) that passed their schema. */
  readonly archives: readonly Parsed<ArchiveSpec>[];
  /** The plugin manifest, when it passed its schema. */
  readonly manifest?: Parsed<PluginManifestSpec>;
  /** The lock, when there is one and it passed its schema. */
  readonly lock?: PluginLock;
  /** A lock file exists but failed its schema (it is reported; artifacts cannot be verified). */
  readonly lockInvalid: boolean;
  /** Each topic name's first topic file (a later file of the same name is reported). */
  readonly topicByName: ReadonlyMap<string, Parsed<TopicSpec>>;
  /** Names of topic files that failed validation (undefined: a file whose name could not be read). */
  readonly invalidTopicNames: ReadonlySet<string | undefined>;
  /**
   * Whether a reference to `name` may be to a topic file that failed validation: such references
   * are not reported again. When a topic file cannot be read at all, none can be told apart.
   */
  refersToInvalidTopic(name: string): boolean;
  /** Plugins of the manifest that a connector uses, sorted by name, with their artifacts. */
  readonly usedPlugins: readonly UsedPluginArtifact[];
  /** The schema file of each topic (by name, its first topic file) that has a `schema` section. */
  readonly schemaFiles: ReadonlyMap<string, SchemaFile>;
  /** Reports an issue at `path` of `source`. */
  issueAt(source: YamlSource, path: readonly PathSegment[], expected: string, found: string, pointAtKey?: boolean): void;
  /** Reports a warning at `path` of `source`. */
  warnAt(source: YamlSource, path: readonly PathSegment[], message: string): void;
  /** A warning about no one place. */
  warn(message: string): void;
}

/** One kind of check the loader runs, in table order, after every file is parsed. */
export interface ConfigCheck {
  readonly name: string;
  check(ctx: CheckContext): void;
}

/** Indexes of the entries that repeat an earlier one. */
export function duplicates(items: readonly string[]): number[] {
  return items.flatMap((item, i) => (items.indexOf(item) !== i ? [i] : []));
}
