/**
 * FirehoseArchive: one Amazon Data Firehose delivery stream that reads one topic of the MSK cluster
 * (IAM, PRIVATE connectivity, i.e. a managed VPC connection through multi-VPC connectivity) and
 * writes it to S3 under a prefix, buffered and compressed; its bucket (an existing one by name, or
 * one created with the stack's secure bucket defaults); its delivery-error log group and stream;
 * and two roles, each trusted by firehose.amazonaws.com for this account only:
 * - the source role (`msk_source_configuration.authentication_configuration.role_arn`): the MSK
 *   statements AWS lists for an MSK source, on this cluster, this topic and the cluster's groups;
 * - the delivery role (`extended_s3_configuration.role_arn`): the S3 actions AWS lists for an S3
 *   destination, on this bucket's two prefixes only, PutLogEvents on its log stream, and the KMS
 *   key when one is named.
 * AWS asks for "another IAM role" for the MSK source (Firehose developer guide, "Allow Firehose to
 * assume an IAM role"); two roles also keep each permission set to what its side needs.
 *
 * The resource follows hashicorp/terraform-provider-aws internal/service/firehose/delivery_stream.go:
 * `msk_source_configuration` (authentication_configuration { connectivity, role_arn },
 * msk_cluster_arn, topic_name, read_from_timestamp: all ForceNew) conflicts with
 * `server_side_encryption` (stream-side encryption is for Direct PUT streams), so encryption at
 * rest is the S3 side's: the bucket's default encryption, or SSE-KMS with `kms_key_arn`.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/writing-with-msk.html
 */
import { Fn, type IResolvable, type ITerraformDependable, TerraformStack, Token, ref } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { policyDocument, type PolicyStatement } from "../iam-policy";
import { destinationBucket } from "../storage/secure-bucket-defaults";
import { RFC3339_DATE_TIME } from "../validators/aws-patterns";
import { LOG_RETENTION_DAYS } from "../validators/aws-values";
import { FIREHOSE_COMPRESSION_FORMATS, firehosePrefixProblems, literalPrefix, type FirehoseCompression } from "../validators/firehose-prefix";
import { S3_BUCKET_NAME_MAX, s3BucketNameProblem } from "../validators/s3-bucket-name";

/** Log stream Firehose writes delivery errors to (the name the Firehose console uses for the destination). */
export const FIREHOSE_LOG_STREAM = "DestinationDelivery";

/** Longest region name AWS has (e.g. ap-southeast-5), used when the region is a token. */
const MAX_REGION_LENGTH = 14;

