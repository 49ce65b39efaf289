/** Schema of configs/environments/<env>.yaml: one stack per file. */
import { z } from "zod";
import { awsRegion, ipv4Cidr, kmsKeyArn, propertyMap, retentionDays, tagMap } from "./common";
import { clientHostSchema } from "./client-host";
import { AWS_AZ_NAME_PATTERN } from "../../validators/aws-patterns";
import { KAFKA_VERSIONS } from "../../validators/aws-values";
import { schemaRegistrySettings } from "./schema-registry";

const s3Backend = z.strictObject({
  bucket: z.string().min(3).describe("S3 bucket that holds the state (must already exist)."),
  key: z.string().min(1).describe("Object key of the state file, e.g. msk-opensearch-pipeline/dev.tfstate."),
  region: awsRegion.optional().describe("Region of the state bucket. @default the environment's region"),
  encrypt: z.boolean().default(true).describe("Server-side encryption of the state object."),
  use_lockfile: z.boolean().default(true).describe("S3-native state locking (Terraform 1.10+)."),
  dynamodb_table: z.string().optional().describe("Legacy DynamoDB lock table, if you still use one."),
  kms_key_id: kmsKeyArn.optional().describe("KMS key for the state object. @default the bucket's default encryption"),
});

export { KAFKA_VERSIONS } from "../../validators/aws-values";
/** `kafka.mode`: an MSK provisioned cluster or MSK Serverless. */
export const KAFKA_MODES = ["provisioned", "serverless"] as const;
export const KAFKA_CONNECT_VERSIONS = ["2.7.1", "3.7.x"] as const;
/** Java runtime MSK Connect uses for each Kafka Connect version. */
export const KAFKA_CONNECT_JAVA: Record<(typeof KAFKA_CONNECT_VERSIONS)[number], number> = {
  "2.7.1": 11,
  "3.7.x": 17,
};

const network = z.strictObject({
  cidr: ipv4Cidr.default("10.0.0.0/16").describe("VPC CIDR, /16 to /25. Subnets are derived from it: one public and one private per AZ, carved for 3 AZs whatever az_count is (a /16 gives /19s), so changing az_count moves no other subnet."),
  az_count: z
    .number()
    .int()
    .min(2)
    .max(3)
    .default(3)
    .describe("Number of availability zones (2 or 3: MSK brokers and OpenSearch zone awareness support 2 or 3)."),
  availability_zones: z
    .array(z.string().regex(AWS_AZ_NAME_PATTERN, { error: "an AZ name such as ap-southeast-2a" }))
    .optional()
    .describe("Explicit AZ names (as many as az_count). @default the first az_count AZs the region reports"),
  nat: z
    .enum(["single", "per_az"])
    .default("single")
    .describe("NAT gateways: `single` (one shared, cheaper) or `per_az` (one per AZ, survives an AZ outage)."),
  flow_logs_retention_days: retentionDays.default(30).describe("Retention of the VPC flow log group, in days."),
});

const vpn = z.strictObject({
  enabled: z.boolean().default(true).describe("Create the SoftEther VPN server. When false no VPN resource or rule exists."),
  instance_type: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: "an EC2 instance type such as t3.small" }).default("t3.small").describe("EC2 instance type of the VPN server."),
  allowed_cidrs: z
    .array(ipv4Cidr)
    .min(1, { error: "at least one CIDR (leave allowed_cidrs out to be asked for vpn_allowed_cidrs at plan time)" })
    .optional()
    .describe(
      "Source CIDRs allowed to reach the VPN ports. @default - none in YAML: a required Terraform variable `vpn_allowed_cidrs` asks at plan time",
    ),
  allow_open_ingress: z
    .boolean()
    .default(false)
    .describe("Loose option: permit 0.0.0.0/0 in allowed_cidrs (the reference design's setting). Needs a security waiver too."),
  l2tp_ipsec: z.boolean().default(true).describe("L2TP/IPsec for the built-in macOS/Windows/Linux clients (UDP 500, 4500)."),
  softether: z.boolean().default(true).describe("SoftEther's own protocol for the SoftEther client (TCP 443)."),
  openvpn: z.boolean().default(false).describe("OpenVPN (UDP 1194)."),
  hub: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default("pipeline").describe("Virtual hub name."),
  username: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).default("developer").describe("VPN user created at first boot."),
  client_network: ipv4Cidr.default("192.168.30.0/24").describe("SecureNAT network handed to VPN clients (must not overlap the VPC)."),
});

