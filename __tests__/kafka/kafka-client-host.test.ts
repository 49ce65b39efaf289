import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { parsePolicyJson } from "../../modules/guard/policy";
import { KAFKA_CLI_DOWNLOAD, KafkaClientHost, MSK_IAM_AUTH_DOWNLOAD, type KafkaClientHostProps } from "../../modules/kafka/kafka-client-host";

type Resource = Record<string, any>;
interface Synth {
  resource: Record<string, Record<string, Resource>>;
  data: Record<string, Record<string, Resource>>;
}

const CLUSTER_ARN = "arn:aws:kafka:eu-west-1:111122223333:cluster/t-msk/abcd1234-ab12-cd34-ef56-abcdef123456-2";

function clientHostProps(overrides: Partial<KafkaClientHostProps> = {}): KafkaClientHostProps {
  return {
    namePrefix: "t",
    vpcId: "vpc-123",
    subnetId: "subnet-private-a",
    kafkaSecurityGroupId: "sg-0123456789abcdef0",
    cluster: { arn: CLUSTER_ARN, bootstrapBrokersSaslIam: "b-1.t.kafka.eu-west-1.amazonaws.com:9098" },
    topics: { orders: "read", payments: "write", audit: "read_write" },
    consumerGroups: ["ops-*", "debug"],
    bootstrapScript: "#!/usr/bin/env bash\necho hi\n",
    region: "eu-west-1",
    ...overrides,
  };
}

function build(overrides: Partial<KafkaClientHostProps> = {}): Synth {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new KafkaClientHost(stack, "client-host", clientHostProps(overrides));
  return JSON.parse(Testing.synth(stack, true)) as Synth;
}

const only = (tf: Synth, type: string): Resource => {
  const values = Object.values(tf.resource[type] ?? {});
  expect(values).toHaveLength(1);
  return values[0];
};
const statements = (tf: Synth) => (parsePolicyJson(only(tf, "aws_iam_role_policy").policy) as { Statement: Resource[] }).Statement;
const topicArn = (t: string) => `${CLUSTER_ARN.replace(":cluster/", ":topic/")}/${t}`;

