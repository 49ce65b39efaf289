/**
 * Values the provider would compute, for the provider-free twin: real-looking ARNs, ids, endpoints
 * and broker strings, so that expressions over them (replace(), split(), cidrsubnet(), string
 * templates) are evaluated by Terraform on something shaped like the real thing. Keyed by
 * `<type>.<attribute>` (`data.<type>.<attribute>` for data sources); anything else falls back to
 * a value of the attribute's kind as the bindings declare it.
 */
import { createHash } from "node:crypto";
import type { AttributeKind } from "./provider-schema";

export const ACCOUNT = "111122223333";

export interface PlausibleContext {
  readonly region: string;
  /** Logical name of the resource (stable seed for ids). */
  readonly name: string;
  /** The resource's configured arguments, literal where known (for names in ARNs). */
  readonly config: Record<string, unknown>;
}

function hex(seed: string, n: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, n);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The configured name (a literal or a template: either can be embedded in the template of the
 * value built from it), else a stand-in derived from the logical name.
 */
function nameOf(c: PlausibleContext, ...keys: string[]): string {
  for (const k of keys) {
    const v = c.config[k];
    if (typeof v === "string") return v;
  }
  return `tf-${hex(c.name, 8)}`;
}

type Maker = (c: PlausibleContext) => unknown;

const arn = (service: string, resource: (c: PlausibleContext) => string, global = false): Maker => (c) =>
  `arn:aws:${service}:${global ? "" : c.region}:${service === "s3" ? "" : ACCOUNT}:${resource(c)}`;
const ec2Id = (prefix: string): Maker => (c) => `${prefix}-0${hex(c.name, 16)}`;

