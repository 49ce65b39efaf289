/**
 * destinationBucket: the bucket an S3 sink or an archive writes to, created with the stack's
 * secure defaults and a lifecycle for what writers leave behind, or an existing one by name.
 */
import { Testing } from "cdktf";
import { destinationBucket, type DestinationBucketProps } from "../../modules/storage/secure-bucket-defaults";

type Tf = { resource?: Record<string, Record<string, Record<string, any>>> };

function synth(props: DestinationBucketProps): { tf: Tf; result: ReturnType<typeof destinationBucket> } {
  let result!: ReturnType<typeof destinationBucket>;
  const tf = JSON.parse(Testing.synthScope((s) => void (result = destinationBucket(s, props)))) as Tf;
  return { tf, result };
}

describe("destinationBucket", () => {
  it("an existing bucket: its name and ARN in the partition, and no resource", () => {
    const { tf, result } = synth({ createdName: "unused", existingBucketName: "my-lake", partition: "aws-cn" });
    expect(result).toEqual({ bucketName: "my-lake", bucketArn: "arn:aws-cn:s3:::my-lake" });
    expect(tf.resource ?? {}).toEqual({});
  });

  it("a created bucket: the name asked for, not force-destroyed, versions kept 30 days, abandoned uploads aborted after 7", () => {
    const { tf, result } = synth({ createdName: "p-lake-111122223333-eu-west-1", create: { accountId: "111122223333" }, partition: "aws" });
    const [bucket] = Object.values(tf.resource!.aws_s3_bucket!);
    expect(bucket).toMatchObject({ bucket: "p-lake-111122223333-eu-west-1", force_destroy: false });
    expect(result.bucket).toBeDefined();
    const [lifecycle] = Object.values(tf.resource!.aws_s3_bucket_lifecycle_configuration!);
    expect(lifecycle.rule).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 30 }] }),
        expect.objectContaining({ abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
      ]),
    );
    const [encryption] = Object.values(tf.resource!.aws_s3_bucket_server_side_encryption_configuration!);
    expect(JSON.stringify(encryption)).toContain("AES256");
  });

  it("a created bucket with a KMS key encrypts with it, and keeps versions as long as asked", () => {
    const key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { tf } = synth({ createdName: "p-lake", create: { accountId: "1", noncurrentVersionExpirationDays: 60, forceDestroy: true }, partition: "aws", kmsKeyArn: key });
    expect(Object.values(tf.resource!.aws_s3_bucket!)[0]).toMatchObject({ force_destroy: true });
    expect(JSON.stringify(tf.resource!.aws_s3_bucket_server_side_encryption_configuration)).toContain(key);
    expect(JSON.stringify(tf.resource!.aws_s3_bucket_lifecycle_configuration)).toContain('"noncurrent_days":60');
  });

  it("refuses both or neither of create and existingBucketName", () => {
    expect(() => synth({ createdName: "x", partition: "aws" })).toThrow("destination bucket: exactly one of create and existingBucketName");
    expect(() => synth({ createdName: "x", partition: "aws", existingBucketName: "b", create: { accountId: "1" } })).toThrow("exactly one");
  });
});
