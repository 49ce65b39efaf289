/** Schema of configs/topics/<topic>.yaml: one Kafka topic and its OpenSearch index. */
import { z } from "zod";
import { MAPPING_TYPES, type MappingType } from "../../validators/opensearch-values";
import { indexName, kafkaTopicName } from "./common";
import { topicValueSchema } from "./schema-registry";

/** Built-in date formats of OpenSearch (java-time based). */
const BUILTIN_DATE_FORMATS = new Set([
  "epoch_millis", "epoch_second", "date_optional_time", "strict_date_optional_time",
  "strict_date_optional_time_nanos", "basic_date", "basic_date_time", "basic_date_time_no_millis",
  "basic_ordinal_date", "basic_ordinal_date_time", "basic_ordinal_date_time_no_millis", "basic_time",
  "basic_time_no_millis", "basic_t_time", "basic_t_time_no_millis", "basic_week_date", "strict_basic_week_date",
  "basic_week_date_time", "strict_basic_week_date_time", "basic_week_date_time_no_millis",
  "strict_basic_week_date_time_no_millis", "date", "strict_date", "date_hour", "strict_date_hour",
  "date_hour_minute", "strict_date_hour_minute", "date_hour_minute_second", "strict_date_hour_minute_second",
  "date_hour_minute_second_fraction", "strict_date_hour_minute_second_fraction", "date_hour_minute_second_millis",
  "strict_date_hour_minute_second_millis", "date_time", "strict_date_time", "date_time_no_millis",
  "strict_date_time_no_millis", "hour", "strict_hour", "hour_minute", "strict_hour_minute", "hour_minute_second",
  "strict_hour_minute_second", "hour_minute_second_fraction", "strict_hour_minute_second_fraction",
  "hour_minute_second_millis", "strict_hour_minute_second_millis", "ordinal_date", "strict_ordinal_date",
  "ordinal_date_time", "strict_ordinal_date_time", "ordinal_date_time_no_millis",
  "strict_ordinal_date_time_no_millis", "time", "strict_time", "time_no_millis", "strict_time_no_millis",
  "t_time", "strict_t_time", "t_time_no_millis", "strict_t_time_no_millis", "week_date", "strict_week_date",
  "week_date_time", "strict_week_date_time", "week_date_time_no_millis", "strict_week_date_time_no_millis",
  "weekyear", "strict_weekyear", "weekyear_week", "strict_weekyear_week", "weekyear_week_day",
  "strict_weekyear_week_day", "year", "strict_year", "year_month", "strict_year_month", "year_month_day",
  "strict_year_month_day",
]);

/** Pattern letters java.time.format.DateTimeFormatter understands. */
const JAVA_PATTERN_LETTERS = new Set("GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZp".split(""));

/** True when `format` is a built-in name or a valid DateTimeFormatter pattern; `||` separates alternatives. */
export function isValidDateFormat(format: string): boolean {
  return format.split("||").every((part) => {
    if (part.length === 0) return false;
    if (BUILTIN_DATE_FORMATS.has(part)) return true;
    let inQuote = false;
    let optionalDepth = 0;
    for (const ch of part) {
      if (ch === "'") inQuote = !inQuote;
      else if (inQuote) continue;
      else if (ch === "[") optionalDepth++;
      else if (ch === "]") {
        if (--optionalDepth < 0) return false;
      } else if (/[A-Za-z]/.test(ch) && !JAVA_PATTERN_LETTERS.has(ch)) return false;
      else if (ch === "{" || ch === "}" || ch === "#") return false;
    }
    return !inQuote && optionalDepth === 0 && /[A-Za-z]/.test(part);
  });
}

const fieldName = z
  .string()
  .regex(/^[A-Za-z_@][A-Za-z0-9_@-]*$/, { error: "a field name (letters, digits, '_', '-', '@'; no dots)" });

export interface FieldMappingSpec {
  type: MappingType;
  format?: string;
  index?: boolean;
  doc_values?: boolean;
  ignore_above?: number;
  analyzer?: string;
  scaling_factor?: number;
  dimension?: number;
  properties?: Record<string, FieldMappingSpec>;
}

const DATE_TYPES = new Set(["date", "date_nanos", "date_range"]);
const OBJECT_TYPES = new Set(["object", "nested"]);