const serverProperties = z.strictObject({
  auto_create_topics: z
    .boolean()
    .optional()
    .describe(
      "auto.create.topics.enable. @default false: topics are declared in configs/topics/ (and dead-letter topics in connector files) and created by Terraform; true is the reference design's setting",
    ),
  default_partitions: z.number().int().min(1).max(1000).default(2).describe("num.partitions"),
  default_replication_factor: z.number().int().min(1).max(15).default(3).describe("default.replication.factor (≤ broker_count)"),
  min_insync_replicas: z.number().int().min(1).max(15).default(2).describe("min.insync.replicas (≤ default_replication_factor)"),
  log_retention_hours: z.number().int().min(1).max(87600).default(168).describe("log.retention.hours"),
  delete_topic_enable: z.boolean().default(true).describe("delete.topic.enable"),
  extra: propertyMap.default({}).describe("Any other broker property, written as-is to the MSK configuration."),
});

// ---- Kafka platform options: tiered storage, open monitoring, multi-VPC connectivity, cluster policy ----

/** A security group id. */
const securityGroupId = z.string().regex(/^sg-[0-9a-f]{8,17}$/, { error: "a security group id (sg-...)" });

const openMonitoring = z
  .strictObject({
    jmx_exporter: z.boolean().default(false).describe("Prometheus JMX exporter on every broker (TCP 11001): Kafka and JVM metrics."),
    node_exporter: z.boolean().default(false).describe("Prometheus node exporter on every broker (TCP 11002): CPU, memory, disk, network."),
    allowed_security_group_ids: z
      .array(securityGroupId)
      .default([])
      .describe("Security groups (e.g. your Prometheus server's) allowed to scrape the exporters' ports. At least one peer (a group or a CIDR) when an exporter is on."),
    allowed_cidrs: z
      .array(ipv4Cidr)
      .default([])
      .describe("CIDRs allowed to scrape the exporters' ports (never 0.0.0.0/0). At least one peer (a group or a CIDR) when an exporter is on."),
  })
  .describe(
    "Open monitoring with Prometheus: exporters on the brokers, ports opened only to the peers named here. No extra MSK charge; the scraper's traffic is ordinary VPC traffic. " +
      "@default - not set: no exporter, no rule. To turn exporters off again set them to false (removing the block leaves the cluster as it is)",
  );

const vpcConnectivity = z
  .strictObject({
    iam: z.boolean().describe("SASL/IAM client authentication over multi-VPC private connectivity (AWS PrivateLink); false turns it off again."),
  })
  .describe(
    "Multi-VPC private connectivity: clients in other VPCs or accounts of the region connect through managed VPC connections. Turning it on or off RESTARTS EVERY BROKER (a rolling update). " +
      "@default - not set: off. To turn it off again set iam: false (removing the block leaves the cluster as it is)",
  );

/** Who a cluster policy may name: an account id, an IAM role ARN, or a service principal. */
export const CLUSTER_POLICY_PRINCIPAL = /^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+|[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com)$/;

const clusterPolicy = z
  .strictObject({
    principals: z
      .array(
        z.string().regex(CLUSTER_POLICY_PRINCIPAL, {
          error: "an AWS account id (12 digits), an IAM role ARN (arn:aws:iam::<account>:role/<name>) or a service principal (e.g. osis-pipelines.amazonaws.com)",
        }),
      )
      .min(1, { error: "at least one principal" })
      .describe("Who may create VPC connections to the cluster and read its brokers (no data access: that stays with each client's IAM policy)."),
  })
  .describe(
    "Cluster policy (aws_msk_cluster_policy): kafka:CreateVpcConnection, kafka:GetBootstrapBrokers, kafka:DescribeCluster and kafka:DescribeClusterV2 on this cluster for the principals named; needs vpc_connectivity. @default - none",
  );

/** An AWS Private CA ARN: `arn:aws:acm-pca:<region>:<account>:certificate-authority/<uuid>`. */
export const PRIVATE_CA_ARN_PATTERN = /^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A SCRAM user name: also part of its secret's name (`AmazonMSK_<name_prefix>_<user>`). */
export const SCRAM_USER_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;

