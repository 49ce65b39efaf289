/**
 * kafka.mode: serverless. The construct's own checks, then the example environment
 * (examples/environments/serverless.yaml, copied to configs/environments/ as a user would) beside
 * the reference dev environment: what the serverless stack contains, what it no longer contains,
 * how the connectors reach its topics, and what the bootstrap plan asks the bootstrap to create.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { KafkaServerlessCluster } from "../../modules/kafka/kafka-serverless-cluster";
import { loadPipelineConfig } from "../../modules/config/load";
import type { PipelineStack } from "../../modules/pipeline-stack";
import { REPO_ROOT, makeProjectCopy, pipelineStack, removeProjectCopy, type StackJson } from "../support/project";
import { parsePolicyJson } from "../../modules/guard/policy";

describe("KafkaServerlessCluster props", () => {
  const build = (props: Partial<ConstructorParameters<typeof KafkaServerlessCluster>[2]>) => () =>
    Testing.synthScope((s) => {
      new KafkaServerlessCluster(s, "kafka", { namePrefix: "dev", vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], clientSecurityGroups: {}, ...props });
    });
  test("needs 2 or 3 subnets", () => {
    expect(build({ subnetIds: ["subnet-a"] })).toThrow("KafkaServerlessCluster: MSK Serverless needs 2 or 3 subnets (one per AZ), got 1");
    expect(build({ subnetIds: ["a", "b", "c", "d"] })).toThrow("got 4");
  });
  test("refuses duplicate subnets, a bad name prefix and a bad client group", () => {
    expect(build({ subnetIds: ["subnet-a", "subnet-a"] })).toThrow("KafkaServerlessCluster: subnetIds contains duplicates: subnet-a, subnet-a");
    expect(build({ namePrefix: "Dev" })).toThrow('KafkaServerlessCluster: namePrefix must be 2-51 lowercase letters, digits or \'-\', starting with a letter, got "Dev"');
    expect(build({ clientSecurityGroups: { vpn: "not-a-group" } })).toThrow('KafkaServerlessCluster: clientSecurityGroups["vpn"] must be a security group id (sg-...), got "not-a-group"');
  });
});

describe("the serverless example environment beside the provisioned dev environment", () => {
  let stack: PipelineStack;
  let dev: PipelineStack;
  let tf: StackJson & { output: Record<string, { value: string }> };
  let devTf: StackJson;
  beforeAll(() => {
    const root = makeProjectCopy({
      files: { "configs/environments/serverless.yaml": readFileSync(path.join(REPO_ROOT, "examples/environments/serverless.yaml"), "utf8") },
    });
    try {
      const config = loadPipelineConfig({ rootDir: root });
      stack = pipelineStack(config, config.environments.find((e) => e.name === "serverless"));
      dev = pipelineStack(config, config.environments.find((e) => e.name === "dev"));
      tf = JSON.parse(Testing.synth(stack));
      devTf = JSON.parse(Testing.synth(dev));
    } finally {
      removeProjectCopy(root);
    }
  });
  const only = (t: StackJson, type: string) => {
    const all = Object.entries(t.resource[type] ?? {});
    expect(all).toHaveLength(1);
    return { id: all[0][0], r: all[0][1] };
  };

  test("one aws_msk_serverless_cluster: IAM, the private subnets, the kafka security group", () => {
    const { r } = only(tf, "aws_msk_serverless_cluster");
    expect(r.cluster_name).toBe("ad-tech-sls-msk-serverless");
    expect(r.client_authentication).toEqual({ sasl: { iam: { enabled: true } } });
    const privateSubnets = Object.keys(tf.resource.aws_subnet).filter((id) => id.startsWith("network_private-subnet-")).map((id) => `\${aws_subnet.${id}.id}`);
    expect(privateSubnets).toHaveLength(3);
    expect(r.vpc_config).toEqual([{ subnet_ids: privateSubnets, security_group_ids: [`\${aws_security_group.${stack.kafka.securityGroup.friendlyUniqueId}.id}`] }]);
  });

  test("nothing of a provisioned cluster: no aws_msk_cluster, configuration, topic, storage scaling or broker log group", () => {
    for (const type of ["aws_msk_cluster", "aws_msk_configuration", "aws_msk_topic", "aws_appautoscaling_target"]) expect(tf.resource[type]).toBeUndefined();
    expect(Object.values(tf.resource.aws_cloudwatch_log_group).map((g) => g.name)).not.toContain("/msk/ad-tech-sls-msk/brokers");
    expect(stack.topics.size).toBe(0);
    // The provisioned environment of the same configuration keeps its topics.
    expect(Object.values(devTf.resource.aws_msk_topic).map((t) => t.name).sort()).toEqual(["ad-tech-dl", "clicks", "impressions"]);
    expect(devTf.resource.aws_msk_serverless_cluster).toBeUndefined();
  });

  test("the security group has the provisioned cluster's name and one 9098 rule per client", () => {
    const sg = tf.resource.aws_security_group[stack.kafka.securityGroup.friendlyUniqueId];
    const devSg = devTf.resource.aws_security_group[dev.kafka.securityGroup.friendlyUniqueId];
    expect(sg.name).toBe("ad-tech-sls-msk-brokers");
    expect(sg.description).toBe(devSg.description.replace(/ad-tech-dev/g, "ad-tech-sls"));
    expect(stack.kafka.securityGroup.friendlyUniqueId).toBe(dev.kafka.securityGroup.friendlyUniqueId);
    const rules = Object.values(tf.resource.aws_vpc_security_group_ingress_rule).filter((r) => r.security_group_id === `\${aws_security_group.${stack.kafka.securityGroup.friendlyUniqueId}.id}`);
    expect(rules.map((r) => [r.description, r.from_port, r.to_port]).sort()).toEqual([
      ["Kafka SASL/IAM (9098) from client-host", 9098, 9098],
      ["Kafka SASL/IAM (9098) from connectors", 9098, 9098],
      ["Kafka SASL/IAM (9098) from vpn", 9098, 9098],
    ]);
  });

  test("connectors name the serverless cluster's topics and groups in IAM, and wait for the bootstrap run, not for topics", () => {
    const { id } = only(tf, "aws_msk_serverless_cluster");
    const policy = Object.entries(tf.resource.aws_iam_role_policy).find(([logical]) => logical.startsWith("connectors_ad-tech-source_policy"))![1];
    const statements = (parsePolicyJson(policy.policy as string) as { Statement: { Sid: string; Resource: string[] }[] }).Statement;
    const arn = `aws_msk_serverless_cluster.${id}.arn`;
    expect(statements.find((s) => s.Sid === "Cluster")!.Resource).toEqual([`\${${arn}}`]);
    expect([...statements.find((s) => s.Sid === "WriteOwnTopics")!.Resource].sort()).toEqual([`\${replace(${arn}, ":cluster/", ":topic/")}/impressions`, `\${replace(${arn}, ":cluster/", ":topic/")}/clicks`].sort());
    const runner = `terraform_data.${stack.indexBootstrap.runner!.friendlyUniqueId}`;
    for (const c of Object.values(tf.resource.aws_mskconnect_connector)) {
      expect(c.depends_on).toContain(runner);
      expect(c.depends_on.filter((d: string) => d === runner)).toHaveLength(1);
      expect(c.depends_on.some((d: string) => d.startsWith("aws_msk_topic."))).toBe(false);
      expect(c.kafka_cluster.apache_kafka_cluster.bootstrap_servers).toBe(`\${aws_msk_serverless_cluster.${id}.bootstrap_brokers_sasl_iam}`);
    }
    expect(tf.output.msk_bootstrap_brokers_sasl_iam.value).toBe(`\${aws_msk_serverless_cluster.${id}.bootstrap_brokers_sasl_iam}`);
    expect(tf.output.msk_cluster_arn.value).toBe(`\${${arn}}`);
  });

  test("the bootstrap plan lists every topic file and dead-letter topic with Kafka's config names and string values", () => {
    expect(stack.indexBootstrap.plan.kafka_topics).toEqual({
      bootstrap_brokers_output: "msk_bootstrap_brokers_sasl_iam",
      topics: [
        { name: "ad-tech-dl", partitions: 1, configs: { "retention.ms": "1209600000" } },
        { name: "clicks", partitions: 2, configs: { "cleanup.policy": "delete", "retention.bytes": "-1", "retention.ms": "604800000" } },
        { name: "impressions", partitions: 2, configs: { "cleanup.policy": "delete", "retention.bytes": "-1", "retention.ms": "604800000" } },
      ],
    });
    expect(dev.indexBootstrap.plan.kafka_topics).toBeUndefined();
    // The run that creates them waits for the cluster's rule from the VPN as well as the domain's.
    const run = tf.resource.terraform_data[stack.indexBootstrap.runner!.friendlyUniqueId];
    expect(run.depends_on).toContain(`aws_vpc_security_group_ingress_rule.${stack.kafka.ingressRules.vpn.friendlyUniqueId}`);
  });

  test("the run from Terraform gets the cluster's brokers on its command line and runs again on a new cluster", () => {
    const { id } = only(tf, "aws_msk_serverless_cluster");
    const brokers = `\${aws_msk_serverless_cluster.${id}.bootstrap_brokers_sasl_iam}`;
    const run = tf.resource.terraform_data[stack.indexBootstrap.runner!.friendlyUniqueId];
    expect(run.provisioner[0]["local-exec"].command).toContain(` --kafka-brokers '${brokers}'`);
    expect(run.triggers_replace.kafka_brokers).toBe(brokers);
    const devRun = devTf.resource.terraform_data[dev.indexBootstrap.runner!.friendlyUniqueId];
    expect(devRun.provisioner[0]["local-exec"].command).not.toContain("--kafka-brokers");
    expect(devRun.triggers_replace).not.toHaveProperty("kafka_brokers");
  });

  test("the guard passes it, with MSK-8 checked and the provisioned-only rules not applicable", () => {
    const report = stack.securityReport();
    expect(report.errors).toEqual([]);
    expect(report.findings.filter((f) => f.rule === "MSK-8").map((f) => [f.resource, f.status])).toEqual([["aws_msk_serverless_cluster.kafka/cluster", "compliant"]]);
    expect(report.findings.filter((f) => /^MSK-[1-5]$/.test(f.rule))).toEqual([]);
  });
});
