/**
 * KafkaTopic (aws_msk_topic over cdktf's TerraformResource): one assertion per attribute, the
 * JSON-encoded configs decoded and compared, lifecycle and references, every validation branch,
 * the schema it registers, and the provider constraint the stack declares.
 */
import { describe, expect, it } from "vitest";
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { AWS_PROVIDER_VERSION_CONSTRAINT, PipelineAwsProvider } from "../../modules/aws-provider";
import { CUSTOM_RESOURCE_SCHEMAS } from "../../modules/custom-resources";
import { KafkaTopic, MSK_TOPIC_SCHEMA, hasTopicApis, renderTopicConfigs, type KafkaTopicProps } from "../../modules/kafka/kafka-topic";

const CLUSTER_ARN = "arn:aws:kafka:ap-southeast-2:111122223333:cluster/ad-tech-dev-msk/abcd1234-ab12-cd34-ef56-abcdef123456-2";
const BASE: KafkaTopicProps = { name: "clicks", clusterArn: CLUSTER_ARN, partitionCount: 6, replicationFactor: 3 };

function stack() {
  const s = new TerraformStack(Testing.app(), "test");
  new PipelineAwsProvider(s, "aws", { region: "ap-southeast-2" });
  return s;
}

function synth(props: Partial<KafkaTopicProps> = {}) {
  const s = stack();
  const topic = new KafkaTopic(s, "clicks", { ...BASE, ...props });
  const tf = JSON.parse(Testing.synth(s, true));
  return { tf, topic, r: tf.resource.aws_msk_topic[s.getLogicalId(topic)] as Record<string, unknown> };
}

const configsOf = (r: Record<string, unknown>) => JSON.parse(r.configs as string) as Record<string, unknown>;

describe("KafkaTopic: attributes", () => {
  it("is an aws_msk_topic", () => {
    expect(Object.keys(synth().tf.resource)).toEqual(["aws_msk_topic"]);
  });
  it("sets name", () => expect(synth().r.name).toBe("clicks"));
  it("sets cluster_arn", () => expect(synth().r.cluster_arn).toBe(CLUSTER_ARN));
  it("sets partition_count as a number", () => expect(synth().r.partition_count).toBe(6));
  it("sets replication_factor as a number", () => expect(synth().r.replication_factor).toBe(3));
  it("sets no configs when none are given", () => {
    expect(synth().r).not.toHaveProperty("configs");
    expect(synth({ configs: {} }).r).not.toHaveProperty("configs");
  });
  it("emits nothing the schema does not declare, and every required attribute", () => {
    const { r } = synth({ configs: { retentionMs: 1 } });
    const emitted = Object.keys(r).filter((k) => k !== "//" && k !== "lifecycle");
    for (const k of emitted) expect(MSK_TOPIC_SCHEMA.attributes, k).toHaveProperty(k);
    for (const [k, a] of Object.entries(MSK_TOPIC_SCHEMA.attributes)) if (a.required) expect(emitted).toContain(k);
  });
});

describe("KafkaTopic: configs (a JSON document of Kafka names and string values)", () => {
  it("encodes every typed config under its Kafka name, as a string", () => {
    const { r } = synth({
      configs: {
        retentionMs: 604800000,
        retentionBytes: -1,
        cleanupPolicy: "delete",
        minInsyncReplicas: 2,
        maxMessageBytes: 2097152,
        compressionType: "zstd",
      },
    });
    expect(configsOf(r)).toEqual({
      "retention.ms": "604800000",
      "retention.bytes": "-1",
      "cleanup.policy": "delete",
      "min.insync.replicas": "2",
      "max.message.bytes": "2097152",
      "compression.type": "zstd",
    });
  });
  it("sorts the keys, so the same configs always render the same text", () => {
    const json = synth({ configs: { retentionMs: 1, cleanupPolicy: "compact" } }).r.configs as string;
    expect(json).toBe('{"cleanup.policy":"compact","retention.ms":"1"}');
  });
  it("writes only the configs that are set", () => {
    expect(configsOf(synth({ configs: { compressionType: "lz4" } }).r)).toEqual({ "compression.type": "lz4" });
  });
  it("keeps compact,delete as Kafka spells it", () => {
    expect(configsOf(synth({ configs: { cleanupPolicy: "compact,delete" } }).r)["cleanup.policy"]).toBe("compact,delete");
  });
  it("renderTopicConfigs is undefined without configs", () => {
    expect(renderTopicConfigs(undefined)).toBeUndefined();
    expect(renderTopicConfigs({})).toBeUndefined();
  });
});

