/**
 * The example Flink processor in the whole stack: its application reads the JAR from the artifact
 * bucket, runs in the private subnets behind its own group (which the brokers accept on 9098), is
 * started only with to_create_connector, gets stack values in its properties, and its role may do
 * exactly what it needs. The reference configuration has no processor and no trace of one.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { loadPipelineConfig } from "../../modules/config/load";
import { parsePolicyJson } from "../../modules/guard/policy";
import { EXAMPLE_FLINK_JAR_MANIFEST_ENTRY, REPO_ROOT, makeProjectCopy, pipelineStack, removeProjectCopy } from "../support/project";

type Resource = Record<string, any>;
type Tf = { resource: Record<string, Record<string, Resource>> };

const example = (rel: string) => readFileSync(path.join(REPO_ROOT, "examples", rel), "utf8");
const MANIFEST_ENTRY = EXAMPLE_FLINK_JAR_MANIFEST_ENTRY;

function withProcessor(): Record<string, string> {
  return {
    "configs/processors/clicks-per-minute.yaml": example("processors/clicks-per-minute.yaml"),
    "configs/topics/clicks-per-minute.yaml": example("topics/clicks-per-minute.yaml"),
    "connectors/manifest.yaml": `${readFileSync(path.join(REPO_ROOT, "connectors/manifest.yaml"), "utf8").trimEnd()}\n${MANIFEST_ENTRY}`,
  };
}

function synthWith(files: Record<string, string>): { tf: Tf; errors: readonly string[] } {
  const root = makeProjectCopy({ files });
  try {
    const stack = pipelineStack(loadPipelineConfig({ rootDir: root }));
    return { tf: JSON.parse(Testing.synth(stack)) as Tf, errors: stack.securityReport().errors };
  } finally {
    removeProjectCopy(root);
  }
}

const only = (tf: Tf, type: string): Resource => {
  const all = Object.values(tf.resource[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0]!;
};

describe("the example Flink processor", () => {
  const { tf, errors } = synthWith(withProcessor());
  const app = only(tf, "aws_kinesisanalyticsv2_application");
  const cfg = app.application_configuration;
  const policy = Object.values(tf.resource.aws_iam_role_policy).find((p) => p.name === "application")!;
  const statements = (parsePolicyJson(policy.policy as string) as { Statement: Resource[] }).Statement;
  const sid = (s: string) => statements.find((x) => x.Sid === s)!;

  it("passes the security guard", () => {
    expect(errors).toEqual([]);
  });

  it("is a FLINK-1_20 application started only in phase 2, its JAR from the artifact bucket", () => {
    expect(app.name).toBe("ad-tech-dev-clicks-per-minute");
    expect(app.runtime_environment).toBe("FLINK-1_20");
    expect(app.start_application).toMatch(/var\.to_create_connector/);
    const jar = Object.values(tf.resource.aws_s3_object).find((o) => String(o.key).startsWith("applications/"))!;
    expect(jar.key).toBe("applications/clicks-aggregator/clicks-aggregator-1.0.0.jar");
    expect(cfg.application_code_configuration.code_content.s3_content_location.file_key).toMatch(/aws_s3_object\.processors_clicks-per-minute_jar_[0-9A-F]+\.key/);
    expect(cfg.application_code_configuration.code_content_type).toBe("ZIPFILE");
  });

  it("properties get the stack's bootstrap brokers and region; parallelism and checkpoints are the YAML's", () => {
    const [group] = cfg.environment_properties.property_group;
    expect(group.property_group_id).toBe("FlinkApplicationProperties");
    expect(group.property_map["bootstrap.servers"]).toMatch(/^\$\{aws_msk_cluster\.kafka_cluster_[0-9A-F]+\.bootstrap_brokers_sasl_iam\}$/);
    expect(group.property_map["aws.region"]).toBe("ap-southeast-2");
    expect(group.property_map["window.seconds"]).toBe("60");
    expect(cfg.flink_application_configuration.parallelism_configuration).toEqual({ configuration_type: "CUSTOM", parallelism: 1, parallelism_per_kpu: 1, auto_scaling_enabled: true });
    expect(cfg.flink_application_configuration.checkpoint_configuration).toMatchObject({ checkpointing_enabled: true, checkpoint_interval: 60000, min_pause_between_checkpoints: 5000 });
  });

  it("runs in the private subnets behind its own group: egress 9098 to the brokers only, which accept it", () => {
    expect(cfg.vpc_configuration.subnet_ids).toHaveLength(3);
    const group = Object.values(tf.resource.aws_security_group).find((g) => g.name === "ad-tech-dev-processors")!;
    expect(group.ingress ?? []).toEqual([]);
    const egress = Object.values(tf.resource.aws_vpc_security_group_egress_rule).filter((r) => String(r.security_group_id).includes("processor-security-group"));
    expect(egress.map((r) => [r.from_port, r.to_port, String(r.referenced_security_group_id).includes("kafka")])).toEqual([[9098, 9098, true]]);
    // The brokers accept it on 9098; the domain does not accept it at all.
    const ingress = Object.values(tf.resource.aws_vpc_security_group_ingress_rule).filter((r) => String(r.referenced_security_group_id).includes("processor-security-group"));
    expect(ingress.map((r) => [r.from_port, String(r.security_group_id).includes("kafka")])).toEqual([[9098, true]]);
  });

  it("its role reads exactly its input topic with its group, writes exactly its output topic, reads its JAR", () => {
    expect(sid("ReadInputTopics").Action).toEqual(["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]);
    expect(sid("ReadInputTopics").Resource).toEqual([expect.stringMatching(/":topic\/"\)\}\/clicks$/)]);
    expect(sid("WriteOutputTopics").Resource).toEqual([expect.stringMatching(/":topic\/"\)\}\/clicks-per-minute$/)]);
    expect(sid("OwnGroup").Resource).toEqual([expect.stringMatching(/":group\/"\)\}\/ad-tech-dev-clicks-per-minute$/)]);
    expect(sid("ReadJar")).toMatchObject({ Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: [expect.stringMatching(/\/applications\/clicks-aggregator\/clicks-aggregator-1\.0\.0\.jar$/)] });
    // Network interfaces: created only in its subnets with its group, deleted only in its subnets.
    expect(sid("OwnNetworkInterfaces").Resource).toHaveLength(1 + 3 + 1);
    expect(sid("ManageOwnNetworkInterfaces").Condition.ArnEquals["ec2:Subnet"]).toHaveLength(3);
    expect(statements.filter((s) => (s.Resource as string[]).includes("*")).map((s) => s.Sid)).toEqual(["DescribeNetwork"]);
  });

  it("the role is assumable only by this account's Managed Flink for this application", () => {
    const role = Object.values(tf.resource.aws_iam_role).find((r) => r.name === "ad-tech-dev-clicks-per-minute-flink")!;
    const trust = (parsePolicyJson(role.assume_role_policy as string) as { Statement: Resource[] }).Statement[0]!;
    expect(trust.Principal).toEqual({ Service: "kinesisanalytics.amazonaws.com" });
    expect(trust.Condition.ArnLike["aws:SourceArn"]).toMatch(/:application\/ad-tech-dev-clicks-per-minute$/);
  });
});

describe("without processors", () => {
  it("the reference stack has no Flink application, no processor group and no extra broker ingress", () => {
    const { tf } = synthWith({});
    expect(tf.resource.aws_kinesisanalyticsv2_application).toBeUndefined();
    expect(Object.values(tf.resource.aws_security_group).map((g) => g.name)).not.toContain("ad-tech-dev-processors");
  });
});
