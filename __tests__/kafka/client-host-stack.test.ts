/**
 * The Kafka client host in the whole PipelineStack: off by default (nothing of it in the stack),
 * and on: its instance, security group, role, the brokers' ingress rule from it, outputs, and the
 * security guard's verdict.
 */
import { Testing } from "cdktf";
import { environmentSchema } from "../../modules/config/schema";
import { parsePolicyJson } from "../../modules/guard/policy";
import { PipelineStack } from "../../modules/pipeline-stack";
import { KAFKA_CLI_DOWNLOAD, MSK_IAM_AUTH_DOWNLOAD } from "../../modules/kafka/kafka-client-host";
import { readKafkaClientBootstrapScript, readVpnBootstrapScript } from "../../scripts/project-assets";
import { synthWithEnvironment, useReferenceConfig } from "../support/project";

const ref = useReferenceConfig();

const CLIENT_HOST = {
  enabled: true,
  topics: { impressions: "read", clicks: "read_write", "ad-tech-dl": "read" },
  consumer_groups: ["console-consumer-*", "ops-debug"],
};

function synth(envOverride: Record<string, unknown> = {}): any {
  return synthWithEnvironment(ref.config, envOverride);
}

const addresses = (tf: any) => Object.entries(tf.resource as Record<string, object>).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));

describe("PipelineStack client_host off (the default)", () => {
  it("is off in the reference environment and leaves no trace: no instance, group, role, rule or output", () => {
    expect(ref.config.environments[0].spec.client_host.enabled).toBe(false);
    const tf = synth();
    const names = addresses(tf);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((a) => /client[-_]host/.test(a))).toEqual([]);
    expect(Object.keys(tf.output).filter((o) => o.startsWith("client_host"))).toEqual([]);
    expect(JSON.stringify(tf)).not.toContain("kafka-client");
    // Only the VPN's instance exists.
    expect(Object.values(tf.resource.aws_instance).map((i: any) => i.tags.Name)).toEqual(["ad-tech-dev-vpn"]);
  });
});

