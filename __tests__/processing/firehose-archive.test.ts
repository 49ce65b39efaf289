/**
 * The example archive in the whole stack: a Firehose stream from topic clicks to a created bucket,
 * counted by to_create_connector, after its topic and the cluster policy, with two roles whose
 * statements are exactly what AWS lists for an MSK source and an S3 destination, scoped to this
 * topic, bucket prefixes and log stream. Also: an existing bucket with a KMS key, the construct's
 * validation, and the loader's environment requirements.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ConfigError } from "../../modules/config/issues";
import { loadPipelineConfig } from "../../modules/config/load";
import { parsePolicyJson } from "../../modules/guard/policy";
import { FirehoseArchive, type FirehoseArchiveProps } from "../../modules/processing/firehose-archive";
import { firehosePrefixProblems } from "../../modules/validators/firehose-prefix";
import { REPO_ROOT, makeProjectCopy, removeProjectCopy, synthProjectWith } from "../support/project";

type Resource = Record<string, any>;

const reference = (rel: string) => readFileSync(path.join(REPO_ROOT, rel), "utf8");
const EXAMPLE = reference("examples/archives/clicks-archive.yaml");

/** dev.yaml with the two settings an archive needs. */
function devWithFirehose(principals = "[firehose.amazonaws.com]"): string {
  return reference("configs/environments/dev.yaml")
    .replace("  # vpc_connectivity: { iam: true }", "  vpc_connectivity: { iam: true }")
    .replace(/ {2}# cluster_policy:.*\n {2}# +principals: .*\n/, `  cluster_policy:\n    principals: ${principals}\n`);
}

const statementsOf = (policy: Resource) => (parsePolicyJson(policy.policy as string) as { Statement: Resource[] }).Statement;
const policyNamed = (tf: { resource: Record<string, Record<string, Resource>> }, name: string) => Object.values(tf.resource.aws_iam_role_policy).find((p) => p.name === name)!;

describe("the example archive (examples/archives/clicks-archive.yaml)", () => {
  const { tf, errors } = synthProjectWith({ "configs/archives/clicks-archive.yaml": EXAMPLE, "configs/environments/dev.yaml": devWithFirehose() });
  const streams = Object.values(tf.resource.aws_kinesis_firehose_delivery_stream ?? {});
  const stream = streams[0]!;
  const s3 = stream.extended_s3_configuration;
  const roles = Object.values(tf.resource.aws_iam_role);
  const role = (name: string) => roles.find((r) => r.name === name)!;

  it("passes the security guard", () => {
    expect(errors).toEqual([]);
  });

  it("is one extended_s3 stream from topic clicks, PRIVATE connectivity, created only with to_create_connector", () => {
    expect(streams).toHaveLength(1);
    expect(stream.name).toBe("ad-tech-dev-clicks-archive");
    expect(stream.destination).toBe("extended_s3");
    expect(stream.count).toMatch(/var\.to_create_connector \? 1 : 0/);
    const msk = stream.msk_source_configuration;
    expect(msk.topic_name).toBe("clicks");
    expect(msk.msk_cluster_arn).toMatch(/^\$\{aws_msk_cluster\.kafka_cluster_[0-9A-F]+\.arn\}$/);
    expect(msk.authentication_configuration.connectivity).toBe("PRIVATE");
    expect(msk.authentication_configuration.role_arn).toMatch(/aws_iam_role\.archives_clicks-archive_source-role_[0-9A-F]+\.arn/);
    expect(msk.read_from_timestamp).toBeUndefined();
    expect(stream.server_side_encryption).toBeUndefined();
  });

  it("waits for its topic and the cluster policy (Firehose creates a VPC connection on it)", () => {
    const deps = stream.depends_on as string[];
    expect(deps.some((d) => /^aws_msk_topic\.topics_clicks_[0-9A-F]+$/.test(d))).toBe(true);
    expect(deps.some((d) => /^aws_msk_cluster_policy\.kafka-cluster-policy_resource_[0-9A-F]+$/.test(d))).toBe(true);
    expect(deps.some((d) => d.startsWith("aws_iam_role_policy.archives_clicks-archive_source-policy"))).toBe(true);
    expect(deps.some((d) => d.startsWith("aws_iam_role_policy.archives_clicks-archive_delivery-policy"))).toBe(true);
  });

  it("writes the YAML's prefixes, buffering and compression, and logs errors to its own stream", () => {
    expect(s3.bucket_arn).toMatch(/aws_s3_bucket\.archives_clicks-archive_bucket_[0-9A-F]+\.arn/);
    expect(s3.prefix).toBe("clicks/!{timestamp:yyyy/MM/dd}/");
    expect(s3.error_output_prefix).toBe("errors/clicks/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/");
    expect([s3.buffering_size, s3.buffering_interval, s3.compression_format]).toEqual([64, 900, "GZIP"]);
    expect(s3.kms_key_arn).toBeUndefined();
    expect(s3.cloudwatch_logging_options.enabled).toBe(true);
    const group = Object.values(tf.resource.aws_cloudwatch_log_group).find((g) => g.name === "/aws/kinesisfirehose/ad-tech-dev-clicks-archive")!;
    expect(group.retention_in_days).toBe(30);
    const logStream = Object.values(tf.resource.aws_cloudwatch_log_stream).find((l) => l.name === "DestinationDelivery")!;
    expect(s3.cloudwatch_logging_options.log_stream_name).toMatch(/aws_cloudwatch_log_stream\.archives_clicks-archive_log-stream_[0-9A-F]+\.name/);
    expect(logStream.log_group_name).toMatch(/aws_cloudwatch_log_group\.archives_clicks-archive_log-group_[0-9A-F]+\.name/);
  });

  it("creates its bucket with the stack's secure defaults (not the artifact bucket)", () => {
    const bucket = Object.values(tf.resource.aws_s3_bucket).find((b) => String(b.bucket).startsWith("ad-tech-dev-clicks-archive-"))!;
    expect(bucket.bucket).toMatch(/^ad-tech-dev-clicks-archive-\$\{data\.aws_caller_identity\.caller\.account_id\}-ap-southeast-2$/);
    expect(bucket.force_destroy).toBe(false);
    const of = (type: string) => Object.entries(tf.resource[type]).filter(([k]) => k.startsWith("archives_clicks-archive_")).map(([, v]) => v);
    expect(of("aws_s3_bucket_public_access_block")[0].restrict_public_buckets).toBe(true);
    expect(of("aws_s3_bucket_server_side_encryption_configuration")[0].rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
    expect(of("aws_s3_bucket_versioning")[0].versioning_configuration.status).toBe("Enabled");
    expect(of("aws_s3_bucket_lifecycle_configuration")[0].rule[0].noncurrent_version_expiration[0].noncurrent_days).toBe(30);
  });

  it("both roles are assumable by Firehose for this account only", () => {
    for (const name of ["ad-tech-dev-clicks-archive-firehose", "ad-tech-dev-clicks-archive-firehose-msk"]) {
      expect(JSON.parse(role(name).assume_role_policy)).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "firehose.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.caller.account_id}" } },
          },
        ],
      });
    }
  });

  it("the source role reads exactly topic clicks, as AWS lists for an MSK source", () => {
    const cluster = "${aws_msk_cluster.kafka_cluster_";
    const statements = statementsOf(policyNamed(tf, "read-topic"));
    expect(statements.map((s) => s.Sid)).toEqual(["Cluster", "ReadTopic", "DescribeGroups"]);
    expect(statements[0].Action).toEqual(["kafka:GetBootstrapBrokers", "kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka-cluster:Connect"]);
    expect(statements[0].Resource).toMatch(/^\$\{aws_msk_cluster\.kafka_cluster_[0-9A-F]+\.arn\}$/);
    expect(statements[1].Action).toEqual(["kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:ReadData"]);
    expect(statements[1].Resource).toMatch(/^\$\{replace\(aws_msk_cluster\.kafka_cluster_[0-9A-F]+\.arn, ":cluster\/", ":topic\/"\)\}\/clicks$/);
    expect(statements[2].Action).toBe("kafka-cluster:DescribeGroup");
    expect(statements[2].Resource).toMatch(/^\$\{replace\(aws_msk_cluster\.kafka_cluster_[0-9A-F]+\.arn, ":cluster\/", ":group\/"\)\}\/\*$/);
    expect(JSON.stringify(statements)).toContain(cluster);
    expect(JSON.stringify(statements)).not.toMatch(/s3:|logs:|WriteData/);
  });

  it("the delivery role writes only its two prefixes of its bucket and its log stream", () => {
    const statements = statementsOf(policyNamed(tf, "deliver"));
    const bucket = (statements[1].Resource as string).replace(/[$^]/g, "");
    expect(statements[1].Resource).toMatch(/^\$\{aws_s3_bucket\.archives_clicks-archive_bucket_[0-9A-F]+\.arn\}$/);
    const arn = statements[1].Resource as string;
    expect(statements).toEqual([
      { Sid: "WriteObjects", Effect: "Allow", Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"], Resource: [`${arn}/clicks/*`, `${arn}/errors/clicks/*`] },
      { Sid: "ListOwnPrefixes", Effect: "Allow", Action: "s3:ListBucket", Resource: arn, Condition: { StringLike: { "s3:prefix": ["clicks/*", "errors/clicks/*"] } } },
      { Sid: "Bucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource: arn },
      { Sid: "WriteErrorLog", Effect: "Allow", Action: "logs:PutLogEvents", Resource: expect.stringMatching(/^\$\{aws_cloudwatch_log_stream\.archives_clicks-archive_log-stream_[0-9A-F]+\.arn\}$/) },
    ]);
    expect(bucket).not.toContain("artifacts");
  });

  it("outputs the stream's ARN (null until created)", () => {
    expect(tf.output!.archive_stream_arn_clicks_archive.value).toMatch(/^\$\{one\(aws_kinesis_firehose_delivery_stream\.archives_clicks-archive_resource_[0-9A-F]+\[\*\]\.arn\)\}$/);
  });
});