const certificateAuthorityCreate = z.strictObject({
  common_name: z
    .string()
    .regex(/^[A-Za-z0-9 ._-]{1,64}$/, { error: "a subject common name of 1 to 64 letters, digits, spaces, '.', '_' or '-'" })
    .describe("Subject CN of the root CA certificate, e.g. `dev Kafka clients`."),
  organization: z.string().regex(/^[A-Za-z0-9 .,_-]{1,64}$/, { error: "1 to 64 letters, digits, spaces or .,_-" }).optional().describe("Subject O. @default - none"),
  organizational_unit: z.string().regex(/^[A-Za-z0-9 .,_-]{1,64}$/, { error: "1 to 64 letters, digits, spaces or .,_-" }).optional().describe("Subject OU. @default - none"),
  country: z.string().regex(/^[A-Z]{2}$/, { error: "a two-letter country code such as AU" }).optional().describe("Subject C. @default - none"),
  validity_years: z.number().int().min(1).max(30).default(10).describe("Validity of the root CA certificate, in years."),
  permanent_deletion_days: z
    .number()
    .int()
    .min(7)
    .max(30)
    .default(7)
    .describe("Days a destroyed CA can still be restored (AWS's 7-30); it is billed again if restored."),
});

const clientAuthentication = z.strictObject({
  tls: z
    .strictObject({
      certificate_authority: z
        .strictObject({
          create: certificateAuthorityCreate
            .optional()
            .describe(
              "Create a root CA in AWS Private CA (general-purpose mode: about 400 USD a month per CA, pro-rated, plus each certificate issued). @default - use `arn`",
            ),
          arn: z
            .string()
            .regex(PRIVATE_CA_ARN_PATTERN, { error: "an AWS Private CA ARN (arn:aws:acm-pca:<region>:<account>:certificate-authority/<uuid>)" })
            .optional()
            .describe("An existing AWS Private CA whose certificates the brokers accept. @default - use `create`"),
        })
        .describe("The private CA that signs client certificates: exactly one of `create` or `arn`."),
    })
    .optional()
    .describe(
      "Mutual TLS beside IAM: clients present a certificate signed by the CA on port 9094, opened to the same peers as 9098. " +
        "A created CA costs about 400 USD a month (AWS Private CA, general-purpose mode). @default - off",
    ),
  scram: z
    .strictObject({
      users: z
        .array(z.string().regex(SCRAM_USER_PATTERN, { error: "a SCRAM user name (1 to 64 lowercase letters, digits, '.', '_', '-', starting with a letter)" }))
        .min(1, { error: "at least one user" })
        .describe("SCRAM users: one secret each, AmazonMSK_<name_prefix>_<user>, its password generated into it at deploy (never in YAML or state)."),
      kms_key_arn: kmsKeyArn
        .optional()
        .describe("Existing customer-managed KMS key for the users' secrets (MSK refuses the AWS-managed key). @default - one key per environment, about 1 USD a month"),
    })
    .optional()
    .describe("SASL/SCRAM beside IAM on port 9096, opened to the same peers as 9098. @default - off"),
});

const kafka = z.strictObject({
  mode: z
    .enum(KAFKA_MODES)
    .default("provisioned")
    .describe(
      "`provisioned` (brokers you size: aws_msk_cluster) or `serverless` (MSK Serverless: aws_msk_serverless_cluster, IAM only, billed per cluster-hour, partition-hour and GB in/out). " +
        "Serverless takes none of the broker, storage, monitoring or client-authentication fields below (setting one is an error), and its topics are created by the bootstrap, not by Terraform. " +
        "Switching REPLACES the cluster and loses every record.",
    ),
  version: z
    .enum(KAFKA_VERSIONS, { error: `a supported MSK Kafka version (${KAFKA_VERSIONS.join(", ")}; topics are managed through MSK's topic APIs, which need 3.6.0 or later); 2.8.1 is end of life` })
    .default("3.8.x")
    .describe("Apache Kafka version of the MSK cluster."),
  broker_instance_type: z
    .string()
    .regex(/^kafka\.[a-z0-9]+\.[a-z0-9]+$/, { error: "an MSK broker type such as kafka.m5.large" })
    .default("kafka.m5.large")
    .describe("MSK broker instance type; changed in place (a rolling update), not replaced."),
  broker_count: z.number().int().min(2).max(30).default(3).describe("Brokers in total; a multiple of network.az_count."),
  ebs_volume_gb: z.number().int().min(1).max(16384).default(100).describe("EBS storage per broker, GiB."),
  storage_autoscaling_max_gb: z
    .number()
    .int()
    .min(2)
    .max(16384)
    .optional()
    .describe("Turns on storage autoscaling up to this size per broker. @default - off"),
  server_properties: serverProperties.prefault({}).describe("Broker settings written to the MSK configuration."),
  encryption_kms_key_arn: kmsKeyArn.optional().describe("Customer KMS key for encryption at rest. @default - AWS-managed key"),
  enhanced_monitoring: z
    .enum(["DEFAULT", "PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"])
    .default("DEFAULT")
    .describe("CloudWatch metrics level of the cluster."),
  log_retention_days: retentionDays.default(30).describe("Retention of the broker log group, in days."),
  client_authentication: clientAuthentication
    .prefault({})
    .describe("Client authentication beside IAM, which stays on (MSK Connect connectors always use IAM). @default - IAM only"),
  allow_topic_replacement: z
    .boolean()
    .default(false)
    .describe(
      "Loose option: let Terraform delete topics (a rename, a replication_factor change, a removed topic file, destroy), which deletes their records. @default false: every topic carries lifecycle.prevent_destroy",
    ),
  storage_mode: z
    .enum(["LOCAL", "TIERED"])
    .optional()
    .describe(
      "LOCAL (EBS only) or TIERED (EBS plus MSK's low-cost tier, billed per GB-month stored and per GB read back; topics opt in with remote.storage.enable). TIERED needs Kafka 3.6.0+ and a broker type other than kafka.t3.small. " +
        "@default - not set: LOCAL. Going back from TIERED needs an explicit LOCAL (removing the field leaves the cluster as it is)",
    ),
  open_monitoring: openMonitoring.optional(),
  vpc_connectivity: vpcConnectivity.optional(),
  cluster_policy: clusterPolicy.optional(),
});

