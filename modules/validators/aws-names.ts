/**
 * What the AWS provider (or, where the provider checks nothing, the AWS API) refuses in the names
 * and descriptions we emit: rules that `terraform plan` or `apply` enforce and that cdktf's typed
 * bindings cannot show (they type a name as `string`). Each validator cites where its rule comes
 * from, in hashicorp/terraform-provider-aws unless it says "API".
 *
 * A validator returns the problems of one value (empty when valid). Values that are Terraform
 * expressions (`${...}`, known only at apply) are not judged: callers skip them, or pass the
 * literal parts they know.
 *
 * Used by the offline Terraform stage (`__tests__/terraform/`) on every synthesized stack; meant
 * for constructs and the config loader too, so a new name or description is checked the same way.
 */

import { RFC3339_DATE_TIME } from "./aws-patterns";

export type ValueValidator = (value: string) => string[];

function lengthBetween(value: string, min: number, max: number): string[] {
  if (value.length < min || value.length > max) {
    return [`is ${value.length} characters; allowed ${min === max ? max : `${min}-${max}`}`];
  }
  return [];
}

function matches(value: string, pattern: RegExp, what: string): string[] {
  return pattern.test(value) ? [] : [`allows only ${what}`];
}

/** Characters that precede a character EC2 rejects, shown in the message. */
function firstBad(value: string, allowed: RegExp): string {
  const bad = [...value].find((c) => !allowed.test(c));
  return bad === undefined ? "" : ` (found ${JSON.stringify(bad)})`;
}

/**
 * EC2 security group rule descriptions: at most 255 characters of `a-zA-Z0-9`, space and
 * `._-:/()#,@[]+=&;{}!$*`. internal/service/ec2/validate.go `validSecurityGroupRuleDescription`
 * (inline ingress/egress of aws_security_group, aws_security_group_rule); the same charset is
 * what the EC2 API accepts for aws_vpc_security_group_{ingress,egress}_rule (API_IpRange).
 */
export const SECURITY_GROUP_DESCRIPTION_CHAR = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]$/;
export const securityGroupRuleDescription: ValueValidator = (value) => {
  const problems = lengthBetween(value, 0, 255);
  if (![...value].every((c) => SECURITY_GROUP_DESCRIPTION_CHAR.test(c))) {
    problems.push(`allows only a-zA-Z0-9, space and ._-:/()#,@[]+=&;{}!$*${firstBad(value, SECURITY_GROUP_DESCRIPTION_CHAR)}`);
  }
  return problems;
};

/**
 * The group's own description: internal/service/ec2/vpc_security_group.go checks the length
 * (0-255); CreateSecurityGroup (API, GroupDescription, VPC groups) allows the same characters as
 * rule descriptions, and refuses it at apply.
 */
export const securityGroupDescription: ValueValidator = securityGroupRuleDescription;

/**
 * Security group names: internal/service/ec2/vpc_security_group.go (`name`, 0-255); the API
 * (CreateSecurityGroup, GroupName) refuses names starting with `sg-`.
 */
export const securityGroupName: ValueValidator = (value) => [
  ...lengthBetween(value, 1, 255),
  ...(value.startsWith("sg-") ? ["cannot start with sg-"] : []),
];

/** internal/service/iam/validate.go `validResourceName`: 1-max characters of `[\w+=,.@-]`. */
function iamName(max: number): ValueValidator {
  return (value) => [...lengthBetween(value, 1, max), ...matches(value, /^[\w+=,.@-]*$/, "letters, digits and _+=,.@-")];
}

/** IAM role names: internal/service/iam/role.go (`roleNameMaxLen = 64`). */
export const iamRoleName = iamName(64);
/** Inline role policy names: internal/service/iam/role_policy.go (`rolePolicyNameMaxLen = 128`). */
export const iamRolePolicyName = iamName(128);
/** Managed policy names: internal/service/iam/policy.go (`policyNameMaxLen = 128`). */
export const iamPolicyName = iamName(128);
/** Instance profile names: internal/service/iam/instance_profile.go (`instanceProfileNameMaxLen = 128`). */
export const iamInstanceProfileName = iamName(128);