export const fieldMappingSchema: z.ZodType<FieldMappingSpec> = z.lazy(() =>
  z
    .strictObject({
      type: z.enum(MAPPING_TYPES, { error: `an OpenSearch field type (${MAPPING_TYPES.join(", ")})` }),
      format: z
        .string()
        .refine(isValidDateFormat, {
          error: "a date format: a built-in name (e.g. strict_date_optional_time, epoch_millis) or a Java pattern such as yyyy-MM-dd HH:mm:ss; alternatives joined by ||",
        })
        .optional(),
      index: z.boolean().optional(),
      doc_values: z.boolean().optional(),
      ignore_above: z.number().int().min(1).optional(),
      analyzer: z.string().min(1).optional(),
      scaling_factor: z.number().positive().optional(),
      dimension: z.number().int().min(1).max(16000).optional(),
      properties: z.record(fieldName, fieldMappingSchema).optional(),
    })
    .superRefine((f, ctx) => {
      if (f.format !== undefined && !DATE_TYPES.has(f.type)) {
        ctx.addIssue({ code: "custom", path: ["format"], message: `format only on date, date_nanos or date_range fields, found it on a ${f.type} field` });
      }
      if (f.properties !== undefined && !OBJECT_TYPES.has(f.type)) {
        ctx.addIssue({ code: "custom", path: ["properties"], message: `properties only on object or nested fields, found them on a ${f.type} field` });
      }
      if (OBJECT_TYPES.has(f.type) && (f.properties === undefined || Object.keys(f.properties).length === 0)) {
        ctx.addIssue({ code: "custom", path: ["type"], message: `properties with at least one field for an ${f.type} field, found none` });
      }
      if (f.type === "scaled_float" && f.scaling_factor === undefined) {
        ctx.addIssue({ code: "custom", path: ["type"], message: "scaling_factor for a scaled_float field, found none" });
      }
      if (f.type === "knn_vector" && f.dimension === undefined) {
        ctx.addIssue({ code: "custom", path: ["type"], message: "dimension for a knn_vector field, found none" });
      }
      if (f.ignore_above !== undefined && f.type !== "keyword" && f.type !== "wildcard") {
        ctx.addIssue({ code: "custom", path: ["ignore_above"], message: `ignore_above only on keyword or wildcard fields, found it on a ${f.type} field` });
      }
    }),
);

const generatorField = z
  .strictObject({
    with: z.string().min(1).optional().describe("Java Faker expression, e.g. #{Code.isbn10}."),
    matching: z
      .string()
      .regex(/^[A-Za-z0-9._-]+\.(key|value)(\.[A-Za-z0-9_@-]+)?$/, { error: "<topic>.key or <topic>.value.<field>" })
      .optional()
      .describe("Reuse a value generated for another topic, e.g. impressions.value.bid_id."),
    sometimes: z
      .strictObject({
        with: z.string().min(1).optional(),
        matching: z
          .string()
          .regex(/^[A-Za-z0-9._-]+\.(key|value)(\.[A-Za-z0-9_@-]+)?$/, { error: "<topic>.key or <topic>.value.<field>" })
          .optional(),
      })
      .optional()
      .describe("An alternative the generator uses some of the time."),
  })
  .superRefine((g, ctx) => {
    if (g.with === undefined && g.matching === undefined && g.sometimes === undefined) {
      ctx.addIssue({ code: "custom", path: [], message: "one of with, matching or sometimes, found none" });
    }
    if (g.sometimes && g.sometimes.with === undefined && g.sometimes.matching === undefined) {
      ctx.addIssue({ code: "custom", path: ["sometimes"], message: "with or matching inside sometimes, found neither" });
    }
  });

/** Kafka's cleanup.policy values, as YAML spells them (`both` = compact,delete). */
export const CLEANUP_POLICIES = ["delete", "compact", "both"] as const;
/** Topic-level compression.type values Kafka accepts. */
export const COMPRESSION_TYPES = ["producer", "uncompressed", "zstd", "lz4", "snappy", "gzip"] as const;

/** The tiered-storage configs of a topic, as their Kafka names. */
export const TIERED_TOPIC_CONFIGS = ["remote.storage.enable", "local.retention.ms", "local.retention.bytes"] as const;

/**
 * MSK's rules for a topic's tiered-storage configs that need no other file: local retention only
 * with remote storage and below the total retention, retention.ms set (MSK requires it on tiered
 * topics), no compaction (tiered storage holds delete-policy topics only).
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/msk-guidelines-tiered-storage-topic-level-config.html
 */
function checkTieredTopicConfigs(
  c: {
    readonly "retention.ms"?: number;
    readonly "retention.bytes"?: number;
    readonly "cleanup.policy"?: string;
    readonly "remote.storage.enable"?: boolean;
    readonly "local.retention.ms"?: number;
    readonly "local.retention.bytes"?: number;
  },
  issue: (path: string[], message: string) => void,
): void {
  const remote = c["remote.storage.enable"] === true;
  for (const key of ["local.retention.ms", "local.retention.bytes"] as const) {
    if (c[key] !== undefined && !remote) issue([key], `${key} only with remote.storage.enable: true, found it without`);
  }
  if (!remote) return;
  if (c["retention.ms"] === undefined) issue(["remote.storage.enable"], "retention.ms set as well (MSK requires it on a tiered topic), found none");
  const policy = c["cleanup.policy"];
  if (policy === "compact" || policy === "both") {
    issue(["cleanup.policy"], `cleanup.policy delete on a tiered topic (MSK's tiered storage does not hold compacted topics), found ${policy}`);
  }
  for (const [local, total] of [["local.retention.ms", "retention.ms"], ["local.retention.bytes", "retention.bytes"]] as const) {
    const l = c[local];
    const t = c[total];
    if (l !== undefined && l !== -2 && t !== undefined && t !== -1 && (l === -1 || l >= t)) {
      issue([local], `${local} below ${total} (${t}), or -2 for the same, found ${l}`);
    }
  }
}

