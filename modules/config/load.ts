/**
 * Loads every YAML file of the pipeline into one typed, validated PipelineConfig. Parsing never
 * creates resources; constructs never read files. All issues of all files are collected before
 * anything is reported.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { SUBNET_SLOT_AZS, cidrsOverlap, parseCidr, planSubnets } from "./cidr";
import { ConfigError, closest, formatPath, fromZodIssues, type ConfigIssue, type PathSegment } from "./issues";
import { LOCK_PATH, pinsFor, pluginLockSchema, type PluginLock } from "./plugin-lock";
import {
  KAFKA_CONNECT_JAVA,
  SECRETS_MANAGER_CONFIG_PROVIDER_CLASS,
  REMOVED_ENVIRONMENT_FIELDS,
  connectorClassOf,
  connectorSchema,
  environmentSchema,
  isSink,
  pluginManifestSchema,
  topicSchema,
  type ConnectorSpec,
  type EnvironmentSpec,
  type PluginSpec,
  type TopicSpec,
} from "./schema";
import { checkManagedTopics } from "./topics";
import { YamlSource } from "./yaml-source";
import { ALL_RULES } from "../guard/rules";
import { RESOURCE_NAME } from "../guard/security-guard";
import { INDEX_NAME as BOOTSTRAP_INDEX_NAME } from "../search/bootstrap-plan";

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
}

export interface TopicConfig {
  readonly name: string;
  readonly spec: TopicSpec;
  readonly origin: ConfigOrigin;
}

export interface ConnectorConfig {
  readonly name: string;
  readonly spec: ConnectorSpec;
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
  /** Plugins of the manifest that at least one connector uses. */
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
}

export const DOWNLOAD_COMMAND = "bash scripts/download-connectors.sh";
export const MANIFEST_PATH = "connectors/manifest.yaml";

/** Broker properties that have their own field under kafka.server_properties (KafkaCluster refuses them in extra). */
const NAMED_BROKER_PROPERTIES: Record<string, string> = {
  "auto.create.topics.enable": "auto_create_topics",
  "num.partitions": "default_partitions",
  "default.replication.factor": "default_replication_factor",
  "min.insync.replicas": "min_insync_replicas",
  "log.retention.hours": "log_retention_hours",
  "delete.topic.enable": "delete_topic_enable",
};

/** AWS's VPC size limits (the Network construct refuses others). */
const VPC_PREFIX_RANGE = [16, 28] as const;
/** IAM role names: at most 64 characters; a connector's role is `<name_prefix>-<connector>-connect`. */
const IAM_ROLE_NAME_MAX = 64;
/** S3 bucket names: at most 63; the artifact bucket is `<name_prefix>-artifacts-<12-digit account>-<region>`. */
const BUCKET_NAME_MAX = 63;

/** Keys that look like credentials: they never belong in YAML. */
const SECRET_KEY = /(password|passwd|secret|token|credential|private[._-]?key|api[._-]?key|access[._-]?key)/i;

/** A file that failed validation: its raw `name`, when readable, so others may still refer to it. */
interface Invalid {
  readonly invalid: true;
  readonly name?: string;
}

