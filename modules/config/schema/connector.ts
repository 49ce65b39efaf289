/**
 * Schema of configs/connectors/<name>.yaml: one MSK Connect connector. Each kind's own section is
 * in connector-kinds/<kind>.ts; what every kind shares is in connector-base.ts.
 */
import { z } from "zod";
import { customConnector } from "./connector-kinds/custom";
import { MSK_DATAGEN_CONNECTOR_CLASS, datagenConnector } from "./connector-kinds/msk-datagen";
import { OPENSEARCH_SINK_CONNECTOR_CLASS, opensearchSinkConnector } from "./connector-kinds/opensearch-sink";
import { S3_SINK_CONNECTOR_CLASS, s3SinkConnector } from "./connector-kinds/s3-sink";
import { EVENTBRIDGE_SINK_CONNECTOR_CLASS, eventbridgeSinkConnector } from "./connector-kinds/eventbridge-sink";
import { KINESIS_SOURCE_CONNECTOR_CLASS, kinesisSourceConnector } from "./connector-kinds/kinesis-source";
import { JDBC_SOURCE_CONNECTOR_CLASS, jdbcSourceConnector } from "./connector-kinds/jdbc-source";
import { MIRROR_ROLES, MIRROR_SOURCE_CONNECTOR_CLASS, mirrorMakerConnector } from "./connector-kinds/mirror-maker";
import { opensearchIngestionConnector } from "./connector-kinds/opensearch-ingestion";

export { MCU_COUNTS } from "./connector-base";
export { iamAction, iamStatement } from "./connector-kinds/custom";
export * from "./connector-kinds/mirror-maker";
export { OSIS_MAX_TOPICS, OSIS_MAX_UNITS } from "./connector-kinds/opensearch-ingestion";

export const CONNECTOR_KINDS = [
  "msk-datagen",
  "opensearch-sink",
  "s3-sink",
  "eventbridge-sink",
  "custom",
  "kinesis-source",
  "jdbc-source",
  "mirror-maker",
  "opensearch-ingestion",
] as const;

export const connectorSchema = z
  .discriminatedUnion(
    "kind",
    [
      datagenConnector,
      opensearchSinkConnector,
      s3SinkConnector,
      eventbridgeSinkConnector,
      customConnector,
      kinesisSourceConnector,
      jdbcSourceConnector,
      mirrorMakerConnector,
      opensearchIngestionConnector,
    ],
    {
      error: `a connector kind (${CONNECTOR_KINDS.join(", ")})`,
    },
  )
  .describe("One connector: an MSK Connect connector, or a managed service that reads or writes topics (opensearch-ingestion).");

export type ConnectorSpec = z.output<typeof connectorSchema>;
export type ConnectorKind = ConnectorSpec["kind"];
/** The spec of one kind. */
export type ConnectorSpecOf<K extends ConnectorKind> = Extract<ConnectorSpec, { kind: K }>;

/**
 * Kinds that are a managed AWS service rather than an MSK Connect connector: no plugin, worker
 * configuration or Kafka Connect properties. Everything that is MSK Connect only (plugins, worker
 * configurations, connector classes, dead-letter topics, tasks, transforms) looks at
 * `MskConnectSpec`s (isMskConnect); topics, names, the preview's connectors group and the sink
 * ordering look at every connector.
 */
export const SERVICE_CONNECTOR_KINDS = ["opensearch-ingestion"] as const;
export type ServiceConnectorKind = (typeof SERVICE_CONNECTOR_KINDS)[number];
/** A connector file that is an MSK Connect connector (has a plugin, workers, Kafka Connect properties). */
export type MskConnectSpec = Exclude<ConnectorSpec, { kind: ServiceConnectorKind }>;
export type MskConnectKind = MskConnectSpec["kind"];

export function isMskConnect(c: ConnectorSpec): c is MskConnectSpec {
  return !(SERVICE_CONNECTOR_KINDS as readonly string[]).includes(c.kind);
}

/** Connector class of the kinds whose class is fixed. */
export const CONNECTOR_CLASS: Partial<Record<MskConnectKind, string>> = {
  "msk-datagen": MSK_DATAGEN_CONNECTOR_CLASS,
  "opensearch-sink": OPENSEARCH_SINK_CONNECTOR_CLASS,
  "s3-sink": S3_SINK_CONNECTOR_CLASS,
  "eventbridge-sink": EVENTBRIDGE_SINK_CONNECTOR_CLASS,
  "kinesis-source": KINESIS_SOURCE_CONNECTOR_CLASS,
  "jdbc-source": JDBC_SOURCE_CONNECTOR_CLASS,
  // mirror-maker: one file, three connectors (MIRROR_ROLES); this is its source connector's class.
  "mirror-maker": MIRROR_SOURCE_CONNECTOR_CLASS,
};

/** Whether each kind reads its topics (sink) or writes them (source); custom says so itself. */
const SINK_KINDS: ReadonlySet<ConnectorKind> = new Set<ConnectorKind>([
  "opensearch-sink",
  "s3-sink",
  "eventbridge-sink",
  "opensearch-ingestion",
]);

export function connectorClassOf(c: MskConnectSpec): string {
  if (c.kind === "custom") return c.connector_class;
  const cls = CONNECTOR_CLASS[c.kind];
  if (cls === undefined) throw new Error(`no connector class for kind ${c.kind}`);
  return cls;
}

/** Every connector class the file's connectors use (its plugin must provide each). */
export function connectorClassesOf(c: MskConnectSpec): string[] {
  if (c.kind === "mirror-maker") return MIRROR_ROLES.map((r) => r.connectorClass);
  return [connectorClassOf(c)];
}

export function isSink(c: ConnectorSpec): boolean {
  return c.kind === "custom" ? c.direction === "sink" : SINK_KINDS.has(c.kind);
}

/** A connector's dead-letter topic settings (MSK Connect sinks only; a managed service has none). */
export function deadLetterQueueOf(c: ConnectorSpec): MskConnectSpec["errors"]["dead_letter_queue"] {
  return isMskConnect(c) ? c.errors.dead_letter_queue : undefined;
}
