/**
 * Checks of the Kafka platform options (tiered storage, open monitoring, multi-VPC connectivity,
 * the cluster policy) beyond their schemas: AWS's rules located in the environment file, and the
 * topics' tiered-storage configs against every environment's storage mode (topic files are shared
 * by all environments).
 */
import { parseCidr } from "../../validators/cidr";
import type { PathSegment } from "../issues";
import { TIERED_TOPIC_CONFIGS, deadLetterQueueOf, type TopicConfigsSpec } from "../schema";
import { SMALLEST_BROKER_TYPE, supportsTieredStorage } from "../../kafka/tiered-storage";
import { duplicates, type CheckContext, type ConfigCheck } from "./context";

/** TIERED: a Kafka version and broker type that have it, and a cluster cleanup policy of delete. */
function checkStorageMode({ envs, issueAt }: CheckContext): void {
  for (const { source, value: e } of envs) {
    if (e.kafka.mode === "serverless") continue; // kafka-serverless.ts reports these fields
    const k = e.kafka;
    if (k.storage_mode !== "TIERED") continue;
    if (!supportsTieredStorage(k.version)) {
      issueAt(source, ["kafka", "storage_mode"], "LOCAL with this Kafka version (tiered storage needs 3.6.0 or later)", `TIERED with kafka.version ${k.version}`);
    }
    if (k.broker_instance_type === SMALLEST_BROKER_TYPE) {
      issueAt(source, ["kafka", "storage_mode"], `a broker type other than ${SMALLEST_BROKER_TYPE} for tiered storage (e.g. kafka.m5.large or kafka.m7g.large)`, `TIERED with ${k.broker_instance_type}`);
    }
    const policy = k.server_properties.extra["log.cleanup.policy"];
    if (policy !== undefined && /compact/.test(String(policy))) {
      issueAt(source, ["kafka", "server_properties", "extra", "log.cleanup.policy"], "delete while kafka.storage_mode is TIERED (MSK tiers only delete-policy clusters)", `"${policy}"`);
    }
  }
}

/** Exporters on: at least one named peer; CIDRs specific (never /0) and each peer once. */
function checkOpenMonitoring({ envs, issueAt }: CheckContext): void {
  for (const { source, value: e } of envs) {
    if (e.kafka.mode === "serverless") continue; // kafka-serverless.ts reports these fields
    const m = e.kafka.open_monitoring;
    if (!m) continue;
    const base: PathSegment[] = ["kafka", "open_monitoring"];
    if ((m.jmx_exporter || m.node_exporter) && m.allowed_security_group_ids.length + m.allowed_cidrs.length === 0) {
      issueAt(source, base, "allowed_security_group_ids or allowed_cidrs naming who may scrape the exporters (ports 11001/11002 open to no one else)", "an exporter on and no peer");
    }
    m.allowed_cidrs.forEach((cidr, i) => {
      if (parseCidr(cidr)?.prefix === 0) issueAt(source, [...base, "allowed_cidrs", i], "a specific CIDR (the exporters are never open to everyone)", `"${cidr}"`);
    });
    for (const field of ["allowed_security_group_ids", "allowed_cidrs"] as const) {
      duplicates(m[field]).forEach((i) => issueAt(source, [...base, field, i], "each peer once", `"${m[field][i]}" twice`));
    }
  }
}

/** Multi-VPC connectivity on brokers that have it; a cluster policy only with it on. */
function checkVpcConnectivity({ envs, issueAt }: CheckContext): void {
  for (const { source, value: e } of envs) {
    if (e.kafka.mode === "serverless") continue; // kafka-serverless.ts reports these fields
    const k = e.kafka;
    if (k.vpc_connectivity?.iam && k.broker_instance_type === SMALLEST_BROKER_TYPE) {
      issueAt(source, ["kafka", "vpc_connectivity", "iam"], `a broker type other than ${SMALLEST_BROKER_TYPE} for multi-VPC connectivity`, `iam: true with ${k.broker_instance_type}`);
    }
    if (k.cluster_policy && !k.vpc_connectivity?.iam) {
      issueAt(source, ["kafka", "cluster_policy"], "kafka.vpc_connectivity: { iam: true } with a cluster policy (its principals create VPC connections, which need it)", k.vpc_connectivity ? "vpc_connectivity.iam: false" : "no vpc_connectivity");
    }
    const principals = k.cluster_policy?.principals ?? [];
    duplicates(principals).forEach((i) => issueAt(source, ["kafka", "cluster_policy", "principals", i], "each principal once", `"${principals[i]}" twice`));
  }
}

/** The tiered-storage configs a topic's settings use. */
function tieredKeys(configs: TopicConfigsSpec | undefined): (typeof TIERED_TOPIC_CONFIGS)[number][] {
  return TIERED_TOPIC_CONFIGS.filter((key) => configs?.[key] !== undefined && !(key === "remote.storage.enable" && configs[key] === false));
}

/** A topic's tiered configs only when every environment is TIERED (the same topic file deploys to each). */
function checkTieredTopics({ envs, topics, connectors, issueAt }: CheckContext): void {
  // Serverless environments refuse every tiered config themselves (kafka-serverless.ts).
  const local = envs.filter((e) => e.value.kafka.mode !== "serverless" && e.value.kafka.storage_mode !== "TIERED").map((e) => e.stem);
  if (local.length === 0) return;
  const owners = [
    ...topics.map((t) => ({ source: t.source, path: [] as PathSegment[], configs: t.value.configs })),
    ...connectors.flatMap((c) => {
      const d = deadLetterQueueOf(c.value);
      return d ? [{ source: c.source, path: ["errors", "dead_letter_queue"] as PathSegment[], configs: d.configs }] : [];
    }),
  ];
  for (const { source, path, configs } of owners) {
    const key = tieredKeys(configs)[0];
    if (key === undefined) continue;
    issueAt(
      source,
      [...path, "configs", key],
      `kafka.storage_mode: TIERED in every environment for a tiered topic (topic settings apply to all of them)`,
      `storage mode LOCAL in ${local.join(", ")}`,
      true,
    );
  }
}

export const KAFKA_OPTION_CHECKS: readonly ConfigCheck[] = [
  { name: "environment: kafka storage mode", check: checkStorageMode },
  { name: "environment: kafka open monitoring", check: checkOpenMonitoring },
  { name: "environment: kafka multi-VPC connectivity", check: checkVpcConnectivity },
];

export const TIERED_TOPIC_CHECKS: readonly ConfigCheck[] = [{ name: "topics: tiered storage configs", check: checkTieredTopics }];