/** A bucket the archive creates. */
export interface FirehoseArchiveCreatedBucket {
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

export interface FirehoseArchiveProps {
  /** The environment's name_prefix. */
  readonly namePrefix: string;
  /** Archive name; the delivery stream is `<namePrefix>-<name>`. */
  readonly name: string;
  /** MSK cluster ARN (arn:…:cluster/<name>/<uuid>). */
  readonly clusterArn: string;
  /** The topic it reads. */
  readonly topic: string;
  /**
   * read_from_timestamp (RFC 3339).
   * @default - when the stream becomes active
   */
  readonly readFromTimestamp?: string;
  /**
   * An existing bucket, by name. Exactly one of existingBucketName and createBucket.
   * @default - none
   */
  readonly existingBucketName?: string;
  /**
   * Create the bucket `<namePrefix>-<name>-<accountId>-<region>`.
   * @default - none
   */
  readonly createBucket?: FirehoseArchiveCreatedBucket;
  /** S3 key prefix of delivered objects (Firehose expressions allowed). */
  readonly prefix: string;
  /** S3 key prefix of records that could not be delivered. */
  readonly errorOutputPrefix: string;
  /**
   * Buffering size in MiB (1-128).
   * @default 5
   */
  readonly bufferingSizeMib?: number;
  /**
   * Buffering interval in seconds (0-900).
   * @default 300
   */
  readonly bufferingIntervalSeconds?: number;
  /**
   * Compression of the delivered objects.
   * @default "GZIP"
   */
  readonly compression?: FirehoseCompression;
  /**
   * Customer-managed KMS key for SSE-KMS of the delivered objects (and a created bucket's default encryption).
   * @default - the bucket's default encryption (SSE-S3 for a created bucket)
   */
  readonly kmsKeyArn?: string;
  /**
   * Retention of the delivery-error log group, in days.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /** Whether the delivery stream exists: the `to_create_connector` variable's booleanValue (count 0|1). */
  readonly create: boolean | IResolvable;
  /**
   * What the stream waits for besides its roles' policies (its topic, the cluster policy).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
}

/** The trust policy of both roles: Firehose, for this account only (aws:SourceAccount, the confused-deputy guard). */
function firehoseTrust(accountId: string): string {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: "firehose.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

export class FirehoseArchive extends Construct {
  /** `<namePrefix>-<name>` */
  public readonly streamName: string;
  /** The bucket's name (a token when created here). */
  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** The created bucket. @default - none (an existing bucket) */
  public readonly bucket?: S3Bucket;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly logStream: CloudwatchLogStream;
  /** Reads the topic (msk_source_configuration). */
  public readonly sourceRole: IamRole;
  public readonly sourcePolicy: IamRolePolicy;
  /** Writes the bucket and the log stream (extended_s3_configuration). */
  public readonly deliveryRole: IamRole;
  public readonly deliveryPolicy: IamRolePolicy;
  public readonly resource: KinesisFirehoseDeliveryStream;
  /** ARN of the delivery stream; null until created (count = 1). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: FirehoseArchiveProps) {
    super(scope, id);
    FirehoseArchive.validate(props);
    this.streamName = `${props.namePrefix}-${props.name}`;

    const destination = destinationBucket(this, {
      createdName: `${props.namePrefix}-${props.name}-${props.createBucket?.accountId}-${props.region}`,
      create: props.createBucket,
      existingBucketName: props.existingBucketName,
      partition: props.partition,
      kmsKeyArn: props.kmsKeyArn,
    });
    this.bucket = destination.bucket;
    this.bucketName = destination.bucketName;
    this.bucketArn = destination.bucketArn;

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/kinesisfirehose/${this.streamName}`,
      retentionInDays: props.logRetentionDays ?? 30,
    });
    this.logStream = new CloudwatchLogStream(this, "log-stream", { name: FIREHOSE_LOG_STREAM, logGroupName: this.logGroup.name });

    this.sourceRole = new IamRole(this, "source-role", {
      name: `${this.streamName}-firehose-msk`,
      description: `Firehose stream ${this.streamName}: reads topic ${props.topic} of the MSK cluster`,
      assumeRolePolicy: firehoseTrust(props.accountId),
    });
    this.sourcePolicy = new IamRolePolicy(this, "source-policy", {
      name: "read-topic",
      role: this.sourceRole.id,
      policy: policyDocument(this.sourceStatements(props)),
    });
    this.deliveryRole = new IamRole(this, "delivery-role", {
      name: `${this.streamName}-firehose`,
      description: `Firehose stream ${this.streamName}: writes its S3 prefixes and its error log stream`,
      assumeRolePolicy: firehoseTrust(props.accountId),
    });
    this.deliveryPolicy = new IamRolePolicy(this, "delivery-policy", {
      name: "deliver",
      role: this.deliveryRole.id,
      policy: policyDocument(this.deliveryStatements(props)),
    });

    // Loaded here, when an archive exists, not at import: the binding is 2.5 MB of JavaScript that
    // every synth would parse otherwise (the cost the deep imports avoid for the provider's barrel).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KinesisFirehoseDeliveryStream: DeliveryStream } = require("@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream") as typeof import("@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream");
    this.resource = new DeliveryStream(this, "resource", {
      count: Fn.conditional(props.create, 1, 0) as unknown as number,
      name: this.streamName,
      destination: "extended_s3",
      mskSourceConfiguration: {
        mskClusterArn: props.clusterArn,
        topicName: props.topic,
        readFromTimestamp: props.readFromTimestamp,
        authenticationConfiguration: { connectivity: "PRIVATE", roleArn: this.sourceRole.arn },
      },
      extendedS3Configuration: {
        roleArn: this.deliveryRole.arn,
        bucketArn: this.bucketArn,
        prefix: props.prefix,
        errorOutputPrefix: props.errorOutputPrefix,
        bufferingSize: props.bufferingSizeMib ?? 5,
        bufferingInterval: props.bufferingIntervalSeconds ?? 300,
        compressionFormat: props.compression ?? "GZIP",
        kmsKeyArn: props.kmsKeyArn,
        cloudwatchLoggingOptions: { enabled: true, logGroupName: this.logGroup.name, logStreamName: this.logStream.name },
      },
      // Firehose checks its roles when the stream is created: their policies first.
      dependsOn: [this.sourcePolicy, this.deliveryPolicy, ...(this.bucket ? [this.bucket] : []), ...(props.dependsOn ?? [])],
    });
    // count = 0|1: one(<resource>[*].arn) is the ARN or null.
    this.arn = Token.asString(Fn.one(ref(`${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}[*].arn`, TerraformStack.of(this))));
  }

  /**
   * The MSK source's statements, as AWS lists them for an MSK source (Firehose developer guide,
   * "Grant Firehose access to an Amazon S3 destination", the MSK substitute statements): the
   * cluster, this topic, and DescribeGroup on the cluster's groups (Firehose names its own group).
   */
  private sourceStatements(props: FirehoseArchiveProps): PolicyStatement[] {
    const topicArn = `${Fn.replace(props.clusterArn, ":cluster/", ":topic/")}/${props.topic}`;
    const groups = `${Fn.replace(props.clusterArn, ":cluster/", ":group/")}/*`;
    return [
      {
        Sid: "Cluster",
        Effect: "Allow",
        Action: ["kafka:GetBootstrapBrokers", "kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka-cluster:Connect"],
        Resource: props.clusterArn,
      },
      {
        Sid: "ReadTopic",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:ReadData"],
        Resource: topicArn,
      },
      { Sid: "DescribeGroups", Effect: "Allow", Action: "kafka-cluster:DescribeGroup", Resource: groups },
    ];
  }

  /**
   * The S3 destination's statements, as AWS lists them (s3:AbortMultipartUpload, GetBucketLocation,
   * GetObject, ListBucket, ListBucketMultipartUploads, PutObject; logs:PutLogEvents; kms:Decrypt and
   * GenerateDataKey via S3), scoped: objects under the two literal prefixes only, ListBucket with
   * an s3:prefix condition, the one log stream, and the key for this bucket only.
   */
  private deliveryStatements(props: FirehoseArchiveProps): PolicyStatement[] {
    const literals = [...new Set([literalPrefix(props.prefix), literalPrefix(props.errorOutputPrefix)])];
    const statements: PolicyStatement[] = [
      {
        Sid: "WriteObjects",
        Effect: "Allow",
        Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
        Resource: literals.map((l) => `${this.bucketArn}/${l}*`),
      },
      {
        Sid: "ListOwnPrefixes",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: this.bucketArn,
        Condition: { StringLike: { "s3:prefix": literals.map((l) => `${l}*`) } },
      },
      {
        Sid: "Bucket",
        Effect: "Allow",
        Action: ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
        Resource: this.bucketArn,
      },
      { Sid: "WriteErrorLog", Effect: "Allow", Action: "logs:PutLogEvents", Resource: this.logStream.arn },
    ];
    if (props.kmsKeyArn !== undefined) {
      statements.push({
        Sid: "EncryptObjects",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: props.kmsKeyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${props.region}.amazonaws.com` },
          // The object's ARN, or the bucket's when the bucket uses an S3 Bucket Key.
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [this.bucketArn, ...literals.map((l) => `${this.bucketArn}/${l}*`)] },
        },
      });
    }
    return statements;
  }

  private static validate(props: FirehoseArchiveProps): void {
    const where = `FirehoseArchive ${props.name}`;
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(props.name)) throw new Error(`${where}: name must be lowercase letters, digits and '-', got "${props.name}"`);
    if (!Token.isUnresolved(props.namePrefix)) {
      const role = `${props.namePrefix}-${props.name}-firehose-msk`;
      if (role.length > 64) throw new Error(`${where}: IAM role name "${role}" is longer than 64 characters`);
    }
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(props.topic)) throw new Error(`${where}: topic must be a Kafka topic name, got "${props.topic}"`);
    if ((props.existingBucketName === undefined) === (props.createBucket === undefined)) throw new Error(`${where}: exactly one of existingBucketName or createBucket`);
    if (props.existingBucketName !== undefined) {
      const problem = s3BucketNameProblem(props.existingBucketName);
      if (problem) throw new Error(`${where}: existingBucketName "${props.existingBucketName}" is not a bucket name: ${problem}`);
    }
    if (props.createBucket) {
      const regionLength = Token.isUnresolved(props.region) ? MAX_REGION_LENGTH : props.region.length;
      const length = props.namePrefix.length + 1 + props.name.length + 1 + 12 + 1 + regionLength;
      if (length > S3_BUCKET_NAME_MAX) throw new Error(`${where}: the bucket name <namePrefix>-<name>-<account>-<region> would be ${length} characters; S3 allows ${S3_BUCKET_NAME_MAX}`);
    }
    for (const [what, value, kind] of [
      ["prefix", props.prefix, "prefix"],
      ["errorOutputPrefix", props.errorOutputPrefix, "error_output_prefix"],
    ] as const) {
      const problems = firehosePrefixProblems(value, kind);
      if (problems.length) throw new Error(`${where}: ${what} "${value}" needs ${problems.join("; ")}`);
    }
    const size = props.bufferingSizeMib ?? 5;
    if (!Number.isInteger(size) || size < 1 || size > 128) throw new Error(`${where}: bufferingSizeMib must be a whole number 1-128, got ${size}`);
    const interval = props.bufferingIntervalSeconds ?? 300;
    if (!Number.isInteger(interval) || interval < 0 || interval > 900) throw new Error(`${where}: bufferingIntervalSeconds must be a whole number 0-900, got ${interval}`);
    const compression = props.compression ?? "GZIP";
    if (!(FIREHOSE_COMPRESSION_FORMATS as readonly string[]).includes(compression)) throw new Error(`${where}: compression must be one of ${FIREHOSE_COMPRESSION_FORMATS.join(", ")}, got "${compression}"`);
    const retention = props.logRetentionDays ?? 30;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) throw new Error(`${where}: log retention must be one of ${LOG_RETENTION_DAYS.join(", ")} days, got ${retention}`);
    if (props.readFromTimestamp !== undefined && !RFC3339_DATE_TIME.test(props.readFromTimestamp)) {
      throw new Error(`${where}: readFromTimestamp must be an RFC 3339 date-time, got "${props.readFromTimestamp}"`);
    }
  }
}
