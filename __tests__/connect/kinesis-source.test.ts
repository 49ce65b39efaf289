/**
 * kind: kinesis-source in the whole stack, from examples/connectors/kinesis-source.yaml: the
 * stream (created encrypted, or an existing one by name), read access to exactly that stream
 * (the calls Camel's Kinesis2Consumer makes), the optional interface endpoint reachable only from
 * the connectors, the Camel properties, and the security guard passing.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { loadPipelineConfig } from "../../modules/config/load";
import { KinesisSourceStream } from "../../modules/connect/kinesis-source-stream";
import { parsePolicyJson } from "../../modules/guard/policy";
import { REPO_ROOT, makeProjectCopy, pipelineStack, removeProjectCopy } from "../support/project";

type Resource = Record<string, any>;
type Tf = { resource: Record<string, Record<string, Resource>> };

const EXAMPLE = readFileSync(path.join(REPO_ROOT, "examples/connectors/kinesis-source.yaml"), "utf8");
const KMS_KEY = "arn:aws:kms:ap-southeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function synthWith(yaml: string): { tf: Tf; errors: readonly string[] } {
  const root = makeProjectCopy({ files: { "configs/connectors/clickstream-kinesis.yaml": yaml } });
  try {
    const stack = pipelineStack(loadPipelineConfig({ rootDir: root }));
    const tf = JSON.parse(Testing.synth(stack)) as Tf;
    return { tf, errors: stack.securityReport().errors };
  } finally {
    removeProjectCopy(root);
  }
}

const connectorOf = (tf: Tf) => Object.values(tf.resource.aws_mskconnect_connector).find((c) => c.name === "ad-tech-dev-clickstream-kinesis")!;
function statementsOf(tf: Tf): Resource[] {
  const policy = Object.values(tf.resource.aws_iam_role_policy).find((p) => String(p.role).includes("clickstream-kinesis_role"))!;
  return (parsePolicyJson(policy.policy as string) as { Statement: Resource[] }).Statement;
}
const kindStatements = (tf: Tf) => statementsOf(tf).filter((s) => /^Kinesis/.test(String(s.Sid)));

describe("kinesis-source: the example (a created on-demand stream, through the NAT)", () => {
  const { tf, errors } = synthWith(EXAMPLE);
  const streams = Object.entries(tf.resource.aws_kinesis_stream);

  it("creates the stream encrypted with Kinesis's AWS managed key, on demand", () => {
    expect(streams).toHaveLength(1);
    const [address, stream] = streams[0];
    expect(address).toMatch(/^connector-kinds_clickstream-kinesis_stream_/);
    expect(stream).toMatchObject({
      name: "ad-tech-clickstream",
      encryption_type: "KMS",
      kms_key_id: "alias/aws/kinesis",
      retention_period: 24,
      stream_mode_details: { stream_mode: "ON_DEMAND" },
    });
    expect(stream.shard_count).toBeUndefined();
  });

  it("its role may only read that stream: ListShards, GetShardIterator, GetRecords on its ARN (no KMS grant for the AWS managed key)", () => {
    const [address] = streams[0];
    expect(kindStatements(tf)).toEqual([
      {
        Sid: "KinesisReadStream",
        Effect: "Allow",
        Action: ["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"],
        Resource: [`\${aws_kinesis_stream.${address}.arn}`],
      },
    ]);
    // Writes only its own topic.
    expect(statementsOf(tf).find((s) => s.Sid === "WriteOwnTopics")?.Resource).toEqual([expect.stringMatching(/\/clicks$/)]);
  });

  it("renders the Camel kamelet's properties: the stream, the stack's region, the role's credentials, one topic", () => {
    const config = connectorOf(tf).connector_configuration as Record<string, string>;
    expect(config).toMatchObject({
      "connector.class": "org.apache.camel.kafkaconnector.awskinesissource.CamelAwskinesissourceSourceConnector",
      topics: "clicks",
      "camel.kamelet.aws-kinesis-source.stream": `\${aws_kinesis_stream.${streams[0][0]}.name}`,
      "camel.kamelet.aws-kinesis-source.region": "ap-southeast-2",
      "camel.kamelet.aws-kinesis-source.useDefaultCredentialsProvider": "true",
      "camel.kamelet.aws-kinesis-source.useKclConsumers": "false",
      "camel.kamelet.aws-kinesis-source.delay": "500",
      transforms: "kinesisBodyToString",
      "transforms.kinesisBodyToString.type": "org.apache.camel.kafkaconnector.transforms.CamelTypeConverterTransform$Value",
      "transforms.kinesisBodyToString.target.type": "java.lang.String",
      "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    });
    expect(Object.keys(config).filter((k) => /accessKey|secretKey|sessionToken/.test(k))).toEqual([]);
    expect(connectorOf(tf).kafkaconnect_version).toBe("3.7.x");
  });

  it("adds no endpoint and no security group rule: Kinesis is reached through the NAT (443 egress exists already)", () => {
    expect(Object.keys(tf.resource.aws_vpc_endpoint).filter((k) => k.includes("kinesis"))).toEqual([]);
    const rules = [...Object.keys(tf.resource.aws_vpc_security_group_egress_rule), ...Object.keys(tf.resource.aws_vpc_security_group_ingress_rule)];
    expect(rules.filter((k) => k.startsWith("connector-kinds"))).toEqual([]);
    expect(Object.keys(tf.resource.aws_vpc_security_group_egress_rule).some((k) => k.startsWith("connector-security-group_to-aws-apis"))).toBe(true);
  });

  it("passes the security guard", () => {
    expect(errors).toEqual([]);
  });
});

describe("kinesis-source: an interface endpoint and a customer managed key", () => {
  const yaml = EXAMPLE.replace("interface_endpoint: false", "interface_endpoint: true")
    .replace("capacity_mode: on_demand", "capacity_mode: provisioned\n    shard_count: 4")
    .replace("kms_key: alias/aws/kinesis", `kms_key: ${KMS_KEY}`);
  const { tf, errors } = synthWith(yaml);
  const find = (type: string, id: string): [string, Resource] => {
    const hit = Object.entries(tf.resource[type] ?? {}).find(([k]) => k.startsWith(`connector-kinds_clickstream-kinesis_${id}_`));
    if (!hit) throw new Error(`no ${type} ${id}`);
    return hit;
  };
  const [endpointSg] = find("aws_security_group", "endpoint-security-group");
  const connectorSg = Object.keys(tf.resource.aws_security_group).find((k) => k.startsWith("connector-security-group_resource_"))!;

  it("creates a kinesis-streams interface endpoint in the private subnets, with private DNS and its own group", () => {
    const [, endpoint] = find("aws_vpc_endpoint", "endpoint");
    expect(endpoint).toMatchObject({
      service_name: "com.amazonaws.ap-southeast-2.kinesis-streams",
      vpc_endpoint_type: "Interface",
      private_dns_enabled: true,
      security_group_ids: [`\${aws_security_group.${endpointSg}.id}`],
    });
    expect(endpoint.subnet_ids).toEqual([0, 1, 2].map(() => expect.stringMatching(/^\$\{aws_subnet\.network_private-subnet-[abc]_[^}]+\.id\}$/)));
  });

  it("the endpoint's group admits 443 from the connectors' group only, and the connectors' group may reach it", () => {
    const [, ingress] = find("aws_vpc_security_group_ingress_rule", "endpoint-from-connectors");
    expect(ingress).toMatchObject({
      security_group_id: `\${aws_security_group.${endpointSg}.id}`,
      referenced_security_group_id: `\${aws_security_group.${connectorSg}.id}`,
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
    });
    expect(ingress.cidr_ipv4).toBeUndefined();
    const [, egress] = find("aws_vpc_security_group_egress_rule", "connectors-to-endpoint");
    expect(egress).toMatchObject({
      security_group_id: `\${aws_security_group.${connectorSg}.id}`,
      referenced_security_group_id: `\${aws_security_group.${endpointSg}.id}`,
      from_port: 443,
      to_port: 443,
    });
  });

  it("a provisioned stream with its shard count and key; the role may decrypt with that key through Kinesis only", () => {
    const [, stream] = find("aws_kinesis_stream", "stream");
    expect(stream).toMatchObject({ shard_count: 4, stream_mode_details: { stream_mode: "PROVISIONED" }, kms_key_id: KMS_KEY });
    expect(kindStatements(tf)[1]).toEqual({
      Sid: "KinesisDecrypt",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [KMS_KEY],
      Condition: { StringEquals: { "kms:ViaService": "kinesis.ap-southeast-2.amazonaws.com" } },
    });
  });

  it("the connector waits for the endpoint and its rules", () => {
    const deps = connectorOf(tf).depends_on as string[];
    for (const id of ["endpoint", "endpoint-from-connectors", "connectors-to-endpoint"]) {
      expect(deps.some((d) => d.includes(`connector-kinds_clickstream-kinesis_${id}_`))).toBe(true);
    }
  });

  it("passes the security guard", () => {
    expect(errors).toEqual([]);
  });
});

describe("kinesis-source: an existing stream", () => {
  const yaml = EXAMPLE.replace(/ {2}create:[\s\S]*?kms_key: alias\/aws\/kinesis[^\n]*\n/, `  kms_key_arn: ${KMS_KEY}\n`).replace("stream: ad-tech-clickstream", "stream: partner.events");
  const { tf, errors } = synthWith(yaml);

  it("creates no stream and grants read on the stream's ARN in this account and region, plus decrypt with its key", () => {
    expect(tf.resource.aws_kinesis_stream).toBeUndefined();
    expect(kindStatements(tf).map((s) => [s.Sid, s.Resource])).toEqual([
      ["KinesisReadStream", ["arn:${data.aws_partition.partition.partition}:kinesis:ap-southeast-2:${data.aws_caller_identity.caller.account_id}:stream/partner.events"]],
      ["KinesisDecrypt", [KMS_KEY]],
    ]);
    expect((connectorOf(tf).connector_configuration as Record<string, string>)["camel.kamelet.aws-kinesis-source.stream"]).toBe("partner.events");
    expect(errors).toEqual([]);
  });
});

describe("KinesisSourceStream validates its props", () => {
  const base = {
    namePrefix: "ad-tech-dev",
    connectorName: "k",
    streamName: "s",
    region: "ap-southeast-2",
    accountId: "111122223333",
    partition: "aws",
    topic: "clicks",
    connectorSecurityGroupId: "sg-0123456789abcdef0",
  };
  const build = (over: Record<string, unknown>) => () => new KinesisSourceStream(new TerraformStack(Testing.app(), "s"), "k", { ...base, ...over });

  it.each([
    [{ streamName: "has space" }, `KinesisSourceStream k: stream name must be 1-128 letters, digits, '_', '.', '-', got "has space"`],
    [{ create: { capacityMode: "PROVISIONED" } }, "KinesisSourceStream k: a PROVISIONED stream needs a whole shardCount of at least 1, got undefined"],
    [{ create: { shardCount: 2 } }, "KinesisSourceStream k: an ON_DEMAND stream takes no shardCount, got 2"],
    [{ create: { retentionHours: 12 } }, "KinesisSourceStream k: retentionHours must be 24-8760, got 12"],
    [{ create: { kmsKey: "alias/mine" } }, `KinesisSourceStream k: kmsKey must be alias/aws/kinesis or a KMS key ARN, got "alias/mine"`],
    [{ existingStreamKmsKeyArn: "key-1" }, `KinesisSourceStream k: existingStreamKmsKeyArn must be a KMS key ARN, got "key-1"`],
    [{ interfaceEndpoint: { vpcId: "vpc-1", subnetIds: [] } }, "KinesisSourceStream k: the interface endpoint needs at least one subnet"],
  ])("%j", (over, message) => {
    expect(build(over)).toThrow(message);
  });
});
