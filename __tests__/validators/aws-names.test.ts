import {
  AWS_VALUE_RULES,
  glueDescription,
  glueRegistryOrSchemaName,
  glueSchemaDefinition,
  acmpcaSubjectField,
  kmsAliasName,
  mskScramSecretArn,
  iamRoleName,
  iamRolePolicyName,
  logGroupName,
  osisPipelineName,
  mskClusterName,
  mskConfigurationName,
  mskConnectName,
  opensearchDomainName,
  s3BucketName,
  secretsManagerSecretName,
  securityGroupName,
  securityGroupRuleDescription,
  firehoseStreamName,
  firehoseErrorOutputPrefix,
  oneOf,
  rfc3339Time,
} from "../../modules/validators/aws-names";

describe("security group descriptions (ec2/validate.go validSecurityGroupRuleDescription)", () => {
  test.each(["HTTPS: SSM, Secrets Manager and other AWS APIs", "Kafka SASL/IAM (9098) from vpn", "a-z A-Z 0-9 ._-:/()#,@[]+=&;{}!$*", ""])("accepts %j", (d) => {
    expect(securityGroupRuleDescription(d)).toEqual([]);
  });
  test.each([
    ["Ubuntu's mirrors", "'"],
    ['say "hi"', '"'],
    ["ports < 1024", "<"],
    ["café", "é"],
  ])("refuses %j, naming the character", (d, bad) => {
    expect(securityGroupRuleDescription(d)).toEqual([`allows only a-zA-Z0-9, space and ._-:/()#,@[]+=&;{}!$* (found ${JSON.stringify(bad)})`]);
  });
  test("refuses more than 255 characters", () => {
    expect(securityGroupRuleDescription("x".repeat(256))).toEqual(["is 256 characters; allowed 0-255"]);
    expect(securityGroupRuleDescription("x".repeat(255))).toEqual([]);
  });
  test("group names cannot start with sg-", () => {
    expect(securityGroupName("sg-web")).toEqual(["cannot start with sg-"]);
    expect(securityGroupName("ad-tech-dev-vpn")).toEqual([]);
  });
});

describe("name limits", () => {
  test("IAM role names: 64 characters of [\\w+=,.@-]; inline policy names: 128", () => {
    expect(iamRoleName("a".repeat(64))).toEqual([]);
    expect(iamRoleName("a".repeat(65))).toEqual(["is 65 characters; allowed 1-64"]);
    expect(iamRoleName("my role")).toEqual(["allows only letters, digits and _+=,.@-"]);
    expect(iamRolePolicyName("a".repeat(128))).toEqual([]);
    expect(iamRolePolicyName("a".repeat(129))).toEqual(["is 129 characters; allowed 1-128"]);
  });
  test("OpenSearch domain names: 3-28, lowercase letter first", () => {
    expect(opensearchDomainName("ad-tech-dev-search")).toEqual([]);
    expect(opensearchDomainName("ab")).toEqual(["is 2 characters; allowed 3-28"]);
    expect(opensearchDomainName("a".repeat(29))).toEqual(["is 29 characters; allowed 3-28"]);
    expect(opensearchDomainName("1search")).toEqual(["allows only a lowercase letter first, then a-z, 0-9 and '-'"]);
    expect(opensearchDomainName("Search")).toEqual(["allows only a lowercase letter first, then a-z, 0-9 and '-'"]);
  });
  test("MSK cluster and configuration names", () => {
    expect(mskClusterName("ad-tech-dev-msk")).toEqual([]);
    expect(mskClusterName("a".repeat(65))).toEqual(["is 65 characters; allowed 1-64"]);
    expect(mskConfigurationName("ad-tech-dev-msk-3-8-x")).toEqual([]);
    expect(mskConfigurationName("msk-3.8.x")).toEqual(["allows only letters, digits and '-', starting with a letter or digit"]);
  });
  test("MSK Connect names: 1-128", () => {
    expect(mskConnectName("a".repeat(128))).toEqual([]);
    expect(mskConnectName("a".repeat(129))).toEqual(["is 129 characters; allowed 1-128"]);
  });
  test("log group names", () => {
    expect(logGroupName("/msk-connect/ad-tech-dev/ad-tech-sink")).toEqual([]);
    expect(logGroupName("/aws/vpc flow")).toEqual(["allows only letters, digits and ._-/#"]);
    expect(logGroupName("x".repeat(513))).toEqual(["is 513 characters; allowed 1-512"]);
    expect(osisPipelineName("ad-tech-dev-ad-tech-ingest")).toEqual([]);
    expect(osisPipelineName("ad-tech-dev-a-much-longer-name")).toEqual(["is 30 characters; allowed 3-28"]);
    expect(osisPipelineName("Ingest")).toEqual(["allows only a lowercase letter, then lowercase letters, digits and '-'"]);
  });
  test("S3 bucket names", () => {
    expect(s3BucketName("ad-tech-dev-artifacts-111122223333-ap-southeast-2")).toEqual([]);
    expect(s3BucketName("ad_tech")).toEqual(["allows only lowercase letters, digits, '-' and '.'"]);
    expect(s3BucketName("a".repeat(64))).toEqual(["is 64 characters; allowed 3-63"]);
    expect(s3BucketName("10.0.0.1")).toEqual(["must not be formatted as an IP address"]);
    expect(s3BucketName("a..b")).toEqual(["cannot have two periods in a row"]);
    expect(s3BucketName("-ab")).toEqual(["must begin and end with a letter or digit"]);
  });
  test("Secrets Manager names", () => {
    expect(secretsManagerSecretName("ad-tech-dev/msk-connect/ad-tech-sink/opensearch")).toEqual([]);
    expect(secretsManagerSecretName("my secret")).toEqual(["allows only letters, digits and /_+=.@-"]);
    expect(secretsManagerSecretName("x".repeat(513))).toEqual(["is 513 characters; allowed 1-512"]);
  });
  test("Glue registry and schema names, descriptions and definitions", () => {
    expect(glueRegistryOrSchemaName("ad-tech-dev-schemas")).toEqual([]);
    expect(glueRegistryOrSchemaName("topic.with.dots")).toEqual(["allows only letters, digits and -_$#"]);
    expect(glueRegistryOrSchemaName("x".repeat(256))).toEqual(["is 256 characters; allowed 1-255"]);
    expect(glueDescription("x".repeat(2049))).toEqual(["is 2049 characters; allowed 0-2048"]);
    expect(glueSchemaDefinition(" \n")).toEqual(["must not be only whitespace"]);
    expect(glueSchemaDefinition("x".repeat(170001))).toEqual(["is 170001 characters; allowed 1-170000"]);
    expect(glueSchemaDefinition('"string"')).toEqual([]);
  });
});

