/**
 * Checks of each environment file beyond its schema: fields that must agree with each other, names
 * AWS limits, and what the security guard would refuse (waivers), located in the file.
 */
import { readSavedObjectsFile } from "../saved-objects";
import { SUBNET_SLOT_AZS, cidrsOverlap, parseCidr, planSubnets } from "../../validators/cidr";
import { closest, type PathSegment } from "../issues";
import { ALL_RULES } from "../../guard/rules";
import { RESOURCE_NAME } from "../../guard/security-guard";
import { SECRET_KEY, duplicates, type CheckContext, type ConfigCheck } from "./context";

/** Broker properties that have their own field under kafka.server_properties (KafkaCluster refuses them in extra). */
const NAMED_BROKER_PROPERTIES: Record<string, string> = {
  "auto.create.topics.enable": "auto_create_topics",
  "num.partitions": "default_partitions",
  "default.replication.factor": "default_replication_factor",
  "min.insync.replicas": "min_insync_replicas",
  "log.retention.hours": "log_retention_hours",
  "delete.topic.enable": "delete_topic_enable",
};

/** AWS's VPC size limits (the Network construct refuses others). */
const VPC_PREFIX_RANGE = [16, 28] as const;
/** S3 bucket names: at most 63; the artifact bucket is `<name_prefix>-artifacts-<12-digit account>-<region>`. */
const BUCKET_NAME_MAX = 63;

/** The file name is the stack name. */
function checkStackNames({ envs, issueAt }: CheckContext): void {
  for (const { source, stem } of envs) {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(stem)) {
      issueAt(source, [], "a file name that is a valid stack name (lowercase letters, digits, '-')", `"${stem}"`);
    }
  }
}

/** Every resource name starts with name_prefix: two environments must not share one. */
function checkNamePrefixes({ envs, issueAt }: CheckContext): void {
  const prefixes = new Map<string, string>();
  for (const { source, value: e } of envs) {
    const other = prefixes.get(e.name_prefix);
    if (other) issueAt(source, ["name_prefix"], `a name_prefix not used by another environment`, `"${e.name_prefix}", also used by ${other}`);
    else prefixes.set(e.name_prefix, source.file);
  }
}

/** AZ names against az_count, and a VPC CIDR AWS accepts with room for the subnets. */
function checkNetwork({ envs, issueAt }: CheckContext): void {
  for (const { source, value: e } of envs) {
    const az = e.network.az_count;
    if (e.network.availability_zones && e.network.availability_zones.length !== az) {
      issueAt(source, ["network", "availability_zones"], `${az} AZ names (network.az_count)`, `${e.network.availability_zones.length}`);
    }
    const vpcPrefix = parseCidr(e.network.cidr)?.prefix;
    if (vpcPrefix !== undefined && (vpcPrefix < VPC_PREFIX_RANGE[0] || vpcPrefix > VPC_PREFIX_RANGE[1])) {
      issueAt(source, ["network", "cidr"], `a VPC CIDR from /${VPC_PREFIX_RANGE[0]} to /${VPC_PREFIX_RANGE[1]} (AWS's VPC limits)`, `"${e.network.cidr}"`);
    } else {
      try {
        planSubnets(e.network.cidr, az);
      } catch (err) {
        issueAt(source, ["network", "cidr"], `a VPC CIDR with room for ${2 * SUBNET_SLOT_AZS} subnets of /28 or larger (subnets are carved for ${SUBNET_SLOT_AZS} AZs)`, `${e.network.cidr} (${(err as Error).message})`);
      }
    }
    duplicates(e.network.availability_zones ?? []).forEach((i) => {
      issueAt(source, ["network", "availability_zones", i], "distinct AZ names", `"${e.network.availability_zones![i]}" twice`);
    });
  }
}

/** The artifact bucket's name (which includes the region) within S3's limit. */
function checkArtifactBucketName({ envs, issueAt }: CheckContext): void {
  for (const { source, value: e } of envs) {
    const bucketLength = e.name_prefix.length + "-artifacts-".length + 12 + 1 + e.region.length;
    if (bucketLength > BUCKET_NAME_MAX) {
      issueAt(source, ["region"], `a region that keeps the artifact bucket name <name_prefix>-artifacts-<account>-<region> within ${BUCKET_NAME_MAX} characters`, `"${e.region}" (${bucketLength} characters)`);
    }
  }
}

