/**
 * Schema of configs/archives/<name>.yaml: one archive, an Amazon Data Firehose delivery stream
 * that reads one topic of the pipeline's MSK cluster (IAM, private connectivity) and writes it to
 * S3 under a prefix, buffered and compressed.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/writing-with-msk.html
 */
import { z } from "zod";
import { RFC3339_DATE_TIME } from "../../validators/aws-patterns";
import { destinationBucketSchema } from "./destination-bucket";
import { FIREHOSE_COMPRESSION_FORMATS, firehosePrefixProblems } from "../../validators/firehose-prefix";
import { kafkaTopicName, kmsKeyArn, retentionDays } from "./common";

/** BufferingHints' ranges (Firehose API reference, BufferingHints: SizeInMBs 1-128, IntervalInSeconds 0-900). */
export const FIREHOSE_BUFFER_SIZE_MIB = { min: 1, max: 128 } as const;
export const FIREHOSE_BUFFER_INTERVAL_S = { min: 0, max: 900 } as const;

const bucket = destinationBucketSchema({
  name: "An existing bucket, by name (not the artifact bucket: that one holds plugins and logs). @default - none",
  create: "Create the bucket <name_prefix>-<archive>-<account>-<region>: encrypted, versioned, public access blocked, TLS only. @default - none",
});

const prefix = (kind: "prefix" | "error_output_prefix") =>
  z.string().superRefine((p, ctx) => {
    for (const problem of firehosePrefixProblems(p, kind)) ctx.addIssue({ code: "custom", message: problem });
  });

export const archiveSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "an archive name (lowercase letters, digits and '-', starting with a letter)" })
      .describe("Archive name: the delivery stream is <name_prefix>-<name> (changing it replaces the stream)."),
    description: z.string().max(256).optional().describe("Free text, shown in the README's diagram only. @default - none"),
    topic: kafkaTopicName.describe("The topic it reads (a topic file). Firehose cannot change it after creation: a new topic replaces the stream."),
    read_from: z
      .string()
      .regex(RFC3339_DATE_TIME, { error: "an RFC 3339 date-time such as 2026-01-01T00:00:00Z" })
      .optional()
      .describe(
        "read_from_timestamp: start reading the topic at this time; 1970-01-01T00:00:00Z reads from the earliest record (Firehose API, MSKSourceConfiguration). Changing it replaces the stream. @default - when the stream becomes active",
      ),
    bucket: bucket.describe("The target bucket: an existing one ({ name }) or one the stack creates ({ create: true })."),
    prefix: prefix("prefix")
      .optional()
      .describe("S3 key prefix of delivered objects; may use !{timestamp:<pattern>} and !{firehose:random-string}. @default <topic>/!{timestamp:yyyy/MM/dd}/"),
    error_output_prefix: prefix("error_output_prefix")
      .optional()
      .describe(
        "S3 key prefix of records Firehose could not deliver; with expressions it must include !{firehose:error-output-type}. @default errors/<topic>/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
      ),
    buffering: z
      .strictObject({
        size_mib: z
          .number()
          .int()
          .min(FIREHOSE_BUFFER_SIZE_MIB.min)
          .max(FIREHOSE_BUFFER_SIZE_MIB.max)
          .default(5)
          .describe(`Deliver when this many MiB are buffered (${FIREHOSE_BUFFER_SIZE_MIB.min}-${FIREHOSE_BUFFER_SIZE_MIB.max}). @default 5`),
        interval_seconds: z
          .number()
          .int()
          .min(FIREHOSE_BUFFER_INTERVAL_S.min)
          .max(FIREHOSE_BUFFER_INTERVAL_S.max)
          .default(300)
          .describe(`Or when the oldest buffered record is this old (${FIREHOSE_BUFFER_INTERVAL_S.min}-${FIREHOSE_BUFFER_INTERVAL_S.max} s), whichever comes first. @default 300`),
      })
      .prefault({})
      .describe("Buffering hints: an object is written when either is reached. @default { size_mib: 5, interval_seconds: 300 }"),
    compression: z.enum(FIREHOSE_COMPRESSION_FORMATS).default("GZIP").describe("Compression of the delivered objects. @default GZIP"),
    kms_key_arn: kmsKeyArn
      .optional()
      .describe("Customer-managed KMS key Firehose encrypts the objects with (SSE-KMS); the delivery role may use it for this bucket only. @default - the bucket's default encryption"),
    log_retention_days: retentionDays.optional().describe("Retention of the delivery-error log group. @default the environment's connect.log_retention_days"),
  })
  .describe("One archive: a Firehose delivery stream from one MSK topic to S3.");

export type ArchiveSpec = z.output<typeof archiveSchema>;