/**
 * OpenSearch domain names: internal/service/opensearch/domain.go (`domain_name`,
 * `^[a-z][0-9a-z\-]{2,27}$`): 3-28 characters, a lowercase letter first, then a-z, 0-9 and '-'.
 */
export const opensearchDomainName: ValueValidator = (value) => [
  ...lengthBetween(value, 3, 28),
  ...matches(value, /^[a-z][0-9a-z-]*$/, "a lowercase letter first, then a-z, 0-9 and '-'"),
];

/**
 * MSK cluster names: internal/service/kafka/cluster.go (`cluster_name`, StringLenBetween(1, 64));
 * the API (CreateCluster) allows letters, digits and '-', starting with a letter or digit.
 */
export const mskClusterName: ValueValidator = (value) => [
  ...lengthBetween(value, 1, 64),
  ...matches(value, /^[0-9A-Za-z][0-9A-Za-z-]*$/, "letters, digits and '-', starting with a letter or digit"),
];

/**
 * MSK configuration names: internal/service/kafka/configuration.go checks nothing; the API
 * (CreateConfiguration, Name) requires `^[0-9A-Za-z][0-9A-Za-z-]{0,}$`.
 */
export const mskConfigurationName: ValueValidator = (value) => [
  ...lengthBetween(value, 1, 64),
  ...matches(value, /^[0-9A-Za-z][0-9A-Za-z-]*$/, "letters, digits and '-', starting with a letter or digit"),
];

/**
 * MSK Connect names (connector, custom plugin, worker configuration):
 * internal/service/kafkaconnect/{connector,custom_plugin,worker_configuration}.go check nothing;
 * the API (CreateConnector connectorName, CreateCustomPlugin name, CreateWorkerConfiguration
 * name) allows 1-128 characters.
 */
export const mskConnectName: ValueValidator = (value) => lengthBetween(value, 1, 128);

/**
 * CloudWatch log group names: internal/service/logs/validate.go `validLogGroupName`: at most 512
 * characters of `[.\-_/#A-Za-z0-9]`.
 */
