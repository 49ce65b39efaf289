/**
 * kind: mirror-maker in the whole stack: examples/connectors/mirror-maker.yaml becomes three MSK
 * Connect connectors with MirrorMaker's classes and properties, each role with exactly the IAM it
 * needs on our cluster (and on an IAM source), one egress rule to the source brokers, and the
 * security guard passing. MirrorMaker's keys and internal topic names are from Apache Kafka's
 * source (cited in modules/connect/mirror-maker.ts).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { MirrorMaker, type MirrorMakerProps } from "../../modules/connect/mirror-maker";
import { parsePolicyJson } from "../../modules/guard/policy";
import { REPO_ROOT, resourceNamed, synthProjectWith } from "../support/project";

type Resource = Record<string, any>;
type Tf = { resource: Record<string, Record<string, Resource>>; output: Record<string, Resource> };

const EXAMPLE = readFileSync(path.join(REPO_ROOT, "examples/connectors/mirror-maker.yaml"), "utf8");

const synthWith = (files: Record<string, string>) => synthProjectWith(files) as { tf: Tf; errors: readonly string[]; warnings: readonly string[] };
const byName = (tf: Tf, type: string, name: string): Resource => resourceNamed(tf, type, name);

/** The connector's role policy statements, by Sid. */
function statementsOf(tf: Tf, connector: string): Map<string, Resource> {
  const policy = Object.values(tf.resource.aws_iam_role_policy).find((p) => String(p.role).includes(`connectors_${connector}_role_`));
  if (!policy) throw new Error(`no policy for ${connector}`);
  const doc = parsePolicyJson(policy.policy as string) as { Statement: Resource[] };
  return new Map(doc.Statement.map((s) => [s.Sid as string, s]));
}

// Our cluster's ARN and its topic/group ARN prefixes, as Terraform expressions.
const CLUSTER = /^\$\{aws_msk_cluster\.kafka_cluster_[0-9A-F]+\.arn\}$/;
const onOurs = (kind: "topic" | "group", name: string) =>
  expect.stringMatching(new RegExp(`^\\$\\{replace\\(aws_msk_cluster\\.kafka_cluster_[0-9A-F]+\\.arn, ":cluster/", ":${kind}/"\\)\\}/${name.replace(/[.*]/g, (c) => `\\${c}`)}$`));

