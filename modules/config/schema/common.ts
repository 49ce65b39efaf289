/**
 * Building blocks shared by the schemas of every YAML file the user edits.
 *
 * Convention: a custom `error` text on a check describes what is EXPECTED (e.g. "a Kafka topic
 * name ..."); the issue formatter adds ", found <value>".
 */
import { z } from "zod";
import { parseCidr } from "../../validators/cidr";
import { LOG_RETENTION_DAYS } from "../../validators/aws-values";
import { AWS_REGION_PATTERN } from "../../validators/aws-patterns";
// ---------------------------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------------------------

export const ipv4Cidr = z
  .string()
  .refine((s) => parseCidr(s) !== undefined, { error: "an IPv4 CIDR such as 10.0.0.0/16 (no host bits set)" });

export { LOG_RETENTION_DAYS } from "../../validators/aws-values";

export const retentionDays = z
  .number()
  .int()
  .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), {
    error: `one of CloudWatch's retention periods (${LOG_RETENTION_DAYS.join(", ")})`,
  })
  .meta({ enum: [...LOG_RETENTION_DAYS] });

export const tagMap = z.record(
  z.string().min(1).max(128),
  z.string().max(256),
);

export const awsRegion = z.string().regex(AWS_REGION_PATTERN, { error: "an AWS region such as ap-southeast-2" });

export const iamPrincipalArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, { error: "an IAM role or user ARN" });

export const kmsKeyArn = z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-f0-9-]+$/, { error: "a KMS key ARN" });

/** Kafka's rules: legal characters, length, and not `.`/`..`. */
export const kafkaTopicName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,249}$/, {
    error: "a Kafka topic name (letters, digits, '.', '_' and '-'; 1 to 249 characters)",
  })
  .refine((s) => s !== "." && s !== "..", { error: "a Kafka topic name other than '.' or '..'" });

/** OpenSearch's index name rules. */
export const indexName = z
  .string()
  .regex(/^[^A-Z\\/*?"<>| ,#:]+$/, {
    error: "an OpenSearch index name (lowercase; none of \\ / * ? \" < > | space , # :)",
  })
  .regex(/^[^_\-+]/, { error: "an OpenSearch index name that does not start with '_', '-' or '+'" })
  .refine((s) => s !== "." && s !== "..", { error: "an OpenSearch index name other than '.' or '..'" })
  .refine((s) => Buffer.byteLength(s, "utf8") <= 255, { error: "an OpenSearch index name of at most 255 bytes" });

export const javaClassName = z
  .string()
  .regex(/^([a-zA-Z_$][\w$]*\.)+[a-zA-Z_$][\w$]*$/, { error: "a fully qualified Java class name" });

/** Values of a Kafka/Connect property map; YAML scalars are turned into strings. */
export const propertyValue = z.union([z.string(), z.number(), z.boolean()]);
export const propertyMap = z.record(
  z.string().regex(/^[A-Za-z0-9_.$-]+$/, { error: "a property name (letters, digits, '.', '_', '-', '$')" }),
  propertyValue,
);

