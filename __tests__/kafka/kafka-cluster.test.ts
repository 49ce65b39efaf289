import { describe, expect, it, test } from "vitest";
import { TerraformOutput, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { KafkaCluster, type KafkaClusterProps } from "../../modules/kafka/kafka-cluster";

const VPN_SG = "sg-0123456789abcdef0";
const CONNECTORS_SG = "sg-0fedcba9876543210";
const BASE: KafkaClusterProps = {
  namePrefix: "ad-tech-dev",
  vpcId: "vpc-123",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  clientSecurityGroups: { connectors: CONNECTORS_SG, vpn: VPN_SG },
};
const KMS_KEY = "arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function synth(props: Partial<KafkaClusterProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
  const k = new KafkaCluster(stack, "kafka", { ...BASE, ...props });
  const tf = JSON.parse(Testing.synth(stack, true));
  const r = tf.resource;
  return {
    r,
    k,
    stack,
    cluster: r.aws_msk_cluster[stack.getLogicalId(k.cluster)],
    configuration: r.aws_msk_configuration[stack.getLogicalId(k.configuration)],
    sg: r.aws_security_group[stack.getLogicalId(k.securityGroup)],
    sgRef: `\${aws_security_group.${stack.getLogicalId(k.securityGroup)}.id}`,
    logGroup: r.aws_cloudwatch_log_group[stack.getLogicalId(k.logGroup)],
    ingress: (key: string) => r.aws_vpc_security_group_ingress_rule[stack.getLogicalId(k.ingressRules[key])],
  };
}

const lines = (props: Partial<KafkaClusterProps> = {}) => synth(props).configuration.server_properties.trimEnd().split("\n");

describe("KafkaCluster: cluster", () => {
  it("runs Kafka 3.8.x by default", () => {
    expect(synth().cluster.kafka_version).toBe("3.8.x");
  });

  test.each(["3.6.0", "3.7.x", "3.8.x", "3.9.x"])("accepts version %s for cluster and configuration", (v) => {
    const { cluster, configuration } = synth({ kafkaVersion: v });
    expect(cluster.kafka_version).toBe(v);
    expect(configuration.kafka_versions).toEqual([v]);
  });

  it("places brokers of the given type in the given subnets", () => {
    const { cluster, sgRef } = synth({ brokerInstanceType: "kafka.m7g.large" });
    expect(cluster.number_of_broker_nodes).toBe(3);
    expect(cluster.broker_node_group_info.instance_type).toBe("kafka.m7g.large");
    expect(cluster.broker_node_group_info.client_subnets).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
    expect(cluster.broker_node_group_info.security_groups).toEqual([sgRef]);
  });

  it("sets the EBS volume size from props", () => {
    expect(synth({ ebsVolumeGb: 250 }).cluster.broker_node_group_info.storage_info.ebs_storage_info.volume_size).toBe(250);
  });

  it("authenticates clients with IAM only", () => {
    expect(synth().cluster.client_authentication).toEqual({ sasl: { iam: true, scram: false }, unauthenticated: false });
  });

  it("sets unauthenticated access to false explicitly", () => {
    expect(synth().cluster.client_authentication.unauthenticated).toBe(false);
  });

  it("encrypts client-broker traffic with TLS only and in-cluster traffic too", () => {
    expect(synth().cluster.encryption_info.encryption_in_transit).toEqual({ client_broker: "TLS", in_cluster: true });
  });

  it("uses the AWS-managed key at rest when no customer key is given", () => {
    expect(synth().cluster.encryption_info).not.toHaveProperty("encryption_at_rest_kms_key_arn");
  });

  it("uses the customer KMS key at rest only when given", () => {
    expect(synth({ encryptionKmsKeyArn: KMS_KEY }).cluster.encryption_info.encryption_at_rest_kms_key_arn).toBe(KMS_KEY);
  });

  it("uses the latest revision of its configuration", () => {
    const { cluster, stack, k } = synth();
    const ref = `aws_msk_configuration.${stack.getLogicalId(k.configuration)}`;
    expect(cluster.configuration_info).toEqual({ arn: `\${${ref}.arn}`, revision: `\${${ref}.latest_revision}` });
  });

  test.each(["DEFAULT", "PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"] as const)(
    "sets enhanced monitoring %s",
    (level) => {
      expect(synth({ enhancedMonitoring: level }).cluster.enhanced_monitoring).toBe(level);
    },
  );
});