describe("the mirror-maker example in the reference stack", () => {
  const { tf, errors } = synthWith({ "configs/connectors/legacy-mirror.yaml": EXAMPLE });
  const source = byName(tf, "aws_mskconnect_connector", "ad-tech-dev-legacy-mirror-source");
  const checkpoint = byName(tf, "aws_mskconnect_connector", "ad-tech-dev-legacy-mirror-checkpoint");
  const heartbeat = byName(tf, "aws_mskconnect_connector", "ad-tech-dev-legacy-mirror-heartbeat");
  const cfg = (c: Resource) => c.connector_configuration as Record<string, string>;

  it("is three connectors, one per MirrorMaker class, each with its own role", () => {
    expect([source, checkpoint, heartbeat].map((c) => cfg(c)["connector.class"])).toEqual([
      "org.apache.kafka.connect.mirror.MirrorSourceConnector",
      "org.apache.kafka.connect.mirror.MirrorCheckpointConnector",
      "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector",
    ]);
    for (const r of ["source", "checkpoint", "heartbeat"]) expect(byName(tf, "aws_iam_role", `ad-tech-dev-legacy-mirror-${r}-connect`)).toBeTruthy();
    expect(Object.keys(tf.output).filter((o) => o.includes("legacy_mirror")).sort()).toEqual([
      "connector_arn_legacy_mirror_checkpoint",
      "connector_arn_legacy_mirror_heartbeat",
      "connector_arn_legacy_mirror_source",
    ]);
  });

  it("the source and checkpoint connectors read the legacy cluster with SCRAM from the secret; all three write ours with IAM", () => {
    for (const c of [source, checkpoint]) {
      expect(cfg(c)).toMatchObject({
        "source.cluster.alias": "legacy",
        "source.cluster.bootstrap.servers": "kafka-1.legacy.example.internal:9096,kafka-2.legacy.example.internal:9096",
        "source.cluster.security.protocol": "SASL_SSL",
        "source.cluster.sasl.mechanism": "SCRAM-SHA-512",
        // $${ is Terraform's escape: MSK Connect receives ${secretsmanager:...} for the config provider.
        "source.cluster.sasl.jaas.config":
          'org.apache.kafka.common.security.scram.ScramLoginModule required username="$${secretsmanager:legacy-kafka/mirror-maker:username}" password="$${secretsmanager:legacy-kafka/mirror-maker:password}";',
        "config.action.reload": "none",
        "offset-syncs.topic.location": "target",
        // The replicated topics, exactly (source names = ours under the identity policy).
        topics: "impressions,clicks",
        "tasks.max": "2",
      });
    }
    for (const c of [source, checkpoint, heartbeat]) {
      expect(cfg(c)).toMatchObject({
        "replication.policy.class": "org.apache.kafka.connect.mirror.IdentityReplicationPolicy",
        "target.cluster.bootstrap.servers": expect.stringMatching(/^\$\{aws_msk_cluster\.kafka_cluster_[0-9A-F]+\.bootstrap_brokers_sasl_iam\}$/),
        "target.cluster.security.protocol": "SASL_SSL",
        "target.cluster.sasl.mechanism": "AWS_MSK_IAM",
        "target.cluster.sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
        "target.cluster.sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
        "key.converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
        "value.converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
        "header.converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
      });
    }
    // The heartbeat connector never talks to the source cluster and reads no secret.
    expect(Object.keys(cfg(heartbeat)).filter((k) => k.startsWith("source.cluster.") && k !== "source.cluster.alias")).toEqual([]);
    expect(cfg(heartbeat)["tasks.max"]).toBe("1");
  });

  it("role settings: no topic config or ACL sync, offsets synced for the named groups, internal topics at the broker's replication factor", () => {
    expect(cfg(source)).toMatchObject({
      "sync.topic.configs.enabled": "false",
      "sync.topic.acls.enabled": "false",
      "replication.factor": "-1",
      "offset-syncs.topic.replication.factor": "-1",
    });
    expect(cfg(checkpoint)).toMatchObject({
      groups: "ad-tech-reporting,ad-tech-dashboards-.*",
      "emit.checkpoints.enabled": "true",
      "sync.group.offsets.enabled": "true",
      "checkpoints.topic.replication.factor": "-1",
    });
    expect(cfg(heartbeat)["heartbeats.topic.replication.factor"]).toBe("-1");
  });

  it("the file's capacity runs the source connector; checkpoints and heartbeats get one 1-MCU worker", () => {
    expect(source.capacity).toEqual({ provisioned_capacity: { worker_count: 1, mcu_count: 2 } });
    expect(checkpoint.capacity).toEqual({ provisioned_capacity: { worker_count: 1, mcu_count: 1 } });
    expect(heartbeat.capacity).toEqual({ provisioned_capacity: { worker_count: 1, mcu_count: 1 } });
  });

  it("the connectors that read the secret run on the provider-declaring worker configuration, the heartbeat on the plain one", () => {
    const workers = (c: Resource) => /aws_mskconnect_worker_configuration\.([^.]+)\.arn/.exec(String(c.worker_configuration.arn))![1];
    const props = (c: Resource) => tf.resource.aws_mskconnect_worker_configuration[workers(c)].properties_file_content as string;
    expect(props(source)).toMatch(/^config\.providers=secretsmanager$/m);
    expect(props(checkpoint)).toMatch(/^config\.providers=secretsmanager$/m);
    expect(props(heartbeat)).not.toMatch(/config\.providers/);
  });

  it("source role: our cluster, the replicated topics, the offset-syncs and remote heartbeats topics, the secret; nothing else", () => {
    const s = statementsOf(tf, "legacy-mirror-source");
    expect([...s.keys()]).toEqual(["Cluster", "WriteOwnTopics", "ConnectInternalTopics", "OwnGroups", "ReferencedSecrets", "MirrorInternalTopics", "MirrorIdempotentWrite"]);
    expect(s.get("WriteOwnTopics")).toEqual({
      Sid: "WriteOwnTopics",
      Effect: "Allow",
      Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
      Resource: [onOurs("topic", "impressions"), onOurs("topic", "clicks")],
    });
    expect(s.get("MirrorInternalTopics")).toEqual({
      Sid: "MirrorInternalTopics",
      Effect: "Allow",
      Action: ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
      Resource: [onOurs("topic", "mm2-offset-syncs.legacy.internal"), onOurs("topic", "legacy.heartbeats")],
    });
    expect(s.get("MirrorIdempotentWrite")).toEqual({ Sid: "MirrorIdempotentWrite", Effect: "Allow", Action: ["kafka-cluster:WriteDataIdempotently"], Resource: [expect.stringMatching(CLUSTER)] });
    expect(s.get("ReferencedSecrets")?.Resource).toEqual([
      expect.stringMatching(/^arn:\$\{data\.aws_partition\.partition\.partition\}:secretsmanager:ap-southeast-2:\$\{data\.aws_caller_identity\.caller\.account_id\}:secret:legacy-kafka\/mirror-maker-\?{6}$/),
    ]);
  });

  it("checkpoint role: its checkpoints topic, reads the offset syncs, and commits offsets only for the named groups on the replicated topics", () => {
    const s = statementsOf(tf, "legacy-mirror-checkpoint");
    expect([...s.keys()]).toEqual([
      "Cluster",
      "WriteOwnTopics",
      "ConnectInternalTopics",
      "OwnGroups",
      "ReferencedSecrets",
      "MirrorCheckpointsTopic",
      "MirrorOffsetSyncsRead",
      "MirrorIdempotentWrite",
      "MirrorGroupOffsets",
      "MirrorGroupTopics",
    ]);
    expect(s.get("WriteOwnTopics")?.Resource).toEqual([onOurs("topic", "legacy.checkpoints.internal")]);
    expect(s.get("MirrorCheckpointsTopic")).toEqual({ Sid: "MirrorCheckpointsTopic", Effect: "Allow", Action: ["kafka-cluster:CreateTopic"], Resource: [onOurs("topic", "legacy.checkpoints.internal")] });
    expect(s.get("MirrorOffsetSyncsRead")).toEqual({
      Sid: "MirrorOffsetSyncsRead",
      Effect: "Allow",
      Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
      Resource: [onOurs("topic", "mm2-offset-syncs.legacy.internal")],
    });
    expect(s.get("MirrorGroupOffsets")).toEqual({
      Sid: "MirrorGroupOffsets",
      Effect: "Allow",
      Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
      Resource: [onOurs("group", "ad-tech-reporting"), onOurs("group", "ad-tech-dashboards-*")],
    });
    expect(s.get("MirrorGroupTopics")).toEqual({
      Sid: "MirrorGroupTopics",
      Effect: "Allow",
      Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
      Resource: [onOurs("topic", "impressions"), onOurs("topic", "clicks")],
    });
  });

  it("heartbeat role: the heartbeats topic only, no secret", () => {
    const s = statementsOf(tf, "legacy-mirror-heartbeat");
    expect([...s.keys()]).toEqual(["Cluster", "WriteOwnTopics", "ConnectInternalTopics", "OwnGroups", "MirrorHeartbeatsTopic", "MirrorIdempotentWrite"]);
    expect(s.get("WriteOwnTopics")?.Resource).toEqual([onOurs("topic", "heartbeats")]);
    expect(s.get("MirrorHeartbeatsTopic")).toEqual({ Sid: "MirrorHeartbeatsTopic", Effect: "Allow", Action: ["kafka-cluster:CreateTopic"], Resource: [onOurs("topic", "heartbeats")] });
  });

  it("one egress rule from the connectors' security group to the source CIDR on the SCRAM port, before the connectors", () => {
    const rules = Object.entries(tf.resource.aws_vpc_security_group_egress_rule).filter(([id]) => id.startsWith("connector-kinds_legacy-mirror_"));
    expect(rules.map(([, r]) => r)).toEqual([
      {
        security_group_id: expect.stringMatching(/^\$\{aws_security_group\.connector-security-group_resource_[0-9A-F]+\.id\}$/),
        description: "Kafka (scram) to the brokers of MirrorMaker source cluster legacy",
        ip_protocol: "tcp",
        from_port: 9096,
        to_port: 9096,
        cidr_ipv4: "10.60.0.0/16",
      },
    ]);
    for (const c of [source, checkpoint, heartbeat]) expect(c.depends_on).toContain(`aws_vpc_security_group_egress_rule.${rules[0][0]}`);
  });

  it("passes the security guard", () => {
    expect(errors).toEqual([]);
  });
});