interface Parsed<T> {
  readonly source: YamlSource;
  readonly value: T;
  readonly stem: string;
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

/** Indexes of the entries that repeat an earlier one. */
function duplicates(items: readonly string[]): number[] {
  return items.flatMap((item, i) => (items.indexOf(item) !== i ? [i] : []));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function loadPipelineConfig(options: LoadOptions): PipelineConfig {
  const rootDir = path.resolve(options.rootDir);
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const display = (abs: string) => path.relative(process.cwd(), abs) || abs;

  const issueAt = (source: YamlSource, p: readonly PathSegment[], expected: string, found: string, pointAtKey = false) => {
    const { line, col } = source.locate(p, pointAtKey);
    issues.push({ file: source.file, line, col, path: p, expected, found });
  };

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

  // ---- parse every file -------------------------------------------------------------------
  const envFiles = yamlFiles("configs/environments");
  if (envFiles.length === 0) {
    issues.push({ file: display(path.join(rootDir, "configs/environments")), line: 1, col: 1, path: [], expected: "at least one environment file (<env>.yaml)", found: "none" });
  }
  const envs = envFiles.map((f) => parseFile(f, environmentSchema, REMOVED_ENVIRONMENT_FIELDS));
  const topics = yamlFiles("configs/topics").map((f) => parseFile(f, topicSchema));
  const connectors = yamlFiles("configs/connectors").map((f) => parseFile(f, connectorSchema));
  const manifestAbs = path.join(rootDir, MANIFEST_PATH);
  const parsedManifest = existsSync(manifestAbs) ? parseFile(manifestAbs, pluginManifestSchema) : undefined;
  const manifest = parsedManifest && !("invalid" in parsedManifest) ? parsedManifest : undefined;
  if (!existsSync(manifestAbs)) {
    issues.push({ file: MANIFEST_PATH, line: 1, col: 1, path: [], expected: "the plugin manifest", found: "no file" });
  }
  // The lock is JSON, which the YAML parser reads with positions. No lock = nothing pinned yet.
  const lockAbs = path.join(rootDir, LOCK_PATH);
  const parsedLock = existsSync(lockAbs) ? parseFile(lockAbs, pluginLockSchema) : undefined;
  const lock: PluginLock | undefined = parsedLock && !("invalid" in parsedLock) ? parsedLock.value : undefined;

  const valid = <T>(items: (Parsed<T> | Invalid)[]) => items.filter((i): i is Parsed<T> => !("invalid" in i));
  const okEnvs = valid(envs);
  const okTopics = valid(topics);
  const okConnectors = valid(connectors);
  // Names of topic files that failed validation: references to them are not reported again. When
  // a topic file cannot be read at all, no dangling reference can be told apart, so none is reported.
  const invalidTopics = topics.filter((t): t is Invalid => "invalid" in t);
  const unknownTopicNames = invalidTopics.some((t) => t.name === undefined);
  const invalidTopicNames = new Set(invalidTopics.map((t) => t.name));
  const refersToInvalidTopic = (name: string) => unknownTopicNames || invalidTopicNames.has(name);

  // ---- environments ---------------------------------------------------------------------------
  const prefixes = new Map<string, string>();
  for (const { source, value: e, stem } of okEnvs) {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(stem)) {
      issueAt(source, [], "a file name that is a valid stack name (lowercase letters, digits, '-')", `"${stem}"`);
    }
    const other = prefixes.get(e.name_prefix);
    if (other) issueAt(source, ["name_prefix"], `a name_prefix not used by another environment`, `"${e.name_prefix}", also used by ${other}`);
    else prefixes.set(e.name_prefix, source.file);

    const az = e.network.az_count;
    if (e.network.availability_zones && e.network.availability_zones.length !== az) {
      issueAt(source, ["network", "availability_zones"], `${az} AZ names (network.az_count)`, `${e.network.availability_zones.length}`);
    }
    const vpcPrefix = parseCidr(e.network.cidr)?.prefix;
    if (vpcPrefix !== undefined && (vpcPrefix < VPC_PREFIX_RANGE[0] || vpcPrefix > VPC_PREFIX_RANGE[1])) {
      issueAt(source, ["network", "cidr"], `a VPC CIDR from /${VPC_PREFIX_RANGE[0]} to /${VPC_PREFIX_RANGE[1]} (AWS's VPC limits)`, `"${e.network.cidr}"`);
    } else {
      try {
        planSubnets(e.network.cidr, az);
      } catch (err) {
        issueAt(source, ["network", "cidr"], `a VPC CIDR with room for ${2 * SUBNET_SLOT_AZS} subnets of /28 or larger (subnets are carved for ${SUBNET_SLOT_AZS} AZs)`, `${e.network.cidr} (${(err as Error).message})`);
      }
    }
    duplicates(e.network.availability_zones ?? []).forEach((i) => {
      issueAt(source, ["network", "availability_zones", i], "distinct AZ names", `"${e.network.availability_zones![i]}" twice`);
    });
    const bucketLength = e.name_prefix.length + "-artifacts-".length + 12 + 1 + e.region.length;
    if (bucketLength > BUCKET_NAME_MAX) {
      issueAt(source, ["region"], `a region that keeps the artifact bucket name <name_prefix>-artifacts-<account>-<region> within ${BUCKET_NAME_MAX} characters`, `"${e.region}" (${bucketLength} characters)`);
    }
    const k = e.kafka;
    if (k.broker_count % az !== 0) {
      issueAt(source, ["kafka", "broker_count"], `a multiple of network.az_count (${az})`, `${k.broker_count}`);
    }
    const sp = k.server_properties;
    if (sp.default_replication_factor > k.broker_count) {
      issueAt(source, ["kafka", "server_properties", "default_replication_factor"], `at most kafka.broker_count (${k.broker_count})`, `${sp.default_replication_factor}`);
    }
    if (sp.min_insync_replicas > sp.default_replication_factor) {
      issueAt(source, ["kafka", "server_properties", "min_insync_replicas"], `at most default_replication_factor (${sp.default_replication_factor})`, `${sp.min_insync_replicas}`);
    }
    for (const [key, value] of Object.entries(sp.extra)) {
      const p: PathSegment[] = ["kafka", "server_properties", "extra", key];
      if (SECRET_KEY.test(key)) issueAt(source, p, "no credentials in YAML", `key "${key}"`, true);
      const field = NAMED_BROKER_PROPERTIES[key];
      if (field) issueAt(source, p, `a property without its own field (set kafka.server_properties.${field} instead)`, `"${key}"`, true);
      if (/[\r\n]/.test(String(value))) issueAt(source, p, "a single-line value (the MSK configuration is a properties file)", JSON.stringify(String(value)));
    }
    if (k.storage_autoscaling_max_gb !== undefined && k.storage_autoscaling_max_gb <= k.ebs_volume_gb) {
      issueAt(source, ["kafka", "storage_autoscaling_max_gb"], `more than kafka.ebs_volume_gb (${k.ebs_volume_gb})`, `${k.storage_autoscaling_max_gb}`);
    }
    const os = e.opensearch;
    if (os.zone_count > az) {
      issueAt(source, ["opensearch", "zone_count"], `at most network.az_count (${az})`, `${os.zone_count}`);
    }
    if (os.instance_count % os.zone_count !== 0) {
      issueAt(source, ["opensearch", "instance_count"], `a multiple of opensearch.zone_count (${os.zone_count}) for zone awareness`, `${os.instance_count}`);
    }
    for (const user of Object.keys(os.dashboards_users)) {
      if (user.startsWith(`${e.name_prefix}-`)) {
        issueAt(source, ["opensearch", "dashboards_users", user], `a name not starting with "${e.name_prefix}-" (kept for the master and the sinks' users)`, `"${user}"`, true);
      }
    }
    const v = e.vpn;
    if (v.enabled) {
      (v.allowed_cidrs ?? []).forEach((cidr, i) => {
        if (parseCidr(cidr)?.prefix === 0 && !v.allow_open_ingress) {
          issueAt(source, ["vpn", "allowed_cidrs", i], "specific source CIDRs (0.0.0.0/0 needs vpn.allow_open_ingress: true and a security waiver)", `"${cidr}"`);
        }
      });
      duplicates(v.allowed_cidrs ?? []).forEach((i) => {
        issueAt(source, ["vpn", "allowed_cidrs", i], "each CIDR once", `"${v.allowed_cidrs![i]}" twice`);
      });
      if (!v.l2tp_ipsec && !v.softether && !v.openvpn) {
        issueAt(source, ["vpn"], "at least one of l2tp_ipsec, softether or openvpn enabled", "none");
      }
      const client = parseCidr(v.client_network);
      const vpc = parseCidr(e.network.cidr);
      if (client && vpc && cidrsOverlap(client, vpc)) {
        issueAt(source, ["vpn", "client_network"], `a network outside the VPC (${e.network.cidr})`, `"${v.client_network}"`);
      }
      if (client && client.prefix > 28) {
        issueAt(source, ["vpn", "client_network"], "a /28 or larger network for DHCP", `"${v.client_network}"`);
      }
    }
    for (const [key, value] of Object.entries(e.connect.worker_properties)) {
      const p: PathSegment[] = ["connect", "worker_properties", key];
      if (SECRET_KEY.test(key)) issueAt(source, p, "no credentials in YAML", `key "${key}"`, true);
      if (/[\r\n]/.test(String(value))) issueAt(source, p, "a single-line value (worker properties are a properties file)", JSON.stringify(String(value)));
    }

    // Waivers: what SecurityGuard would refuse, located in the file.
    const ruleIds = ALL_RULES.map((r) => r.id);
    const waiverKeys = new Set<string>();
    e.security.waivers.forEach((w, i) => {
      const p: PathSegment[] = ["security", "waivers", i];
      if (!ruleIds.includes(w.rule)) {
        const hint = closest(w.rule, ruleIds);
        issueAt(source, [...p, "rule"], `a security rule id${hint ? ` (did you mean "${hint}"?)` : ` (${ruleIds.join(", ")})`}`, `"${w.rule}"`);
      }
      if (!RESOURCE_NAME.test(w.resource)) {
        issueAt(source, [...p, "resource"], 'a resource as the guard prints it, "<terraform type>.<construct path>" (e.g. aws_msk_cluster.kafka/resource)', `"${w.resource}"`);
      }
      const key = `${w.rule} ${w.resource}`;
      if (waiverKeys.has(key)) issueAt(source, p, "each waiver once", `a second waiver of ${key}`);
      waiverKeys.add(key);
    });
  }

  // ---- topics ---------------------------------------------------------------------------------
  const topicByName = new Map<string, Parsed<TopicSpec>>();
  const collisionKey = new Map<string, string>();
  const indexOwner = new Map<string, string>();
  for (const t of okTopics) {
    const { source, value } = t;
    const dup = topicByName.get(value.name);
    if (dup) {
      issueAt(source, ["name"], "a topic name not used by another topic file", `"${value.name}", also in ${dup.source.file}`);
      continue;
    }
    topicByName.set(value.name, t);
    const ck = value.name.replace(/\./g, "_");
    const clash = collisionKey.get(ck);
    if (clash) {
      issueAt(source, ["name"], `a topic name that does not collide with "${clash}" (Kafka treats '.' and '_' alike in metric names)`, `"${value.name}"`);
    }
    collisionKey.set(ck, value.name);
    const names: [string, PathSegment[]][] = [
      [value.index.name, ["index", "name"]],
      ...value.index.aliases.map((a, i): [string, PathSegment[]] => [a, ["index", "aliases", i]]),
    ];
    for (const [name, p] of names) {
      // The bootstrap plan (IndexBootstrap) accepts a narrower set than OpenSearch does.
      if (!BOOTSTRAP_INDEX_NAME.test(name)) {
        issueAt(source, p, "an index name the bootstrap creates (lowercase letters, digits, '.', '_', '-'; starting with a letter or digit)", `"${name}"`);
      }
      const owner = indexOwner.get(name);
      if (owner) issueAt(source, p, "an index or alias name not used by another topic", `"${name}", also used by topic ${owner}`);
      else indexOwner.set(name, value.name);
    }
  }
  for (const { source, value } of okTopics) {
    const fields = value.generator?.fields ?? {};
    for (const [field, g] of Object.entries(fields)) {
      for (const [ref, p] of [
        [g.matching, ["generator", "fields", field, "matching"]],
        [g.sometimes?.matching, ["generator", "fields", field, "sometimes", "matching"]],
      ] as [string | undefined, PathSegment[]][]) {
        if (!ref) continue;
        const m = /^(.+)\.(key|value)(?:\.([^.]+))?$/.exec(ref)!;
        const target = topicByName.get(m[1]);
        if (!target && refersToInvalidTopic(m[1])) continue;
        if (!target) {
          issueAt(source, p, "a reference to an existing topic (<topic>.value.<field>)", `"${ref}": no topic named "${m[1]}"`);
        } else if (m[2] === "value" && m[3] && !target.value.generator?.fields[m[3]]) {
          issueAt(source, p, `a generated field of topic ${m[1]}`, `"${ref}": ${m[1]} generates no field "${m[3]}"`);
        }
      }
    }
  }

  // ---- plugin manifest -----------------------------------------------------------------------
  const plugins = manifest?.value.plugins ?? {};

  // ---- connectors -----------------------------------------------------------------------------
  const connectorNames = new Map<string, string>();
  const usedPlugins = new Set<string>();
  for (const { source, value: c } of okConnectors) {
    const dup = connectorNames.get(c.name);
    if (dup) issueAt(source, ["name"], "a connector name not used by another connector file", `"${c.name}", also in ${dup}`);
    else connectorNames.set(c.name, source.file);
    for (const e of okEnvs) {
      const roleName = `${e.value.name_prefix}-${c.name}-connect`;
      if (roleName.length > IAM_ROLE_NAME_MAX) {
        issueAt(
          source,
          ["name"],
          `a connector name of at most ${IAM_ROLE_NAME_MAX - e.value.name_prefix.length - "--connect".length} characters (its IAM role <name_prefix>-<name>-connect in environment ${e.stem} must stay within ${IAM_ROLE_NAME_MAX})`,
          `"${c.name}" (${c.name.length} characters)`,
        );
      }
    }

    c.topics.forEach((t, i) => {
      const topic = topicByName.get(t);
      if (!topic && refersToInvalidTopic(t)) return;
      if (!topic) {
        const hint = closest(t, [...topicByName.keys()]);
        issueAt(source, ["topics", i], `a topic defined in configs/topics/${hint ? ` (did you mean "${hint}"?)` : ""}`, `"${t}"`);
        return;
      }
      if (c.kind === "msk-datagen" && !topic.value.generator) {
        issueAt(source, ["topics", i], `a topic with a generator section (${topic.source.file})`, `"${t}" without one`);
      }
      if (c.kind === "opensearch-sink" && topic.value.index.name !== t) {
        issueAt(
          source,
          ["topics", i],
          "topics whose index.name equals the topic name (the sink writes each topic to the index of the same name)",
          `"${t}" with index "${topic.value.index.name}" (${topic.source.file})`,
        );
      }
    });
    const seen = new Set<string>();
    c.topics.forEach((t, i) => {
      if (seen.has(t)) issueAt(source, ["topics", i], "each topic once", `"${t}" twice`);
      seen.add(t);
    });

    const plugin = plugins[c.plugin];
    if (!parsedManifest || "invalid" in parsedManifest) {
      // The manifest itself is reported; plugin references cannot be checked against it.
    } else if (!plugin) {
      const hint = closest(c.plugin, Object.keys(plugins));
      issueAt(source, ["plugin"], `a plugin of ${MANIFEST_PATH}${hint ? ` (did you mean "${hint}"?)` : ` (${Object.keys(plugins).join(", ")})`}`, `"${c.plugin}"`);
    } else if (plugin) {
      usedPlugins.add(c.plugin);
      if (c.kind === "opensearch-sink" && !plugin.config_providers.includes(SECRETS_MANAGER_CONFIG_PROVIDER_CLASS)) {
        issueAt(
          source,
          ["plugin"],
          `a plugin that bundles ${SECRETS_MANAGER_CONFIG_PROVIDER_CLASS} (the sink reads its credentials through it; config_providers in ${MANIFEST_PATH})`,
          `"${c.plugin}", which bundles ${plugin.config_providers.length ? plugin.config_providers.join(", ") : "no config provider"}`,
        );
      }
      const cls = connectorClassOf(c);
      if (!plugin.connector_classes.includes(cls)) {
        issueAt(source, c.kind === "custom" ? ["connector_class"] : ["plugin"], `a plugin that provides ${cls}`, `"${c.plugin}", which provides ${plugin.connector_classes.join(", ")}`);
      }
      const envVersions = okEnvs.map((e) => e.value.connect.kafka_connect_version);
      const versions = c.kafka_connect_version ? [c.kafka_connect_version] : [...new Set(envVersions)];
      for (const v of versions) {
        const java = KAFKA_CONNECT_JAVA[v];
        if (plugin.java_version > java) {
          issueAt(
            source,
            c.kafka_connect_version ? ["kafka_connect_version"] : ["plugin"],
            `a plugin that runs on Java ${java} (MSK Connect runs Kafka Connect ${v} on Java ${java})`,
            `"${c.plugin}", which needs Java ${plugin.java_version} (${MANIFEST_PATH})`,
          );
        }
      }
    }

    const dlq = c.errors.dead_letter_queue;
    if (dlq) {
      if (!isSink(c)) issueAt(source, ["errors", "dead_letter_queue"], "a dead-letter queue only on sink connectors (Kafka Connect ignores it for sources)", `one on a ${c.kind} connector`);
      if (c.topics.includes(dlq.topic)) issueAt(source, ["errors", "dead_letter_queue", "topic"], "a dead-letter topic that is not one of the connector's own topics", `"${dlq.topic}"`);
    }
    const secretKeys: [string, PathSegment[]][] = [
      ...Object.keys(c.config).map((k): [string, PathSegment[]] => [k, ["config", k]]),
      ...c.transforms.flatMap((t, i) => Object.keys(t.config).map((k): [string, PathSegment[]] => [k, ["transforms", i, "config", k]])),
    ];
    for (const [key, p] of secretKeys) {
      if (SECRET_KEY.test(key)) {
        issueAt(source, p, "no credentials in YAML (sink credentials live in Secrets Manager and reach the connector through a config provider)", `key "${key}"`, true);
      }
    }
    const transformNames = new Set<string>();
    c.transforms.forEach((t, i) => {
      if (transformNames.has(t.name)) issueAt(source, ["transforms", i, "name"], "unique transform names", `"${t.name}" twice`);
      transformNames.add(t.name);
    });
  }

  // ---- Terraform-managed topics (topic files and dead-letter topics), per environment ---------
  checkManagedTopics({
    envs: okEnvs,
    topics: okTopics.filter((t) => topicByName.get(t.value.name) === t).map((t) => ({ name: t.value.name, spec: t.value, file: t.source })),
    connectors: okConnectors.map((c) => ({ name: c.value.name, spec: c.value, file: c.source })),
    invalidTopicNames,
    error: (file, p, expected, found) => issueAt(file as YamlSource, p, expected, found),
    warn: (file, p, message) => {
      const source = file as YamlSource;
      const { line, col } = source.locate(p);
      warnings.push(`${source.file}:${line}:${col}  ${formatPath(p)}: ${message}`);
    },
  });

  // ---- artifacts of the plugins in use, verified against the lock -----------------------------
  const pluginConfigs: PluginConfig[] = [];
  const notDownloaded: string[] = [];
  if (manifest && (!parsedLock || lock)) {
    for (const name of [...usedPlugins].sort()) {
      const spec = plugins[name];
      const abs = path.join(rootDir, "connectors", spec.file);
      const displayPath = path.posix.join("connectors", spec.file);
      const pin = pinsFor(spec, lock?.plugins[name]).artifact;
      const at = ["plugins", name, "file"];
      const present = existsSync(abs);
      if (present) {
        const actual = createHash("sha256").update(readFileSync(abs)).digest("hex");
        if (!pin) {
          issueAt(
            manifest.source,
            at,
            `an artifact pinned in ${LOCK_PATH} (run \`${DOWNLOAD_COMMAND}\`: it builds, verifies and pins it; then review and commit the lock)`,
            `${displayPath} (sha256 ${actual}) with no pin for plugin ${name} ${spec.version}`,
          );
        } else if (pin !== actual) {
          issueAt(
            manifest.source,
            at,
            `${displayPath} with the sha256 pinned in ${LOCK_PATH}, ${pin} (run \`${DOWNLOAD_COMMAND}\` to rebuild it from the pinned sources)`,
            `sha256 ${actual}`,
          );
        }
      } else if (options.allowMissingArtifacts) {
        notDownloaded.push(name);
      } else {
        issueAt(manifest.source, at, `the downloaded plugin artifact (run \`${DOWNLOAD_COMMAND}\`)`, `no file at ${displayPath}`);
      }
      pluginConfigs.push({ name, spec, artifact: { path: abs, displayPath, present, sha256: pin }, origin: origin(manifest.source) });
    }
  }
  if (notDownloaded.length > 0) {
    warnings.push(
      `plugin${notDownloaded.length === 1 ? "" : "s"} ${notDownloaded.join(", ")} not downloaded: synthesized for review only; ` +
        `deploying needs ${notDownloaded.length === 1 ? "it" : "them"} (run \`${DOWNLOAD_COMMAND}\` where the release hosts are reachable)`,
    );
  }

  if (issues.length > 0) throw new ConfigError(issues);

  const byName = <T extends { name: string }>(items: T[]) => items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    rootDir,
    environments: byName(okEnvs.map((e) => ({ name: e.stem, spec: deepFreeze(e.value), origin: origin(e.source) }))),
    topics: byName(okTopics.map((t) => ({ name: t.value.name, spec: deepFreeze(t.value), origin: origin(t.source) }))),
    connectors: byName(okConnectors.map((c) => ({ name: c.value.name, spec: deepFreeze(c.value), origin: origin(c.source) }))),
    plugins: pluginConfigs,
    warnings,
  };
}
