/**
 * S3SinkDestination: where Confluent's Amazon S3 sink writes, and everything its connector needs
 * for that: the bucket (an existing one by name, or one created here with the stack's secure
 * bucket defaults), the connector's Kafka Connect properties and its least-privilege statements.
 *
 * Keys, checked against the connector's source (confluentinc/kafka-connect-storage-cloud v10.6.18,
 * kafka-connect-s3/src/main/java/io/confluent/connect/s3/S3SinkConnectorConfig.java) and its parent
 * (confluentinc/kafka-connect-storage-common v11.2.37: common/.../StorageCommonConfig.java,
 * core/.../StorageSinkConnectorConfig.java, partitioner/.../PartitionerConfig.java):
 * - s3.bucket.name, s3.region, s3.compression.type ("none" | "gzip", storage/CompressionType.java): S3SinkConnectorConfig
 * - storage.class, topics.dir (default "topics"): StorageCommonConfig
 * - format.class, flush.size, rotate.interval.ms, avro.codec (null, deflate, snappy, bzip2),
 *   parquet.codec (default snappy; parquet's CompressionCodecName names, lowercase, or none): StorageSinkConnectorConfig
 * - partitioner.class, path.format, partition.duration.ms, locale, timezone, timestamp.extractor
 *   (Wallclock, Record, RecordField), timestamp.field: PartitionerConfig
 *
 * What the connector calls on S3 (v10.6.18 S3Storage.java, S3OutputStream.java, S3SinkTask.java):
 * at task start `doesBucketExistV2` (GetBucketAcl; the AWS SDK reads AccessDenied as "the bucket
 * exists", so no grant is needed), then multipart uploads (CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload: s3:PutObject) and AbortMultipartUpload on failure. HeadObject
 * (`doesObjectExist`) and object tagging happen only with rotate.schedule.interval.ms (conditional
 * writes) and s3.object.tagging, which this kind does not set.
 */
import { Token } from "cdktf";
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import type { PolicyStatement } from "../iam-policy";
import { S3_BUCKET_NAME_MAX, s3BucketNameProblem } from "../validators/s3-bucket-name";
import { destinationBucket } from "../storage/secure-bucket-defaults";
import type { ConnectorKindParts } from "./connector-kind";

/** Longest region name AWS has (e.g. ap-southeast-5), used when the region is a token. */
const MAX_REGION_LENGTH = 14;

export type S3SinkFormat = "json" | "avro" | "parquet";

/** format.class by format (kafka-connect-s3/src/main/java/io/confluent/connect/s3/format/<f>/<F>Format.java). */
export const S3_SINK_FORMAT_CLASS: Readonly<Record<S3SinkFormat, string>> = {
  json: "io.confluent.connect.s3.format.json.JsonFormat",
  avro: "io.confluent.connect.s3.format.avro.AvroFormat",
  parquet: "io.confluent.connect.s3.format.parquet.ParquetFormat",
};

/** The compression property of each format and the values the connector accepts for it. */
const COMPRESSION: Readonly<Record<S3SinkFormat, { key: string; values: readonly string[] }>> = {
  json: { key: "s3.compression.type", values: ["none", "gzip"] },
  avro: { key: "avro.codec", values: ["null", "deflate", "snappy", "bzip2"] },
  parquet: { key: "parquet.codec", values: ["none", "snappy", "gzip", "zstd"] },
};

/** TimeBasedPartitioner settings. */
export interface S3SinkTimeBasedPartitioner {
  /** path.format (Joda-Time), e.g. `'year'=YYYY/'month'=MM/'day'=dd`. */
  readonly pathFormat: string;
  /** partition.duration.ms */
  readonly partitionDurationMs: number;
  /** locale, e.g. en-US. */
  readonly locale: string;
  /** timezone, e.g. UTC. */
  readonly timezone: string;
  /** timestamp.extractor */
  readonly timestampExtractor: "Wallclock" | "Record" | "RecordField";
  /**
   * timestamp.field (with RecordField only).
   * @default - none
   */
  readonly timestampField?: string;
}

/** A bucket the destination creates. */
export interface S3SinkCreatedBucket {
  /** Account id (literal or token): part of the name, as for the artifact bucket. */
  readonly accountId: string;
  /**
   * Let destroy delete the bucket while it holds objects.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Days S3 keeps noncurrent object versions.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
}

export interface S3SinkDestinationProps {
  /** The environment's name_prefix. */
  readonly namePrefix: string;
  /** The connector's name (part of a created bucket's name). */
  readonly connectorName: string;
  /** Region of the stack (literal or token): s3.region, and part of a created bucket's name. */
  readonly region: string;
  /** AWS partition (token or literal), for the ARN of an existing bucket. */
  readonly partition: string;
  /**
   * An existing bucket, by name. Exactly one of existingBucketName and createBucket.
   * @default - none
   */
  readonly existingBucketName?: string;
  /**
   * Create the bucket `<namePrefix>-<connectorName>-<accountId>-<region>`.
   * @default - none
   */
  readonly createBucket?: S3SinkCreatedBucket;
  /** topics.dir: the only key prefix the connector may write. */
  readonly topicsDir: string;
  /** flush.size */
  readonly flushSize: number;
  /**
   * rotate.interval.ms (needs a time-based partitioner; the connector ignores it otherwise).
   * @default - not set
   */
  readonly rotateIntervalMs?: number;
  /** format.class */
  readonly format: S3SinkFormat;
  /**
   * Codec of the format (s3.compression.type, avro.codec or parquet.codec).
   * @default - the connector's default for the format
   */
  readonly compression?: string;
  /**
   * The time-based partitioner.
   * @default - DefaultPartitioner
   */
  readonly timeBasedPartitioner?: S3SinkTimeBasedPartitioner;
}

