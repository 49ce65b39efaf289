/**
 * kind: s3-sink in the whole stack (examples/connectors/s3-sink.yaml and variants): the bucket it
 * creates with the stack's secure defaults, the exact statements its role gets, the Kafka Connect
 * properties (keys checked against Confluent's source: see modules/connect/s3-sink-destination.ts),
 * the network path (S3 gateway endpoint) and the guard. Constructor checks have exact messages.
 */
import { Testing } from "cdktf";
import { S3SinkDestination, type S3SinkDestinationProps } from "../../modules/connect/s3-sink-destination";
import { tlsOnlyPolicy } from "../guard/guard-fixtures";
import { byName, example, kindStatements, resourcesLike, synthKind } from "../support/kind-example";

const ACCOUNT = "${data.aws_caller_identity.caller.account_id}";
const PARTITION = "${data.aws_partition.partition.partition}";

describe("the s3-sink example (a created bucket, time-based partitions, gzip JSON)", () => {
  const { stack, tf } = synthKind({ "configs/connectors/ad-tech-archive.yaml": example("s3-sink") });
  const connector = byName(tf, "aws_mskconnect_connector", "ad-tech-dev-ad-tech-archive");
  const config = connector.connector_configuration as Record<string, string>;
  const [bucketId] = Object.keys(tf.resource.aws_s3_bucket).filter((id) => id.includes("ad-tech-archive"));
  const bucketArn = `\${aws_s3_bucket.${bucketId}.arn}`;

  it("creates <name_prefix>-<connector>-<account>-<region> with the artifact bucket's defaults and a lifecycle", () => {
    expect(tf.resource.aws_s3_bucket[bucketId]).toEqual({ bucket: `ad-tech-dev-ad-tech-archive-${ACCOUNT}-ap-southeast-2`, force_destroy: false });
    const bucketRef = `\${aws_s3_bucket.${bucketId}.id}`;
    expect(resourcesLike(tf, "aws_s3_bucket_public_access_block", "ad-tech-archive")).toEqual([
      { bucket: bucketRef, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
    ]);
    expect(resourcesLike(tf, "aws_s3_bucket_server_side_encryption_configuration", "ad-tech-archive")[0].rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(resourcesLike(tf, "aws_s3_bucket_versioning", "ad-tech-archive")[0].versioning_configuration).toEqual({ status: "Enabled" });
    expect(resourcesLike(tf, "aws_s3_bucket_ownership_controls", "ad-tech-archive")[0].rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(resourcesLike(tf, "aws_s3_bucket_lifecycle_configuration", "ad-tech-archive")[0].rule).toEqual([
      {
        id: "expire-noncurrent-versions-and-incomplete-uploads",
        status: "Enabled",
        filter: [{ prefix: "" }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
    // TLS only, and nothing else: no principal outside the account gets anything.
    expect(JSON.parse(resourcesLike(tf, "aws_s3_bucket_policy", "ad-tech-archive")[0].policy as string)).toEqual(JSON.parse(tlsOnlyPolicy(bucketArn)));
  });

  it("its role may write under <bucket>/archive/ only, list only that prefix and locate the bucket", () => {
    expect(kindStatements(tf, "ad-tech-archive")).toEqual([
      {
        Sid: "S3SinkWriteObjects",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        Resource: `${bucketArn}/archive/*`,
      },
      {
        Sid: "S3SinkListOwnPrefix",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: bucketArn,
        Condition: { StringLike: { "s3:prefix": ["archive/", "archive/*"] } },
      },
      { Sid: "S3SinkBucketLocation", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: bucketArn },
    ]);
  });

  it("renders the connector's properties from the YAML (region from the stack)", () => {
    expect(config).toMatchObject({
      "connector.class": "io.confluent.connect.s3.S3SinkConnector",
      "storage.class": "io.confluent.connect.s3.storage.S3Storage",
      "s3.bucket.name": `\${aws_s3_bucket.${bucketId}.bucket}`,
      "s3.region": "ap-southeast-2",
      "topics.dir": "archive",
      topics: "impressions,clicks",
      "flush.size": "1000",
      "rotate.interval.ms": "600000",
      "format.class": "io.confluent.connect.s3.format.json.JsonFormat",
      "s3.compression.type": "gzip",
      "partitioner.class": "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
      "path.format": "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH",
      "partition.duration.ms": "3600000",
      locale: "en-US",
      timezone: "UTC",
      "timestamp.extractor": "Record",
      "value.converter.schemas.enable": "false",
    });
    expect(config).not.toHaveProperty("timestamp.field");
    expect(config).not.toHaveProperty("parquet.codec");
  });

  it("reaches S3 through the VPC's gateway endpoint on the private route tables, over the connectors' HTTPS rule", () => {
    const [endpoint] = Object.values(tf.resource.aws_vpc_endpoint).filter((e) => e.vpc_endpoint_type === "Gateway");
    expect(endpoint.service_name).toMatch(/^com\.amazonaws\.\$\{data\.aws_region\.[^}]+\.region\}\.s3$/);
    const privateTables = Object.keys(tf.resource.aws_route_table).filter((id) => id.includes("private"));
    expect(privateTables.length).toBeGreaterThan(0);
    expect([...endpoint.route_table_ids].sort()).toEqual(privateTables.map((id) => `\${aws_route_table.${id}.id}`).sort());
    const https = Object.values(tf.resource.aws_vpc_security_group_egress_rule).filter((r) => String(r.security_group_id).includes("connector-security-group") && r.from_port === 443 && r.cidr_ipv4 === "0.0.0.0/0");
    expect(https).toHaveLength(1);
  });

  it("passes the security guard", () => {
    expect(stack.securityReport().errors).toEqual([]);
    expect(stack.securityReport().findings.filter((f) => f.resource.includes("ad-tech-archive") && f.rule.startsWith("S3-")).map((f) => `${f.rule} ${f.status}`).sort()).toEqual([
      "S3-1 compliant",
      "S3-2 compliant",
      "S3-3 compliant",
      "S3-4 compliant",
    ]);
  });
});

describe("an s3-sink to an existing bucket, Parquet, default partitioner", () => {
  const yaml = example("s3-sink", (y) =>
    y
      .replace(/ {2}bucket:\n {4}create: true.*\n {4}noncurrent_version_expiration_days: 30\n/, "  bucket: { name: my-archive.example }\n")
      .replace("  rotate_interval_ms: 600000           # or after 10 minutes of record time (time-based partitioner only)\n", "")
      .replace("format: json ", "format: parquet ")
      .replace("compression: gzip ", "compression: zstd ")
      .replace(/ {2}partitioner:\n( {4}.*\n)+/, ""),
  );
  const { stack, tf } = synthKind({ "configs/connectors/ad-tech-archive.yaml": yaml });
  const config = byName(tf, "aws_mskconnect_connector", "ad-tech-dev-ad-tech-archive").connector_configuration as Record<string, string>;

  it("creates no bucket and names the existing one by ARN in the statements", () => {
    expect(Object.keys(tf.resource.aws_s3_bucket).filter((id) => id.includes("ad-tech-archive"))).toEqual([]);
    const arn = `arn:${PARTITION}:s3:::my-archive.example`;
    expect(kindStatements(tf, "ad-tech-archive").map((s) => [s.Sid, s.Resource])).toEqual([
      ["S3SinkWriteObjects", `${arn}/archive/*`],
      ["S3SinkListOwnPrefix", arn],
      ["S3SinkBucketLocation", arn],
    ]);
  });

  it("writes Parquet with its codec, schemas on, and the default partitioner", () => {
    expect(config["s3.bucket.name"]).toBe("my-archive.example");
    expect(config["format.class"]).toBe("io.confluent.connect.s3.format.parquet.ParquetFormat");
    expect(config["parquet.codec"]).toBe("zstd");
    expect(config["value.converter.schemas.enable"]).toBe("true");
    expect(config["partitioner.class"]).toBe("io.confluent.connect.storage.partitioner.DefaultPartitioner");
    for (const k of ["s3.compression.type", "path.format", "rotate.interval.ms", "timezone"]) expect(config).not.toHaveProperty(k);
    expect(stack.securityReport().errors).toEqual([]);
  });
});

describe("S3SinkDestination checks its props", () => {
  const base: S3SinkDestinationProps = {
    namePrefix: "p",
    connectorName: "archive",
    region: "eu-west-1",
    partition: "aws",
    existingBucketName: "my-bucket",
    topicsDir: "topics",
    flushSize: 10,
    format: "json",
  };
  const make = (over: Partial<S3SinkDestinationProps>) => () => Testing.synthScope((s) => new S3SinkDestination(s, "d", { ...base, ...over }));

  it.each([
    [{ existingBucketName: undefined }, "S3SinkDestination archive: exactly one of existingBucketName or createBucket"],
    [{ createBucket: { accountId: "111122223333" } }, "S3SinkDestination archive: exactly one of existingBucketName or createBucket"],
    [{ existingBucketName: "My_Bucket" }, `S3SinkDestination archive: existingBucketName "My_Bucket" is not a bucket name: lowercase letters, digits, '.' and '-', starting and ending with a letter or digit`],
    [{ topicsDir: "/abs/" }, `S3SinkDestination archive: topicsDir must be a key prefix of letters, digits, '_', '.', '-' and '/' without leading or trailing '/', got "/abs/"`],
    [{ topicsDir: "a*" }, `S3SinkDestination archive: topicsDir must be a key prefix of letters, digits, '_', '.', '-' and '/' without leading or trailing '/', got "a*"`],
    [{ flushSize: 0 }, "S3SinkDestination archive: flushSize must be a whole number >= 1, got 0"],
    [{ rotateIntervalMs: 1000 }, "S3SinkDestination archive: rotateIntervalMs needs the time-based partitioner (the connector ignores it otherwise)"],
    [{ compression: "gzip", format: "avro" as const }, `S3SinkDestination archive: compression for avro must be one of null, deflate, snappy, bzip2, got "gzip"`],
    [
      { existingBucketName: undefined, connectorName: "a-very-long-connector-name-for-a-bucket", createBucket: { accountId: "111122223333" } },
      "S3SinkDestination a-very-long-connector-name-for-a-bucket: the bucket name <namePrefix>-<connectorName>-<account>-<region> would be 64 characters; S3 allows 63",
    ],
  ])("%j", (over, message) => {
    expect(make(over)).toThrow(message);
  });

  it("an existing bucket creates nothing and is named as given", () => {
    let d: S3SinkDestination | undefined;
    const tf = JSON.parse(Testing.synthScope((s) => void (d = new S3SinkDestination(s, "d", base))));
    expect(tf.resource).toBeUndefined();
    expect(d!.properties["s3.bucket.name"]).toBe("my-bucket");
    expect(d!.bucketArn).toBe("arn:aws:s3:::my-bucket");
  });
});
