/**
 * ArtifactBucket: the one S3 bucket of an environment. It holds the MSK Connect plugin artifacts
 * (`plugins/`) and the logs that MSK and MSK Connect deliver to S3 (`logs/msk/`).
 */
import { Token } from "cdktf";
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import type { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import type { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { PolicyStatement } from "../iam-policy";
import { applySecureBucketDefaults } from "./secure-bucket-defaults";

/** Key prefix under which MSK (broker logs) and MSK Connect (worker logs) may deliver logs. */
export const MSK_LOG_PREFIX = "logs/msk/";

/** Longest region name AWS has (e.g. ap-southeast-5), used when the region is a token. */
const MAX_REGION_LENGTH = 14;

export interface ArtifactBucketProps {
  /**
   * Prefix of the bucket name (the environment's `name_prefix`). The bucket is named
   * `<namePrefix>-artifacts-<accountId>-<region>`: deterministic (users and scripts can derive it)
   * and unique across accounts and regions, which a random `bucket_prefix` suffix would also give
   * but at the cost of a name nobody can predict.
   */
  readonly namePrefix: string;
  /** Account id the stack deploys to (a literal or `data.aws_caller_identity.account_id`). */
  readonly accountId: string;
  /** Region of the stack (a literal or a token). */
  readonly region: string;
  /**
   * AWS partition, used in the ARNs of the log-delivery conditions.
   * @default "aws"
   */
  readonly partition?: string;
  /**
   * Let `destroy` delete the bucket while it still holds objects (YAML `artifact_bucket.force_destroy`).
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Customer KMS key for default encryption (SSE-KMS, with an S3 bucket key). The key policy must
   * allow `delivery.logs.amazonaws.com` to use it (kms:Encrypt, kms:Decrypt, kms:ReEncrypt*,
   * kms:GenerateDataKey*, kms:DescribeKey), or MSK's S3 log delivery fails.
   * @default - SSE-S3 (AES256)
   */
  readonly kmsKeyArn?: string;
}

/**
 * S3 bucket with every public access setting blocked, default encryption, versioning, ACLs
 * disabled (BucketOwnerEnforced) and a policy that denies plain HTTP and lets the CloudWatch Logs
 * delivery service (`delivery.logs.amazonaws.com`, which MSK and MSK Connect use for S3 log
 * delivery) write under `logs/msk/` for this account only.
 */
export class ArtifactBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly bucketPolicy: S3BucketPolicy;
  /**
   * The versioning configuration. Objects whose version id matters (plugin artifacts) must depend
   * on it: an object uploaded before versioning is on gets no version id, reads back as `null`
   * later and forces the replacement of everything that names the version.
   */
  public readonly versioning: S3BucketVersioningA;
  /** The bucket's name (what MSK's `logging_info.broker_logs.s3.bucket` takes). */
  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** Terraform id of the bucket (equal to its name). */
  public readonly bucketId: string;

  constructor(scope: Construct, id: string, props: ArtifactBucketProps) {
    super(scope, id);

    if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(props.namePrefix)) {
      throw new Error(
        `ArtifactBucket: namePrefix must be lowercase letters, digits and '-' (starting and ending with a letter or digit), got "${props.namePrefix}"`,
      );
    }
    if (!Token.isUnresolved(props.accountId) && !/^\d{12}$/.test(props.accountId)) {
      throw new Error(`ArtifactBucket: accountId must be 12 digits, got "${props.accountId}"`);
    }
    const regionLength = Token.isUnresolved(props.region) ? MAX_REGION_LENGTH : props.region.length;
    const nameLength = props.namePrefix.length + "-artifacts-".length + 12 + 1 + regionLength;
    if (nameLength > 63) {
      throw new Error(
        `ArtifactBucket: namePrefix "${props.namePrefix}" makes the bucket name ${nameLength} characters long; S3 allows at most 63`,
      );
    }
    if (props.kmsKeyArn !== undefined && !Token.isUnresolved(props.kmsKeyArn) && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-f0-9-]+$/.test(props.kmsKeyArn)) {
      throw new Error(`ArtifactBucket: kmsKeyArn must be a KMS key ARN, got "${props.kmsKeyArn}"`);
    }
    const partition = props.partition ?? "aws";

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: `${props.namePrefix}-artifacts-${props.accountId}-${props.region}`,
      forceDestroy: props.forceDestroy ?? false,
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.bucketId = this.bucket.id;

    // Log delivery: the statements CloudWatch Logs' vended-log delivery needs for S3 (the service
    // would otherwise add them itself through PutBucketPolicy, and Terraform would remove them
    // again on the next apply). The object path MSK writes is
    // <prefix>AWSLogs/<account>/KafkaBrokerLogs/..., so the write grant is limited to logs/msk/ of
    // this account; SourceAccount/SourceArn stop other accounts' deliveries (confused deputy).
    const logSourceArn = `arn:${partition}:logs:${props.region}:${props.accountId}:*`;
    const statements: PolicyStatement[] = [
      {
        Sid: "AWSLogDeliveryWrite",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${this.bucket.arn}/${MSK_LOG_PREFIX}*/AWSLogs/${props.accountId}/*`,
        Condition: {
          StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": props.accountId },
          ArnLike: { "aws:SourceArn": logSourceArn },
        },
      },
      {
        // GetBucketAcl is the delivery service's ownership check; ListBucket avoids the AccessDenied
        // noise in CloudTrail that AWS's documentation mentions.
        Sid: "AWSLogDeliveryAclCheck",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: this.bucket.arn,
        Condition: {
          StringEquals: { "aws:SourceAccount": props.accountId },
          ArnLike: { "aws:SourceArn": logSourceArn },
        },
      },
    ];

    const defaults = applySecureBucketDefaults(this, { bucket: this.bucket, kmsKeyArn: props.kmsKeyArn, policyStatements: statements });
    this.versioning = defaults.versioning;
    this.bucketPolicy = defaults.policy;
  }
}
