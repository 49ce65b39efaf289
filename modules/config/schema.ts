/**
 * The schemas of every YAML file the user edits. They are the single source of truth: the loader
 * validates with them, the TypeScript types are inferred from them, and their descriptions are
 * what editors show.
 *
 * Convention: a custom `error` text on a check describes what is EXPECTED (e.g. "a Kafka topic
 * name ..."); the issue formatter adds ", found <value>".
 */
import { z } from "zod";
import { parseCidr } from "./cidr";

// ---------------------------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------------------------

const ipv4Cidr = z
  .string()
  .refine((s) => parseCidr(s) !== undefined, { error: "an IPv4 CIDR such as 10.0.0.0/16 (no host bits set)" });

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const retentionDays = z
  .number()
  .int()
  .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), {
    error: `one of CloudWatch's retention periods (${LOG_RETENTION_DAYS.join(", ")})`,
  })
  .meta({ enum: [...LOG_RETENTION_DAYS] });

const tagMap = z.record(
  z.string().min(1).max(128),
  z.string().max(256),
);

const awsRegion = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, { error: "an AWS region such as ap-southeast-2" });

const iamPrincipalArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@\/-]+$/, { error: "an IAM role or user ARN" });

const kmsKeyArn = z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-f0-9-]+$/, { error: "a KMS key ARN" });

/** Kafka's rules: legal characters, length, and not `.`/`..`. */
export const kafkaTopicName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,249}$/, {
    error: "a Kafka topic name (letters, digits, '.', '_' and '-'; 1 to 249 characters)",
  })
  .refine((s) => s !== "." && s !== "..", { error: "a Kafka topic name other than '.' or '..'" });

/** OpenSearch's index name rules. */
export const indexName = z
  .string()
  .regex(/^[^A-Z\\/*?"<>| ,#:]+$/, {
    error: "an OpenSearch index name (lowercase; none of \\ / * ? \" < > | space , # :)",
  })
  .regex(/^[^_\-+]/, { error: "an OpenSearch index name that does not start with '_', '-' or '+'" })
  .refine((s) => s !== "." && s !== "..", { error: "an OpenSearch index name other than '.' or '..'" })
  .refine((s) => Buffer.byteLength(s, "utf8") <= 255, { error: "an OpenSearch index name of at most 255 bytes" });

const javaClassName = z
  .string()
  .regex(/^([a-zA-Z_$][\w$]*\.)+[a-zA-Z_$][\w$]*$/, { error: "a fully qualified Java class name" });

/** Values of a Kafka/Connect property map; YAML scalars are turned into strings. */
const propertyValue = z.union([z.string(), z.number(), z.boolean()]);
const propertyMap = z.record(
  z.string().regex(/^[A-Za-z0-9_.$-]+$/, { error: "a property name (letters, digits, '.', '_', '-', '$')" }),
  propertyValue,
);

// ---------------------------------------------------------------------------------------------
// Environment: configs/environments/<env>.yaml
// ---------------------------------------------------------------------------------------------

const s3Backend = z.strictObject({
  bucket: z.string().min(3).describe("S3 bucket that holds the state (must already exist)."),
  key: z.string().min(1).describe("Object key of the state file, e.g. msk-opensearch-pipeline/dev.tfstate."),
  region: awsRegion.optional().describe("Region of the state bucket. @default the environment's region"),
  encrypt: z.boolean().default(true).describe("Server-side encryption of the state object."),
  use_lockfile: z.boolean().default(true).describe("S3-native state locking (Terraform 1.10+)."),
  dynamodb_table: z.string().optional().describe("Legacy DynamoDB lock table, if you still use one."),
  kms_key_id: kmsKeyArn.optional().describe("KMS key for the state object. @default the bucket's default encryption"),
});

export const KAFKA_VERSIONS = ["3.6.0", "3.7.x", "3.8.x", "3.9.x"] as const;
export const KAFKA_CONNECT_VERSIONS = ["2.7.1", "3.7.x"] as const;
/** Java runtime MSK Connect uses for each Kafka Connect version. */
export const KAFKA_CONNECT_JAVA: Record<(typeof KAFKA_CONNECT_VERSIONS)[number], number> = {
  "2.7.1": 11,
  "3.7.x": 17,
};

const network = z.strictObject({
  cidr: ipv4Cidr.default("10.0.0.0/16").describe("VPC CIDR. Subnets are derived from it: one public and one private per AZ."),
  az_count: z
    .number()
    .int()
    .min(2)
    .max(3)
    .default(3)
    .describe("Number of availability zones (2 or 3: MSK brokers and OpenSearch zone awareness support 2 or 3)."),
  availability_zones: z
    .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { error: "an AZ name such as ap-southeast-2a" }))
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
    .default(true)
    .describe("auto.create.topics.enable: the data generator and Connect create their topics on first use."),
  default_partitions: z.number().int().min(1).max(1000).default(2).describe("num.partitions"),
  default_replication_factor: z.number().int().min(1).max(15).default(3).describe("default.replication.factor (≤ broker_count)"),
  min_insync_replicas: z.number().int().min(1).max(15).default(2).describe("min.insync.replicas (≤ default_replication_factor)"),
  log_retention_hours: z.number().int().min(1).max(87600).default(168).describe("log.retention.hours"),
  delete_topic_enable: z.boolean().default(true).describe("delete.topic.enable"),
  extra: propertyMap.default({}).describe("Any other broker property, written as-is to the MSK configuration."),
});

