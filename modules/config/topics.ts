/**
 * Terraform-managed topics: every topic file and every dead-letter topic a connector names becomes
 * one aws_msk_topic per environment. This file lists them (with where their settings live), fills
 * in the cluster's defaults, and holds the cross-file rules the loader runs on them.
 */
import type { PathSegment } from "./issues";
import { deadLetterQueueOf, isMskConnect, isSink, type ConnectorSpec, type EnvironmentSpec, type TopicConfigsSpec, type TopicSpec } from "./schema";

/** The settings a managed topic's YAML gives (all optional: the cluster's defaults fill in). */
export interface TopicSettingsSpec {
  readonly partitions?: number;
  readonly replication_factor?: number;
  readonly configs?: TopicConfigsSpec;
}

/** A topic Terraform creates, from a topic file or a connector's dead-letter queue. */
export interface ManagedTopic {
  readonly name: string;
  readonly kind: "topic" | "dead-letter";
  /** The topic file's topic, or the connector that owns the dead-letter topic. */
  readonly owner: string;
  readonly settings: TopicSettingsSpec;
  /** Where the settings are in their file: [] for a topic file, errors.dead_letter_queue for a connector. */
  readonly path: readonly PathSegment[];
}

/** Every managed topic: topic files first, then dead-letter topics, each sorted by name. */
export function managedTopics(
  topics: readonly { readonly name: string; readonly spec: TopicSpec }[],
  connectors: readonly { readonly name: string; readonly spec: ConnectorSpec }[],
): ManagedTopic[] {
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const files = topics.map((t): ManagedTopic => ({ name: t.spec.name, kind: "topic", owner: t.spec.name, settings: t.spec, path: [] }));
  const dlqs = connectors.flatMap((c): ManagedTopic[] => {
    const d = deadLetterQueueOf(c.spec);
    return d ? [{ name: d.topic, kind: "dead-letter", owner: c.spec.name, settings: d, path: ["errors", "dead_letter_queue"] }] : [];
  });
  return [...files.sort(byName), ...dlqs.sort(byName)];
}

/** A managed topic's partitions, replication and min.insync.replicas in one environment. */
export interface EffectiveTopic {
  readonly partitions: number;
  readonly replicationFactor: number;
  /** The topic's own min.insync.replicas, else the cluster's. */
  readonly minInsyncReplicas: number;
}

export function effectiveTopic(settings: TopicSettingsSpec, env: EnvironmentSpec): EffectiveTopic {
  const sp = env.kafka.server_properties;
  return {
    partitions: settings.partitions ?? sp.default_partitions,
    replicationFactor: settings.replication_factor ?? sp.default_replication_factor,
    minInsyncReplicas: settings.configs?.["min.insync.replicas"] ?? sp.min_insync_replicas,
  };
}

/** What the loader needs to report a finding at a position of a parsed file. */
export interface TopicCheckContext {
  readonly envs: readonly { readonly stem: string; readonly value: EnvironmentSpec }[];
  readonly topics: readonly { readonly name: string; readonly spec: TopicSpec; readonly file: unknown }[];
  readonly connectors: readonly { readonly name: string; readonly spec: ConnectorSpec; readonly file: unknown }[];
  /** Topic names of topic files that failed validation (references to them are not checked). */
  readonly invalidTopicNames: ReadonlySet<string | undefined>;
  /** An error at `path` of `file` (a topic or connector entry's `file`). */
  error(file: unknown, path: readonly PathSegment[], expected: string, found: string): void;
  /** A warning at `path` of `file`. */
  warn(file: unknown, path: readonly PathSegment[], message: string): void;
}

/**
 * Cross-file rules of managed topics, per environment: replication factor ≤ broker count,
 * min.insync.replicas ≤ replication factor (a warning when equal), one owner per topic name, and
 * (a warning) sinks with more tasks than their topics have partitions.
 */
