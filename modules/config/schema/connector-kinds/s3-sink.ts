/**
 * `kind: s3-sink`: Confluent's Amazon S3 sink (confluentinc/kafka-connect-storage-cloud, Confluent
 * Community License). Every key named here is checked against the connector's source at v10.6.18
 * and its storage-common parent v11.2.37 (see modules/connect/s3-sink-destination.ts).
 */
import { z } from "zod";
import { destinationBucketSchema } from "../destination-bucket";
import { connectorBase } from "../connector-base";

export const S3_SINK_CONNECTOR_CLASS = "io.confluent.connect.s3.S3SinkConnector";

export const S3_SINK_FORMATS = ["json", "avro", "parquet"] as const;

/** Codecs by format: s3.compression.type (json), avro.codec (avro), parquet.codec (parquet). */
export const S3_SINK_COMPRESSION: Readonly<Record<(typeof S3_SINK_FORMATS)[number], readonly string[]>> = {
  json: ["none", "gzip"],
  avro: ["null", "deflate", "snappy", "bzip2"],
  parquet: ["none", "snappy", "gzip", "zstd"],
};

const bucket = destinationBucketSchema({
  name: "An existing bucket in the stack's region, by name.",
  create: "Create the bucket: <name_prefix>-<connector>-<account>-<region>, encrypted, versioned, public access blocked, TLS only.",
});

const partitioner = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("default").describe("DefaultPartitioner: <topics_dir>/<topic>/partition=<n>/.") }),
    z.strictObject({
      type: z.literal("time-based").describe("TimeBasedPartitioner: <topics_dir>/<topic>/<path_format>/."),
      path_format: z
        .string()
        .regex(/^[A-Za-z0-9'=/_.-]+$/, { error: "a Joda-Time path format such as 'year'=YYYY/'month'=MM/'day'=dd (letters, digits, ', =, /, _, ., -)" })
        .describe("path.format, e.g. 'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH"),
      partition_duration_ms: z.number().int().min(1).describe("partition.duration.ms: how much time one directory covers."),
      locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, { error: "a locale such as en-US" }).default("en-US").describe("locale @default en-US"),
      timezone: z.string().regex(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, { error: "a time zone id such as UTC or Europe/Paris" }).default("UTC").describe("timezone @default UTC"),
      timestamp_extractor: z
        .enum(["Wallclock", "Record", "RecordField"])
        .default("Record")
        .describe("timestamp.extractor: the record's Kafka timestamp (Record), a field of the value (RecordField) or the worker's clock (Wallclock). @default Record"),
      timestamp_field: z.string().min(1).optional().describe("timestamp.field, with timestamp_extractor RecordField."),
    }),
  ],
  { error: "a partitioner type (default, time-based)" },
);

export const s3SinkConnector = z.strictObject({
  ...connectorBase,
  kind: z.literal("s3-sink").describe("Confluent's Amazon S3 sink: its topics to objects in one bucket, under topics_dir."),
  s3: z
    .strictObject({
      bucket: bucket.describe("The target bucket: an existing one ({ name }) or one the stack creates ({ create: true })."),
      topics_dir: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, { error: "a key prefix of letters, digits, '_', '.', '-' and '/' (no leading or trailing '/')" })
        .refine((s) => !s.split("/").some((p) => p === "." || p === ".."), { error: "a key prefix without '.' or '..' segments" })
        .default("topics")
        .describe("topics.dir: the key prefix the connector writes under (and the only one its role may write). @default topics"),
      flush_size: z.number().int().min(1).describe("flush.size: records per object."),
      rotate_interval_ms: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe("rotate.interval.ms: close an object after this much record time (time-based partitioner only). @default - rotate by flush_size only"),
      format: z.enum(S3_SINK_FORMATS).default("json").describe("format.class: json, avro or parquet (avro and parquet need records with schemas). @default json"),
      compression: z
        .string()
        .optional()
        .describe("json: none|gzip (s3.compression.type); avro: null|deflate|snappy|bzip2 (avro.codec); parquet: none|snappy|gzip|zstd (parquet.codec). @default the connector's (none, null, snappy)"),
      partitioner: partitioner.prefault({ type: "default" }).describe("How objects are grouped under topics_dir. @default { type: default }"),
    })
    .superRefine((s, ctx) => {
      const allowed = S3_SINK_COMPRESSION[s.format];
      if (s.compression !== undefined && !allowed.includes(s.compression)) {
        ctx.addIssue({ code: "custom", path: ["compression"], message: `a ${s.format} compression (${allowed.join(", ")}), found "${s.compression}"` });
      }
      if (s.rotate_interval_ms !== undefined && s.partitioner.type !== "time-based") {
        ctx.addIssue({
          code: "custom",
          path: ["rotate_interval_ms"],
          message: `rotate_interval_ms only with partitioner type time-based (the connector ignores it otherwise), found ${s.rotate_interval_ms} with partitioner ${s.partitioner.type}`,
        });
      }
      const p = s.partitioner;
      if (p.type === "time-based" && (p.timestamp_extractor === "RecordField") !== (p.timestamp_field !== undefined)) {
        ctx.addIssue({
          code: "custom",
          path: ["partitioner", p.timestamp_field === undefined ? "timestamp_extractor" : "timestamp_field"],
          message: "timestamp_field exactly when timestamp_extractor is RecordField",
        });
      }
    })
    .describe("S3 sink settings."),
});