/** Roles a Dashboards user can be given in YAML. */
export const DASHBOARDS_ROLES = ["admin", "reader"] as const;

/** An IAM role ARN (not a user, not an `sts::...:assumed-role/...` session). */
const iamRoleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, { error: "an IAM role ARN (arn:aws:iam::<account>:role/<name>)" });

/** Fields that were removed, with what replaces them (the loader reports them at file:line:col). */
export const REMOVED_ENVIRONMENT_FIELDS: Readonly<Record<string, string>> = {
  "opensearch.master_user_arn":
    "opensearch.access.admin_roles (IAM roles mapped to all_access by the bootstrap; the master is now an internal break-glass user)",
};

const opensearch = z.strictObject({
  engine_version: z
    .string()
    .regex(/^OpenSearch_[1-3]\.\d+$/, { error: "an OpenSearch engine version such as OpenSearch_2.19" })
    .default("OpenSearch_2.19")
    .describe("OpenSearch engine version of the domain (upgrades only)."),
  instance_type: z
    .string()
    .regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, { error: "an OpenSearch instance type such as m6g.large.search" })
    .default("m6g.large.search")
    .describe("Instance type of the data nodes."),
  instance_count: z.number().int().min(1).max(80).default(2).describe("Data nodes; a multiple of zone_count."),
  zone_count: z.number().int().min(1).max(3).default(2).describe("AZs the domain spans (1 = no zone awareness); ≤ network.az_count."),
  dedicated_master_type: z
    .string()
    .regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, { error: "an OpenSearch instance type such as m6g.large.search" })
    .optional()
    .describe("Turns on three dedicated master nodes of this type. @default - none"),
  ebs_volume_gb: z.number().int().min(10).max(16384).default(20).describe("gp3 EBS per data node, GiB."),
  access: z
    .strictObject({
      admin_roles: z
        .array(iamRoleArn)
        .default([])
        .describe("IAM roles mapped (as backend roles) to OpenSearch's all_access role by the bootstrap, besides the identity that runs it."),
      reader_roles: z
        .array(iamRoleArn)
        .default([])
        .describe("IAM roles mapped to the read-only role (read the pipeline's indexes, Dashboards' global tenant read-only)."),
    })
    .prefault({})
    .describe("Who signs in with IAM (SigV4). The YAML names the roles; the bootstrap never guesses."),
  dashboards_users: z
    .record(
      z.string().regex(/^[a-z][a-z0-9._-]{1,31}$/, { error: "a Dashboards user name (2 to 32 lowercase letters, digits, '.', '_', '-', starting with a letter)" }),
      z.strictObject({
        role: z.enum(DASHBOARDS_ROLES).describe("`admin` (all_access) or `reader` (the read-only role)."),
      }),
    )
    .default({})
    .describe("People who sign in on the Dashboards login page: an internal user each, its generated password in its own secret."),
  dashboards_saved_objects: z
    .array(z.string().min(1))
    .default([])
    .describe(
      "NDJSON files (paths relative to configs/, as Dashboards' Export writes them) that the bootstrap imports into the Global tenant, overwriting objects of the same type and id.",
    ),
  log_retention_days: retentionDays.default(30).describe("Retention of the domain's log groups, in days."),
  audit_logs: z
    .boolean()
    .default(true)
    .describe("Publish AUDIT_LOGS to a log group and turn on audit logging in the security plugin (the bootstrap does). false turns both off."),
  anonymous_access: z
    .boolean()
    .default(false)
    .describe("Loose option: the reference design's anonymous access. Needs a security waiver too."),
  service_linked_role: z
    .enum(["auto", "create", "existing"])
    .default("auto")
    .describe(
      "The account's OpenSearch service-linked role (AWSServiceRoleForAmazonOpenSearchService), without which a VPC domain cannot be created: " +
        "`auto` creates it only if the account lacks it at the first deploy (and remembers that), `create` always manages it, `existing` never creates it.",
    ),
});