describe("client authentication values", () => {
  test("KMS alias names", () => {
    expect(kmsAliasName("alias/ad-tech-dev-msk-scram")).toEqual([]);
    expect(kmsAliasName("ad-tech-dev-msk-scram")).toEqual(["allows only 'alias/' followed by a-zA-Z0-9:/_-"]);
    expect(kmsAliasName("alias/aws-msk")).toEqual(["cannot begin with the reserved prefix alias/aws"]);
    expect(kmsAliasName("alias/a.b")).toEqual(["allows only 'alias/' followed by a-zA-Z0-9:/_-"]);
  });
  test("Private CA subject fields", () => {
    expect(acmpcaSubjectField(2)("IE")).toEqual([]);
    expect(acmpcaSubjectField(2)("IRL")).toEqual(["is 3 characters; allowed 0-2"]);
    expect(acmpcaSubjectField(64)("x".repeat(65))).toEqual(["is 65 characters; allowed 0-64"]);
  });
  test("SCRAM secrets associated with MSK", () => {
    expect(mskScramSecretArn("arn:aws:secretsmanager:eu-west-1:111122223333:secret:AmazonMSK_dev_alice-AbCdEf")).toEqual([]);
    expect(mskScramSecretArn("arn:aws:secretsmanager:eu-west-1:111122223333:secret:dev/alice-AbCdEf")).toEqual([
      'names secret "dev/alice", which MSK refuses: a SCRAM secret\'s name must begin with AmazonMSK_',
    ]);
    expect(mskScramSecretArn("AmazonMSK_dev_alice")).toEqual(["is not a Secrets Manager secret ARN"]);
  });
});

describe("Firehose delivery streams (firehose/delivery_stream.go)", () => {
  test("names: 1-64 of [a-zA-Z0-9_.-]", () => {
    expect(firehoseStreamName("ad-tech-dev-clicks-archive")).toEqual([]);
    expect(firehoseStreamName("x".repeat(65))).toEqual(["is 65 characters; allowed 1-64"]);
    expect(firehoseStreamName("a/b")).toEqual(["allows only letters, digits and _.-"]);
  });
  test("enums, error prefix length and read_from_timestamp", () => {
    expect(oneOf(["PUBLIC", "PRIVATE"])("PRIVATE")).toEqual([]);
    expect(oneOf(["UNCOMPRESSED", "GZIP"])("gzip")).toEqual(["is not one of UNCOMPRESSED, GZIP"]);
    expect(firehoseErrorOutputPrefix("e".repeat(1025))).toEqual(["is 1025 characters; allowed 0-1024"]);
    expect(rfc3339Time("1970-01-01T00:00:00Z")).toEqual([]);
    expect(rfc3339Time("2026-12-01T10:00:00+02:00")).toEqual([]);
    expect(rfc3339Time("2026-12-01 10:00")).toEqual(["is not an RFC 3339 time"]);
  });
  test("apply to the stream's name, connectivity and compression", () => {
    const rules = AWS_VALUE_RULES.aws_kinesis_firehose_delivery_stream;
    expect(rules.name).toBe(firehoseStreamName);
    expect(rules["msk_source_configuration.*.authentication_configuration.*.connectivity"]("PUBLIC")).toEqual([]);
    expect(rules["extended_s3_configuration.*.compression_format"]("SNAPPY")).toEqual(["is not one of UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY"]);
  });
});

test("every rule is keyed by the Terraform attribute it applies to", () => {
  expect(Object.keys(AWS_VALUE_RULES.aws_security_group).sort()).toEqual(["description", "egress.*.description", "ingress.*.description", "name"]);
  expect(AWS_VALUE_RULES.aws_opensearch_domain.domain_name).toBe(opensearchDomainName);
  expect(AWS_VALUE_RULES.aws_s3_bucket.bucket).toBe(s3BucketName);
});