describe("an archive into an existing bucket with a KMS key", () => {
  const KEY = "arn:aws:kms:ap-southeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  const yaml = [
    "name: raw-impressions",
    "topic: impressions",
    "read_from: 1970-01-01T00:00:00Z",
    "bucket: { name: my-data-lake }",
    "prefix: raw/impressions/year=!{timestamp:yyyy}/!{firehose:random-string}/",
    "error_output_prefix: raw-failed/!{firehose:error-output-type}/",
    "compression: Snappy",
    `kms_key_arn: ${KEY}`,
    "",
  ].join("\n");
  const { tf, errors } = synthProjectWith({ "configs/archives/raw.yaml": yaml, "configs/environments/dev.yaml": devWithFirehose('["444455556666", firehose.amazonaws.com]') });
  const stream = Object.values(tf.resource.aws_kinesis_firehose_delivery_stream)[0]!;

  it("names the bucket by ARN, reads from the earliest record, encrypts with the key, and creates no bucket", () => {
    expect(errors).toEqual([]);
    expect(stream.extended_s3_configuration.bucket_arn).toBe("arn:${data.aws_partition.partition.partition}:s3:::my-data-lake");
    expect(stream.msk_source_configuration.read_from_timestamp).toBe("1970-01-01T00:00:00Z");
    expect(stream.extended_s3_configuration.kms_key_arn).toBe(KEY);
    expect(stream.extended_s3_configuration.compression_format).toBe("Snappy");
    expect(Object.keys(tf.resource.aws_s3_bucket).filter((k) => k.startsWith("archives_"))).toEqual([]);
  });

  it("may use the key only through S3 in its region, for this bucket's prefixes", () => {
    const statements = statementsOf(policyNamed(tf, "deliver"));
    const bucket = "arn:${data.aws_partition.partition.partition}:s3:::my-data-lake";
    expect(statements.find((s) => s.Sid === "WriteObjects")!.Resource).toEqual([`${bucket}/raw/impressions/year=*`, `${bucket}/raw-failed/*`]);
    expect(statements.find((s) => s.Sid === "EncryptObjects")).toEqual({
      Sid: "EncryptObjects",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: KEY,
      Condition: {
        StringEquals: { "kms:ViaService": "s3.ap-southeast-2.amazonaws.com" },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucket, `${bucket}/raw/impressions/year=*`, `${bucket}/raw-failed/*`] },
      },
    });
  });
});