const kafka = z.strictObject({
  version: z
    .enum(KAFKA_VERSIONS, { error: `a supported MSK Kafka version (${KAFKA_VERSIONS.join(", ")}); 2.8.1 is end of life` })
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
});

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
  master_user_arn: iamPrincipalArn.optional().describe("FGAC master user (IAM role or user). @default the identity that deploys"),
  log_retention_days: retentionDays.default(30).describe("Retention of the domain's log groups, in days."),
  audit_logs: z.boolean().default(false).describe("Also publish audit logs (needs audit logging enabled in Dashboards)."),
  anonymous_access: z
    .boolean()
    .default(false)
    .describe("Loose option: the reference design's anonymous access. Needs a security waiver too."),
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
      .describe("Remote state. @default - local state in terraform.<env>.tfstate"),
    network: network.prefault({}).describe("The VPC the pipeline runs in."),
    vpn: vpn.prefault({}).describe("SoftEther VPN server: your way into the private subnets."),
    kafka: kafka.prefault({}).describe("The Amazon MSK cluster."),
    opensearch: opensearch.prefault({}).describe("The OpenSearch domain."),
    connect: connect.prefault({}).describe("Defaults of the MSK Connect connectors."),
    artifact_bucket: z
      .strictObject({
        force_destroy: z.boolean().default(false).describe("Let `destroy` delete a non-empty bucket."),
      })
      .prefault({})
      .describe("S3 bucket for connector plugins and logs."),
    security: z
      .strictObject({
        waivers: z.array(waiver).default([]).describe("Accepted exceptions to the security rules, each with a reason."),
      })
      .prefault({})
      .describe("Security guard settings."),
  })
  .describe("One environment = one Terraform stack.");

export type EnvironmentSpec = z.output<typeof environmentSchema>;

// ---------------------------------------------------------------------------------------------
// Topic: configs/topics/<topic>.yaml
// ---------------------------------------------------------------------------------------------

export const MAPPING_TYPES = [
  "text", "keyword", "match_only_text", "wildcard", "constant_keyword",
  "long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float", "unsigned_long",
  "boolean", "date", "date_nanos", "ip", "binary",
  "object", "nested", "flat_object",
  "geo_point", "geo_shape",
  "integer_range", "long_range", "float_range", "double_range", "date_range", "ip_range",
  "knn_vector",
] as const;