export class S3SinkDestination extends Construct implements ConnectorKindParts {
  public readonly properties: Readonly<Record<string, string>>;
  public readonly statements: readonly PolicyStatement[];
  /** The bucket's name (a token when created here). */
  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** The created bucket. @default - none (an existing bucket) */
  public readonly bucket?: S3Bucket;

  constructor(scope: Construct, id: string, props: S3SinkDestinationProps) {
    super(scope, id);
    const where = `S3SinkDestination ${props.connectorName}`;
    if ((props.existingBucketName === undefined) === (props.createBucket === undefined)) {
      throw new Error(`${where}: exactly one of existingBucketName or createBucket`);
    }
    if (props.existingBucketName !== undefined) {
      const problem = s3BucketNameProblem(props.existingBucketName);
      if (problem) throw new Error(`${where}: existingBucketName "${props.existingBucketName}" is not a bucket name: ${problem}`);
    }
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(props.topicsDir)) {
      throw new Error(`${where}: topicsDir must be a key prefix of letters, digits, '_', '.', '-' and '/' without leading or trailing '/', got "${props.topicsDir}"`);
    }
    if (!Number.isInteger(props.flushSize) || props.flushSize < 1) throw new Error(`${where}: flushSize must be a whole number >= 1, got ${props.flushSize}`);
    if (props.rotateIntervalMs !== undefined && props.timeBasedPartitioner === undefined) {
      throw new Error(`${where}: rotateIntervalMs needs the time-based partitioner (the connector ignores it otherwise)`);
    }
    const compression = COMPRESSION[props.format];
    if (props.compression !== undefined && !compression.values.includes(props.compression)) {
      throw new Error(`${where}: compression for ${props.format} must be one of ${compression.values.join(", ")}, got "${props.compression}"`);
    }
    const tb = props.timeBasedPartitioner;
    if (tb && (tb.timestampExtractor === "RecordField") !== (tb.timestampField !== undefined)) {
      throw new Error(`${where}: timestampField is needed exactly when timestampExtractor is RecordField`);
    }

    const created = props.createBucket;
    if (created) {
      const regionLength = Token.isUnresolved(props.region) ? MAX_REGION_LENGTH : props.region.length;
      const length = props.namePrefix.length + 1 + props.connectorName.length + 1 + 12 + 1 + regionLength;
      if (length > S3_BUCKET_NAME_MAX) {
        throw new Error(`${where}: the bucket name <namePrefix>-<connectorName>-<account>-<region> would be ${length} characters; S3 allows ${S3_BUCKET_NAME_MAX}`);
      }
    }
    const destination = destinationBucket(this, {
      createdName: `${props.namePrefix}-${props.connectorName}-${created?.accountId}-${props.region}`,
      create: created,
      existingBucketName: props.existingBucketName,
      partition: props.partition,
    });
    this.bucket = destination.bucket;
    this.bucketName = destination.bucketName;
    this.bucketArn = destination.bucketArn;

    const properties: Record<string, string> = {
      "storage.class": "io.confluent.connect.s3.storage.S3Storage",
      "s3.bucket.name": this.bucketName,
      "s3.region": props.region,
      "topics.dir": props.topicsDir,
      "flush.size": String(props.flushSize),
      "format.class": S3_SINK_FORMAT_CLASS[props.format],
      "partitioner.class": tb ? "io.confluent.connect.storage.partitioner.TimeBasedPartitioner" : "io.confluent.connect.storage.partitioner.DefaultPartitioner",
    };
    if (props.rotateIntervalMs !== undefined) properties["rotate.interval.ms"] = String(props.rotateIntervalMs);
    if (props.compression !== undefined) properties[compression.key] = props.compression;
    if (tb) {
      properties["path.format"] = tb.pathFormat;
      properties["partition.duration.ms"] = String(tb.partitionDurationMs);
      properties.locale = tb.locale;
      properties.timezone = tb.timezone;
      properties["timestamp.extractor"] = tb.timestampExtractor;
      if (tb.timestampField !== undefined) properties["timestamp.field"] = tb.timestampField;
    }
    // Avro and Parquet files need a schema per record: the JSON converter then reads
    // {"schema": ..., "payload": ...} envelopes (a connector's `config` may choose another converter).
    if (props.format !== "json") properties["value.converter.schemas.enable"] = "true";
    this.properties = properties;

    this.statements = [
      {
        Sid: "S3SinkWriteObjects",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        Resource: `${this.bucketArn}/${props.topicsDir}/*`,
      },
      {
        Sid: "S3SinkListOwnPrefix",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: this.bucketArn,
        Condition: { StringLike: { "s3:prefix": [`${props.topicsDir}/`, `${props.topicsDir}/*`] } },
      },
      {
        Sid: "S3SinkBucketLocation",
        Effect: "Allow",
        Action: "s3:GetBucketLocation",
        Resource: this.bucketArn,
      },
    ];
  }
}