/** The example with its authentication (and network) replaced. */
const withAuth = (auth: string, network = "      cidr: 10.60.0.0/16") =>
  EXAMPLE.replace(/^ {4}authentication:\n(?: {6}.*\n)+/m, `    authentication:\n${auth}\n`).replace(/^ {4}network:.*\n(?: {6}.*\n)+/m, `    network:\n${network}\n`);

describe("an IAM source (another MSK cluster)", () => {
  const SOURCE_ARN = "arn:aws:kafka:eu-west-1:444455556666:cluster/legacy-msk/11111111-2222-3333-4444-555555555555-1";
  const yaml = withAuth(`      type: iam\n      cluster_arn: ${SOURCE_ARN}`, "      security_group_id: sg-0123456789abcdef0");
  const { tf, errors } = synthWith({ "configs/connectors/legacy-mirror.yaml": yaml });
  const cfg = byName(tf, "aws_mskconnect_connector", "ad-tech-dev-legacy-mirror-source").connector_configuration as Record<string, string>;
  const onSource = (kind: string, name: string) => `arn:aws:kafka:eu-west-1:444455556666:${kind}/legacy-msk/11111111-2222-3333-4444-555555555555-1/${name}`;

  it("signs in with IAM, and the source role may read exactly the replicated topics there", () => {
    expect(cfg).toMatchObject({
      "source.cluster.security.protocol": "SASL_SSL",
      "source.cluster.sasl.mechanism": "AWS_MSK_IAM",
      "source.cluster.sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
      "source.cluster.sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
    });
    expect(cfg["config.action.reload"]).toBeUndefined();
    const s = statementsOf(tf, "legacy-mirror-source");
    expect(s.get("SourceCluster")).toEqual({ Sid: "SourceCluster", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: [SOURCE_ARN] });
    expect(s.get("SourceTopics")).toEqual({
      Sid: "SourceTopics",
      Effect: "Allow",
      Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:ReadData"],
      Resource: [onSource("topic", "impressions"), onSource("topic", "clicks")],
    });
    expect(s.has("ReferencedSecrets")).toBe(false);
  });

  it("the checkpoint role may describe the topics and the named groups there, no more", () => {
    const s = statementsOf(tf, "legacy-mirror-checkpoint");
    expect(s.get("SourceTopics")).toEqual({ Sid: "SourceTopics", Effect: "Allow", Action: ["kafka-cluster:DescribeTopic"], Resource: [onSource("topic", "impressions"), onSource("topic", "clicks")] });
    expect(s.get("SourceGroups")).toEqual({
      Sid: "SourceGroups",
      Effect: "Allow",
      Action: ["kafka-cluster:DescribeGroup"],
      Resource: [onSource("group", "ad-tech-reporting"), onSource("group", "ad-tech-dashboards-*")],
    });
    expect([...statementsOf(tf, "legacy-mirror-heartbeat").keys()].filter((k) => k.startsWith("Source"))).toEqual([]);
  });

  it("the egress rule names the source brokers' security group on the IAM port, and the guard passes", () => {
    const [rule] = Object.entries(tf.resource.aws_vpc_security_group_egress_rule).filter(([id]) => id.startsWith("connector-kinds_legacy-mirror_")).map(([, r]) => r);
    expect([rule.referenced_security_group_id, rule.from_port, rule.to_port, rule.cidr_ipv4]).toEqual(["sg-0123456789abcdef0", 9098, 9098, undefined]);
    expect(errors).toEqual([]);
  });
});