/** Built-in date formats of OpenSearch (java-time based). */
const BUILTIN_DATE_FORMATS = new Set([
  "epoch_millis", "epoch_second", "date_optional_time", "strict_date_optional_time",
  "strict_date_optional_time_nanos", "basic_date", "basic_date_time", "basic_date_time_no_millis",
  "basic_ordinal_date", "basic_ordinal_date_time", "basic_ordinal_date_time_no_millis", "basic_time",
  "basic_time_no_millis", "basic_t_time", "basic_t_time_no_millis", "basic_week_date", "strict_basic_week_date",
  "basic_week_date_time", "strict_basic_week_date_time", "basic_week_date_time_no_millis",
  "strict_basic_week_date_time_no_millis", "date", "strict_date", "date_hour", "strict_date_hour",
  "date_hour_minute", "strict_date_hour_minute", "date_hour_minute_second", "strict_date_hour_minute_second",
  "date_hour_minute_second_fraction", "strict_date_hour_minute_second_fraction", "date_hour_minute_second_millis",
  "strict_date_hour_minute_second_millis", "date_time", "strict_date_time", "date_time_no_millis",
  "strict_date_time_no_millis", "hour", "strict_hour", "hour_minute", "strict_hour_minute", "hour_minute_second",
  "strict_hour_minute_second", "hour_minute_second_fraction", "strict_hour_minute_second_fraction",
  "hour_minute_second_millis", "strict_hour_minute_second_millis", "ordinal_date", "strict_ordinal_date",
  "ordinal_date_time", "strict_ordinal_date_time", "ordinal_date_time_no_millis",
  "strict_ordinal_date_time_no_millis", "time", "strict_time", "time_no_millis", "strict_time_no_millis",
  "t_time", "strict_t_time", "t_time_no_millis", "strict_t_time_no_millis", "week_date", "strict_week_date",
  "week_date_time", "strict_week_date_time", "week_date_time_no_millis", "strict_week_date_time_no_millis",
  "weekyear", "strict_weekyear", "weekyear_week", "strict_weekyear_week", "weekyear_week_day",
  "strict_weekyear_week_day", "year", "strict_year", "year_month", "strict_year_month", "year_month_day",
  "strict_year_month_day",
]);

/** Pattern letters java.time.format.DateTimeFormatter understands. */
const JAVA_PATTERN_LETTERS = new Set("GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZp".split(""));

/** True when `format` is a built-in name or a valid DateTimeFormatter pattern; `||` separates alternatives. */
export function isValidDateFormat(format: string): boolean {
  return format.split("||").every((part) => {
    if (part.length === 0) return false;
    if (BUILTIN_DATE_FORMATS.has(part)) return true;
    let inQuote = false;
    let optionalDepth = 0;
    for (const ch of part) {
      if (ch === "'") inQuote = !inQuote;
      else if (inQuote) continue;
      else if (ch === "[") optionalDepth++;
      else if (ch === "]") {
        if (--optionalDepth < 0) return false;
      } else if (/[A-Za-z]/.test(ch) && !JAVA_PATTERN_LETTERS.has(ch)) return false;
      else if (ch === "{" || ch === "}" || ch === "#") return false;
    }
    return !inQuote && optionalDepth === 0 && /[A-Za-z]/.test(part);
  });
}

const fieldName = z
  .string()
  .regex(/^[A-Za-z_@][A-Za-z0-9_@-]*$/, { error: "a field name (letters, digits, '_', '-', '@'; no dots)" });

export interface FieldMappingSpec {
  type: (typeof MAPPING_TYPES)[number];
  format?: string;
  index?: boolean;
  doc_values?: boolean;
  ignore_above?: number;
  analyzer?: string;
  scaling_factor?: number;
  dimension?: number;
  properties?: Record<string, FieldMappingSpec>;
}

const DATE_TYPES = new Set(["date", "date_nanos", "date_range"]);
const OBJECT_TYPES = new Set(["object", "nested"]);