export function checkManagedTopics(ctx: TopicCheckContext): void {
  const fileOf = new Map<string, unknown>();
  for (const t of ctx.topics) fileOf.set(`topic:${t.spec.name}`, t.file);
  for (const c of ctx.connectors) fileOf.set(`dead-letter:${c.spec.name}`, c.file);
  const managed = managedTopics(ctx.topics, ctx.connectors);
  const seen = new Set<string>();
  const once = (key: string, report: () => void) => {
    if (seen.has(key)) return;
    seen.add(key);
    report();
  };

  // One owner per name: a dead-letter topic is nobody else's topic (its settings live in one file).
  const owners = new Map<string, ManagedTopic>();
  const collision = new Map<string, ManagedTopic>();
  for (const t of managed) {
    const file = fileOf.get(`${t.kind}:${t.owner}`);
    const namePath = t.kind === "topic" ? ["name"] : [...t.path, "topic"];
    const other = owners.get(t.name);
    if (t.kind === "dead-letter" && ctx.invalidTopicNames.has(t.name)) continue;
    if (other) {
      const where = other.kind === "topic" ? `the topic file of ${other.name}` : `the dead-letter topic of connector ${other.owner}`;
      // Topic files colliding with each other are reported by the loader already.
      if (t.kind === "dead-letter") {
        ctx.error(file, namePath, "a dead-letter topic of its own (its partitions, replication and configs live in this file only)", `"${t.name}", also ${where}`);
      }
      continue;
    }
    owners.set(t.name, t);
    const key = t.name.replace(/\./g, "_");
    const clash = collision.get(key);
    if (clash && t.kind === "dead-letter") {
      ctx.error(file, namePath, `a topic name that does not collide with "${clash.name}" (Kafka treats '.' and '_' alike in metric names)`, `"${t.name}"`);
    }
    if (!clash) collision.set(key, t);
  }

  for (const t of managed) {
    const file = fileOf.get(`${t.kind}:${t.owner}`);
    const s = t.settings;
    const rfPath = [...t.path, "replication_factor"];
    const misrPath = [...t.path, "configs", "min.insync.replicas"];
    for (const { stem, value: env } of ctx.envs) {
      const k = env.kafka;
      // Serverless: replication is fixed and min.insync.replicas not settable (kafka-serverless.ts).
      if (k.mode === "serverless") continue;
      const e = effectiveTopic(s, env);
      if (s.replication_factor !== undefined && s.replication_factor > k.broker_count) {
        ctx.error(file, rfPath, `at most the broker count of environment ${stem} (${k.broker_count})`, `${s.replication_factor}`);
        continue;
      }
      const ownMisr = s.configs?.["min.insync.replicas"];
      const rfSource = s.replication_factor !== undefined ? "" : `, the default_replication_factor of environment ${stem}`;
      if (ownMisr !== undefined && ownMisr > e.replicationFactor) {
        once(`misr>${t.kind}:${t.owner}:${e.replicationFactor}`, () =>
          ctx.error(file, misrPath, `at most the topic's replication factor (${e.replicationFactor}${rfSource})`, `${ownMisr}`),
        );
        continue;
      }
      if (ownMisr === undefined && s.replication_factor !== undefined && s.replication_factor < k.server_properties.min_insync_replicas) {
        ctx.error(
          file,
          rfPath,
          `at least the min_insync_replicas of environment ${stem} (${k.server_properties.min_insync_replicas}), or a configs["min.insync.replicas"] ≤ ${s.replication_factor} (acks=all writes always fail below it)`,
          `${s.replication_factor}`,
        );
        continue;
      }
      if ((ownMisr !== undefined || s.replication_factor !== undefined) && e.minInsyncReplicas === e.replicationFactor && e.replicationFactor > 1) {
        once(`misr=${t.kind}:${t.owner}:${e.replicationFactor}`, () =>
          ctx.warn(
            file,
            ownMisr !== undefined ? misrPath : rfPath,
            `min.insync.replicas (${e.minInsyncReplicas}) equals the replication factor (${e.replicationFactor}${rfSource}): with one broker down, acks=all writes to ${t.name} are refused`,
          ),
        );
      }
    }
  }

  // Idle sink tasks: a sink's tasks share the partitions of its topics, one partition per task at most.
  const partitionsOf = new Map(ctx.topics.map((t) => [t.spec.name, t.spec]));
  for (const c of ctx.connectors) {
    // A managed service (opensearch-ingestion) scales by OCUs, not tasks.
    if (!isSink(c.spec) || !isMskConnect(c.spec)) continue;
    const spec = c.spec;
    const topics = spec.topics.map((n) => partitionsOf.get(n));
    if (topics.some((t) => t === undefined)) continue;
    for (const { stem, value: env } of ctx.envs) {
      const total = topics.reduce((sum, t) => sum + effectiveTopic(t!, env).partitions, 0);
      if (spec.tasks_max > total) {
        once(`tasks:${spec.name}:${total}`, () =>
          ctx.warn(
            c.file,
            ["tasks_max"],
            `${spec.tasks_max} tasks, but its topics (${spec.topics.join(", ")}) have ${total} partition${total === 1 ? "" : "s"} in environment ${stem}: ${spec.tasks_max - total} task${spec.tasks_max - total === 1 ? "" : "s"} will be idle`,
          ),
        );
      }
    }
  }
}
