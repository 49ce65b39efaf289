import { describe, expect, it, test } from "vitest";
import { TerraformOutput, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ArtifactBucket, type ArtifactBucketProps } from "../../modules/storage/artifact-bucket";

const BASE: ArtifactBucketProps = { namePrefix: "ad-tech-dev", accountId: "123456789012", region: "ap-southeast-2" };

function synth(props: Partial<ArtifactBucketProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
  const b = new ArtifactBucket(stack, "artifacts", { ...BASE, ...props });
  const tf = JSON.parse(Testing.synth(stack, true));
  const r = tf.resource;
  const only = (type: string) => {
    const values = Object.values(r[type] ?? {}) as any[];
    expect(values).toHaveLength(1);
    return values[0];
  };
  return {
    tf,
    bucket: r.aws_s3_bucket[stack.getLogicalId(b.bucket)],
    policy: JSON.parse(r.aws_s3_bucket_policy[stack.getLogicalId(b.bucketPolicy)].policy),
    only,
    /** Terraform reference of the bucket's ARN. */
    arn: `\${aws_s3_bucket.${stack.getLogicalId(b.bucket)}.arn}`,
  };
}

describe("ArtifactBucket", () => {
  it("names the bucket <prefix>-artifacts-<account>-<region>", () => {
    expect(synth().bucket.bucket).toBe("ad-tech-dev-artifacts-123456789012-ap-southeast-2");
  });

  it("does not force-destroy by default", () => {
    expect(synth().bucket.force_destroy).toBe(false);
  });

  it("force-destroys only when asked", () => {
    expect(synth({ forceDestroy: true }).bucket.force_destroy).toBe(true);
  });

  it("blocks all four kinds of public access", () => {
    const pab = synth().only("aws_s3_bucket_public_access_block");
    expect(pab).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("encrypts with SSE-S3 (AES256) by default", () => {
    const enc = synth().only("aws_s3_bucket_server_side_encryption_configuration");
    expect(enc.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
  });

  it("encrypts with the customer KMS key only when one is given", () => {
    const key = "arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const enc = synth({ kmsKeyArn: key }).only("aws_s3_bucket_server_side_encryption_configuration");
    expect(enc.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key }, bucket_key_enabled: true },
    ]);
  });

  it("enables versioning", () => {
    expect(synth().only("aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
  });

  it("disables ACLs (BucketOwnerEnforced)", () => {
    expect(synth().only("aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
  });

  it("denies every request that is not over TLS, on the bucket and its objects", () => {
    const { policy, arn } = synth();
    const deny = policy.Statement.find((s: any) => s.Sid === "DenyInsecureTransport");
    expect(deny).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("lets log delivery write only under logs/msk/ of this account", () => {
    const { policy, arn } = synth();
    const write = policy.Statement.find((s: any) => s.Sid === "AWSLogDeliveryWrite");
    expect(write.Principal).toEqual({ Service: "delivery.logs.amazonaws.com" });
    expect(write.Action).toBe("s3:PutObject");
    expect(write.Resource).toBe(`${arn}/logs/msk/*/AWSLogs/123456789012/*`);
    expect(write.Condition).toEqual({
      StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:logs:ap-southeast-2:123456789012:*" },
    });
  });

  it("lets log delivery check the bucket ACL, scoped to this account", () => {
    const { policy, arn } = synth();
    const check = policy.Statement.find((s: any) => s.Sid === "AWSLogDeliveryAclCheck");
    expect(check.Action).toEqual(["s3:GetBucketAcl", "s3:ListBucket"]);
    expect(check.Resource).toBe(arn);
    expect(check.Condition.StringEquals).toEqual({ "aws:SourceAccount": "123456789012" });
  });

  it("grants nothing to any principal but the log delivery service", () => {
    const allows = synth().policy.Statement.filter((s: any) => s.Effect === "Allow");
    for (const s of allows) expect(s.Principal).toEqual({ Service: "delivery.logs.amazonaws.com" });
  });

  it("exposes name, ARN and id as references to the bucket", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
    const b = new ArtifactBucket(stack, "artifacts", BASE);
    new TerraformOutput(stack, "name", { value: b.bucketName });
    new TerraformOutput(stack, "arn", { value: b.bucketArn });
    new TerraformOutput(stack, "id", { value: b.bucketId });
    const out = JSON.parse(Testing.synth(stack)).output;
    const bucket = `aws_s3_bucket.${stack.getLogicalId(b.bucket)}`;
    expect(out.name.value).toBe(`\${${bucket}.bucket}`);
    expect(out.arn.value).toBe(`\${${bucket}.arn}`);
    expect(out.id.value).toBe(`\${${bucket}.id}`);
  });

  test.each([
    [{ namePrefix: "Bad_Prefix" }, `ArtifactBucket: namePrefix must be lowercase letters, digits and '-' (starting and ending with a letter or digit), got "Bad_Prefix"`],
    [{ accountId: "1234" }, `ArtifactBucket: accountId must be 12 digits, got "1234"`],
    [{ namePrefix: "a".repeat(30) }, `ArtifactBucket: namePrefix "${"a".repeat(30)}" makes the bucket name 68 characters long; S3 allows at most 63`],
    [{ kmsKeyArn: "alias/mine" }, `ArtifactBucket: kmsKeyArn must be a KMS key ARN, got "alias/mine"`],
  ])("rejects %o", (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