export const fieldMappingSchema: z.ZodType<FieldMappingSpec> = z.lazy(() =>
  z
    .strictObject({
      type: z.enum(MAPPING_TYPES, { error: `an OpenSearch field type (${MAPPING_TYPES.join(", ")})` }),
      format: z
        .string()
        .refine(isValidDateFormat, {
          error: "a date format: a built-in name (e.g. strict_date_optional_time, epoch_millis) or a Java pattern such as yyyy-MM-dd HH:mm:ss; alternatives joined by ||",
        })
        .optional(),
      index: z.boolean().optional(),
      doc_values: z.boolean().optional(),
      ignore_above: z.number().int().min(1).optional(),
      analyzer: z.string().min(1).optional(),
      scaling_factor: z.number().positive().optional(),
      dimension: z.number().int().min(1).max(16000).optional(),
      properties: z.record(fieldName, fieldMappingSchema).optional(),
    })
    .superRefine((f, ctx) => {
      if (f.format !== undefined && !DATE_TYPES.has(f.type)) {
        ctx.addIssue({ code: "custom", path: ["format"], message: `format only on date, date_nanos or date_range fields, found it on a ${f.type} field` });
      }
      if (f.properties !== undefined && !OBJECT_TYPES.has(f.type)) {
        ctx.addIssue({ code: "custom", path: ["properties"], message: `properties only on object or nested fields, found them on a ${f.type} field` });
      }
      if (OBJECT_TYPES.has(f.type) && (f.properties === undefined || Object.keys(f.properties).length === 0)) {
        ctx.addIssue({ code: "custom", path: ["type"], message: `properties with at least one field for an ${f.type} field, found none` });
      }
      if (f.type === "scaled_float" && f.scaling_factor === undefined) {
        ctx.addIssue({ code: "custom", path: ["type"], message: "scaling_factor for a scaled_float field, found none" });
      }
      if (f.type === "knn_vector" && f.dimension === undefined) {
        ctx.addIssue({ code: "custom", path: ["type"], message: "dimension for a knn_vector field, found none" });
      }
      if (f.ignore_above !== undefined && f.type !== "keyword" && f.type !== "wildcard") {
        ctx.addIssue({ code: "custom", path: ["ignore_above"], message: `ignore_above only on keyword or wildcard fields, found it on a ${f.type} field` });
      }
    }),
);

const generatorField = z
  .strictObject({
    with: z.string().min(1).optional().describe("Java Faker expression, e.g. #{Code.isbn10}."),
    matching: z
      .string()
      .regex(/^[A-Za-z0-9._-]+\.(key|value)(\.[A-Za-z0-9_@-]+)?$/, { error: "<topic>.key or <topic>.value.<field>" })
      .optional()
      .describe("Reuse a value generated for another topic, e.g. impressions.value.bid_id."),
    sometimes: z
      .strictObject({
        with: z.string().min(1).optional(),
        matching: z
          .string()
          .regex(/^[A-Za-z0-9._-]+\.(key|value)(\.[A-Za-z0-9_@-]+)?$/, { error: "<topic>.key or <topic>.value.<field>" })
          .optional(),
      })
      .optional()
      .describe("An alternative the generator uses some of the time."),
  })
  .superRefine((g, ctx) => {
    if (g.with === undefined && g.matching === undefined && g.sometimes === undefined) {
      ctx.addIssue({ code: "custom", path: [], message: "one of with, matching or sometimes, found none" });
    }
    if (g.sometimes && g.sometimes.with === undefined && g.sometimes.matching === undefined) {
      ctx.addIssue({ code: "custom", path: ["sometimes"], message: "with or matching inside sometimes, found neither" });
    }
  });