const connect = z.strictObject({
  kafka_connect_version: z.enum(KAFKA_CONNECT_VERSIONS).default("2.7.1").describe("Default Kafka Connect version of the connectors."),
  log_retention_days: retentionDays.default(30).describe("Default retention of connector log groups, in days."),
  offset_flush_interval_ms: z.number().int().min(1000).max(600000).default(10000).describe("offset.flush.interval.ms of the workers."),
  worker_properties: propertyMap.default({}).describe("Extra worker properties (converters etc. are set already)."),
});

const waiver = z.strictObject({
  rule: z.string().min(1).describe("Security rule id, e.g. OS-ANON."),
  resource: z.string().min(1).describe("The resource it applies to, as the guard prints it."),
  reason: z.string().trim().min(1, { error: "a non-empty reason" }).describe("Why the exception is acceptable."),
});

export const environmentSchema = z
  .strictObject({
    name_prefix: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, { error: "3 to 20 lowercase letters, digits or '-', starting with a letter" })
      .describe("Prefix of every resource name; unique across environments."),
    region: awsRegion.describe("AWS region of the stack."),
    tags: tagMap.default({}).describe("Default tags on every resource."),
    backend: z
      .strictObject({ s3: s3Backend })
      .optional()
      .describe("Remote state. @default - local state in terraform.<env>.tfstate at the project root (outside cdktf.out/)"),
    network: network.prefault({}).describe("The VPC the pipeline runs in."),
    vpn: vpn.prefault({}).describe("SoftEther VPN server: your way into the private subnets."),
    kafka: kafka.prefault({}).describe("The Amazon MSK cluster."),
    client_host: clientHostSchema.prefault({}).describe("Opt-in Kafka client host reached with SSM Session Manager."),
    opensearch: opensearch.prefault({}).describe("The OpenSearch domain."),
    connect: connect.prefault({}).describe("Defaults of the MSK Connect connectors."),
    artifact_bucket: z
      .strictObject({
        force_destroy: z.boolean().default(false).describe("Let `destroy` delete a non-empty bucket."),
      })
      .prefault({})
      .describe("S3 bucket for connector plugins and logs."),
    secrets: z
      .strictObject({
        recovery_window_days: z
          .number()
          .int()
          .refine((n) => n === 0 || (n >= 7 && n <= 30), { error: "0 (delete at once) or 7 to 30 days" })
          .meta({ enum: [0, ...Array.from({ length: 24 }, (_, i) => 7 + i)] })
          .default(0)
          .describe(
            "Days Secrets Manager keeps a secret of this stack after a destroy. 0 deletes at once, so destroy + re-deploy works any time; " +
              "7-30 keeps it restorable, but a re-deploy within that window fails on fixed-name secrets (\"scheduled for deletion\") until they are restored or force-deleted.",
          ),
      })
      .prefault({})
      .describe("Settings every Secrets Manager secret of the stack follows."),
    // AWS Glue Schema Registry (issue 19): kept in its own block.
    schema_registry: schemaRegistrySettings.prefault({}),
    security: z
      .strictObject({
        waivers: z.array(waiver).default([]).describe("Accepted exceptions to the security rules, each with a reason."),
      })
      .prefault({})
      .describe("Security guard settings."),
  })
  .describe("One environment = one Terraform stack.");

export type EnvironmentSpec = z.output<typeof environmentSchema>;

