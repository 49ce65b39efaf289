// KafkaCluster's platform options (storage mode, open monitoring, multi-VPC connectivity), the
// cluster policy and the topics' tiered-storage configs: each on, off, and every validation branch.
import { describe, expect, it, test } from "vitest";
import { TerraformOutput, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KafkaCluster, type KafkaClusterProps } from "../../modules/kafka/kafka-cluster";
import { CLUSTER_POLICY_ACTIONS, KafkaClusterPolicy, type KafkaClusterPolicyProps } from "../../modules/kafka/kafka-cluster-policy";
import { KafkaTopic, type KafkaTopicProps } from "../../modules/kafka/kafka-topic";
import { supportsTieredStorage } from "../../modules/kafka/tiered-storage";

const BASE: KafkaClusterProps = {
  namePrefix: "ad-tech-dev",
  vpcId: "vpc-123",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  clientSecurityGroups: { connectors: "sg-0fedcba9876543210" },
};
const PROMETHEUS_SG = "sg-0a1b2c3d4e5f60718";

function synth(props: Partial<KafkaClusterProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
  const k = new KafkaCluster(stack, "kafka", { ...BASE, ...props });
  const r = JSON.parse(Testing.synth(stack, true)).resource;
  const rules = Object.values(r.aws_vpc_security_group_ingress_rule) as Record<string, unknown>[];
  return { k, stack, cluster: r.aws_msk_cluster[stack.getLogicalId(k.cluster)], rules, monitoringRules: rules.filter((x) => x.from_port !== 9098) };
}