describe("KafkaCluster: logs", () => {
  it("sends broker logs to its CloudWatch log group", () => {
    const { cluster, stack, k } = synth();
    expect(cluster.logging_info.broker_logs.cloudwatch_logs).toEqual({
      enabled: true,
      log_group: `\${aws_cloudwatch_log_group.${stack.getLogicalId(k.logGroup)}.name}`,
    });
  });

  test.each([30, 90, 365])("keeps broker logs at least the configured %i days", (days) => {
    expect(synth({ logRetentionDays: days }).logGroup.retention_in_days).toBeGreaterThanOrEqual(days);
  });

  it("keeps broker logs 30 days by default", () => {
    expect(synth().logGroup.retention_in_days).toBe(30);
  });

  it("sends broker logs to S3 under logs/msk/broker/ once the bucket policy exists", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
    const policy = new S3BucketPolicy(stack, "policy", { bucket: "my-bucket", policy: "{}" });
    const k = new KafkaCluster(stack, "kafka", { ...BASE, logBucket: { bucketName: "my-bucket", bucketPolicy: policy } });
    const cluster = JSON.parse(Testing.synth(stack)).resource.aws_msk_cluster[stack.getLogicalId(k.cluster)];
    expect(cluster.logging_info.broker_logs.s3).toEqual({ enabled: true, bucket: "my-bucket", prefix: "logs/msk/broker/" });
    expect(cluster.depends_on).toEqual([`aws_s3_bucket_policy.${stack.getLogicalId(policy)}`]);
  });

  it("has no S3 log delivery without a bucket", () => {
    expect(synth().cluster.logging_info.broker_logs).not.toHaveProperty("s3");
  });
});

describe("KafkaCluster: server properties", () => {
  it("renders the defaults, sorted by key", () => {
    expect(lines()).toEqual([
      "auto.create.topics.enable=false",
      "default.replication.factor=3",
      "delete.topic.enable=true",
      "log.retention.hours=168",
      "min.insync.replicas=2",
      "num.partitions=2",
    ]);
  });

  test.each([
    [{ autoCreateTopics: true }, "auto.create.topics.enable=true"],
    [{ defaultPartitions: 6 }, "num.partitions=6"],
    [{ defaultReplicationFactor: 2, minInsyncReplicas: 1 }, "default.replication.factor=2"],
    [{ minInsyncReplicas: 1 }, "min.insync.replicas=1"],
    [{ logRetentionHours: 24 }, "log.retention.hours=24"],
    [{ deleteTopicEnable: false }, "delete.topic.enable=false"],
    [{ extra: { "message.max.bytes": 2097152 } }, "message.max.bytes=2097152"],
  ])("renders %o as %s", (serverProperties, line) => {
    expect(lines({ serverProperties })).toContain(line);
  });

  it("renders the same text whatever the order of extra properties", () => {
    const a = lines({ serverProperties: { extra: { "b.prop": 1, "a.prop": 2 } } });
    const b = lines({ serverProperties: { extra: { "a.prop": 2, "b.prop": 1 } } });
    expect(a).toEqual(b);
    expect(a.indexOf("a.prop=2")).toBeLessThan(a.indexOf("b.prop=1"));
  });

  it("names the configuration after the version, so a version change can create before destroy", () => {
    const { configuration } = synth({ kafkaVersion: "3.9.x" });
    expect(configuration.name).toBe("ad-tech-dev-msk-3-9-x");
    expect(configuration.lifecycle).toEqual({ create_before_destroy: true });
  });
});

describe("KafkaCluster: storage autoscaling", () => {
  it("is absent unless configured", () => {
    const { r, cluster } = synth();
    expect(r.aws_appautoscaling_target).toBeUndefined();
    expect(r.aws_appautoscaling_policy).toBeUndefined();
    expect(cluster.lifecycle).toBeUndefined();
  });

  it("targets the brokers' volume size up to the configured maximum", () => {
    const { r, stack, k } = synth({ storageAutoscalingMaxGb: 500 });
    expect(r.aws_appautoscaling_target[stack.getLogicalId(k.storageScalingTarget!)]).toEqual({
      service_namespace: "kafka",
      scalable_dimension: "kafka:broker-storage:VolumeSize",
      resource_id: `\${aws_msk_cluster.${stack.getLogicalId(k.cluster)}.arn}`,
      min_capacity: 1,
      max_capacity: 500,
    });
  });

  it("tracks 60% disk utilization by default and never scales in", () => {
    const { r, stack, k } = synth({ storageAutoscalingMaxGb: 500 });
    const policy = r.aws_appautoscaling_policy[stack.getLogicalId(k.storageScalingPolicy!)];
    expect(policy.policy_type).toBe("TargetTrackingScaling");
    expect(policy.target_tracking_scaling_policy_configuration).toEqual({
      predefined_metric_specification: { predefined_metric_type: "KafkaBrokerStorageUtilization" },
      target_value: 60,
      disable_scale_in: true,
    });
  });

  it("leaves the volume size to autoscaling once enabled", () => {
    expect(synth({ storageAutoscalingMaxGb: 500 }).cluster.lifecycle).toEqual({
      ignore_changes: ["broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size"],
    });
  });
});