export const logGroupName: ValueValidator = (value) => [
  ...lengthBetween(value, 1, 512),
  ...matches(value, /^[.\-_/#A-Za-z0-9]+$/, "letters, digits and ._-/#"),
];

/**
 * S3 bucket names outside us-east-1 (which is laxer): internal/service/s3/bucket.go
 * `validBucketName`: 3-63 characters of `[0-9a-z-.]`, not an IP address, no leading, trailing or
 * doubled '.'; the S3 naming rules (API) add: begin and end with a letter or digit.
 */
export const s3BucketName: ValueValidator = (value) => {
  const problems = [...lengthBetween(value, 3, 63), ...matches(value, /^[0-9a-z.-]+$/, "lowercase letters, digits, '-' and '.'")];
  if (/^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$/.test(value)) problems.push("must not be formatted as an IP address");
  if (value.includes("..")) problems.push("cannot have two periods in a row");
  if (!/^[0-9a-z].*[0-9a-z]$/.test(value)) problems.push("must begin and end with a letter or digit");
  return problems;
};

/**
 * Secrets Manager secret names: internal/service/secretsmanager/validate.go `validSecretName`: at
 * most 512 characters of `[0-9A-Za-z/_+=.@-]`.
 */
export const secretsManagerSecretName: ValueValidator = (value) => [
  ...lengthBetween(value, 1, 512),
  ...matches(value, /^[0-9A-Za-z/_+=.@-]+$/, "letters, digits and /_+=.@-"),
];

/**
 * Glue Schema Registry names: internal/service/glue/registry.go (`registry_name`) and schema.go
 * (`schema_name`): StringLenBetween(1, 255) and letters, digits, '-', '_', '$', '#' (the API
 * reference of CreateSchema says the same: "No whitespace").
 */
export const glueRegistryOrSchemaName: ValueValidator = (value) => [
  ...lengthBetween(value, 1, 255),
  ...matches(value, /^[A-Za-z0-9_$#-]+$/, "letters, digits and -_$#"),
];

/** Glue registry and schema descriptions: registry.go / schema.go `description` StringLenBetween(0, 2048). */
export const glueDescription: ValueValidator = (value) => lengthBetween(value, 0, 2048);

/** schema.go `schema_definition`: StringLenBetween(1, 170000) and not only whitespace. */
export const glueSchemaDefinition: ValueValidator = (value) => [
  ...lengthBetween(value, 1, 170000),
  ...(/\S/.test(value) ? [] : ["must not be only whitespace"]),
];

/**
 * KMS alias names: internal/service/kms/validate.go `validName`: `alias/` then `[a-zA-Z0-9:/_-]`,
 * not starting with the reserved `alias/aws`.
 */
export const kmsAliasName: ValueValidator = (value) => [
  ...(/^alias\/aws/.test(value) ? ["cannot begin with the reserved prefix alias/aws"] : []),
  ...matches(value, /^alias\/[a-zA-Z0-9:/_-]+$/, "'alias/' followed by a-zA-Z0-9:/_-"),
];

/** Lengths of AWS Private CA subject fields: internal/service/acmpca/certificate_authority.go (StringLenBetween). */
export function acmpcaSubjectField(max: number): ValueValidator {
  return (value) => lengthBetween(value, 0, max);
}

/**
 * Secrets associated with an MSK cluster for SASL/SCRAM: the API (BatchAssociateScramSecret; MSK
 * developer guide, "Set up SASL/SCRAM authentication") refuses a secret whose name does not begin
 * with `AmazonMSK_`. Checked on the secret ARN (`...:secret:<name>-<6 characters>`).
 */
export const mskScramSecretArn: ValueValidator = (value) => {
  const name = /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(value)?.[1];
  if (name === undefined) return ["is not a Secrets Manager secret ARN"];
  return name.startsWith("AmazonMSK_") ? [] : [`names secret "${name}", which MSK refuses: a SCRAM secret's name must begin with AmazonMSK_`];
};

/**
 * Firehose delivery stream names: internal/service/firehose/delivery_stream.go `name`
 * StringLenBetween(1, 64); the API (CreateDeliveryStream, DeliveryStreamName) allows `[a-zA-Z0-9_.-]+`.
 */
export const firehoseStreamName: ValueValidator = (value) => [...lengthBetween(value, 1, 64), ...matches(value, /^[a-zA-Z0-9_.-]+$/, "letters, digits and _.-")];

/** One of a provider enum's values (delivery_stream.go `enum.Validate[...]`). */
export function oneOf(values: readonly string[]): ValueValidator {
  return (value) => (values.includes(value) ? [] : [`is not one of ${values.join(", ")}`]);
}

/** delivery_stream.go `error_output_prefix`: StringLenBetween(0, 1024). */
export const firehoseErrorOutputPrefix: ValueValidator = (value) => lengthBetween(value, 0, 1024);

/** delivery_stream.go `read_from_timestamp`: validation.IsRFC3339Time. */
export const rfc3339Time: ValueValidator = (value) =>
  RFC3339_DATE_TIME.test(value) ? [] : ["is not an RFC 3339 time"];

/**
 * OpenSearch Ingestion pipeline names: internal/service/osis/pipeline.go `pipeline_name`
 * LengthBetween(3, 28); the API (CreatePipeline PipelineName) pattern `[a-z][a-z0-9\-]+`.
 */
export const osisPipelineName: ValueValidator = (value) => [
  ...lengthBetween(value, 3, 28),
  ...matches(value, /^[a-z][a-z0-9-]+$/, "a lowercase letter, then lowercase letters, digits and '-'"),
];

/** pipeline_configuration_body: internal/service/osis/pipeline.go LengthBetween(1, 24000). */
export const osisPipelineBody: ValueValidator = (value) => lengthBetween(value, 1, 24000);

/** cloudwatch_log_destination.log_group: internal/service/osis/pipeline.go LengthBetween(1, 512). */
export const osisLogGroup: ValueValidator = (value) => lengthBetween(value, 1, 512);

/**
 * Where each validator applies in Terraform JSON: resource type -> attribute path -> validator.
 * A path segment `*` stands for every element of a list of blocks (e.g. inline SG rules).
 */
export const AWS_VALUE_RULES: Readonly<Record<string, Readonly<Record<string, ValueValidator>>>> = {
  aws_security_group: {
    name: securityGroupName,
    description: securityGroupDescription,
    "ingress.*.description": securityGroupRuleDescription,
    "egress.*.description": securityGroupRuleDescription,
  },
  aws_security_group_rule: { description: securityGroupRuleDescription },
  aws_vpc_security_group_ingress_rule: { description: securityGroupRuleDescription },
  aws_vpc_security_group_egress_rule: { description: securityGroupRuleDescription },
  aws_iam_role: { name: iamRoleName },
  aws_iam_role_policy: { name: iamRolePolicyName },
  aws_iam_policy: { name: iamPolicyName },
  aws_iam_instance_profile: { name: iamInstanceProfileName },
  aws_opensearch_domain: { domain_name: opensearchDomainName },
  aws_msk_cluster: { cluster_name: mskClusterName },
  aws_msk_configuration: { name: mskConfigurationName },
  aws_mskconnect_connector: { name: mskConnectName },
  aws_mskconnect_custom_plugin: { name: mskConnectName },
  aws_mskconnect_worker_configuration: { name: mskConnectName },
  aws_cloudwatch_log_group: { name: logGroupName },
  aws_s3_bucket: { bucket: s3BucketName },
  aws_secretsmanager_secret: { name: secretsManagerSecretName },
  aws_glue_registry: { registry_name: glueRegistryOrSchemaName, description: glueDescription },
  aws_glue_schema: { schema_name: glueRegistryOrSchemaName, description: glueDescription, schema_definition: glueSchemaDefinition },
  aws_kms_alias: { name: kmsAliasName },
  aws_acmpca_certificate_authority: {
    "certificate_authority_configuration.*.subject.*.common_name": acmpcaSubjectField(64),
    "certificate_authority_configuration.*.subject.*.organization": acmpcaSubjectField(64),
    "certificate_authority_configuration.*.subject.*.organizational_unit": acmpcaSubjectField(64),
    "certificate_authority_configuration.*.subject.*.country": acmpcaSubjectField(2),
  },
  aws_msk_scram_secret_association: { "secret_arn_list.*": mskScramSecretArn },
  aws_kinesis_firehose_delivery_stream: {
    name: firehoseStreamName,
    destination: oneOf(["elasticsearch", "extended_s3", "http_endpoint", "iceberg", "opensearch", "opensearchserverless", "redshift", "snowflake", "splunk"]),
    // types.Connectivity and types.CompressionFormat (aws-sdk-go-v2 service/firehose/types/enums.go).
    "msk_source_configuration.*.authentication_configuration.*.connectivity": oneOf(["PUBLIC", "PRIVATE"]),
    "msk_source_configuration.*.read_from_timestamp": rfc3339Time,
    "extended_s3_configuration.*.compression_format": oneOf(["UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY"]),
    "extended_s3_configuration.*.error_output_prefix": firehoseErrorOutputPrefix,
  },
  aws_osis_pipeline: {
    pipeline_name: osisPipelineName,
    pipeline_configuration_body: osisPipelineBody,
    "log_publishing_options.*.cloudwatch_log_destination.*.log_group": osisLogGroup,
  },
};