describe("PipelineStack client_host on", () => {
  let tf: any;
  beforeAll(() => {
    tf = synth({ client_host: CLIENT_HOST });
  });

  const host = () => Object.values(tf.resource.aws_instance).find((i: any) => i.tags.Name === "ad-tech-dev-kafka-client") as any;

  it("places the instance in the first private subnet, IMDSv2 only, encrypted, no key pair, no public IP", () => {
    const i = host();
    expect(i.subnet_id).toMatch(/^\$\{aws_subnet\.network_private-subnet-a_[0-9A-F]+\.id\}$/);
    expect(i.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(i.root_block_device).toMatchObject({ encrypted: true, volume_type: "gp3" });
    expect(i).not.toHaveProperty("key_name");
    expect(i.associate_public_ip_address).toBe(false);
    expect(i.instance_type).toBe("t3.small");
    // It waits for the private subnets' way out (NAT routes) before first boot.
    expect(i.depends_on.some((d: string) => d.startsWith("aws_route.network_private-default-route-a"))).toBe(true);
  });

  it("gives the host a group with no ingress and egress to the brokers' group on 9098 and to HTTPS only", () => {
    const group = Object.values(tf.resource.aws_security_group).find((g: any) => g.name === "ad-tech-dev-kafka-client") as any;
    expect(group.ingress ?? []).toEqual([]);
    const egress = Object.values(tf.resource.aws_vpc_security_group_egress_rule).filter((r: any) => /client-host/.test(r.security_group_id)) as any[];
    expect(egress.map((r) => [r.from_port, r.referenced_security_group_id ?? r.cidr_ipv4]).sort()).toEqual([
      [443, "0.0.0.0/0"],
      [9098, expect.stringMatching(/^\$\{aws_security_group\.kafka_/)],
    ]);
    const ingressTo = Object.values(tf.resource.aws_vpc_security_group_ingress_rule).filter((r: any) => /client-host/.test(r.referenced_security_group_id ?? "")) as any[];
    expect(ingressTo.map((r) => [r.from_port, r.description])).toEqual([[9098, "Kafka SASL/IAM (9098) from client-host"]]);
    expect(ingressTo[0].security_group_id).toMatch(/^\$\{aws_security_group\.kafka_/);
  });

  it("lets the host's role use exactly the YAML's topics and groups of this cluster, plus SSM", () => {
    // JSON in which interpolations (`${replace(..., ":cluster/", ":topic/")}`) stand inside string values.
    const policy = parsePolicyJson((Object.values(tf.resource.aws_iam_role_policy) as any[]).find((p) => /client-host/.test(p.role)).policy) as any;
    const bySid = Object.fromEntries(policy.Statement.map((s: any) => [s.Sid, s]));
    expect(Object.keys(bySid)).toEqual(["Cluster", "ReadTopics", "WriteTopics", "ConsumerGroups"]);
    const topicArn = (t: string) => expect.stringMatching(new RegExp(`^\\$\\{replace\\(aws_msk_cluster\\.kafka_cluster_[0-9A-F]+\\.arn, ":cluster/", ":topic/"\\)\\}/${t}$`));
    expect(bySid.ReadTopics.Resource).toEqual([topicArn("ad-tech-dl"), topicArn("clicks"), topicArn("impressions")]);
    expect(bySid.WriteTopics.Resource).toEqual([topicArn("clicks")]);
    expect(bySid.ConsumerGroups.Resource).toEqual([expect.stringMatching(/:group\/"\)\}\/console-consumer-\*$/), expect.stringMatching(/:group\/"\)\}\/ops-debug$/)]);
    expect(bySid.Cluster.Action).toContain("kafka-cluster:WriteDataIdempotently");
    const attachments = Object.values(tf.resource.aws_iam_role_policy_attachment).filter((a: any) => /client-host/.test(a.role)) as any[];
    expect(attachments.map((a) => a.policy_arn)).toEqual([expect.stringMatching(/:iam::aws:policy\/AmazonSSMManagedInstanceCore$/)]);
  });

  it("outputs the instance id and the SSM command that opens a session on it", () => {
    expect(tf.output.client_host_instance_id.value).toMatch(/^\$\{aws_instance\.client-host_instance_[0-9A-F]+\.id\}$/);
    expect(tf.output.client_host_ssm_command.value).toMatch(/^aws ssm start-session --region ap-southeast-2 --target \$\{aws_instance\.client-host_instance_[0-9A-F]+\.id\}$/);
  });

  it("passes the brokers and the pinned downloads to the boot script", () => {
    const userData = host().user_data_base64 as string;
    expect(userData).toMatch(/^\$\{base64gzip\(join\(/);
    expect(userData).toContain("export KAFKA_BOOTSTRAP_BROKERS='");
    expect(userData).toMatch(/aws_msk_cluster\.kafka_cluster_[0-9A-F]+\.bootstrap_brokers_sasl_iam/);
    expect(userData).toContain(`export KAFKA_CLI_SHA512='${KAFKA_CLI_DOWNLOAD.sha512}'`);
    expect(userData).toContain(`export MSK_IAM_AUTH_URL='${MSK_IAM_AUTH_DOWNLOAD.url}'`);
    expect(userData).toContain("# ---- scripts/kafka-client-bootstrap.sh ----");
  });

  it("takes another release and instance type from YAML", () => {
    const other = synth({
      client_host: {
        ...CLIENT_HOST,
        instance_type: "t3.medium",
        kafka_cli: { url: "https://downloads.example.com/kafka/kafka_2.13-3.8.1.tgz", sha512: "ab".repeat(64) },
      },
    });
    const i = Object.values(other.resource.aws_instance).find((x: any) => x.tags.Name === "ad-tech-dev-kafka-client") as any;
    expect(i.instance_type).toBe("t3.medium");
    expect(i.user_data_base64).toContain("export KAFKA_CLI_URL='https://downloads.example.com/kafka/kafka_2.13-3.8.1.tgz'");
    expect(i.user_data_base64).toContain(`export KAFKA_CLI_SHA512='${"ab".repeat(64)}'`);
  });

  it("passes the security guard: every applicable rule on the host's resources is compliant", () => {
    const base = ref.config.environments[0];
    const spec = environmentSchema.parse({ ...structuredClone(base.spec), client_host: CLIENT_HOST });
    const stack = new PipelineStack(Testing.app(), {
      ...ref.config,
      environment: { ...base, spec },
      vpnBootstrapScript: readVpnBootstrapScript(),
      clientHostBootstrapScript: readKafkaClientBootstrapScript(),
    });
    const report = stack.securityReport();
    expect(report.errors).toEqual([]);
    const onHost = report.findings.filter((f) => f.resource.includes("client-host/"));
    expect(new Set(onHost.map((f) => f.rule))).toEqual(new Set(["EC2-1", "EC2-2", "EC2-3", "SG-1", "SG-2", "IAM-1", "IAM-2", "IAM-3"]));
    expect(onHost.every((f) => f.status === "compliant")).toBe(true);
  });

  it("refuses an enabled host without the boot script", () => {
    const base = ref.config.environments[0];
    const spec = environmentSchema.parse({ ...structuredClone(base.spec), client_host: CLIENT_HOST });
    expect(() => new PipelineStack(Testing.app(), { ...ref.config, environment: { ...base, spec }, vpnBootstrapScript: readVpnBootstrapScript() })).toThrow(
      "PipelineStack: client_host.enabled needs clientHostBootstrapScript",
    );
  });
});
