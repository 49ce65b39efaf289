/**
 * Which attribute changes make Terraform replace (destroy + create) a resource instead of updating
 * it in place: the `ForceNew` arguments of the AWS provider whose bindings this project uses
 * (TABLE_CHECKED_AGAINST: @cdktf/provider-aws 21.22.1 = hashicorp/aws 6.25.0). Attribute paths are the
 * synthesized (snake_case) names with list indexes dropped; a change at or below a listed path
 * forces replacement.
 *
 * Sources (argument reference, "Forces new resource", and the schemas in
 * hashicorp/terraform-provider-aws internal/service/<service>/<resource>.go):
 *   https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/mskconnect_connector
 *   https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/mskconnect_custom_plugin
 *   https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/mskconnect_worker_configuration
 *   https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/msk_cluster
 *   https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/msk_configuration
 *   https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/opensearch_domain
 *   and the resource pages of the other types below.
 *
 * Notable facts behind the table:
 * - aws_mskconnect_connector: only `capacity` (UpdateConnector) and tags were updatable for years;
 *   provider 5.90 (hashicorp/terraform-provider-aws#41706, March 2025) made `connector_configuration`
 *   updatable too. Issue #47004 (open, provider 6.x) reports that MSK Connect may silently keep the
 *   old configuration after such an update, hence the caution below.
 * - aws_msk_cluster: `kafka_version` upgrades in place, a downgrade forces replacement
 *   (CustomizeDiff ForceNewIfChange); broker type, count, storage, configuration, client
 *   authentication, client_broker encryption, monitoring and logging update in place.
 *   `storage_mode` (UpdateStorage) and `broker_node_group_info.connectivity_info` (UpdateConnectivity)
 *   update in place too; the latter restarts every broker (MSK developer guide, multi-VPC
 *   private connectivity), hence its caution.
 * - aws_opensearch_domain: almost everything updates in place (blue/green); `domain_name` and the
 *   KMS key of encryption at rest force replacement.
 * - Renaming a construct (a YAML file or key) changes the logical id: Terraform destroys the old
 *   resource and creates a new one; the preview reports that as remove + add.
 * - Resources newer than the pinned binding (modules/custom-resources.ts, e.g. aws_msk_topic) take
 *   their force-new attributes from the schema declared there (read from the provider's source).
 */
import { CUSTOM_RESOURCE_SCHEMAS } from "../../modules/custom-resources";

/**
 * The provider package, and the hashicorp/aws version its bindings are generated from
 * (`cdktf.provider.version` in its package.json), that REPLACEMENT_RULES was checked against. A
 * test fails when the installed package differs: then re-check the table against that provider
 * version's "Forces new resource" arguments and update these two versions.
 */
export const TABLE_CHECKED_AGAINST = { package: "@cdktf/provider-aws", version: "21.22.1", providerVersion: "6.25.0" } as const;

/** The fields of the provider package's package.json that say which bindings it holds. */
export interface ProviderPackageJson {
  readonly version?: string;
  readonly cdktf?: { readonly provider?: { readonly name?: string; readonly version?: string } };
}

/** Why the table needs a re-check for this installed provider package, or undefined when it does not. */
export function tableRecheckNeeded(installed: ProviderPackageJson): string | undefined {
  const { package: pkg, version, providerVersion } = TABLE_CHECKED_AGAINST;
  const found = { version: installed.version, providerVersion: installed.cdktf?.provider?.version };
  if (found.version === version && found.providerVersion === providerVersion) return undefined;
  return (
    `scripts/preview/force-new.ts: the replacement table was checked against ${pkg} ${version} (hashicorp/aws ${providerVersion}), ` +
    `the installed package is ${found.version ?? "of unknown version"} (hashicorp/aws ${found.providerVersion ?? "unknown"}). ` +
    `Re-check REPLACEMENT_RULES against that provider's "Forces new resource" arguments, then update TABLE_CHECKED_AGAINST.`
  );
}