describe("other sources and policies", () => {
  it("scram with a customer-managed key: kms:Decrypt on that key through Secrets Manager only", () => {
    const key = "arn:aws:kms:ap-southeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { tf } = synthWith({
      "configs/connectors/legacy-mirror.yaml": withAuth(`      type: scram\n      secret: AmazonMSK_legacy\n      kms_key_arn: ${key}`),
    });
    expect(statementsOf(tf, "legacy-mirror-source").get("SourceSecretKey")).toEqual({
      Sid: "SourceSecretKey",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [key],
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.ap-southeast-2.amazonaws.com" } },
    });
  });

  it("tls: SSL to the source, no secret, no source IAM", () => {
    const { tf, errors } = synthWith({ "configs/connectors/legacy-mirror.yaml": withAuth("      type: tls") });
    const cfg = byName(tf, "aws_mskconnect_connector", "ad-tech-dev-legacy-mirror-source").connector_configuration as Record<string, string>;
    expect(cfg["source.cluster.security.protocol"]).toBe("SSL");
    expect(Object.keys(cfg).filter((k) => k.startsWith("source.cluster.sasl"))).toEqual([]);
    expect([...statementsOf(tf, "legacy-mirror-source").keys()].filter((k) => /Secret|Source/.test(k))).toEqual([]);
    const [rule] = Object.entries(tf.resource.aws_vpc_security_group_egress_rule).filter(([id]) => id.startsWith("connector-kinds_legacy-mirror_")).map(([, r]) => r);
    expect(rule.from_port).toBe(9094);
    expect(errors).toEqual([]);
  });

  it("none with both waivers: PLAINTEXT, and the guard reports the violations as waived", () => {
    const env = readFileSync(path.join(REPO_ROOT, "configs/environments/dev.yaml"), "utf8");
    const waivers = [
      "security:",
      "  waivers:",
      ...["source", "checkpoint"].map(
        (r) => `    - { rule: MSKC-3, resource: aws_mskconnect_connector.connectors/legacy-mirror-${r}/resource, reason: "legacy cluster has no TLS listener; isolated peering, until cut-over" }`,
      ),
    ].join("\n");
    const withWaivers = /^security:/m.test(env) ? env.replace(/^security:\n(?:(?: {2}.*)?\n)*/m, `${waivers}\n`) : `${env}\n${waivers}\n`;
    const { tf, errors, warnings } = synthWith({
      "configs/environments/dev.yaml": withWaivers,
      "configs/connectors/legacy-mirror.yaml": withAuth("      type: none"),
    });
    const cfg = byName(tf, "aws_mskconnect_connector", "ad-tech-dev-legacy-mirror-checkpoint").connector_configuration as Record<string, string>;
    expect(cfg["source.cluster.security.protocol"]).toBe("PLAINTEXT");
    expect(errors).toEqual([]);
    expect(warnings.filter((w) => w.includes("MSKC-3")).sort()).toEqual([
      expect.stringMatching(/^waived MSKC-3 aws_mskconnect_connector\.connectors\/legacy-mirror-checkpoint\/resource: legacy cluster has no TLS listener/),
      expect.stringMatching(/^waived MSKC-3 aws_mskconnect_connector\.connectors\/legacy-mirror-source\/resource: legacy cluster has no TLS listener/),
    ]);
  });

  it("the default policy: our topics are <alias>.<topic>, MirrorMaker filters the source names", () => {
    const topic = (name: string) => readFileSync(path.join(REPO_ROOT, "configs/topics/clicks.yaml"), "utf8").replace(/^name: clicks$/m, `name: ${name}`).replace(/^ {2}name: clicks$/m, `  name: ${name}`).replace(/^generator:[\s\S]*$/m, "");
    const yaml = EXAMPLE.replace("topics: [impressions, clicks]", "topics: [legacy.orders]").replace("replication_policy: identity", "replication_policy: default");
    const { tf } = synthWith({ "configs/topics/legacy.orders.yaml": topic("legacy.orders"), "configs/connectors/legacy-mirror.yaml": yaml });
    const cfg = byName(tf, "aws_mskconnect_connector", "ad-tech-dev-legacy-mirror-source").connector_configuration as Record<string, string>;
    expect([cfg["replication.policy.class"], cfg.topics]).toEqual(["org.apache.kafka.connect.mirror.DefaultReplicationPolicy", "orders"]);
    expect(statementsOf(tf, "legacy-mirror-source").get("WriteOwnTopics")?.Resource).toEqual([onOurs("topic", "legacy.orders")]);
  });
});

