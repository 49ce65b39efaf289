/** The YAML-to-props mapping of an archive file: FirehoseArchive's camelCase settings, with the defaults that depend on the topic. */
import type { FirehoseArchiveProps } from "../processing/firehose-archive";
import type { ArchiveSpec } from "./schema";

export type FirehoseArchiveSpecProps = Pick<
  FirehoseArchiveProps,
  | "name"
  | "topic"
  | "readFromTimestamp"
  | "existingBucketName"
  | "createBucket"
  | "prefix"
  | "errorOutputPrefix"
  | "bufferingSizeMib"
  | "bufferingIntervalSeconds"
  | "compression"
  | "kmsKeyArn"
  | "logRetentionDays"
>;

/** Default prefix of delivered objects: one folder per topic and day (UTC). */
export const defaultArchivePrefix = (topic: string) => `${topic}/!{timestamp:yyyy/MM/dd}/`;
/** Default prefix of failed records: Firehose requires !{firehose:error-output-type} once the prefix has expressions. */
export const defaultArchiveErrorPrefix = (topic: string) => `errors/${topic}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`;

export function firehoseArchiveProps(
  a: ArchiveSpec,
  stack: { readonly accountId: string; readonly logRetentionDays?: number },
): FirehoseArchiveSpecProps {
  return {
    name: a.name,
    topic: a.topic,
    readFromTimestamp: a.read_from,
    existingBucketName: a.bucket.name,
    createBucket: a.bucket.create
      ? { accountId: stack.accountId, forceDestroy: a.bucket.force_destroy, noncurrentVersionExpirationDays: a.bucket.noncurrent_version_expiration_days }
      : undefined,
    prefix: a.prefix ?? defaultArchivePrefix(a.topic),
    errorOutputPrefix: a.error_output_prefix ?? defaultArchiveErrorPrefix(a.topic),
    bufferingSizeMib: a.buffering.size_mib,
    bufferingIntervalSeconds: a.buffering.interval_seconds,
    compression: a.compression,
    kmsKeyArn: a.kms_key_arn,
    logRetentionDays: a.log_retention_days ?? stack.logRetentionDays,
  };
}