describe("KafkaClientHost", () => {
  it("is an AL2023 instance without key pair or public IP, IMDSv2 only, with an encrypted gp3 volume", () => {
    const tf = build();
    const i = only(tf, "aws_instance");
    expect(i).not.toHaveProperty("key_name");
    expect(i.associate_public_ip_address).toBe(false);
    expect(i.subnet_id).toBe("subnet-private-a");
    expect(i.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" });
    expect(i.root_block_device).toEqual({ volume_type: "gp3", volume_size: 10, encrypted: true, delete_on_termination: true });
    expect(i.lifecycle).toEqual({ ignore_changes: ["ami"] });
    expect(i.user_data_replace_on_change).toBe(true);
    const ami = Object.values(tf.data.aws_ami)[0];
    expect(ami.owners).toEqual(["amazon"]);
    expect(ami.filter).toContainEqual({ name: "name", values: ["al2023-ami-2023.*-kernel-6.1-x86_64"] });
  });

  it("has a security group with no ingress, egress 9098 to the brokers' group and 443 only", () => {
    const tf = build();
    const sg = only(tf, "aws_security_group");
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(tf.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    const egress = Object.values(tf.resource.aws_vpc_security_group_egress_rule);
    expect(egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.referenced_security_group_id ?? r.cidr_ipv4]).sort()).toEqual([
      ["tcp", 443, 443, "0.0.0.0/0"],
      ["tcp", 9098, 9098, "sg-0123456789abcdef0"],
    ]);
    for (const r of egress) expect(r.description).toMatch(/\S/);
  });

  it("grants the cluster, exactly the topics by access, and the groups; idempotent writes when it writes", () => {
    const st = statements(build());
    expect(st.map((s) => s.Sid)).toEqual(["Cluster", "ReadTopics", "WriteTopics", "ConsumerGroups"]);
    expect(st[0]).toEqual({ Sid: "Cluster", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"], Resource: [CLUSTER_ARN] });
    expect(st[1].Action).toEqual(["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]);
    expect(st[1].Resource).toEqual([topicArn("audit"), topicArn("orders")]);
    expect(st[2].Action).toEqual(["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]);
    expect(st[2].Resource).toEqual([topicArn("audit"), topicArn("payments")]);
    expect(st[3].Action).toEqual(["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]);
    expect(st[3].Resource).toEqual([`${CLUSTER_ARN.replace(":cluster/", ":group/")}/debug`, `${CLUSTER_ARN.replace(":cluster/", ":group/")}/ops-*`]);
  });

  it("leaves out what is not asked for: a read-only host has no write statement, no idempotent writes, no groups", () => {
    const st = statements(build({ topics: { orders: "read" }, consumerGroups: [] }));
    expect(st.map((s) => s.Sid)).toEqual(["Cluster", "ReadTopics"]);
    expect(st[0].Action).toEqual(["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]);
    const none = statements(build({ topics: {}, consumerGroups: [] }));
    expect(none.map((s) => s.Sid)).toEqual(["Cluster"]);
  });

  it("attaches AmazonSSMManagedInstanceCore and nothing else managed; the role is EC2's only", () => {
    const tf = build();
    expect(only(tf, "aws_iam_role_policy_attachment").policy_arn).toMatch(/^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:iam::aws:policy\/AmazonSSMManagedInstanceCore$/);
    const trust = JSON.parse(only(tf, "aws_iam_role").assume_role_policy);
    expect(trust.Statement).toEqual([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
  });

  it("exports the brokers and the pinned downloads in the user data header", () => {
    const ud = only(build(), "aws_instance").user_data_base64 as string;
    expect(ud).toContain("export KAFKA_BOOTSTRAP_BROKERS='b-1.t.kafka.eu-west-1.amazonaws.com:9098'");
    expect(ud).toContain(`export KAFKA_CLI_URL='${KAFKA_CLI_DOWNLOAD.url}'`);
    expect(ud).toContain(`export MSK_IAM_AUTH_SHA256='${MSK_IAM_AUTH_DOWNLOAD.sha256}'`);
  });

  it("pins Kafka 3.9.1's published sha512 and an https Maven Central jar by default", () => {
    expect(KAFKA_CLI_DOWNLOAD.url).toBe("https://archive.apache.org/dist/kafka/3.9.1/kafka_2.13-3.9.1.tgz");
    expect(KAFKA_CLI_DOWNLOAD.sha512).toMatch(/^1ea204ba73411737a275429ca976d440[0-9a-f]{96}$/);
    expect(MSK_IAM_AUTH_DOWNLOAD.url).toMatch(/^https:\/\/repo1\.maven\.org\/maven2\/software\/amazon\/msk\/aws-msk-iam-auth\/2\.3\.2\/aws-msk-iam-auth-2\.3\.2-all\.jar$/);
  });

  describe("refuses bad props with a message naming the value", () => {
    it.each<[string, Partial<KafkaClientHostProps>, string]>([
      ["instance type", { instanceType: "big" }, 'instanceType must be an EC2 instance type such as t3.small, got "big"'],
      ["volume", { volumeGb: 4 }, "volumeGb must be a whole number from 8 to 1024, got 4"],
      ["region", { region: "europe" }, 'region must be an AWS region such as eu-west-1, got "europe"'],
      ["topic name", { topics: { "bad topic": "read" } }, 'topics has "bad topic", which is not a Kafka topic name'],
      ["access", { topics: { orders: "admin" as never } }, 'topics["orders"] must be one of read, write, read_write, got "admin"'],
      ["group", { consumerGroups: ["a*b"] }, 'consumerGroups has "a*b"'],
      ["duplicate group", { consumerGroups: ["g", "g"] }, 'consumerGroups lists "g" twice'],
      ["http url", { kafkaCli: { url: "http://example.com/kafka_2.13-3.9.1.tgz", sha512: "a".repeat(128) } }, 'kafkaCli.url must be an https URL of kafka_<scala>-<version>.tgz, got "http://example.com/kafka_2.13-3.9.1.tgz"'],
      ["short sha512", { kafkaCli: { url: "https://example.com/kafka_2.13-3.9.1.tgz", sha512: "abc" } }, 'kafkaCli.sha512 must be 128 hex digits, got "abc"'],
      ["jar name", { mskIamAuth: { url: "https://example.com/other.jar", sha256: "a".repeat(64) } }, 'mskIamAuth.url must be an https URL of aws-msk-iam-auth-<version>-all.jar, got "https://example.com/other.jar"'],
      ["empty script", { bootstrapScript: "  \n" }, "bootstrapScript is empty"],
    ])("%s", (_, overrides, message) => {
      expect(() => build(overrides)).toThrow(`KafkaClientHost "client-host": ${message}`);
    });
  });
});
