/**
 * `kafka.mode: serverless`: every `kafka.*` field the environment file SETS that has no meaning on
 * MSK Serverless is an error at its key (a field left to its default is not: zod's defaults are
 * told apart from the file through its YAML source), and every topic setting Serverless refuses is
 * an error in the topic file (or the connector's dead-letter queue), naming the serverless
 * environments (topic files are shared by every environment). What Serverless allows is listed in
 * modules/validators/msk-serverless.ts.
 */
import { describeValue, type PathSegment } from "../issues";
import { deadLetterQueueOf, type TopicConfigsSpec } from "../schema";
import {
  SERVERLESS_INAPPLICABLE_KAFKA_FIELDS,
  SERVERLESS_REPLICATION_FACTOR,
  SERVERLESS_TOPIC_CONFIGS,
  isServerlessTopicConfig,
} from "../../validators/msk-serverless";
import type { YamlSource } from "../yaml-source";
import type { CheckContext, ConfigCheck } from "./context";

/** Each explicitly set kafka.* field that a serverless cluster does not have. */
function checkServerlessEnvironment({ envs, issueAt }: CheckContext): void {
  for (const { source, value: e } of envs) {
    if (e.kafka.mode !== "serverless") continue;
    for (const [field, why] of Object.entries(SERVERLESS_INAPPLICABLE_KAFKA_FIELDS)) {
      const path = ["kafka", field];
      if (!source.has(path)) continue;
      const value = (e.kafka as Record<string, unknown>)[field];
      issueAt(source, path, `nothing here with kafka.mode: serverless (${why})`, describeValue(value), true);
    }
  }
}

/** Where a topic's settings live: a topic file, or a connector's dead-letter queue. */
interface TopicOwner {
  readonly source: YamlSource;
  readonly path: readonly PathSegment[];
  readonly replicationFactor?: number;
  readonly configs?: TopicConfigsSpec;
}

/** Topic settings within what MSK Serverless lets a topic set, while any environment is serverless. */
function checkServerlessTopics({ envs, topics, connectors, issueAt }: CheckContext): void {
  const serverless = envs.filter((e) => e.value.kafka.mode === "serverless").map((e) => e.stem);
  if (serverless.length === 0) return;
  const where = `environment${serverless.length === 1 ? "" : "s"} ${serverless.join(", ")} ${serverless.length === 1 ? "is" : "are"} serverless`;
  const owners: TopicOwner[] = [
    ...topics.map((t) => ({ source: t.source, path: [], replicationFactor: t.value.replication_factor, configs: t.value.configs })),
    ...connectors.flatMap((c) => {
      const d = deadLetterQueueOf(c.value);
      return d ? [{ source: c.source, path: ["errors", "dead_letter_queue"], replicationFactor: d.replication_factor, configs: d.configs }] : [];
    }),
  ];
  const allowed = Object.keys(SERVERLESS_TOPIC_CONFIGS).join(", ");
  for (const { source, path, replicationFactor, configs } of owners) {
    if (replicationFactor !== undefined && replicationFactor !== SERVERLESS_REPLICATION_FACTOR) {
      issueAt(
        source,
        [...path, "replication_factor"],
        `${SERVERLESS_REPLICATION_FACTOR} or no replication_factor (MSK Serverless replicates every partition ${SERVERLESS_REPLICATION_FACTOR} times; ${where})`,
        `${replicationFactor}`,
      );
    }
    for (const [key, value] of Object.entries(configs ?? {})) {
      if (value === undefined) continue;
      if (!isServerlessTopicConfig(key)) {
        issueAt(source, [...path, "configs", key], `only the topic configs MSK Serverless allows (${allowed}; ${where})`, `"${key}"`, true);
        continue;
      }
      const maximum = SERVERLESS_TOPIC_CONFIGS[key].maximum;
      if (maximum !== undefined && typeof value === "number" && value > maximum) {
        issueAt(source, [...path, "configs", key], `at most ${maximum} (MSK Serverless's limit; ${where})`, `${value}`);
      }
    }
  }
}

export const KAFKA_SERVERLESS_CHECKS: readonly ConfigCheck[] = [
  { name: "environment: kafka fields MSK Serverless does not have", check: checkServerlessEnvironment },
  { name: "topics: settings MSK Serverless allows", check: checkServerlessTopics },
];
