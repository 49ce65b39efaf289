/**
 * The YAML-to-props mapping of a connector: a connector file (snake_case, validated by the
 * loader) and the environment's defaults become MskConnector's camelCase settings. The construct
 * never sees the YAML shape.
 */
import type { MskConnectorProps } from "../connect/msk-connector";
import { connectorClassOf, isSink, type ConnectorSpec, type TopicSpec } from "./schema";

/** What a connector file decides, as MskConnector props. */
export type MskConnectorSpecProps = Pick<
  MskConnectorProps,
  | "name"
  | "description"
  | "connectorClass"
  | "direction"
  | "topics"
  | "datagen"
  | "opensearchSink"
  | "tasksMax"
  | "capacity"
  | "errors"
  | "transforms"
  | "extraConfig"
  | "kafkaConnectVersion"
  | "logRetentionDays"
>;

/** The environment's values for what a connector file leaves out. */
export interface ConnectorDefaults {
  /** connect.kafka_connect_version */
  readonly kafkaConnectVersion?: string;
  /** connect.log_retention_days */
  readonly logRetentionDays?: number;
  /** The cluster's default.replication.factor (a dead-letter topic's when it sets none). */
  readonly replicationFactor?: number;
}

export function mskConnectorProps(c: ConnectorSpec, topics: readonly TopicSpec[], defaults: ConnectorDefaults = {}): MskConnectorSpecProps {
  const byName = new Map(topics.map((t) => [t.name, t]));
  const dlq = c.errors.dead_letter_queue;
  const a = c.capacity.autoscaling;
  const p = c.capacity.provisioned;
  return {
    name: c.name,
    description: c.description,
    connectorClass: connectorClassOf(c),
    direction: isSink(c) ? "sink" : "source",
    topics: c.topics,
    datagen:
      c.kind === "msk-datagen"
        ? {
            throttleMs: c.datagen.throttle_ms,
            historyRecordsMax: c.datagen.history_records_max,
            topics: Object.fromEntries(
              c.topics.flatMap((t) => {
                const g = byName.get(t)?.generator;
                return g ? [[t, { key: g.key?.with, fields: g.fields }]] : [];
              }),
            ),
          }
        : undefined,
    opensearchSink:
      c.kind === "opensearch-sink"
        ? {
            keyIgnore: c.opensearch.key_ignore,
            schemaIgnore: c.opensearch.schema_ignore,
            behaviorOnMalformedDocuments: c.opensearch.behavior_on_malformed_documents,
            behaviorOnNullValues: c.opensearch.behavior_on_null_values,
            behaviorOnVersionConflict: c.opensearch.behavior_on_version_conflict,
            batchSize: c.opensearch.batch_size,
            maxRetries: c.opensearch.max_retries,
          }
        : undefined,
    tasksMax: c.tasks_max,
    capacity: a
      ? {
          autoscaling: {
            minWorkers: a.min_workers,
            maxWorkers: a.max_workers,
            mcu: a.mcu,
            scaleInCpuPercent: a.scale_in_cpu_percent,
            scaleOutCpuPercent: a.scale_out_cpu_percent,
          },
        }
      : { provisioned: p && { workers: p.workers, mcu: p.mcu } },
    errors: {
      tolerance: c.errors.tolerance,
      logErrors: c.errors.log_errors,
      deadLetterQueue: dlq && {
        topic: dlq.topic,
        replicationFactor: dlq.replication_factor ?? defaults.replicationFactor,
        contextHeaders: dlq.context_headers,
      },
    },
    transforms: c.transforms,
    extraConfig: c.config,
    kafkaConnectVersion: c.kafka_connect_version ?? defaults.kafkaConnectVersion,
    logRetentionDays: c.log_retention_days ?? defaults.logRetentionDays,
  };
}