describe("the loader's requirements on the environment", () => {
  function issues(files: Record<string, string>): string[] {
    const root = makeProjectCopy({ files });
    try {
      loadPipelineConfig({ rootDir: root, cwd: root });
      return [];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return e.issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.expected} | ${i.found}`);
    } finally {
      removeProjectCopy(root);
    }
  }

  it("without multi-VPC connectivity and a Firehose principal: two issues at the environment file, naming the archive", () => {
    // Both at the kafka key (line 45): neither setting exists to point at.
    expect(issues({ "configs/archives/clicks-archive.yaml": EXAMPLE }).sort()).toEqual([
      "configs/environments/dev.yaml:45:1 kafka.cluster_policy.principals including firehose.amazonaws.com for archive clicks-archive (Firehose creates its VPC connection to the cluster) | no cluster_policy",
      "configs/environments/dev.yaml:45:1 kafka.vpc_connectivity: { iam: true } for archive clicks-archive (Firehose reads the cluster through multi-VPC private connectivity; turning it on restarts every broker) | no vpc_connectivity",
    ]);
  });

  it("a cluster policy without firehose.amazonaws.com is reported at its principals", () => {
    const dev = devWithFirehose('["444455556666"]');
    const line = dev.split("\n").findIndex((l) => l.startsWith("    principals:")) + 1;
    expect(issues({ "configs/archives/clicks-archive.yaml": EXAMPLE, "configs/environments/dev.yaml": dev })).toEqual([
      `configs/environments/dev.yaml:${line}:17 kafka.cluster_policy.principals including firehose.amazonaws.com for archive clicks-archive (Firehose creates its VPC connection to the cluster) | principals [444455556666]`,
    ]);
  });

  it("with both settings and no archive nothing is required (the reference stack has no archive)", () => {
    expect(issues({})).toEqual([]);
  });
});

describe("FirehoseArchive validation", () => {
  const base: FirehoseArchiveProps = {
    namePrefix: "p",
    name: "a",
    clusterArn: "arn:aws:kafka:eu-west-1:111122223333:cluster/c/uuid",
    topic: "t",
    existingBucketName: "my-bucket",
    prefix: "t/!{timestamp:yyyy}/",
    errorOutputPrefix: "errors/!{firehose:error-output-type}/",
    create: true,
    accountId: "111122223333",
    partition: "aws",
    region: "eu-west-1",
  };
  const build = (over: Partial<FirehoseArchiveProps>) => () => {
    const stack = new TerraformStack(Testing.app() as App, "s");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new FirehoseArchive(stack, "a", { ...base, ...over });
  };

  it.each([
    [{ existingBucketName: undefined }, "exactly one of existingBucketName or createBucket"],
    [{ createBucket: { accountId: "111122223333" } }, "exactly one of existingBucketName or createBucket"],
    [{ existingBucketName: "Bad_Bucket" }, 'existingBucketName "Bad_Bucket" is not a bucket name'],
    [{ prefix: "!{timestamp:yyyy}/" }, "a literal part before the first !{...} expression"],
    [{ prefix: "t/!{firehose:error-output-type}/" }, "no !{firehose:error-output-type}"],
    [{ errorOutputPrefix: "errors/!{timestamp:yyyy}/" }, "!{firehose:error-output-type} (Firehose requires it"],
    [{ prefix: "t/!{date:yyyy}/" }, "the timestamp or firehose namespace, not !{date:...}"],
    [{ prefix: "t/!{timestamp:yyyy" }, "each closed with '}'"],
    [{ bufferingSizeMib: 129 }, "bufferingSizeMib must be a whole number 1-128, got 129"],
    [{ bufferingIntervalSeconds: 901 }, "bufferingIntervalSeconds must be a whole number 0-900, got 901"],
    [{ compression: "BZIP2" as never }, 'compression must be one of UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY, got "BZIP2"'],
    [{ logRetentionDays: 2 }, "log retention must be one of"],
    [{ readFromTimestamp: "yesterday" }, 'readFromTimestamp must be an RFC 3339 date-time, got "yesterday"'],
    [{ name: "x".repeat(60) }, "is longer than 64 characters"],
  ])("refuses %j", (over, message) => {
    expect(build(over)).toThrow(message);
  });

  it("accepts the defaults", () => {
    expect(firehosePrefixProblems("clicks/!{timestamp:yyyy/MM/dd}/", "prefix")).toEqual([]);
    expect(firehosePrefixProblems("errors/clicks/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/", "error_output_prefix")).toEqual([]);
    expect(build({})).not.toThrow();
  });
});