describe("KafkaCluster: security group", () => {
  it.each([
    ["connectors", CONNECTORS_SG],
    ["vpn", VPN_SG],
  ])("admits %s on 9098 only, with a description", (key, sg) => {
    const { ingress, sgRef } = synth();
    expect(ingress(key)).toMatchObject({
      security_group_id: sgRef,
      referenced_security_group_id: sg,
      ip_protocol: "tcp",
      from_port: 9098,
      to_port: 9098,
      description: `Kafka SASL/IAM (9098) from ${key}`,
    });
  });

  it("has exactly one ingress rule per client and no other", () => {
    const rules = Object.values(synth().r.aws_vpc_security_group_ingress_rule) as any[];
    expect(rules.map((x) => x.referenced_security_group_id).sort()).toEqual([CONNECTORS_SG, VPN_SG].sort());
  });

  it("admits nothing from 0.0.0.0/0", () => {
    const { r, sg } = synth();
    const rules = Object.values(r.aws_vpc_security_group_ingress_rule) as any[];
    for (const rule of rules) expect(rule).not.toHaveProperty("cidr_ipv4");
    expect(sg).not.toHaveProperty("ingress");
  });

  it("has no egress rule at all, so no all-port 0.0.0.0/0 egress", () => {
    const { r, sg } = synth();
    expect(r.aws_vpc_security_group_egress_rule).toBeUndefined();
    expect(r.aws_security_group_rule).toBeUndefined();
    expect(sg).not.toHaveProperty("egress");
  });

  it("keeps rule ids stable when a client is added", () => {
    const before = synth({ clientSecurityGroups: { vpn: VPN_SG } });
    const after = synth();
    expect(before.stack.getLogicalId(before.k.ingressRules.vpn)).toBe(after.stack.getLogicalId(after.k.ingressRules.vpn));
  });
});

describe("KafkaCluster: outputs", () => {
  it("exposes ARN, name, SASL/IAM bootstrap brokers, security group and log group", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
    const k = new KafkaCluster(stack, "kafka", BASE);
    const outputs = {
      arn: k.clusterArn,
      name: k.clusterName,
      brokers: k.bootstrapBrokersSaslIam,
      sg: k.securityGroupId,
      logs: k.logGroupName,
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(stack, name, { value });
    const out = JSON.parse(Testing.synth(stack)).output;
    const cluster = `aws_msk_cluster.${stack.getLogicalId(k.cluster)}`;
    expect(out.arn.value).toBe(`\${${cluster}.arn}`);
    expect(out.name.value).toBe(`\${${cluster}.cluster_name}`);
    expect(out.brokers.value).toBe(`\${${cluster}.bootstrap_brokers_sasl_iam}`);
    expect(out.sg.value).toBe(`\${aws_security_group.${stack.getLogicalId(k.securityGroup)}.id}`);
    expect(out.logs.value).toBe(`\${aws_cloudwatch_log_group.${stack.getLogicalId(k.logGroup)}.name}`);
  });
});

describe("KafkaCluster: validation", () => {
  test.each<[Partial<KafkaClusterProps>, string]>([
    [{ brokerCount: 4 }, "KafkaCluster: brokerCount (4) must be a multiple of the number of client subnets (3)"],
    [{ subnetIds: ["subnet-a", "subnet-b"], brokerCount: 3 }, "KafkaCluster: brokerCount (3) must be a multiple of the number of client subnets (2)"],
    [{ kafkaVersion: "2.8.1" }, "KafkaCluster: Kafka version 2.8.1 is end of life on Amazon MSK; use one of 3.6.0, 3.7.x, 3.8.x, 3.9.x"],
    [{ kafkaVersion: "3.5.1" }, `KafkaCluster: unsupported Kafka version "3.5.1"; supported: 3.6.0, 3.7.x, 3.8.x, 3.9.x`],
    [{ subnetIds: ["subnet-a"] }, "KafkaCluster: MSK needs 2 or 3 client subnets (one per AZ), got 1"],
    [{ logRetentionDays: 2 }, "KafkaCluster: logRetentionDays must be one of CloudWatch's periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got 2"],
    [{ storageAutoscalingMaxGb: 100 }, "KafkaCluster: storageAutoscalingMaxGb must be an integer above ebsVolumeGb (100) and at most 16384, got 100"],
    [{ serverProperties: { defaultReplicationFactor: 4 } }, "KafkaCluster: defaultReplicationFactor (4) must be at most brokerCount (3)"],
    [{ serverProperties: { minInsyncReplicas: 3, defaultReplicationFactor: 2 } }, "KafkaCluster: minInsyncReplicas (3) must be at most defaultReplicationFactor (2)"],
    [{ serverProperties: { extra: { "num.partitions": 3 } } }, `KafkaCluster: serverProperties.extra sets "num.partitions", which has its own field defaultPartitions`],
    [{ clientSecurityGroups: { vpn: "10.0.0.0/16" } }, `KafkaCluster: clientSecurityGroups["vpn"] must be a security group id (sg-...), got "10.0.0.0/16"`],
    [{ encryptionKmsKeyArn: "alias/aws/kafka" }, `KafkaCluster: encryptionKmsKeyArn must be a KMS key ARN, got "alias/aws/kafka"`],
    [{ enhancedMonitoring: "ALL" as never }, `KafkaCluster: enhancedMonitoring must be one of DEFAULT, PER_BROKER, PER_TOPIC_PER_BROKER, PER_TOPIC_PER_PARTITION, got "ALL"`],
  ])("rejects %o", (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