export interface ReplacementRule {
  /** Changes at or below these paths force replacement. */
  readonly forceNew?: readonly string[];
  /** Every change forces replacement except at or below these paths. */
  readonly allExcept?: readonly string[];
  /** Changes that force replacement only for some old → new values. */
  readonly conditional?: Readonly<Record<string, (before: unknown, after: unknown) => boolean>>;
  /** In-place changes worth a warning (path → note). */
  readonly cautions?: Readonly<Record<string, string>>;
}

/** Tags, timeouts and cdktf's own keys never force replacement. */
const ALWAYS_IN_PLACE = ["tags", "tags_all", "timeouts", "depends_on", "lifecycle", "provider", "count", "for_each", "//"];

/** Compares dotted versions with `x` wildcards (3.8.x < 3.9.x); NaN parts compare as 0. */
function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(".").map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export const REPLACEMENT_RULES: Readonly<Record<string, ReplacementRule>> = {
  aws_mskconnect_connector: {
    allExcept: ["capacity", "connector_configuration"],
    cautions: {
      connector_configuration:
        "planned in place, but MSK Connect may keep the old configuration (hashicorp/terraform-provider-aws#47004); check the connector after apply, or use -replace",
    },
  },
  aws_mskconnect_custom_plugin: { allExcept: [] },
  aws_mskconnect_worker_configuration: { allExcept: [] },
  aws_msk_cluster: {
    forceNew: [
      "cluster_name",
      "broker_node_group_info.az_distribution",
      "broker_node_group_info.client_subnets",
      "broker_node_group_info.security_groups",
      "encryption_info.encryption_at_rest_kms_key_arn",
      "encryption_info.encryption_in_transit.in_cluster",
    ],
    conditional: {
      kafka_version: (before, after) => typeof before === "string" && typeof after === "string" && compareVersions(after, before) < 0,
    },
    cautions: {
      "broker_node_group_info.connectivity_info":
        "planned in place (UpdateConnectivity), but turning multi-VPC connectivity on or off RESTARTS EVERY BROKER, one at a time: clients reconnect, and the cluster takes no other update until it is done",
      storage_mode:
        "planned in place (UpdateStorage); topics opt in with remote.storage.enable, and tiered storage is billed per GB-month stored in it; check MSK's rules before going back to LOCAL",
    },
  },
  // internal/service/kafka/serverless_cluster.go: every argument is ForceNew (Update handles tags only).
  aws_msk_serverless_cluster: { allExcept: [] },
  aws_msk_configuration: { forceNew: ["name", "kafka_versions"] },
  aws_opensearch_domain: { forceNew: ["domain_name", "encrypt_at_rest.kms_key_id"] },
  aws_opensearch_domain_policy: { forceNew: ["domain_name"] },
  aws_s3_bucket: { forceNew: ["bucket", "bucket_prefix", "object_lock_enabled"] },
  aws_s3_object: { forceNew: ["bucket", "key"] },
  aws_cloudwatch_log_group: { forceNew: ["name", "name_prefix", "log_group_class"] },
  aws_iam_role: { forceNew: ["name", "name_prefix", "path"] },
  aws_iam_role_policy: { forceNew: ["name", "name_prefix", "role"] },
  aws_iam_role_policy_attachment: { allExcept: [] },
  aws_iam_instance_profile: { forceNew: ["name", "name_prefix", "path"] },
  aws_security_group: { forceNew: ["name", "name_prefix", "description", "vpc_id"] },
  aws_vpc_security_group_ingress_rule: { forceNew: ["security_group_id"] },
  aws_vpc_security_group_egress_rule: { forceNew: ["security_group_id"] },
  aws_vpc: { forceNew: ["cidr_block", "instance_tenancy", "ipv4_ipam_pool_id"] },
  aws_subnet: { forceNew: ["vpc_id", "cidr_block", "availability_zone", "availability_zone_id"] },
  aws_route_table: { forceNew: ["vpc_id"] },
  aws_route: { forceNew: ["route_table_id", "destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id"] },
  aws_route_table_association: { forceNew: ["subnet_id", "gateway_id"] },
  aws_nat_gateway: { forceNew: ["allocation_id", "subnet_id", "connectivity_type", "private_ip"] },
  aws_eip: { forceNew: ["domain", "address", "public_ipv4_pool"] },
  aws_eip_association: { allExcept: [] },
  aws_flow_log: { allExcept: [] },
  aws_vpc_endpoint: { forceNew: ["vpc_id", "service_name", "vpc_endpoint_type"] },
  aws_instance: {
    forceNew: [
      "ami",
      "subnet_id",
      "availability_zone",
      "key_name",
      "private_ip",
      "associate_public_ip_address",
      "root_block_device.encrypted",
      "root_block_device.kms_key_id",
      "metadata_options.http_protocol_ipv6",
    ],
    // user_data forces replacement only with user_data_replace_on_change (not set here).
  },
  aws_secretsmanager_secret: { forceNew: ["name", "name_prefix"] },
  // Firehose (internal/service/firehose/delivery_stream.go): the name, the destination type and the
  // whole MSK source (cluster, topic, read_from_timestamp, authentication) are ForceNew; the S3
  // destination (prefixes, buffering, compression, key, logging) is updated in place (UpdateDestination).
  aws_kinesis_firehose_delivery_stream: { forceNew: ["name", "destination", "msk_source_configuration", "kinesis_source_configuration"] },
  // logs/stream.go: both arguments are ForceNew.
  aws_cloudwatch_log_stream: { allExcept: [] },
  // Client authentication (internal/service/acmpca/*.go, kms/key.go, kafka/scram_secret_association.go):
  // the CA's configuration (algorithms, subject) and type force a new CA; an issued or installed
  // certificate is never updated; the SCRAM association updates its secret list in place.
  aws_acmpca_certificate_authority: { forceNew: ["certificate_authority_configuration", "key_storage_security_standard", "type"] },
  aws_acmpca_certificate: { allExcept: [] },
  aws_acmpca_certificate_authority_certificate: { allExcept: [] },
  aws_kms_key: { forceNew: ["customer_master_key_spec", "custom_key_store_id", "key_usage", "multi_region", "xks_key_id"] },
  aws_kms_alias: { forceNew: ["name", "name_prefix"] },
  aws_msk_scram_secret_association: { forceNew: ["cluster_arn"] },
  ...Object.fromEntries(
    CUSTOM_RESOURCE_SCHEMAS.map((schema): [string, ReplacementRule] => [
      schema.resourceType,
      { forceNew: Object.entries(schema.attributes).filter(([, a]) => a.forceNew).map(([name]) => name).sort() },
    ]),
  ),
};

export type ChangeKind = "replace" | "in-place";

export interface AttributeClassification {
  readonly kind: ChangeKind;
  readonly caution?: string;
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`);

/**
 * How Terraform will likely apply a change of one attribute. `path` is the dotted attribute path
 * without list indexes (e.g. `broker_node_group_info.client_subnets`).
 */
export function classifyAttribute(type: string, path: string, before: unknown, after: unknown): AttributeClassification {
  if (ALWAYS_IN_PLACE.some((p) => under(path, p))) return { kind: "in-place" };
  const rule = REPLACEMENT_RULES[type];
  if (!rule) return { kind: "in-place" };
  const caution = Object.entries(rule.cautions ?? {}).find(([p]) => under(path, p))?.[1];
  if (rule.allExcept && !rule.allExcept.some((p) => under(path, p))) return { kind: "replace" };
  if (rule.forceNew?.some((p) => under(path, p))) return { kind: "replace" };
  const condition = Object.entries(rule.conditional ?? {}).find(([p]) => under(path, p))?.[1];
  if (condition?.(before, after)) return { kind: "replace" };
  return caution ? { kind: "in-place", caution } : { kind: "in-place" };
}