describe("KafkaTopic: lifecycle, dependencies and references", () => {
  it("carries prevent_destroy by default", () => {
    expect(synth().r.lifecycle).toEqual({ prevent_destroy: true });
  });
  it("has no lifecycle when preventDestroy is false", () => {
    expect(synth({ preventDestroy: false }).r).not.toHaveProperty("lifecycle");
  });
  it("refers to the cluster's arn and waits for what dependsOn names", () => {
    const s = stack();
    const cluster = new MskCluster(s, "cluster", {
      clusterName: "c",
      kafkaVersion: "3.8.x",
      numberOfBrokerNodes: 3,
      brokerNodeGroupInfo: { instanceType: "kafka.m5.large", clientSubnets: ["a", "b", "c"], securityGroups: ["sg"] },
    });
    const topic = new KafkaTopic(s, "t", { ...BASE, clusterArn: cluster.arn, dependsOn: [cluster] });
    const r = JSON.parse(Testing.synth(s)).resource.aws_msk_topic[s.getLogicalId(topic)];
    expect(r.cluster_arn).toBe(`\${aws_msk_cluster.${s.getLogicalId(cluster)}.arn}`);
    expect(r.depends_on).toEqual([`aws_msk_cluster.${s.getLogicalId(cluster)}`]);
  });
  it("exposes the computed arn and configs_actual as references", () => {
    const s = stack();
    const topic = new KafkaTopic(s, "t", BASE);
    new TerraformOutput(s, "arn", { value: topic.arn });
    new TerraformOutput(s, "actual", { value: topic.configsActual });
    const tf = JSON.parse(Testing.synth(s));
    expect(tf.output.arn.value).toBe(`\${aws_msk_topic.${s.getLogicalId(topic)}.arn}`);
    expect(tf.output.actual.value).toBe(`\${aws_msk_topic.${s.getLogicalId(topic)}.configs_actual}`);
  });
  it("renders the same attributes as HCL", () => {
    const s = stack();
    new KafkaTopic(s, "t", { ...BASE, configs: { retentionMs: 5 } });
    const hcl = Testing.synthHcl(s) as string;
    expect(hcl).toMatch(/resource "aws_msk_topic" "t" \{/);
    expect(hcl).toMatch(/name\s+= "clicks"/);
    expect(hcl).toMatch(/partition_count\s+= 6/);
    expect(hcl).toMatch(/replication_factor\s+= 3/);
    expect(hcl).toContain("prevent_destroy = true");
    expect(hcl).toContain("retention.ms");
  });
});

describe("KafkaTopic: validation", () => {
  it.each<[string, Partial<KafkaTopicProps>, string]>([
    ["a bad name", { name: "clicks!" }, `KafkaTopic clicks!: name must be 1-249 letters, digits, '.', '_' or '-' (not '.' or '..'), got "clicks!"`],
    ["name '..'", { name: ".." }, `KafkaTopic ..: name must be 1-249 letters, digits, '.', '_' or '-' (not '.' or '..'), got ".."`],
    ["0 partitions", { partitionCount: 0 }, "KafkaTopic clicks: partitionCount must be a whole number ≥ 1, got 0"],
    ["fractional partitions", { partitionCount: 1.5 }, "KafkaTopic clicks: partitionCount must be a whole number ≥ 1, got 1.5"],
    ["0 replicas", { replicationFactor: 0 }, "KafkaTopic clicks: replicationFactor must be a whole number ≥ 1, got 0"],
    ["more replicas than brokers", { replicationFactor: 9, brokerCount: 3 }, "KafkaTopic clicks: replicationFactor (9) must be at most the cluster's broker count (3)"],
    ["a cluster without topic APIs", { kafkaVersion: "3.5.1" }, "KafkaTopic clicks: the cluster runs Kafka 3.5.1; MSK's topic APIs need 3.6.0 or later"],
    ["min.insync above replicas", { configs: { minInsyncReplicas: 4 } }, "KafkaTopic clicks: configs.minInsyncReplicas (4) must be at most replicationFactor (3)"],
    ["min.insync 0", { configs: { minInsyncReplicas: 0 } }, "KafkaTopic clicks: configs.minInsyncReplicas must be a whole number ≥ 1, got 0"],
    ["retention below -1", { configs: { retentionMs: -2 } }, "KafkaTopic clicks: configs.retentionMs must be a whole number ≥ -1 (-1 = no limit), got -2"],
    ["retention bytes below -1", { configs: { retentionBytes: -5 } }, "KafkaTopic clicks: configs.retentionBytes must be a whole number ≥ -1 (-1 = no limit), got -5"],
    ["max.message.bytes 0", { configs: { maxMessageBytes: 0 } }, "KafkaTopic clicks: configs.maxMessageBytes must be a whole number ≥ 1, got 0"],
    ["an unknown cleanup policy", { configs: { cleanupPolicy: "archive" as never } }, 'KafkaTopic clicks: configs.cleanupPolicy must be one of delete, compact, compact,delete, got "archive"'],
    ["an unknown compression", { configs: { compressionType: "brotli" as never } }, 'KafkaTopic clicks: configs.compressionType must be one of producer, uncompressed, zstd, lz4, snappy, gzip, got "brotli"'],
  ])("rejects %s", (_what, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  it("accepts replicas equal to the brokers and min.insync equal to replicas", () => {
    expect(synth({ replicationFactor: 3, brokerCount: 3, configs: { minInsyncReplicas: 3 } }).r.replication_factor).toBe(3);
  });

  it.each([
    ["3.6.0", true],
    ["3.7.x", true],
    ["3.9.x", true],
    ["4.0.x", true],
    ["3.5.1", false],
    ["2.8.1", false],
  ])("Kafka %s has the topic APIs: %s", (version, expected) => {
    expect(hasTopicApis(version)).toBe(expected);
  });
});

describe("aws_msk_topic schema (from internal/service/kafka/topic.go)", () => {
  it("is registered for the offline Terraform stage and the preview", () => {
    expect(CUSTOM_RESOURCE_SCHEMAS).toContain(MSK_TOPIC_SCHEMA);
    expect(MSK_TOPIC_SCHEMA.resourceType).toBe(KafkaTopic.tfResourceType);
    expect(MSK_TOPIC_SCHEMA.sinceProviderVersion).toBe("6.38.0");
  });
  it("name, cluster_arn and replication_factor force replacement; partitions and configs do not", () => {
    const forceNew = Object.entries(MSK_TOPIC_SCHEMA.attributes).filter(([, a]) => a.forceNew).map(([k]) => k).sort();
    expect(forceNew).toEqual(["cluster_arn", "name", "replication_factor"]);
  });
  it("arn and configs_actual are computed only", () => {
    expect(MSK_TOPIC_SCHEMA.attributes.arn).toEqual({ type: "string", computed: true });
    expect(MSK_TOPIC_SCHEMA.attributes.configs_actual).toEqual({ type: "string", computed: true });
  });
});

describe("PipelineAwsProvider: the stack's provider constraint", () => {
  it("requires hashicorp/aws >= 6.38, < 7 in the JSON output", () => {
    const tf = JSON.parse(Testing.synth(stack()));
    expect(AWS_PROVIDER_VERSION_CONSTRAINT).toBe(">= 6.38, < 7");
    expect(tf.terraform.required_providers.aws.version).toBe(">= 6.38, < 7");
    expect(tf.terraform.required_providers.aws.source).toBe("aws");
  });
  it("requires the same in the HCL output", () => {
    const hcl = Testing.synthHcl(stack()) as string;
    expect(hcl).toMatch(/version = ">= 6\.38, < 7"/);
    expect(hcl).not.toContain("6.25.0");
  });
  it("keeps the provider's own configuration", () => {
    expect(JSON.parse(Testing.synth(stack())).provider.aws).toEqual([{ region: "ap-southeast-2" }]);
  });
});