export const topicSchema = z
  .strictObject({
    name: kafkaTopicName.describe("Kafka topic name."),
    description: z.string().optional().describe("Free text for people reading this file."),
    partitions: z.number().int().min(1).max(1000).optional().describe("@default the cluster's num.partitions"),
    replication_factor: z.number().int().min(1).max(15).optional().describe("@default the cluster's default.replication.factor"),
    index: z
      .strictObject({
        name: indexName.describe("OpenSearch index the topic is written to."),
        shards: z.number().int().min(1).max(1024).default(1).describe("Primary shards of the index."),
        replicas: z.number().int().min(0).max(15).default(1).describe("Replica shards per primary."),
        refresh_interval: z
          .string()
          .regex(/^(-1|\d+(ms|s|m|h))$/, { error: "a duration such as 1s or 30s, or -1" })
          .optional()
          .describe("index.refresh_interval, e.g. 1s, 30s, or -1 to turn refreshes off. @default OpenSearch's 1s"),
        dynamic: z.union([z.boolean(), z.literal("strict")]).default(true).describe("Mapping of fields not listed: true, false or strict."),
        aliases: z.array(indexName).default([]).describe("Aliases created with the index."),
        mappings: z
          .record(fieldName, fieldMappingSchema)
          .refine((m) => Object.keys(m).length > 0, { error: "at least one field" })
          .describe("Explicit field mappings, created before the sink writes."),
      })
      .describe("The OpenSearch index of this topic."),
    generator: z
      .strictObject({
        key: z.strictObject({ with: z.string().min(1) }).optional().describe("Record key expression (genkp)."),
        fields: z.record(fieldName, generatorField).describe("Record value fields (genv)."),
      })
      .optional()
      .describe("How the MSK Data Generator fills this topic, when a msk-datagen connector writes it."),
  })
  .describe("One Kafka topic and its OpenSearch index.");

export type TopicSpec = z.output<typeof topicSchema>;

// ---------------------------------------------------------------------------------------------
// Connector: configs/connectors/<name>.yaml
// ---------------------------------------------------------------------------------------------

export const MCU_COUNTS = [1, 2, 4, 8] as const;
const mcuCount = z
  .number()
  .int()
  .refine((n) => (MCU_COUNTS as readonly number[]).includes(n), { error: "an MCU count of 1, 2, 4 or 8" })
  .meta({ enum: [...MCU_COUNTS] });

const capacity = z
  .strictObject({
    provisioned: z
      .strictObject({
        workers: z.number().int().min(1).max(10).default(1).describe("Workers (1-10); changed in place."),
        mcu: mcuCount.default(1).describe("MSK Connect units per worker (1 MCU = 1 vCPU, 4 GiB)."),
      })
      .optional()
      .describe("A fixed number of workers."),
    autoscaling: z
      .strictObject({
        min_workers: z.number().int().min(1).max(10).describe("Fewest workers (1-10)."),
        max_workers: z.number().int().min(1).max(10).describe("Most workers (1-10), ≥ min_workers."),
        mcu: mcuCount.default(1).describe("MSK Connect units per worker (1 MCU = 1 vCPU, 4 GiB)."),
        scale_in_cpu_percent: z.number().int().min(1).max(100).default(20).describe("Remove a worker below this CPU %."),
        scale_out_cpu_percent: z.number().int().min(1).max(100).default(80).describe("Add a worker above this CPU %."),
      })
      .optional()
      .describe("Workers between min_workers and max_workers, by CPU."),
  })
  .superRefine((c, ctx) => {
    const set = [c.provisioned, c.autoscaling].filter((x) => x !== undefined).length;
    if (set !== 1) {
      ctx.addIssue({ code: "custom", path: [], message: `exactly one of provisioned or autoscaling, found ${set === 0 ? "neither" : "both"}` });
    }
    const a = c.autoscaling;
    if (a && a.min_workers > a.max_workers) {
      ctx.addIssue({ code: "custom", path: ["autoscaling", "min_workers"], message: `min_workers ≤ max_workers (${a.max_workers}), found ${a.min_workers}` });
    }
    if (a && a.scale_in_cpu_percent >= a.scale_out_cpu_percent) {
      ctx.addIssue({
        code: "custom",
        path: ["autoscaling", "scale_in_cpu_percent"],
        message: `scale_in_cpu_percent below scale_out_cpu_percent (${a.scale_out_cpu_percent}), found ${a.scale_in_cpu_percent}`,
      });
    }
  });

