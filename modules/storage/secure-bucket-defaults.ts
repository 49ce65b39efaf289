/**
 * The secure defaults every bucket of the stack gets, whoever owns it (ArtifactBucket, an S3
 * sink's bucket): every public access setting blocked, default encryption, versioning, ACLs
 * disabled (BucketOwnerEnforced), a policy that denies plain HTTP (plus the owner's own
 * statements) and, when asked, a lifecycle for old versions and abandoned multipart uploads.
 *
 * A function over the owner's scope rather than a construct of its own: the resources keep the
 * ids they have always had under their owner (`<owner>/encryption`, ...), so moving a bucket's
 * defaults here renames and replaces nothing.
 */
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { policyDocument, type PolicyStatement } from "../iam-policy";

/** How long S3 keeps what a versioned bucket accumulates. */
export interface SecureBucketLifecycle {
  /** Days an overwritten or deleted object version is kept. */
  readonly noncurrentVersionExpirationDays: number;
  /** Days after which an upload that was started but never completed is aborted (its parts deleted). */
  readonly abortIncompleteMultipartUploadDays: number;
}

export interface SecureBucketDefaultsProps {
  /** The bucket the defaults apply to (created by the owner in the same scope). */
  readonly bucket: S3Bucket;
  /**
   * Customer KMS key for default encryption (SSE-KMS, with an S3 bucket key).
   * @default - SSE-S3 (AES256)
   */
  readonly kmsKeyArn?: string;
  /**
   * The owner's statements, after DenyInsecureTransport.
   * @default []
   */
  readonly policyStatements?: readonly PolicyStatement[];
  /**
   * Lifecycle rules for noncurrent versions and incomplete multipart uploads.
   * @default - no lifecycle configuration
   */
  readonly lifecycle?: SecureBucketLifecycle;
}

/** The resources that later resources may need to wait for. */
export interface SecureBucketParts {
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly versioning: S3BucketVersioningA;
  readonly policy: S3BucketPolicy;
}

function checkDays(what: string, days: number): void {
  if (!Number.isInteger(days) || days < 1) throw new Error(`secure bucket defaults: ${what} must be a whole number of days >= 1, got ${days}`);
}

/** Creates the defaults under `scope` with ids public-access-block, encryption, versioning, ownership, [lifecycle], policy. */
export function applySecureBucketDefaults(scope: Construct, props: SecureBucketDefaultsProps): SecureBucketParts {
  if (props.lifecycle) {
    checkDays("noncurrentVersionExpirationDays", props.lifecycle.noncurrentVersionExpirationDays);
    checkDays("abortIncompleteMultipartUploadDays", props.lifecycle.abortIncompleteMultipartUploadDays);
  }
  const bucket = props.bucket;
  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, "public-access-block", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });

  new S3BucketServerSideEncryptionConfigurationA(scope, "encryption", {
    bucket: bucket.id,
    rule: [
      props.kmsKeyArn === undefined
        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
        : {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn },
            bucketKeyEnabled: true,
          },
    ],
  });

  const versioning = new S3BucketVersioningA(scope, "versioning", {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  });

  new S3BucketOwnershipControls(scope, "ownership", {
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  });

  const lc = props.lifecycle;
  if (lc) {
    new S3BucketLifecycleConfiguration(scope, "lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "expire-noncurrent-versions-and-incomplete-uploads",
          status: "Enabled",
          // An empty filter: the rule covers every object (provider 6 warns on a rule without one).
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: lc.noncurrentVersionExpirationDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: lc.abortIncompleteMultipartUploadDays }],
        },
      ],
      // A lifecycle configuration on a bucket whose versioning is still being enabled is rejected.
      dependsOn: [versioning],
    });
  }

  const statements: PolicyStatement[] = [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucket.arn, `${bucket.arn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    ...(props.policyStatements ?? []),
  ];
  const policy = new S3BucketPolicy(scope, "policy", {
    bucket: bucket.id,
    policy: policyDocument(statements),
    // S3 rejects a policy PUT while the public access block is being created ("conflicting
    // conditional operation"); order them.
    dependsOn: [publicAccessBlock],
  });
  return { publicAccessBlock, versioning, policy };
}

/** A bucket the stack creates for a writer (an S3 sink, an archive). */
export interface CreatedDestinationBucket {
  /** Account id in the bucket's name (a token is fine). */
  readonly accountId: string;
  /** @default false */
  readonly forceDestroy?: boolean;
  /** @default 30 */
  readonly noncurrentVersionExpirationDays?: number;
}

export interface DestinationBucketProps {
  /** Name of the bucket to create (`<prefix>-<owner>-<account>-<region>`), used only with `create`. */
  readonly createdName: string;
  /** Create the bucket with the secure defaults. @default - use `existingBucketName` */
  readonly create?: CreatedDestinationBucket;
  /** An existing bucket, by name. Exactly one of this and `create`. */
  readonly existingBucketName?: string;
  /** Partition of an existing bucket's ARN. */
  readonly partition: string;
  /** Default encryption of a created bucket with this KMS key. @default - SSE-S3 */
  readonly kmsKeyArn?: string;
}

/** Where a writer delivers: the bucket's name and ARN, and the bucket when created here. */
export interface DestinationBucket {
  readonly bucket?: S3Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;
}

/**
 * The bucket a writer delivers to: created under `owner` (id `bucket`, with the secure defaults,
 * versions kept `noncurrentVersionExpirationDays` and abandoned multipart uploads, which writers
 * leave behind when they crash and S3 bills until aborted, removed after 7 days), or an existing
 * one by name.
 */
export function destinationBucket(owner: Construct, props: DestinationBucketProps): DestinationBucket {
  if ((props.create !== undefined) === (props.existingBucketName !== undefined)) {
    throw new Error("destination bucket: exactly one of create and existingBucketName");
  }
  const created = props.create;
  if (!created) return { bucketName: props.existingBucketName!, bucketArn: `arn:${props.partition}:s3:::${props.existingBucketName}` };
  const bucket = new S3Bucket(owner, "bucket", { bucket: props.createdName, forceDestroy: created.forceDestroy ?? false });
  applySecureBucketDefaults(owner, {
    bucket,
    kmsKeyArn: props.kmsKeyArn,
    lifecycle: { noncurrentVersionExpirationDays: created.noncurrentVersionExpirationDays ?? 30, abortIncompleteMultipartUploadDays: 7 },
  });
  return { bucket, bucketName: bucket.bucket, bucketArn: bucket.arn };
}