describe("KafkaCluster: storage mode", () => {
  it("writes no storage_mode unless set, so existing clusters see no change", () => {
    expect(synth().cluster).not.toHaveProperty("storage_mode");
  });

  test.each(["LOCAL", "TIERED"] as const)("writes storage_mode %s when set", (mode) => {
    expect(synth({ storageMode: mode }).cluster.storage_mode).toBe(mode);
  });

  test.each([
    ["2.8.2.tiered", true],
    ["3.5.1", false],
    ["3.6.0", true],
    ["3.9.x", true],
    ["4.0.x", true],
  ])("knows whether Kafka %s has tiered storage (%s)", (version, expected) => {
    expect(supportsTieredStorage(version)).toBe(expected);
  });

  test.each<[Partial<KafkaClusterProps>, string]>([
    [{ storageMode: "TIERED", brokerInstanceType: "kafka.t3.small" }, "KafkaCluster: tiered storage is not available on kafka.t3.small brokers"],
    [
      { storageMode: "TIERED", serverProperties: { extra: { "log.cleanup.policy": "compact" } } },
      'KafkaCluster: log.cleanup.policy "compact": MSK enables tiered storage only when the cluster\'s cleanup policy is delete',
    ],
    [{ storageMode: "SOMETIMES" as "LOCAL" }, 'KafkaCluster: storageMode must be one of LOCAL, TIERED, got "SOMETIMES"'],
  ])("refuses %j", (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  it("accepts kafka.t3.small and a compacting cluster while LOCAL", () => {
    const { cluster } = synth({ storageMode: "LOCAL", brokerInstanceType: "kafka.t3.small", serverProperties: { extra: { "log.cleanup.policy": "compact" } } });
    expect(cluster.storage_mode).toBe("LOCAL");
  });
});

describe("KafkaCluster: open monitoring", () => {
  it("writes no open_monitoring and opens no exporter port unless set", () => {
    const { cluster, monitoringRules, k } = synth();
    expect(cluster).not.toHaveProperty("open_monitoring");
    expect(monitoringRules).toEqual([]);
    expect(k.monitoringIngressRules).toEqual({});
  });

  it("turns on both exporters and opens 11001 and 11002 to each named peer only", () => {
    const { cluster, monitoringRules } = synth({
      openMonitoring: { jmxExporter: true, nodeExporter: true, allowedSecurityGroupIds: [PROMETHEUS_SG], allowedCidrs: ["10.40.0.0/24"] },
    });
    expect(cluster.open_monitoring).toEqual({ prometheus: { jmx_exporter: { enabled_in_broker: true }, node_exporter: { enabled_in_broker: true } } });
    const summary = monitoringRules.map((r) => [r.from_port, r.to_port, r.ip_protocol, r.referenced_security_group_id ?? r.cidr_ipv4, r.description]);
    expect(summary.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      [11001, 11001, "tcp", "10.40.0.0/24", "Prometheus JMX exporter (11001) from 10.40.0.0/24"],
      [11001, 11001, "tcp", PROMETHEUS_SG, `Prometheus JMX exporter (11001) from ${PROMETHEUS_SG}`],
      [11002, 11002, "tcp", "10.40.0.0/24", "Prometheus node exporter (11002) from 10.40.0.0/24"],
      [11002, 11002, "tcp", PROMETHEUS_SG, `Prometheus node exporter (11002) from ${PROMETHEUS_SG}`],
    ]);
  });

  it("opens only the port of the exporter that is on", () => {
    const { monitoringRules } = synth({ openMonitoring: { nodeExporter: true, allowedCidrs: ["10.40.0.0/24"] } });
    expect(monitoringRules.map((r) => r.from_port)).toEqual([11002]);
  });

  it("writes both exporters off explicitly, with no rule, so turning them off reaches the cluster", () => {
    const { cluster, monitoringRules } = synth({ openMonitoring: {} });
    expect(cluster.open_monitoring).toEqual({ prometheus: { jmx_exporter: { enabled_in_broker: false }, node_exporter: { enabled_in_broker: false } } });
    expect(monitoringRules).toEqual([]);
  });

  it("names rules after exporter and peer, so adding a peer renames no other rule", () => {
    const ids = (cidrs: string[]) => Object.keys(synth({ openMonitoring: { jmxExporter: true, allowedCidrs: cidrs } }).k.monitoringIngressRules);
    expect(ids(["10.40.0.0/24"])).toEqual(["open-monitoring-jmx-10-40-0-0-24"]);
    expect(ids(["10.50.0.0/16", "10.40.0.0/24"])).toEqual(["open-monitoring-jmx-10-40-0-0-24", "open-monitoring-jmx-10-50-0-0-16"]);
  });

  it("keeps the broker group's description, which would replace the group if it changed", () => {
    const withMonitoring = synth({ openMonitoring: { jmxExporter: true, allowedCidrs: ["10.40.0.0/24"] } });
    const stack = withMonitoring.stack;
    const sg = JSON.parse(Testing.synth(stack)).resource.aws_security_group[stack.getLogicalId(withMonitoring.k.securityGroup)];
    expect(sg.description).toBe("MSK brokers of ad-tech-dev-msk: SASL/IAM (9098) from named clients only");
  });

  test.each<[Partial<KafkaClusterProps>, string]>([
    [{ openMonitoring: { jmxExporter: true } }, "KafkaCluster: openMonitoring: an exporter is on but no peer may reach it: name allowedSecurityGroupIds or allowedCidrs"],
    [{ openMonitoring: { jmxExporter: true, allowedCidrs: ["0.0.0.0/0"] } }, "KafkaCluster: openMonitoring: allowedCidrs must not contain 0.0.0.0/0: the exporters are opened only to named peers"],
    [{ openMonitoring: { nodeExporter: true, allowedCidrs: ["10.0.0.1/16"] } }, 'KafkaCluster: openMonitoring: allowedCidrs must be IPv4 CIDRs without host bits, got "10.0.0.1/16"'],
    [{ openMonitoring: { nodeExporter: true, allowedSecurityGroupIds: ["prometheus"] } }, 'KafkaCluster: openMonitoring: allowedSecurityGroupIds must be security group ids (sg-...), got "prometheus"'],
    [{ openMonitoring: { nodeExporter: true, allowedCidrs: ["10.40.0.0/24", "10.40.0.0/24"] } }, 'KafkaCluster: openMonitoring: allowedCidrs lists "10.40.0.0/24" twice'],
  ])("refuses %j", (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

describe("KafkaCluster: multi-VPC connectivity", () => {
  it("writes no connectivity_info unless set", () => {
    expect(synth().cluster.broker_node_group_info).not.toHaveProperty("connectivity_info");
  });

  test.each([true, false])("writes SASL/IAM over multi-VPC connectivity as %s", (iam) => {
    expect(synth({ vpcConnectivity: { iam } }).cluster.broker_node_group_info.connectivity_info).toEqual({
      vpc_connectivity: { client_authentication: { sasl: { iam } } },
    });
  });

  it("keeps the cluster's own IAM authentication as it is", () => {
    expect(synth({ vpcConnectivity: { iam: true } }).cluster.client_authentication).toEqual({ sasl: { iam: true, scram: false }, unauthenticated: false });
  });

  it("refuses kafka.t3.small brokers, which have no multi-VPC connectivity", () => {
    expect(() => synth({ vpcConnectivity: { iam: true }, brokerInstanceType: "kafka.t3.small" })).toThrow(
      "KafkaCluster: multi-VPC private connectivity is not available on kafka.t3.small brokers",
    );
  });

  it("exposes the multi-VPC bootstrap brokers", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const k = new KafkaCluster(stack, "kafka", { ...BASE, vpcConnectivity: { iam: true } });
    new TerraformOutput(stack, "brokers", { value: k.bootstrapBrokersVpcConnectivitySaslIam });
    expect(JSON.parse(Testing.synth(stack)).output.brokers.value).toBe(`\${aws_msk_cluster.${stack.getLogicalId(k.cluster)}.bootstrap_brokers_vpc_connectivity_sasl_iam}`);
  });
});

describe("KafkaClusterPolicy", () => {
  const CLUSTER_ARN = "arn:aws:kafka:ap-southeast-2:111122223333:cluster/ad-tech-dev-msk/abc";
  function policy(props: Partial<KafkaClusterPolicyProps> = {}) {
    const stack = new TerraformStack(Testing.app(), "test");
    new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
    const p = new KafkaClusterPolicy(stack, "kafka-cluster-policy", { clusterArn: CLUSTER_ARN, principals: ["444455556666"], partition: "aws", ...props });
    const resource = JSON.parse(Testing.synth(stack, true)).resource.aws_msk_cluster_policy[stack.getLogicalId(p.resource)];
    return { resource, document: JSON.parse(resource.policy) };
  }

  it("is attached to the cluster it names", () => {
    const { resource, document } = policy();
    expect(resource.cluster_arn).toBe(CLUSTER_ARN);
    expect(document.Statement.map((s: { Resource: string }) => s.Resource)).toEqual([CLUSTER_ARN]);
  });

  it("allows exactly the four multi-VPC actions, no data-plane action", () => {
    const [statement] = policy().document.Statement;
    expect(statement.Effect).toBe("Allow");
    expect(statement.Action).toEqual(["kafka:CreateVpcConnection", "kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"]);
    expect(CLUSTER_POLICY_ACTIONS).toEqual(statement.Action);
  });

  it("names accounts by their root ARN in the given partition, roles as given, services as services, sorted", () => {
    const [statement] = policy({
      partition: "aws-cn",
      principals: ["osis-pipelines.amazonaws.com", "arn:aws-cn:iam::444455556666:role/Consumer", "999988887777", "444455556666", "firehose.amazonaws.com"],
    }).document.Statement;
    expect(statement.Principal).toEqual({
      AWS: ["arn:aws-cn:iam::444455556666:role/Consumer", "arn:aws-cn:iam::444455556666:root", "arn:aws-cn:iam::999988887777:root"],
      Service: ["firehose.amazonaws.com", "osis-pipelines.amazonaws.com"],
    });
  });

  test.each<[Partial<KafkaClusterPolicyProps>, string]>([
    [{ principals: [] }, "KafkaClusterPolicy: principals must name at least one principal"],
    [{ principals: ["*"] }, 'KafkaClusterPolicy: a principal must be a 12-digit account id, an IAM role ARN or a service principal (*.amazonaws.com), got "*"'],
    [{ principals: ["arn:aws:iam::444455556666:user/bob"] }, 'KafkaClusterPolicy: a principal must be a 12-digit account id, an IAM role ARN or a service principal (*.amazonaws.com), got "arn:aws:iam::444455556666:user/bob"'],
    [{ principals: ["444455556666", "444455556666"] }, 'KafkaClusterPolicy: principals lists "444455556666" twice'],
  ])("refuses %j", (props, message) => {
    expect(() => policy(props)).toThrow(message);
  });
});

describe("KafkaTopic: tiered storage configs", () => {
  const TOPIC: KafkaTopicProps = { name: "clicks", clusterArn: "arn:aws:kafka:ap-southeast-2:111122223333:cluster/c/abc", partitionCount: 2, replicationFactor: 3 };
  const configsOf = (props: Partial<KafkaTopicProps>) => {
    const stack = new TerraformStack(Testing.app(), "test");
    const t = new KafkaTopic(stack, "clicks", { ...TOPIC, ...props });
    return JSON.parse(t.configsJson ?? "null");
  };

  it("renders remote storage and local retention with Kafka's names, as strings", () => {
    expect(
      configsOf({ clusterStorageMode: "TIERED", configs: { retentionMs: 2592000000, remoteStorageEnable: true, localRetentionMs: 86400000, localRetentionBytes: -2 } }),
    ).toEqual({ "local.retention.bytes": "-2", "local.retention.ms": "86400000", "remote.storage.enable": "true", "retention.ms": "2592000000" });
  });

  it("renders remote.storage.enable false (turning it off) when given", () => {
    expect(configsOf({ configs: { remoteStorageEnable: false } })).toEqual({ "remote.storage.enable": "false" });
  });

  test.each<[Partial<KafkaTopicProps>, string]>([
    [{ clusterStorageMode: "LOCAL", configs: { retentionMs: 1000, remoteStorageEnable: true } }, "KafkaTopic clicks: configs.remoteStorageEnable needs a cluster with storage mode TIERED"],
    [{ configs: { localRetentionMs: 1000 } }, "KafkaTopic clicks: configs.localRetentionMs needs remoteStorageEnable: true"],
    [{ configs: { remoteStorageEnable: true } }, "KafkaTopic clicks: configs.remoteStorageEnable needs retentionMs (MSK requires it on a tiered topic)"],
    [
      { configs: { retentionMs: 1000, remoteStorageEnable: true, cleanupPolicy: "compact" } },
      'KafkaTopic clicks: configs.remoteStorageEnable needs cleanupPolicy "delete" (tiered storage holds no compacted topics), got "compact"',
    ],
    [{ configs: { retentionMs: 1000, remoteStorageEnable: true, localRetentionMs: 1000 } }, "KafkaTopic clicks: configs.localRetentionMs (1000) must be below retentionMs (1000), or -2 for the same"],
    [
      { configs: { retentionMs: 1000, retentionBytes: 500, remoteStorageEnable: true, localRetentionBytes: -1 } },
      "KafkaTopic clicks: configs.localRetentionBytes (-1) must be below retentionBytes (500), or -2 for the same",
    ],
    [{ configs: { retentionMs: 1000, remoteStorageEnable: true, localRetentionMs: -3 } }, "KafkaTopic clicks: configs.localRetentionMs must be a whole number ≥ -2 (-2 = the total retention), got -3"],
  ])("refuses %j", (props, message) => {
    expect(() => configsOf(props)).toThrow(message);
  });

  it("accepts any local retention when the total is unlimited (-1)", () => {
    expect(configsOf({ configs: { retentionMs: -1, remoteStorageEnable: true, localRetentionMs: 604800000 } })["local.retention.ms"]).toBe("604800000");
  });
});