const transform = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: "a transform alias (letters, digits, '_')" }).describe("Alias of the transform in `transforms`."),
  type: javaClassName.describe("SMT class, e.g. org.apache.kafka.connect.transforms.InsertField$Value."),
  config: propertyMap.default({}).describe("Properties after transforms.<name>."),
});

const errorHandling = z.strictObject({
  tolerance: z.enum(["none", "all"]).default("none").describe("errors.tolerance"),
  log_errors: z.boolean().default(true).describe("errors.log.enable"),
  dead_letter_queue: z
    .strictObject({
      topic: kafkaTopicName.describe("errors.deadletterqueue.topic.name"),
      replication_factor: z.number().int().min(1).max(15).default(3).describe("≤ the cluster's broker_count"),
      context_headers: z.boolean().default(true).describe("errors.deadletterqueue.context.headers.enable"),
    })
    .optional()
    .describe("Dead-letter topic for records that fail (sink connectors only)."),
});

const connectorBase = {
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "a connector name (lowercase letters, digits and '-', starting with a letter)" })
    .describe("Connector name (part of the MSK Connect connector's name; changing it replaces the connector)."),
  description: z.string().optional().describe("Free text; changing it replaces the connector."),
  plugin: z.string().min(1).describe("Plugin name from connectors/manifest.yaml."),
  kafka_connect_version: z.enum(KAFKA_CONNECT_VERSIONS).optional().describe("@default the environment's connect.kafka_connect_version"),
  topics: z.array(kafkaTopicName).min(1).describe("Topics the connector writes (sources) or reads (sinks); each needs a topic file."),
  tasks_max: z.number().int().min(1).max(100).default(1).describe("tasks.max"),
  capacity: capacity.prefault({ provisioned: {} }).describe("Exactly one of provisioned or autoscaling; changed in place."),
  log_retention_days: retentionDays.optional().describe("@default the environment's connect.log_retention_days"),
  errors: errorHandling.prefault({}).describe("Error handling (errors.* properties)."),
  transforms: z.array(transform).default([]).describe("Single message transforms, applied in this order."),
  config: propertyMap.default({}).describe("Extra connector properties. Secrets never go here."),
};

const datagenConnector = z.strictObject({
  ...connectorBase,
  kind: z.literal("msk-datagen").describe("The MSK Data Generator source; topics need a generator section."),
  datagen: z
    .strictObject({
      throttle_ms: z.number().int().min(0).default(500).describe("global.throttle.ms"),
      history_records_max: z.number().int().min(1).default(1000).describe("global.history.records.max"),
    })
    .prefault({})
    .describe("MSK Data Generator settings."),
});

const opensearchSinkConnector = z.strictObject({
  ...connectorBase,
  kind: z.literal("opensearch-sink").describe("Aiven's OpenSearch sink; each topic goes to its topic's index."),
  opensearch: z
    .strictObject({
      key_ignore: z.boolean().default(true).describe("Use topic+partition+offset as the document id."),
      schema_ignore: z.boolean().default(true).describe("schema.ignore: let the index mapping decide field types."),
      behavior_on_malformed_documents: z.enum(["ignore", "warn", "fail"]).default("fail").describe("behavior.on.malformed.documents"),
      behavior_on_null_values: z.enum(["ignore", "delete", "fail"]).default("ignore").describe("behavior.on.null.values"),
      behavior_on_version_conflict: z.enum(["ignore", "warn", "fail"]).default("fail").describe("behavior.on.version.conflict"),
      batch_size: z.number().int().min(1).max(10000).optional().describe("batch.size. @default the connector's 2000"),
      max_retries: z.number().int().min(0).max(100).optional().describe("max.retries. @default the connector's 5"),
    })
    .prefault({})
    .describe("OpenSearch sink settings."),
});

