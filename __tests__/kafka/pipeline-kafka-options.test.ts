// The Kafka platform options through the whole pipeline: YAML -> loader -> PipelineStack -> guard,
// switched on in a copy of the reference configuration, and absent from the reference itself.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { pipelineStack, REPO_ROOT, useReferenceConfig } from "../support/project";

const ENV = readFileSync(path.join(REPO_ROOT, "configs/environments/dev.yaml"), "utf8");
const CLICKS = readFileSync(path.join(REPO_ROOT, "configs/topics/clicks.yaml"), "utf8");
const KAFKA_ANCHOR = "  allow_topic_replacement: false";
const OPTIONS = [
  "  storage_mode: TIERED",
  "  open_monitoring:",
  "    jmx_exporter: true",
  "    node_exporter: true",
  "    allowed_security_group_ids: [sg-0a1b2c3d4e5f60718]",
  "    allowed_cidrs: [10.40.0.0/24]",
  "  vpc_connectivity: { iam: true }",
  "  cluster_policy:",
  '    principals: ["444455556666", osis-pipelines.amazonaws.com]',
].join("\n");

function withOptions(): Record<string, string> {
  if (!ENV.includes(KAFKA_ANCHOR) || !CLICKS.includes("  cleanup.policy: delete")) throw new Error("reference configs changed: update this test's anchors");
  return {
    "configs/environments/dev.yaml": ENV.replace(KAFKA_ANCHOR, `${OPTIONS}\n${KAFKA_ANCHOR}`),
    "configs/topics/clicks.yaml": CLICKS.replace("  cleanup.policy: delete", "  remote.storage.enable: true\n  local.retention.ms: 86400000\n  cleanup.policy: delete"),
  };
}

function synthesized(stack: ReturnType<typeof pipelineStack>) {
  const tf = JSON.parse(Testing.synth(stack));
  const r = tf.resource;
  const cluster = Object.values(r.aws_msk_cluster)[0] as Record<string, any>;
  const rules = Object.values(r.aws_vpc_security_group_ingress_rule) as Record<string, any>[];
  const topic = (name: string) => (Object.values(r.aws_msk_topic) as Record<string, any>[]).find((t) => t.name === name)!;
  return { tf, r, cluster, rules, topic };
}

describe("Kafka platform options: reference configuration (all off)", () => {
  const ref = useReferenceConfig();

  it("writes no storage mode, open monitoring, connectivity or cluster policy, and opens no exporter port", () => {
    const { r, cluster, rules, tf } = synthesized(pipelineStack(ref.config));
    expect(cluster).not.toHaveProperty("storage_mode");
    expect(cluster).not.toHaveProperty("open_monitoring");
    expect(cluster.broker_node_group_info).not.toHaveProperty("connectivity_info");
    expect(r).not.toHaveProperty("aws_msk_cluster_policy");
    expect(rules.map((x) => x.from_port)).not.toContain(11001);
    expect(rules.map((x) => x.from_port)).not.toContain(11002);
    expect(tf.output).not.toHaveProperty("msk_bootstrap_brokers_vpc_connectivity_sasl_iam");
  });
});

describe("Kafka platform options: switched on in YAML", () => {
  const on = useReferenceConfig({ files: withOptions() });
  // One synth for the assertions below (each is independent of the others' order).
  let once: ReturnType<typeof synthesized> | undefined;
  const synth = () => (once ??= synthesized(pipelineStack(on.config)));

  it("loads: every option and the tiered topic pass the loader's checks", () => {
    const k = on.config.environments[0].spec.kafka;
    expect(k.storage_mode).toBe("TIERED");
    expect(k.open_monitoring).toEqual({ jmx_exporter: true, node_exporter: true, allowed_security_group_ids: ["sg-0a1b2c3d4e5f60718"], allowed_cidrs: ["10.40.0.0/24"] });
    expect(k.vpc_connectivity).toEqual({ iam: true });
  });

  it("emits tiered storage, both exporters, multi-VPC IAM and the bootstrap brokers for it", () => {
    const { cluster, tf } = synth();
    expect(cluster.storage_mode).toBe("TIERED");
    expect(cluster.open_monitoring.prometheus).toEqual({ jmx_exporter: { enabled_in_broker: true }, node_exporter: { enabled_in_broker: true } });
    expect(cluster.broker_node_group_info.connectivity_info).toEqual({ vpc_connectivity: { client_authentication: { sasl: { iam: true } } } });
    expect(tf.output.msk_bootstrap_brokers_vpc_connectivity_sasl_iam.value).toMatch(/^\$\{aws_msk_cluster\.\w+\.bootstrap_brokers_vpc_connectivity_sasl_iam\}$/);
  });

  it("opens 11001 and 11002 on the broker group to the named group and CIDR only", () => {
    const { rules } = synth();
    const monitoring = rules.filter((x) => x.from_port === 11001 || x.from_port === 11002);
    expect(monitoring).toHaveLength(4);
    for (const rule of monitoring) {
      expect(rule.security_group_id).toMatch(/^\$\{aws_security_group\.kafka_security-group_\w+\.id\}$/);
      expect([rule.referenced_security_group_id, rule.cidr_ipv4]).toContainEqual(expect.stringMatching(/^(sg-0a1b2c3d4e5f60718|10\.40\.0\.0\/24)$/));
    }
  });

  it("attaches a cluster policy naming the account's root and the service, on this cluster only", () => {
    const { r } = synth();
    const policy = Object.values(r.aws_msk_cluster_policy)[0] as Record<string, any>;
    const [statement] = JSON.parse(policy.policy).Statement;
    expect(policy.cluster_arn).toMatch(/^\$\{aws_msk_cluster\.kafka_cluster_\w+\.arn\}$/);
    expect(statement.Resource).toBe(policy.cluster_arn);
    expect(statement.Principal).toEqual({ AWS: ["arn:${data.aws_partition.partition.partition}:iam::444455556666:root"], Service: ["osis-pipelines.amazonaws.com"] });
  });

  it("writes the tiered topic's remote storage and local retention; other topics keep theirs", () => {
    const { topic } = synth();
    expect(JSON.parse(topic("clicks").configs)).toMatchObject({ "remote.storage.enable": "true", "local.retention.ms": "86400000", "retention.ms": "604800000" });
    expect(JSON.parse(topic("impressions").configs)).not.toHaveProperty("remote.storage.enable");
  });

  it("passes the security guard with every option on", () => {
    const report = pipelineStack(on.config).securityReport();
    expect(report.errors).toEqual([]);
    const msk6 = report.findings.filter((f) => f.rule === "MSK-6");
    expect(msk6.map((f) => [f.resource, f.status])).toEqual([["aws_msk_cluster_policy.kafka-cluster-policy/resource", "compliant"]]);
  });
});