/** Brokers per AZ, replication against brokers, broker properties, storage autoscaling. */
function checkKafka({ envs, issueAt }: CheckContext): void {
  for (const { source, value: e } of envs) {
    // Serverless: none of these fields applies (kafka-serverless.ts reports any that is set).
    if (e.kafka.mode === "serverless") continue;
    const az = e.network.az_count;
    const k = e.kafka;
    if (k.broker_count % az !== 0) {
      issueAt(source, ["kafka", "broker_count"], `a multiple of network.az_count (${az})`, `${k.broker_count}`);
    }
    const sp = k.server_properties;
    if (sp.default_replication_factor > k.broker_count) {
      issueAt(source, ["kafka", "server_properties", "default_replication_factor"], `at most kafka.broker_count (${k.broker_count})`, `${sp.default_replication_factor}`);
    }
    if (sp.min_insync_replicas > sp.default_replication_factor) {
      issueAt(source, ["kafka", "server_properties", "min_insync_replicas"], `at most default_replication_factor (${sp.default_replication_factor})`, `${sp.min_insync_replicas}`);
    }
    for (const [key, value] of Object.entries(sp.extra)) {
      const p: PathSegment[] = ["kafka", "server_properties", "extra", key];
      if (SECRET_KEY.test(key)) issueAt(source, p, "no credentials in YAML", `key "${key}"`, true);
      const field = NAMED_BROKER_PROPERTIES[key];
      if (field) issueAt(source, p, `a property without its own field (set kafka.server_properties.${field} instead)`, `"${key}"`, true);
      if (/[\r\n]/.test(String(value))) issueAt(source, p, "a single-line value (the MSK configuration is a properties file)", JSON.stringify(String(value)));
    }
    if (k.storage_autoscaling_max_gb !== undefined && k.storage_autoscaling_max_gb <= k.ebs_volume_gb) {
      issueAt(source, ["kafka", "storage_autoscaling_max_gb"], `more than kafka.ebs_volume_gb (${k.ebs_volume_gb})`, `${k.storage_autoscaling_max_gb}`);
    }
  }
}

/** mTLS: exactly one CA source; SCRAM: each user once. */
function checkKafkaClientAuthentication({ envs, issueAt }: CheckContext): void {
  for (const { source, value: e } of envs) {
    if (e.kafka.mode === "serverless") continue;
    const auth = e.kafka.client_authentication;
    const ca = auth.tls?.certificate_authority;
    if (ca && (ca.create === undefined) === (ca.arn === undefined)) {
      issueAt(
        source,
        ["kafka", "client_authentication", "tls", "certificate_authority"],
        "exactly one of `create` (a new root CA in AWS Private CA) or `arn` (an existing one)",
        ca.create ? "both" : "neither",
        true,
      );
    }
    const users = auth.scram?.users ?? [];
    duplicates(users).forEach((i) => {
      issueAt(source, ["kafka", "client_authentication", "scram", "users", i], "each SCRAM user once", `"${users[i]}" twice`);
    });
  }
}

/** Zones against AZs and nodes, and Dashboards user names clear of the generated ones. */
function checkOpenSearch({ envs, issueAt }: CheckContext): void {
  for (const { source, value: e } of envs) {
    const az = e.network.az_count;
    const os = e.opensearch;
    if (os.zone_count > az) {
      issueAt(source, ["opensearch", "zone_count"], `at most network.az_count (${az})`, `${os.zone_count}`);
    }
    if (os.instance_count % os.zone_count !== 0) {
      issueAt(source, ["opensearch", "instance_count"], `a multiple of opensearch.zone_count (${os.zone_count}) for zone awareness`, `${os.instance_count}`);
    }
    for (const user of Object.keys(os.dashboards_users)) {
      if (user.startsWith(`${e.name_prefix}-`)) {
        issueAt(source, ["opensearch", "dashboards_users", user], `a name not starting with "${e.name_prefix}-" (kept for the master and the sinks' users)`, `"${user}"`, true);
      }
    }
  }
}