export const PLAUSIBLE: Readonly<Record<string, Maker>> = {
  // data sources
  "data.aws_caller_identity.account_id": () => ACCOUNT,
  "data.aws_caller_identity.arn": () => `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/session`,
  "data.aws_caller_identity.user_id": () => "AROAEXAMPLEID:session",
  "data.aws_iam_session_context.issuer_arn": () => `arn:aws:iam::${ACCOUNT}:role/Deployer`,
  "data.aws_iam_session_context.issuer_name": () => "Deployer",
  "data.aws_partition.partition": () => "aws",
  "data.aws_partition.dns_suffix": () => "amazonaws.com",
  "data.aws_partition.reverse_dns_prefix": () => "com.amazonaws",
  "data.aws_region.region": (c) => c.region,
  "data.aws_region.name": (c) => c.region,
  "data.aws_region.endpoint": (c) => `ec2.${c.region}.amazonaws.com`,
  "data.aws_availability_zones.names": (c) => ["a", "b", "c"].map((z) => `${c.region}${z}`),
  "data.aws_availability_zones.zone_ids": () => ["apse2-az1", "apse2-az2", "apse2-az3"],
  "data.aws_ami.id": (c) => `ami-0${hex(c.name, 16)}`,
  "data.aws_ami.image_id": (c) => `ami-0${hex(c.name, 16)}`,
  "data.aws_iam_policy_document.json": () => JSON.stringify({ Version: "2012-10-17", Statement: [] }),
  "data.aws_iam_policy_document.minified_json": () => JSON.stringify({ Version: "2012-10-17", Statement: [] }),
  // MSK
  "aws_msk_cluster.arn": arn("kafka", (c) => `cluster/${nameOf(c, "cluster_name")}/${uuid(c.name)}-2`),
  "aws_msk_cluster.cluster_uuid": (c) => `${uuid(c.name)}-2`,
  "aws_msk_cluster.bootstrap_brokers_sasl_iam": (c) =>
    [1, 2, 3].map((b) => `b-${b}.${nameOf(c, "cluster_name")}.${hex(c.name, 6)}.c2.kafka.${c.region}.amazonaws.com:9098`).join(","),
  "aws_msk_cluster.bootstrap_brokers_tls": (c) =>
    [1, 2, 3].map((b) => `b-${b}.${nameOf(c, "cluster_name")}.${hex(c.name, 6)}.c2.kafka.${c.region}.amazonaws.com:9094`).join(","),
  "aws_msk_cluster.bootstrap_brokers_sasl_scram": (c) =>
    [1, 2, 3].map((b) => `b-${b}.${nameOf(c, "cluster_name")}.${hex(c.name, 6)}.c2.kafka.${c.region}.amazonaws.com:9096`).join(","),
  "aws_msk_cluster.current_version": () => "K3AEGXETSR30VB",
  // MSK Serverless: the same cluster ARN form (cluster/<name>/<uuid>-s<n>), one bootstrap endpoint.
  "aws_msk_serverless_cluster.arn": arn("kafka", (c) => `cluster/${nameOf(c, "cluster_name")}/${uuid(c.name)}-s2`),
  "aws_msk_serverless_cluster.cluster_uuid": (c) => `${uuid(c.name)}-s2`,
  "aws_msk_serverless_cluster.bootstrap_brokers_sasl_iam": (c) => `boot-${hex(c.name, 8)}.c2.kafka-serverless.${c.region}.amazonaws.com:9098`,
  "aws_msk_scram_secret_association.id": arn("kafka", (c) => `cluster/tf-cluster/${uuid(c.name)}-2`),
  // AWS Private CA, KMS
  "aws_acmpca_certificate_authority.arn": arn("acm-pca", (c) => `certificate-authority/${uuid(c.name)}`),
  "aws_acmpca_certificate_authority.id": arn("acm-pca", (c) => `certificate-authority/${uuid(c.name)}`),
  "aws_acmpca_certificate_authority.certificate_signing_request": (c) => `-----BEGIN CERTIFICATE REQUEST-----\n${hex(c.name, 64)}\n-----END CERTIFICATE REQUEST-----\n`,
  "aws_acmpca_certificate.arn": arn("acm-pca", (c) => `certificate-authority/${uuid(c.name)}/certificate/${hex(c.name, 32)}`),
  "aws_acmpca_certificate.certificate": (c) => `-----BEGIN CERTIFICATE-----\n${hex(c.name, 64)}\n-----END CERTIFICATE-----\n`,
  "aws_acmpca_certificate.certificate_chain": () => "",
  "aws_kms_key.arn": arn("kms", (c) => `key/${uuid(c.name)}`),
  "aws_kms_key.key_id": (c) => uuid(c.name),
  "aws_kms_key.id": (c) => uuid(c.name),
  "aws_kms_alias.arn": arn("kms", (c) => nameOf(c, "name")),
  "aws_msk_configuration.arn": arn("kafka", (c) => `configuration/${nameOf(c, "name")}/${uuid(c.name)}-2`),
  "aws_msk_configuration.latest_revision": () => 1,
  "aws_msk_topic.arn": arn("kafka", (c) => `topic/cluster/${uuid(c.name)}/${nameOf(c, "name")}`),
  "aws_mskconnect_connector.arn": arn("kafkaconnect", (c) => `connector/${nameOf(c, "name")}/${uuid(c.name)}-3`),
  "aws_mskconnect_connector.version": () => "2WPQEXAMPLE",
  "aws_mskconnect_custom_plugin.arn": arn("kafkaconnect", (c) => `custom-plugin/${nameOf(c, "name")}/${uuid(c.name)}-4`),
  "aws_mskconnect_custom_plugin.latest_revision": () => 1,
  "aws_mskconnect_worker_configuration.arn": arn("kafkaconnect", (c) => `worker-configuration/${nameOf(c, "name")}/${uuid(c.name)}-4`),
  "aws_mskconnect_worker_configuration.latest_revision": () => 1,
  // Glue Schema Registry
  "aws_glue_registry.arn": arn("glue", (c) => `registry/${nameOf(c, "registry_name")}`),
  "aws_glue_registry.id": arn("glue", (c) => `registry/${nameOf(c, "registry_name")}`),
  "aws_glue_schema.arn": arn("glue", (c) => `schema/${String(c.config.registry_arn ?? "registry/r").split("/").at(-1)}/${nameOf(c, "schema_name")}`),
  "aws_glue_schema.id": arn("glue", (c) => `schema/${String(c.config.registry_arn ?? "registry/r").split("/").at(-1)}/${nameOf(c, "schema_name")}`),
  "aws_glue_schema.registry_name": (c) => String(c.config.registry_arn ?? "registry/r").split("/").at(-1),
  "aws_glue_schema.latest_schema_version": () => 1,
  // OpenSearch
  "aws_opensearch_domain.arn": arn("es", (c) => `domain/${nameOf(c, "domain_name")}`),
  "aws_opensearch_domain.domain_id": (c) => `${ACCOUNT}/${nameOf(c, "domain_name")}`,
  "aws_opensearch_domain.endpoint": (c) => `vpc-${nameOf(c, "domain_name")}-${hex(c.name, 26)}.${c.region}.es.amazonaws.com`,
  "aws_opensearch_domain.dashboard_endpoint": (c) =>
    `vpc-${nameOf(c, "domain_name")}-${hex(c.name, 26)}.${c.region}.es.amazonaws.com/_dashboards`,
  // S3
  "aws_s3_bucket.arn": (c) => `arn:aws:s3:::${nameOf(c, "bucket")}`,
  "aws_s3_bucket.id": (c) => nameOf(c, "bucket"),
  "aws_s3_bucket.bucket": (c) => nameOf(c, "bucket"),
  "aws_s3_bucket.bucket_regional_domain_name": (c) => `${nameOf(c, "bucket")}.s3.${c.region}.amazonaws.com`,
  "aws_s3_object.version_id": (c) => `v${hex(c.name, 31)}`,
  "aws_cloudwatch_event_bus.arn": arn("events", (c) => `event-bus/${nameOf(c, "name")}`),
  "aws_s3_object.etag": (c) => hex(c.name, 32),
  // IAM, logs, secrets
  "aws_iam_role.arn": (c) => `arn:aws:iam::${ACCOUNT}:role/${nameOf(c, "name")}`,
  "aws_iam_role.id": (c) => nameOf(c, "name"),
  "aws_iam_role.name": (c) => nameOf(c, "name"),
  "aws_iam_role.unique_id": (c) => `AROA${hex(c.name, 17).toUpperCase()}`,
  "aws_iam_instance_profile.arn": (c) => `arn:aws:iam::${ACCOUNT}:instance-profile/${nameOf(c, "name")}`,
  "aws_iam_instance_profile.id": (c) => nameOf(c, "name"),
  "aws_iam_instance_profile.name": (c) => nameOf(c, "name"),
  "aws_cloudwatch_log_group.arn": arn("logs", (c) => `log-group:${nameOf(c, "name")}`),
  "aws_cloudwatch_log_group.id": (c) => nameOf(c, "name"),
  "aws_cloudwatch_log_group.name": (c) => nameOf(c, "name"),
  "aws_secretsmanager_secret.arn": arn("secretsmanager", (c) => `secret:${nameOf(c, "name")}-${hex(c.name, 6)}`),
  "aws_secretsmanager_secret.id": arn("secretsmanager", (c) => `secret:${nameOf(c, "name")}-${hex(c.name, 6)}`),
  // EC2 / VPC
  "aws_vpc.id": ec2Id("vpc"),
  "aws_vpc.arn": arn("ec2", (c) => `vpc/vpc-0${hex(c.name, 16)}`),
  "aws_vpc.default_security_group_id": ec2Id("sg"),
  "aws_vpc.default_route_table_id": ec2Id("rtb"),
  "aws_vpc.main_route_table_id": ec2Id("rtb"),
  "aws_subnet.id": ec2Id("subnet"),
  "aws_security_group.id": ec2Id("sg"),
  "aws_security_group.arn": arn("ec2", (c) => `security-group/sg-0${hex(c.name, 16)}`),
  "aws_route_table.id": ec2Id("rtb"),
  "aws_internet_gateway.id": ec2Id("igw"),
  "aws_nat_gateway.id": ec2Id("nat"),
  "aws_eip.id": ec2Id("eipalloc"),
  "aws_eip.allocation_id": ec2Id("eipalloc"),
  "aws_eip.public_ip": (c) => `203.0.113.${parseInt(hex(c.name, 2), 16) % 250}`,
  "aws_instance.id": ec2Id("i"),
  "aws_instance.private_ip": () => "10.0.0.10",
  "aws_instance.public_ip": () => "203.0.113.20",
  "aws_instance.primary_network_interface_id": ec2Id("eni"),
  "aws_vpc_endpoint.id": ec2Id("vpce"),
  // Kinesis
  "aws_kinesis_stream.arn": arn("kinesis", (c) => `stream/${nameOf(c, "name")}`),
  "aws_kinesis_stream.name": (c) => nameOf(c, "name"),
  "aws_kinesis_stream.id": arn("kinesis", (c) => `stream/${nameOf(c, "name")}`),
  "aws_flow_log.id": ec2Id("fl"),
};

/** A plausible value for `<type>.<attr>` (`data.` prefix for data sources). */
export function plausibleValue(key: string, kind: AttributeKind, c: PlausibleContext): unknown {
  const make = PLAUSIBLE[key];
  if (make) return make(c);
  const attr = key.slice(key.lastIndexOf(".") + 1);
  switch (kind) {
    case "number":
      return 1;
    case "bool":
      return true;
    case "list":
      return [];
    case "map":
      return {};
    case "block":
      return [];
    default:
      if (attr === "arn" || attr.endsWith("_arn")) return `arn:aws:${key.split(".").at(-2)!.replace(/^aws_/, "").split("_")[0]}:${c.region}:${ACCOUNT}:${attr}/${hex(c.name, 12)}`;
      return `${attr}-${hex(`${c.name}.${attr}`, 12)}`;
  }
}
