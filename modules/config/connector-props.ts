/**
 * The YAML-to-props mapping of a connector: a connector file (snake_case, validated by the
 * loader) and the environment's defaults become MskConnector's camelCase settings. The construct
 * never sees the YAML shape.
 */
import type { MskConnectorProps } from "../connect/msk-connector";
import type { PolicyStatement } from "../iam-policy";
import type { GlueValueConverterProps } from "../processing/glue-converter";
import { GLUE_CONVERTERS, connectorClassOf, isSink, type MskConnectSpec, type TopicSpec } from "./schema";
import { resolveTemplate, secretsReferenced, type StackValues } from "./stack-values";

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
  | "additionalStatements"
  | "referencedSecretNames"
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

type PropertyMap = Readonly<Record<string, string | number | boolean>>;

/** A property map with its `${stack:...}` values resolved and its text escaped for Terraform. */
function resolveProperties(map: PropertyMap, values: StackValues): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, resolveTemplate(String(v), values)]));
}

/** Secrets that property maps read through `${secretsmanager:...}`, sorted. */
export function secretsInProperties(maps: readonly PropertyMap[]): string[] {
  return [...new Set(maps.flatMap((m) => Object.values(m).flatMap((v) => secretsReferenced(String(v)))))].sort();
}

/** Secrets a kind's own section names (read through the config provider like `${secretsmanager:...}`). */
function kindSecrets(c: MskConnectSpec): string[] {
  if (c.kind === "jdbc-source") return [c.jdbc.credentials_secret];
  if (c.kind === "mirror-maker" && c.mirror.source.authentication.type === "scram") return [c.mirror.source.authentication.secret];
  return [];
}

/** Every secret the connector's config, transforms and kind section read through `${secretsmanager:...}`. */
export function referencedSecrets(c: MskConnectSpec): string[] {
  const maps: PropertyMap[] = [c.config, ...c.transforms.map((t) => t.config)];
  return [...new Set([...secretsInProperties(maps), ...kindSecrets(c)])].sort();
}

/** A custom connector's `iam` list as Allow statements (Sid Custom<n> when the YAML gives none). */
function customStatements(c: MskConnectSpec, values: StackValues): PolicyStatement[] {
  if (c.kind !== "custom") return [];
  return c.iam.map((s, i) => ({
    Sid: s.sid ?? `Custom${i + 1}`,
    Effect: "Allow",
    Action: s.actions,
    Resource: s.resources.map((r) => resolveTemplate(r, values)),
  }));
}

export function mskConnectorProps(
  c: MskConnectSpec,
  topics: readonly TopicSpec[],
  defaults: ConnectorDefaults,
  stackValues: StackValues,
): MskConnectorSpecProps {
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
    transforms: c.transforms.map((t) => ({ name: t.name, type: t.type, config: resolveProperties(t.config, stackValues) })),
    extraConfig: resolveProperties(c.config, stackValues),
    additionalStatements: customStatements(c, stackValues),
    referencedSecretNames: referencedSecrets(c),
    kafkaConnectVersion: c.kafka_connect_version ?? defaults.kafkaConnectVersion,
    logRetentionDays: c.log_retention_days ?? defaults.logRetentionDays,
  };
}

/** The stack's Glue Schema Registry, as a connector's Glue converter needs it. */
export interface ConverterRegistry {
  readonly name: string;
  readonly arn: string;
  /** ARN of the schema of a topic (the schema is named after the topic). */
  schemaArn(topic: string): string;
}

/**
 * A connector's `value_converter` as glueValueConverter props: undefined for the built-in JSON
 * converter. A Glue converter without a registry is a configuration error the loader reports.
 */
export function glueConverterProps(c: MskConnectSpec, registry: ConverterRegistry | undefined, region: string): GlueValueConverterProps | undefined {
  const choice = c.value_converter;
  if (choice === undefined || choice === "json") return undefined;
  if (!registry) throw new Error(`connector ${c.name}: value_converter ${choice} needs the environment's schema_registry`);
  return {
    format: GLUE_CONVERTERS[choice].format,
    region,
    registryName: registry.name,
    registryArn: registry.arn,
    schemaArns: c.topics.map((t) => registry.schemaArn(t)),
    direction: isSink(c) ? "sink" : "source",
  };
}