const customConnector = z.strictObject({
  ...connectorBase,
  kind: z.literal("custom").describe("Any other connector class, from its plugin."),
  connector_class: javaClassName.describe("connector.class, one of its plugin's connector_classes."),
  direction: z.enum(["source", "sink"]).describe("Whether it writes (source) or reads (sink) its topics."),
});

export const CONNECTOR_KINDS = ["msk-datagen", "opensearch-sink", "custom"] as const;

export const connectorSchema = z
  .discriminatedUnion("kind", [datagenConnector, opensearchSinkConnector, customConnector], {
    error: `a connector kind (${CONNECTOR_KINDS.join(", ")})`,
  })
  .describe("One MSK Connect connector.");

export type ConnectorSpec = z.output<typeof connectorSchema>;

/** Connector class of the built-in kinds. */
export const CONNECTOR_CLASS: Record<"msk-datagen" | "opensearch-sink", string> = {
  "msk-datagen": "com.amazonaws.mskdatagen.GeneratorSourceConnector",
  "opensearch-sink": "io.aiven.kafka.connect.opensearch.OpensearchSinkConnector",
};

export function connectorClassOf(c: ConnectorSpec): string {
  return c.kind === "custom" ? c.connector_class : CONNECTOR_CLASS[c.kind];
}

export function isSink(c: ConnectorSpec): boolean {
  return c.kind === "opensearch-sink" || (c.kind === "custom" && c.direction === "sink");
}

// ---------------------------------------------------------------------------------------------
// Plugin manifest: connectors/manifest.yaml
// ---------------------------------------------------------------------------------------------

const pluginSource = z.strictObject({
  url: z.string().regex(/^https:\/\/\S+$/, { error: "an https:// URL" }).describe("Where the file is downloaded from."),
  sha256: z
    .string()
    .regex(/^[a-f0-9]{64}$/, { error: "a lowercase hex SHA-256 (64 characters)" })
    .describe("Expected SHA-256 of the download; the download script refuses anything else."),
  unpack: z.boolean().default(false).describe("Unzip this download into the plugin ZIP instead of adding it as a file."),
});

const plugin = z
  .strictObject({
    description: z.string().optional().describe("Free text."),
    version: z.string().min(1).describe("Release of the plugin."),
    content_type: z.enum(["JAR", "ZIP"]).describe("What MSK Connect is given: one JAR, or a ZIP of JARs."),
    java_version: z.number().int().min(8).max(25).describe("Lowest Java release its classes run on."),
    file: z
      .string()
      .regex(/^artifacts\/[A-Za-z0-9._-]+\.(jar|zip)$/, { error: "a path artifacts/<name>.jar or artifacts/<name>.zip under connectors/" })
      .describe("Local file the download script produces, relative to connectors/."),
    connector_classes: z.array(javaClassName).min(1).describe("Connector classes the plugin provides."),
    sources: z.array(pluginSource).min(1).describe("What is downloaded, pinned by checksum."),
  })
  .superRefine((p, ctx) => {
    const ext = p.file.endsWith(".jar") ? "JAR" : "ZIP";
    if (ext !== p.content_type) {
      ctx.addIssue({ code: "custom", path: ["file"], message: `a .${p.content_type.toLowerCase()} file for content_type ${p.content_type}, found ${p.file}` });
    }
    if (p.content_type === "JAR" && (p.sources.length !== 1 || p.sources[0].unpack)) {
      ctx.addIssue({ code: "custom", path: ["sources"], message: "exactly one source, not unpacked, for a JAR plugin" });
    }
  });

export const pluginManifestSchema = z
  .strictObject({
    plugins: z
      .record(z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "a plugin name (lowercase, digits, '-')" }), plugin)
      .describe("Plugins by name; connectors refer to them in `plugin`."),
  })
  .describe("MSK Connect custom plugins, pinned.");

export type PluginManifestSpec = z.output<typeof pluginManifestSchema>;
export type PluginSpec = PluginManifestSpec["plugins"][string];
