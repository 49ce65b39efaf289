/** `kind: opensearch-sink`: Aiven's OpenSearch sink (Aiven-Open/opensearch-connector-for-apache-kafka). */
import { z } from "zod";
import { connectorBase } from "../connector-base";

export const OPENSEARCH_SINK_CONNECTOR_CLASS = "io.aiven.kafka.connect.opensearch.OpensearchSinkConnector";

export const opensearchSinkConnector = z.strictObject({
  ...connectorBase,
  kind: z.literal("opensearch-sink").describe("Aiven's OpenSearch sink; each topic goes to its topic's index."),
  opensearch: z
    .strictObject({
      key_ignore: z.boolean().default(true).describe("Use topic+partition+offset as the document id."),
      schema_ignore: z.boolean().default(true).describe("schema.ignore: let the index mapping decide field types."),
      behavior_on_malformed_documents: z.enum(["ignore", "warn", "fail"]).default("fail").describe("behavior.on.malformed.documents"),
      behavior_on_null_values: z.enum(["ignore", "delete", "fail"]).default("ignore").describe("behavior.on.null.values"),
      behavior_on_version_conflict: z.enum(["ignore", "warn", "fail"]).default("fail").describe("behavior.on.version.conflict"),
      batch_size: z.number().int().min(1).max(10000).optional().describe("batch.size. @default the connector's 2000"),
      max_retries: z.number().int().min(0).max(100).optional().describe("max.retries. @default the connector's 5"),
    })
    .prefault({})
    .describe("OpenSearch sink settings."),
});
