/**
 * `kind: kinesis-source`: Apache Camel's AWS Kinesis source (camel-kafka-connector,
 * connectors/camel-aws-kinesis-source-kafka-connector). It polls every shard of one stream
 * (ListShards, GetShardIterator, GetRecords) with the connector's own role and writes each record
 * to its one topic.
 */
import { z } from "zod";
import { kmsKeyArn } from "../common";
import { connectorBase } from "../connector-base";

export const KINESIS_SOURCE_CONNECTOR_CLASS = "org.apache.camel.kafkaconnector.awskinesissource.CamelAwskinesissourceSourceConnector";

/** Kinesis's AWS managed key: Kinesis decrypts for any principal of the account allowed to read the stream. */
export const KINESIS_AWS_MANAGED_KEY = "alias/aws/kinesis";

/** Kinesis stream names: 1-128 of letters, digits, `_`, `.` and `-` (CreateStream's StreamName). */
export const kinesisStreamName = z
  .string()
  .regex(/^[a-zA-Z0-9_.-]{1,128}$/, { error: "a Kinesis stream name (1-128 letters, digits, '_', '.', '-')" });

const streamCreation = z
  .strictObject({
    capacity_mode: z.enum(["on_demand", "provisioned"]).default("on_demand").describe("ON_DEMAND (pay per use) or PROVISIONED (fixed shards). @default on_demand"),
    shard_count: z.number().int().min(1).max(10000).optional().describe("Shards of a provisioned stream (required then, refused on demand)."),
    retention_hours: z.number().int().min(24).max(8760).default(24).describe("Record retention in hours (24-8760). @default 24"),
    kms_key: z
      .union([z.literal(KINESIS_AWS_MANAGED_KEY), kmsKeyArn])
      .default(KINESIS_AWS_MANAGED_KEY)
      .describe("Server-side encryption key: alias/aws/kinesis (AWS managed) or a customer managed key's ARN (the role may decrypt with it through Kinesis only). @default alias/aws/kinesis"),
  })
  .superRefine((c, ctx) => {
    if (c.capacity_mode === "provisioned" && c.shard_count === undefined) {
      ctx.addIssue({ code: "custom", path: ["shard_count"], message: "a shard_count for a provisioned stream, found none" });
    }
    if (c.capacity_mode === "on_demand" && c.shard_count !== undefined) {
      ctx.addIssue({ code: "custom", path: ["shard_count"], message: `no shard_count on an on_demand stream (Kinesis scales it), found ${c.shard_count}` });
    }
  });

export const kinesisSourceConnector = z.strictObject({
  ...connectorBase,
  kind: z.literal("kinesis-source").describe("Apache Camel's AWS Kinesis source; writes every record of one stream to its one topic."),
  kinesis: z
    .strictObject({
      stream: kinesisStreamName.describe("The stream, in the stack's region: an existing one by name, or the one `create` makes."),
      create: streamCreation
        .optional()
        .describe("Create the stream in the stack (encrypted). @default - the stream exists already"),
      kms_key_arn: kmsKeyArn
        .optional()
        .describe("An existing stream's customer managed key (the role may decrypt with it through Kinesis only). @default - the stream uses alias/aws/kinesis or no encryption"),
      delay_ms: z
        .number()
        .int()
        .min(200, { error: "at least 200 ms (Kinesis allows 5 GetRecords calls per second per shard)" })
        .max(3600000)
        .default(500)
        .describe("camel.kamelet.aws-kinesis-source.delay: ms between polls; each poll reads one record per shard (Camel's maxResultsPerRequest, which the kamelet leaves at 1). @default 500"),
      network: z
        .strictObject({
          interface_endpoint: z
            .boolean()
            .default(false)
            .describe("A Kinesis interface VPC endpoint in the private subnets (about 7 USD per AZ per month) instead of the NAT. @default false"),
        })
        .prefault({})
        .describe("How the workers reach Kinesis. @default through the NAT gateway"),
    })
    .superRefine((k, ctx) => {
      if (k.create && k.kms_key_arn !== undefined) {
        ctx.addIssue({ code: "custom", path: ["kms_key_arn"], message: "kms_key_arn only for an existing stream (a created one names its key in create.kms_key), found both" });
      }
    })
    .describe("The Kinesis stream and how to read it."),
});