/**
 * The topic-level Kafka configs a user may set, by their Kafka names. Anything else is an error,
 * not passed through: each key here is checked and documented.
 */
export const topicConfigsSchema = z
  .strictObject({
    "retention.ms": z
      .number()
      .int()
      .min(-1)
      .optional()
      .describe("How long records are kept, in milliseconds (604800000 = 7 days); -1 keeps them forever. @default the cluster's log.retention.hours"),
    "retention.bytes": z
      .number()
      .int()
      .min(-1)
      .optional()
      .describe("Most bytes kept per partition before old segments are deleted; -1 = no size limit. @default -1"),
    "cleanup.policy": z
      .enum(CLEANUP_POLICIES)
      .optional()
      .describe("delete old segments, compact to the latest record per key, or both. @default delete"),
    "min.insync.replicas": z
      .number()
      .int()
      .min(1)
      .max(15)
      .optional()
      .describe("Replicas that must acknowledge an acks=all write; ≤ replication_factor. @default the cluster's min_insync_replicas"),
    "max.message.bytes": z
      .number()
      .int()
      .min(1)
      .max(2147483647)
      .optional()
      .describe("Largest record batch the topic accepts, in bytes. @default Kafka's 1048588"),
    "compression.type": z
      .enum(COMPRESSION_TYPES)
      .optional()
      .describe("Compression of stored batches; producer keeps what the producer sent. @default producer"),
    "remote.storage.enable": z
      .boolean()
      .optional()
      .describe(
        "Tiered storage for this topic (every environment must have kafka.storage_mode: TIERED): closed segments are copied to MSK's low-cost tier. Needs retention.ms; not with cleanup.policy compact. @default false",
      ),
    "local.retention.ms": z
      .number()
      .int()
      .min(-2)
      .optional()
      .describe("With remote.storage.enable: how long segments also stay on the brokers' disks, in ms; below retention.ms. -2 = as long as retention.ms. @default -2"),
    "local.retention.bytes": z
      .number()
      .int()
      .min(-2)
      .optional()
      .describe("With remote.storage.enable: most bytes per partition kept on the brokers' disks; below retention.bytes. -2 = as much as retention.bytes. @default -2"),
  })
  .superRefine((c, ctx) => checkTieredTopicConfigs(c, (path, message) => ctx.addIssue({ code: "custom", path, message })))
  .describe("Topic configs (Kafka names); changed in place.");

export type TopicConfigsSpec = z.output<typeof topicConfigsSchema>;

/** Settings every Terraform-managed topic has: topic files and connectors' dead-letter topics. */
export const topicSettings = {
  partitions: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe("Partitions (a sink's parallelism); can grow in place, never shrink. @default the cluster's default_partitions (num.partitions)"),
  replication_factor: z
    .number()
    .int()
    .min(1)
    .max(15)
    .optional()
    .describe("Copies of each partition; ≤ kafka.broker_count. Changing it replaces the topic (deletes its data). @default the cluster's default_replication_factor"),
  configs: topicConfigsSchema.optional(),
};

export const topicSchema = z
  .strictObject({
    name: kafkaTopicName.describe("Kafka topic name. Renaming replaces the topic (deletes its data)."),
    description: z.string().optional().describe("Free text for people reading this file."),
    ...topicSettings,
    index: z
      .strictObject({
        name: indexName.describe("OpenSearch index the topic is written to."),
        shards: z.number().int().min(1).max(1024).default(1).describe("Primary shards of the index."),
        replicas: z.number().int().min(0).max(15).default(1).describe("Replica shards per primary."),
        refresh_interval: z
          .string()
          .regex(/^(-1|\d+(ms|s|m|h))$/, { error: "a duration such as 1s or 30s, or -1" })
          .optional()
          .describe("index.refresh_interval, e.g. 1s, 30s, or -1 to turn refreshes off. @default OpenSearch's 1s"),
        dynamic: z.union([z.boolean(), z.literal("strict")]).default(true).describe("Mapping of fields not listed: true, false or strict."),
        aliases: z.array(indexName).default([]).describe("Aliases created with the index."),
        mappings: z
          .record(fieldName, fieldMappingSchema)
          .refine((m) => Object.keys(m).length > 0, { error: "at least one field" })
          .describe("Explicit field mappings, created before the sink writes."),
      })
      .describe("The OpenSearch index of this topic."),
    generator: z
      .strictObject({
        key: z.strictObject({ with: z.string().min(1) }).optional().describe("Record key expression (genkp)."),
        fields: z.record(fieldName, generatorField).describe("Record value fields (genv)."),
      })
      .optional()
      .describe("How the MSK Data Generator fills this topic, when a msk-datagen connector writes it."),
    // AWS Glue Schema Registry (issue 19): kept in its own block.
    schema: topicValueSchema.optional(),
  })
  .describe("One Kafka topic and its OpenSearch index.");

export type TopicSpec = z.output<typeof topicSchema>;

