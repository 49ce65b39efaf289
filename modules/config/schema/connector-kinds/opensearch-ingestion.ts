/**
 * `kind: opensearch-ingestion`: an Amazon OpenSearch Ingestion pipeline (Data Prepper, managed)
 * that reads the connector's topics from the cluster through multi-VPC connectivity and writes
 * each topic to its topic file's index, signed with the pipeline's own IAM role (no password).
 * Not an MSK Connect connector: no plugin, no workers, no Kafka Connect properties, so it shares
 * only the name, description, topics and log retention of connector-base.ts.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/configure-client-msk.html
 */
import { z } from "zod";
import { s3BucketNameProblem } from "../../../validators/s3-bucket-name";
import { kafkaTopicName, kmsKeyArn, retentionDays } from "../common";
import { connectorBase } from "../connector-base";
import { OSIS_MAX_UNITS } from "../../../search/opensearch-ingestion-pipeline";

/**
 * Topics one pipeline reads. Data Prepper's kafka source accepts 1-10 (KafkaSourceConfig.java,
 * `@Size(min = 1, max = 10)`); the tracking issue gives 4 as OpenSearch Ingestion's limit for an
 * MSK source, which is the stricter of the two and what we enforce.
 */
export const OSIS_MAX_TOPICS = 4;
export { OSIS_MAX_UNITS };

const units = (what: string) => z.number().int().min(1).max(OSIS_MAX_UNITS).describe(`${what} OpenSearch Compute Units (1-${OSIS_MAX_UNITS}).`);

const bucketName = z.string().superRefine((name, ctx) => {
  const problem = s3BucketNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: `an S3 bucket name (${problem})` });
});

const keyPrefix = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\/$/, { error: "a key prefix of letters, digits, '_', '.', '-' and '/', ending in '/' (no leading '/')" })
  .refine((s) => !s.split("/").some((p) => p === "." || p === ".."), { error: "a key prefix without '.' or '..' segments" });

export const opensearchIngestionConnector = z.strictObject({
  name: connectorBase.name.describe("Connector name: the pipeline is <name_prefix>-<name> (3-28 characters)."),
  description: connectorBase.description,
  kind: z.literal("opensearch-ingestion").describe("An OpenSearch Ingestion pipeline (managed Data Prepper) from MSK to the domain: no plugin, IAM only."),
  topics: z
    .array(kafkaTopicName)
    .min(1)
    .max(OSIS_MAX_TOPICS, { error: `at most ${OSIS_MAX_TOPICS} topics (one pipeline's MSK source)` })
    .describe(`Topics the pipeline reads (1-${OSIS_MAX_TOPICS}); each needs a topic file, whose index it writes.`),
  log_retention_days: retentionDays.optional().describe("Retention of the pipeline's log group. @default the environment's connect.log_retention_days"),
  ingestion: z
    .strictObject({
      consumer_group: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,200}$/, { error: "a consumer group id (letters, digits, '.', '_', '-'; at most 200)" })
        .optional()
        .describe("Kafka consumer group (group_id of every topic). @default osis-<connector>"),
      auto_offset_reset: z.enum(["earliest", "latest"]).default("earliest").describe("Where a new group starts reading. @default earliest"),
      min_units: units("Fewest").default(1).describe("Fewest OpenSearch Compute Units (1-96). @default 1"),
      max_units: units("Most").default(2).describe("Most OpenSearch Compute Units (1-96), ≥ min_units; at most one consumer per partition is useful. @default 2"),
      persistent_buffer: z.boolean().default(false).describe("Persistent buffering (events kept across a restart; billed as extra OCUs). @default false"),
      kms_key_arn: kmsKeyArn.optional().describe("Customer KMS key for the pipeline's data at rest. @default - an AWS-owned key"),
      dead_letter_queue: z
        .strictObject({
          bucket: bucketName.optional().describe("An existing bucket in the stack's region. @default - the stack's artifact bucket"),
          prefix: keyPrefix.optional().describe("Key prefix of the failed documents (the only one the role may write). @default dlq/<connector>/"),
        })
        .prefault({})
        .describe("Documents OpenSearch refuses go to S3 (Data Prepper's dlq.s3)."),
    })
    .prefault({})
    .superRefine((s, ctx) => {
      if (s.min_units > s.max_units) ctx.addIssue({ code: "custom", path: ["min_units"], message: `min_units ≤ max_units (${s.max_units}), found ${s.min_units}` });
    })
    .describe("The pipeline's consumer group, capacity, buffer, encryption and dead-letter queue."),
});