/** An enabled VPN: specific, distinct source CIDRs, a protocol, a client network outside the VPC. */
function checkVpn({ envs, issueAt }: CheckContext): void {
  for (const { source, value: e } of envs) {
    const v = e.vpn;
    if (!v.enabled) continue;
    (v.allowed_cidrs ?? []).forEach((cidr, i) => {
      if (parseCidr(cidr)?.prefix === 0 && !v.allow_open_ingress) {
        issueAt(source, ["vpn", "allowed_cidrs", i], "specific source CIDRs (0.0.0.0/0 needs vpn.allow_open_ingress: true and a security waiver)", `"${cidr}"`);
      }
    });
    duplicates(v.allowed_cidrs ?? []).forEach((i) => {
      issueAt(source, ["vpn", "allowed_cidrs", i], "each CIDR once", `"${v.allowed_cidrs![i]}" twice`);
    });
    if (!v.l2tp_ipsec && !v.softether && !v.openvpn) {
      issueAt(source, ["vpn"], "at least one of l2tp_ipsec, softether or openvpn enabled", "none");
    }
    const client = parseCidr(v.client_network);
    const vpc = parseCidr(e.network.cidr);
    if (client && vpc && cidrsOverlap(client, vpc)) {
      issueAt(source, ["vpn", "client_network"], `a network outside the VPC (${e.network.cidr})`, `"${v.client_network}"`);
    }
    if (client && client.prefix > 28) {
      issueAt(source, ["vpn", "client_network"], "a /28 or larger network for DHCP", `"${v.client_network}"`);
    }
  }
}

/** Worker properties: no credentials, one line each (they are a properties file). */
function checkWorkerProperties({ envs, issueAt }: CheckContext): void {
  for (const { source, value: e } of envs) {
    for (const [key, value] of Object.entries(e.connect.worker_properties)) {
      const p: PathSegment[] = ["connect", "worker_properties", key];
      if (SECRET_KEY.test(key)) issueAt(source, p, "no credentials in YAML", `key "${key}"`, true);
      if (/[\r\n]/.test(String(value))) issueAt(source, p, "a single-line value (worker properties are a properties file)", JSON.stringify(String(value)));
    }
  }
}

/** Waivers: what SecurityGuard would refuse, located in the file. */
function checkWaivers({ envs, issueAt }: CheckContext): void {
  const ruleIds = ALL_RULES.map((r) => r.id);
  for (const { source, value: e } of envs) {
    const waiverKeys = new Set<string>();
    e.security.waivers.forEach((w, i) => {
      const p: PathSegment[] = ["security", "waivers", i];
      if (!ruleIds.includes(w.rule)) {
        const hint = closest(w.rule, ruleIds);
        issueAt(source, [...p, "rule"], `a security rule id${hint ? ` (did you mean "${hint}"?)` : ` (${ruleIds.join(", ")})`}`, `"${w.rule}"`);
      }
      if (!RESOURCE_NAME.test(w.resource)) {
        issueAt(source, [...p, "resource"], 'a resource as the guard prints it, "<terraform type>.<construct path>" (e.g. aws_msk_cluster.kafka/resource)', `"${w.resource}"`);
      }
      const key = `${w.rule} ${w.resource}`;
      if (waiverKeys.has(key)) issueAt(source, p, "each waiver once", `a second waiver of ${key}`);
      waiverKeys.add(key);
    });
  }
}

/** Every Dashboards saved objects file exists, is NDJSON Dashboards accepts, and no object is in two files. */
function checkDashboardsSavedObjects({ envs, rootDir, issueAt }: CheckContext): void {
  for (const { source, value: e } of envs) {
    const owner = new Map<string, string>();
    e.opensearch.dashboards_saved_objects.forEach((rel, i) => {
      const at = ["opensearch", "dashboards_saved_objects", i];
      const { file, problems } = readSavedObjectsFile(rootDir, rel);
      for (const p of problems) issueAt(source, at, p.expected, p.found);
      for (const o of file?.objects ?? []) {
        const key = `${o.type}/${o.id}`;
        const other = owner.get(key);
        if (other !== undefined && other !== rel) issueAt(source, at, "each saved object in one file only (the later import would overwrite it)", `${key}, also in ${other}`);
        owner.set(key, rel);
      }
    });
  }
}

/** Environment checks, in the order their issues are reported within a file. */
export const ENVIRONMENT_CHECKS: readonly ConfigCheck[] = [
  { name: "environment: stack name", check: checkStackNames },
  { name: "environment: name_prefix unique", check: checkNamePrefixes },
  { name: "environment: network", check: checkNetwork },
  { name: "environment: artifact bucket name", check: checkArtifactBucketName },
  { name: "environment: kafka", check: checkKafka },
  { name: "environment: kafka client authentication", check: checkKafkaClientAuthentication },
  { name: "environment: opensearch", check: checkOpenSearch },
  { name: "environment: Dashboards saved objects", check: checkDashboardsSavedObjects },
  { name: "environment: vpn", check: checkVpn },
  { name: "environment: connect worker properties", check: checkWorkerProperties },
  { name: "environment: security waivers", check: checkWaivers },
];