describe("MirrorMaker construct validation", () => {
  const base: MirrorMakerProps = {
    name: "m",
    sourceAlias: "legacy",
    sourceBootstrapServers: ["k1:9096"],
    authentication: { type: "tls" },
    sourcePeer: { cidr: "10.60.0.0/16", port: 9094 },
    connectorSecurityGroupId: "sg-1",
    targetClusterArn: "arn:aws:kafka:ap-southeast-2:111122223333:cluster/c/u",
    targetBootstrapServers: "b:9098",
    topics: ["orders"],
    groups: ["g"],
    region: "ap-southeast-2",
  };
  const build = (p: Partial<MirrorMakerProps>) => () => Testing.synthScope((s) => void new MirrorMaker(s, "m", { ...base, ...p }));

  it.each<[string, Partial<MirrorMakerProps>, string]>([
    ["a peer with both cidr and group", { sourcePeer: { cidr: "10.0.0.0/8", securityGroupId: "sg-2", port: 1 } }, "MirrorMaker m: sourcePeer needs exactly one of cidr or securityGroupId"],
    ["an open CIDR", { sourcePeer: { cidr: "0.0.0.0/0", port: 9094 } }, 'MirrorMaker m: sourcePeer.cidr must name the source network, got "0.0.0.0/0"'],
    ["the default policy without the alias prefix", { replicationPolicy: "default" }, 'MirrorMaker m: with the default replication policy every topic is <alias>.<topic>, got "orders"'],
    ["no checkpoints and no sync", { emitCheckpoints: false, syncGroupOffsets: false }, "MirrorMaker m: emitCheckpoints and syncGroupOffsets cannot both be false"],
    ["an IAM source without a cluster ARN", { authentication: { type: "iam", clusterArn: "legacy" } }, 'MirrorMaker m: authentication.clusterArn must be an MSK cluster ARN, got "legacy"'],
    ["a bad broker address", { sourceBootstrapServers: ["k1"] }, 'MirrorMaker m: a bootstrap server is host:port, got "k1"'],
  ])("refuses %s", (_name, p, message) => {
    expect(build(p)).toThrow(message);
  });
});
