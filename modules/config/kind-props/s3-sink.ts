/** The YAML of an s3-sink connector (its `s3` section) as S3SinkDestination props. */
import type { S3SinkDestinationProps } from "../../connect/s3-sink-destination";
import type { ConnectorSpecOf } from "../schema";

/** What the stack supplies: names and where it runs. */
export interface S3SinkStackContext {
  readonly namePrefix: string;
  readonly region: string;
  readonly partition: string;
  readonly accountId: string;
}

export function s3SinkDestinationProps(c: ConnectorSpecOf<"s3-sink">, stack: S3SinkStackContext): S3SinkDestinationProps {
  const s = c.s3;
  const p = s.partitioner;
  return {
    namePrefix: stack.namePrefix,
    connectorName: c.name,
    region: stack.region,
    partition: stack.partition,
    existingBucketName: s.bucket.name,
    createBucket: s.bucket.create
      ? { accountId: stack.accountId, forceDestroy: s.bucket.force_destroy, noncurrentVersionExpirationDays: s.bucket.noncurrent_version_expiration_days }
      : undefined,
    topicsDir: s.topics_dir,
    flushSize: s.flush_size,
    rotateIntervalMs: s.rotate_interval_ms,
    format: s.format,
    compression: s.compression,
    timeBasedPartitioner:
      p.type === "time-based"
        ? {
            pathFormat: p.path_format,
            partitionDurationMs: p.partition_duration_ms,
            locale: p.locale,
            timezone: p.timezone,
            timestampExtractor: p.timestamp_extractor,
            timestampField: p.timestamp_field,
          }
        : undefined,
  };
}
