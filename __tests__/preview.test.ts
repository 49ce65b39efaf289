/**
 * Offline change preview: diff + classify + render are pure functions over two synthesized
 * stacks, tested in-process on real synths of edited copies of the reference configs and on
 * small hand-built stacks for connectors; one test runs the CLI as a user would.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { MskconnectConnector } from "@cdktf/provider-aws/lib/mskconnect-connector";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { loadPipelineConfig } from "../modules/config/load";
import { PipelineStack, pipelineStackProps } from "../modules/pipeline-stack";
import { KafkaCluster, type KafkaClusterProps } from "../modules/kafka/kafka-cluster";
import { MASK, diffStacks, formatPath, resourcesOf } from "../scripts/preview/diff";
import { classifyAttribute, tableRecheckNeeded, type ProviderPackageJson } from "../scripts/preview/force-new";
import { cautions, renderPreview, replacements, summaryLine } from "../scripts/preview/render";
import { topicAlerts } from "../scripts/preview/topics";
import { clusterAlerts } from "../scripts/preview/cluster";
import { readKafkaClientBootstrapScript, readVpnBootstrapScript } from "../scripts/project-assets";
import { REPO_ROOT, makeProjectCopy, removeProjectCopy } from "./support/project";
import { osisReadyEnvironment } from "./support/osis-environment";

/**
 * The App options main.ts synthesizes with: no `terraform version` probe and no construct stack
 * traces (together they double the cost of a synth; the output is the same).
 */
const MAIN_APP_OPTIONS = { skipValidation: true, stackTraces: false } as const;

/** Synthesizes the `dev` stack of a project copy, exactly as main.ts does, and returns its JSON. */
function synthDev(root: string): unknown {
  const config = loadPipelineConfig({ rootDir: root });
  const outdir = mkdtempSync(path.join(tmpdir(), "preview-out-"));
  try {
    const app = new App({ outdir, ...MAIN_APP_OPTIONS });
    const scripts = { vpnBootstrapScript: readVpnBootstrapScript(), clientHostBootstrapScript: readKafkaClientBootstrapScript() };
    for (const environment of config.environments) new PipelineStack(app, pipelineStackProps(config, environment, scripts));
    app.synth();
    return JSON.parse(readFileSync(path.join(outdir, "stacks", "dev", "cdk.tf.json"), "utf8"));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const reference = (rel: string) => readFileSync(path.join(REPO_ROOT, rel), "utf8");

/** Synth of the reference configs with some files replaced. */
function synthWith(files: Record<string, string>): unknown {
  const root = makeProjectCopy({ files });
  try {
    return synthDev(root);
  } finally {
    removeProjectCopy(root);
  }
}

/** Synth with topic clicks renamed to taps, in its file and in both connectors that list it. */
function synthClicksRenamedToTaps(): unknown {
  const clicksFile = reference("configs/topics/clicks.yaml");
  const renamed = clicksFile.replace(/^name: clicks$/m, "name: taps").replace(/^ {2}name: clicks$/m, "  name: taps");
  const rename = (file: string) => reference(file).replace("topics: [impressions, clicks]", "topics: [impressions, taps]");
  return synthWith({
    "configs/topics/clicks.yaml": renamed,
    "configs/connectors/ad-tech-source.yaml": rename("configs/connectors/ad-tech-source.yaml"),
    "configs/connectors/ad-tech-sink.yaml": rename("configs/connectors/ad-tech-sink.yaml"),
  });
}

let base: unknown;
beforeAll(() => {
  base = synthWith({});
});

describe("preview on real synths of edited configs", () => {
  it("the same configs give no changes", () => {
    const diff = diffStacks(base, synthWith({}));
    expect(summaryLine(diff)).toBe("+0 ~0 -0 (no changes)");
  });

  const orders = () =>
    reference("configs/topics/clicks.yaml")
      .replace(/^name: clicks$/m, "name: orders")
      .replace(/^ {2}name: clicks$/m, "  name: orders")
      .replace(/^generator:[\s\S]*$/m, "");

  it("adding a topic file adds exactly one aws_msk_topic and changes only the index bootstrap (its plan gains the index)", () => {
    const diff = diffStacks(base, synthWith({ "configs/topics/orders.yaml": orders() }));
    expect(diff.added.map((r) => [r.type, r.component, r.label])).toEqual([["aws_msk_topic", "kafka", "topic orders"]]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => [c.type, c.component])).toEqual([["terraform_data", "bootstrap"]]);
    expect(topicAlerts(diff)).toEqual([]);
  });

  it("adding a topic to a connector adds its aws_msk_topic, replaces that connector (config hash) and touches nothing else", () => {
    const sink = reference("configs/connectors/ad-tech-sink.yaml").replace("topics: [impressions, clicks]", "topics: [impressions, clicks, orders]");
    const diff = diffStacks(base, synthWith({ "configs/topics/orders.yaml": orders(), "configs/connectors/ad-tech-sink.yaml": sink }));
    expect(diff.added.map((r) => [r.type, r.label])).toEqual([["aws_msk_topic", "topic orders"]]);
    expect(diff.removed).toEqual([]);
    expect(replacements(diff).filter((label) => label.startsWith("connector "))).toEqual(["connector ad-tech-sink"]);
    for (const c of diff.changed) expect(["connectors", "bootstrap"]).toContain(c.component);
    expect(summaryLine(diff)).toContain("replacement: connector ad-tech-sink");
  });

  it("adding the kinesis-source example is additions only: its plugin, connector, stream and endpoint; nothing existing changes", () => {
    const diff = diffStacks(base, synthWith({ "configs/connectors/clickstream-kinesis.yaml": reference("examples/connectors/kinesis-source.yaml").replace("interface_endpoint: false", "interface_endpoint: true") }));
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => c.label)).toEqual([]);
    expect(diff.added.map((r) => r.type).sort()).toEqual(
      [
        "aws_cloudwatch_log_group",
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_kinesis_stream",
        "aws_mskconnect_connector",
        "aws_mskconnect_custom_plugin",
        "aws_s3_object",
        "aws_security_group",
        "aws_vpc_endpoint",
        "aws_vpc_security_group_egress_rule",
        "aws_vpc_security_group_ingress_rule",
        "terraform_data",
      ].sort(),
    );
    for (const r of diff.added) expect(r.component).toBe("connectors");
  });

  it("adding the jdbc-source example (and its topics) adds its connector, rules and topics; only the index bootstrap changes", () => {
    const diff = diffStacks(
      base,
      synthWith({
        "configs/connectors/shop-db.yaml": reference("examples/connectors/jdbc-source.yaml"),
        "configs/topics/shop-orders.yaml": reference("examples/topics/shop-orders.yaml"),
        "configs/topics/shop-customers.yaml": reference("examples/topics/shop-customers.yaml"),
      }),
    );
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => [c.type, c.component])).toEqual([["terraform_data", "bootstrap"]]);
    expect(diff.added.filter((r) => r.component !== "connectors").map((r) => r.label).sort()).toEqual(["topic shop-customers", "topic shop-orders"]);
    expect(diff.added.filter((r) => r.type.startsWith("aws_vpc_security_group_")).map((r) => r.type).sort()).toEqual([
      "aws_vpc_security_group_egress_rule",
      "aws_vpc_security_group_ingress_rule",
    ]);
  });

  it("turning on multi-VPC connectivity for OpenSearch Ingestion shows as a change of the MSK cluster (a rolling broker restart), plus the cluster policy", () => {
    const diff = diffStacks(base, synthWith({ "configs/environments/dev.yaml": osisReadyEnvironment() }));
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => [c.type, c.component])).toEqual([["aws_msk_cluster", "kafka"]]);
    expect(diff.added.map((r) => r.type)).toContain("aws_msk_cluster_policy");
  });

  it("adding the opensearch-ingestion example to a ready environment only adds (pipeline, role, log group, its group and rules); only the index bootstrap changes", () => {
    const ready = { "configs/environments/dev.yaml": osisReadyEnvironment() };
    const diff = diffStacks(synthWith(ready), synthWith({ ...ready, "configs/connectors/ad-tech-ingest.yaml": reference("examples/connectors/opensearch-ingestion.yaml") }));
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => [c.type, c.component])).toEqual([["terraform_data", "bootstrap"]]);
    expect(diff.added.map((r) => [r.type, r.component]).sort()).toEqual(
      [
        ["aws_cloudwatch_log_group", "connectors"],
        ["aws_iam_role", "connectors"],
        ["aws_iam_role_policy", "connectors"],
        ["aws_osis_pipeline", "connectors"],
        ["aws_security_group", "connectors"],
        ["aws_vpc_security_group_egress_rule", "connectors"],
        // The domain accepts 443 from the pipeline's group: a new rule, the domain's others unchanged.
        ["aws_vpc_security_group_ingress_rule", "opensearch"],
      ].sort(),
    );
  });

  it("changing a connector's capacity is an in-place update of that connector only", () => {
    const source = reference("configs/connectors/ad-tech-source.yaml").replace("provisioned: { workers: 1, mcu: 1 }", "provisioned: { workers: 2, mcu: 2 }");
    const diff = diffStacks(base, synthWith({ "configs/connectors/ad-tech-source.yaml": source }));
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => [c.label, c.replace])).toEqual([["connector ad-tech-source", false]]);
    expect(diff.changed[0].attributes.map((a) => a.path.join("."))).toEqual([
      "capacity.provisioned_capacity.mcu_count",
      "capacity.provisioned_capacity.worker_count",
    ]);
  });

  it("renaming a topic replaces the connectors that list it and renames its index in the bootstrap", () => {
    const diff = diffStacks(
      base,
      synthClicksRenamedToTaps(),
    );
    expect(replacements(diff).filter((l) => l.startsWith("connector ")).sort()).toEqual(["connector ad-tech-sink", "connector ad-tech-source"]);
    expect(diff.changed.filter((c) => c.component === "bootstrap").map((c) => c.type)).toEqual(["terraform_data"]);
    expect(summaryLine(diff)).toMatch(/replacements?: .*connector ad-tech-sink/);
  });

  const clicks = reference("configs/topics/clicks.yaml");

  it("more partitions and a new retention are an in-place change of that topic only, without alerts", () => {
    const edited = clicks.replace(/^partitions: 2 /m, "partitions: 6 ").replace("retention.ms: 604800000", "retention.ms: 86400000");
    const diff = diffStacks(base, synthWith({ "configs/topics/clicks.yaml": edited }));
    expect(diff.added).toEqual([]);
    expect(diff.changed.map((c) => [c.label, c.replace])).toEqual([["topic clicks", false]]);
    expect(diff.changed[0].attributes.map((a) => [formatPath(a.path), a.before, a.after])).toEqual([
      ['configs.(json)["retention.ms"]', '"604800000"', '"86400000"'],
      ["partition_count", "2", "6"],
    ]);
    expect(topicAlerts(diff)).toEqual([]);
    expect(summaryLine(diff)).toBe("+0 ~1 -0");
  });

  it("a partition decrease is flagged loudly: Kafka cannot shrink a topic", () => {
    const diff = diffStacks(base, synthWith({ "configs/topics/clicks.yaml": clicks.replace(/^partitions: 2 /m, "partitions: 1 ") }));
    expect(diff.changed.map((c) => [c.label, c.replace])).toEqual([["topic clicks", false]]);
    const text = renderPreview(diff, { env: "dev", baseline: "test" });
    expect(text.split("\n")[2]).toMatch(/^!! PARTITIONS CANNOT SHRINK: topic clicks partition_count 2 → 1 fails at apply/);
    expect(summaryLine(diff)).toBe("+0 ~1 -0 (1 topic alert: topic clicks)");
  });

  it("a replication factor change replaces the topic: DATA LOSS, before anything else in the preview", () => {
    const diff = diffStacks(base, synthWith({ "configs/topics/clicks.yaml": clicks.replace(/^replication_factor: 3 /m, "replication_factor: 2 ") }));
    const topic = diff.changed.find((c) => c.type === "aws_msk_topic")!;
    expect([topic.label, topic.replace]).toEqual(["topic clicks", true]);
    expect(topic.attributes).toEqual([{ path: ["replication_factor"], before: "3", after: "2", forcesReplacement: true }]);
    const [alert] = topicAlerts(diff);
    expect(alert.message).toMatch(/^DATA LOSS: topic clicks would be deleted with all its records and re-created empty \(replication_factor 3 → 2\); .*prevent_destroy.*kafka\.allow_topic_replacement: true/);
    expect(renderPreview(diff, { env: "dev", baseline: "test" }).split("\n")[2]).toBe(`!! ${alert.message}`);
    expect(replacements(diff)).toContain("topic clicks");
  });

  it("renaming a topic deletes the old one: flagged as DATA LOSS, and the new topic is a rename of it", () => {
    const diff = diffStacks(
      base,
      synthClicksRenamedToTaps(),
    );
    expect(diff.renamed.filter((r) => r.from.type === "aws_msk_topic").map((r) => [r.from.label, r.to.label])).toEqual([["topic clicks", "topic taps"]]);
    expect(topicAlerts(diff).map((a) => a.message)).toEqual([expect.stringMatching(/^DATA LOSS: topic clicks would be deleted with all its records \(renamed to taps, a new empty topic\)/)]);
  });

  it("removing a dead-letter topic deletes it: flagged as DATA LOSS", () => {
    const sink = reference("configs/connectors/ad-tech-sink.yaml").replace(/^ {2}dead_letter_queue:\n(^ {4}.*\n)+/m, "");
    const diff = diffStacks(base, synthWith({ "configs/connectors/ad-tech-sink.yaml": sink }));
    expect(diff.removed.map((r) => [r.type, r.label])).toEqual([["aws_msk_topic", "topic ad-tech-dl"]]);
    expect(topicAlerts(diff).map((a) => a.message)).toEqual([expect.stringMatching(/^DATA LOSS: topic ad-tech-dl would be deleted with all its records; every topic carries prevent_destroy/)]);
  });

  it("allowing topic replacement only drops prevent_destroy, in place", () => {
    const env = reference("configs/environments/dev.yaml").replace("allow_topic_replacement: false", "allow_topic_replacement: true");
    const diff = diffStacks(base, synthWith({ "configs/environments/dev.yaml": env }));
    expect(diff.changed.map((c) => [c.type, c.replace]).sort()).toEqual([
      ["aws_msk_topic", false],
      ["aws_msk_topic", false],
      ["aws_msk_topic", false],
    ]);
    for (const c of diff.changed) expect(c.attributes.map((a) => [formatPath(a.path), a.before, a.after])).toEqual([["lifecycle.prevent_destroy", "true", undefined]]);
  });

  it("changing the broker type is an in-place change of the MSK cluster, with old and new value", () => {
    const env = reference("configs/environments/dev.yaml");
    const diff = diffStacks(base, synthWith({ "configs/environments/dev.yaml": env.replace("broker_instance_type: kafka.m5.large", "broker_instance_type: kafka.m5.xlarge") }));
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => [c.type, c.component, c.replace])).toEqual([["aws_msk_cluster", "kafka", false]]);
    expect(diff.changed[0].attributes).toEqual([
      { path: ["broker_node_group_info", "instance_type"], before: '"kafka.m5.large"', after: '"kafka.m5.xlarge"', forcesReplacement: false },
    ]);
    expect(summaryLine(diff)).toBe("+0 ~1 -0");
  });

  it("changing the VPC CIDR flags the VPC and its subnets for replacement", () => {
    const env = reference("configs/environments/dev.yaml");
    const diff = diffStacks(base, synthWith({ "configs/environments/dev.yaml": env.replace(/^ {2}cidr: 10\.0\.0\.0\/16/m, "  cidr: 10.1.0.0/16") }));
    const replaced = diff.changed.filter((c) => c.replace);
    expect(replaced.map((c) => c.type).sort()).toEqual(["aws_subnet", "aws_subnet", "aws_subnet", "aws_subnet", "aws_subnet", "aws_subnet", "aws_vpc"]);
    expect(replaced.every((c) => c.component === "network")).toBe(true);
    expect(summaryLine(diff)).toMatch(/^\+0 ~\d+ -0 \(7 replacements: network private-subnet-a, /);
  });

  it("turning the VPN off removes the VPN's resources and its ingress rules, grouped under their components", () => {
    const env = reference("configs/environments/dev.yaml");
    const diff = diffStacks(base, synthWith({ "configs/environments/dev.yaml": env.replace("enabled: true ", "enabled: false") }));
    const removedComponents = new Set(diff.removed.map((r) => r.component));
    expect([...removedComponents].sort()).toEqual(["kafka", "opensearch", "vpn"]);
    expect(diff.removed.filter((r) => r.component !== "vpn").map((r) => r.type)).toEqual([
      "aws_vpc_security_group_ingress_rule",
      "aws_vpc_security_group_ingress_rule",
    ]);
    const text = renderPreview(diff, { env: "dev", baseline: "test" });
    expect(text.indexOf("\nVPN\n")).toBeLessThan(text.indexOf("\nKafka (MSK)\n"));
    expect(text.indexOf("\nKafka (MSK)\n")).toBeLessThan(text.indexOf("\nOpenSearch\n"));
  });
});

describe("adding a mirror-maker connector (examples/connectors/mirror-maker.yaml) to the reference configs", () => {
  it("only adds: its three connectors with their roles, policies, log groups and config hashes, its plugin and the egress rule", () => {
    const diff = diffStacks(base, synthWith({ "configs/connectors/legacy-mirror.yaml": reference("examples/connectors/mirror-maker.yaml") }));
    expect(diff.changed).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.renamed).toEqual([]);
    const added = diff.added.map((r) => [r.type, r.path]);
    const perConnector = ["source", "checkpoint", "heartbeat"].flatMap((role) =>
      ["aws_cloudwatch_log_group/log-group", "aws_iam_role/role", "aws_iam_role_policy/policy", "aws_mskconnect_connector/resource", "terraform_data/config-hash"].map((tp) => {
        const [type, id] = tp.split("/");
        return [type, `connectors/legacy-mirror-${role}/${id}`];
      }),
    );
    expect(added.filter(([, p]) => p.startsWith("connectors/")).sort()).toEqual(perConnector.sort());
    expect(added.filter(([, p]) => !p.startsWith("connectors/")).sort()).toEqual([
      ["aws_mskconnect_custom_plugin", "plugins/mirror-maker-2/resource"],
      ["aws_s3_object", "plugins/mirror-maker-2/object"],
      ["aws_vpc_security_group_egress_rule", "connector-kinds/legacy-mirror/to-source-cluster"],
    ]);
    expect(topicAlerts(diff)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Connectors, on hand-built stacks shaped like PipelineStack's (dev/connectors/<name>/connector)
// ---------------------------------------------------------------------------------------------

interface FakeConnector {
  readonly name: string;
  readonly workers?: number;
  readonly topics?: string;
  readonly version?: string;
  readonly password?: string;
}

function connectorStack(connectors: readonly FakeConnector[]): unknown {
  const outdir = mkdtempSync(path.join(tmpdir(), "preview-fake-"));
  try {
    const app = new App({ outdir, ...MAIN_APP_OPTIONS });
    const stack = new TerraformStack(app, "dev");
    new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
    const scope = new Construct(stack, "connectors");
    for (const c of connectors) {
      new MskconnectConnector(new Construct(scope, c.name), "connector", {
        name: `ad-tech-dev-${c.name}`,
        kafkaconnectVersion: c.version ?? "2.7.1",
        capacity: { provisionedCapacity: { workerCount: c.workers ?? 1, mcuCount: 1 } },
        connectorConfiguration: {
          "connector.class": "io.aiven.kafka.connect.opensearch.OpensearchSinkConnector",
          topics: c.topics ?? "impressions,clicks",
          ...(c.password ? { "connection.password": c.password } : {}),
        },
        kafkaCluster: { apacheKafkaCluster: { bootstrapServers: "b-1:9098", vpc: { securityGroups: ["sg-1"], subnets: ["subnet-1"] } } },
        kafkaClusterClientAuthentication: { authenticationType: "IAM" },
        kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
        plugin: [{ customPlugin: { arn: "arn:aws:kafkaconnect:ap-southeast-2:123456789012:custom-plugin/p/1", revision: 1 } }],
        serviceExecutionRoleArn: "arn:aws:iam::123456789012:role/r",
      });
    }
    app.synth();
    return JSON.parse(readFileSync(path.join(outdir, "stacks", "dev", "cdk.tf.json"), "utf8"));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe("preview of connector changes", () => {
  const sink = { name: "ad-tech-sink" };

  it("reads component and label from the construct path", () => {
    const [r] = [...resourcesOf(connectorStack([sink])).values()];
    expect([r.type, r.path, r.component, r.label]).toEqual(["aws_mskconnect_connector", "connectors/ad-tech-sink/connector", "connectors", "connector ad-tech-sink"]);
  });

  it("changing a connector's capacity is in place", () => {
    const diff = diffStacks(connectorStack([sink]), connectorStack([{ ...sink, workers: 2 }]));
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0].replace).toBe(false);
    expect(diff.changed[0].attributes.map((a) => [a.path.join("."), a.before, a.after])).toEqual([["capacity.provisioned_capacity.worker_count", "1", "2"]]);
    expect(summaryLine(diff)).toBe("+0 ~1 -0");
  });

  it("changing its Kafka Connect version replaces it, and --fail-on-replace has something to fail on", () => {
    const diff = diffStacks(connectorStack([sink]), connectorStack([{ ...sink, version: "3.7.x" }]));
    expect(diff.changed[0].replace).toBe(true);
    expect(replacements(diff)).toEqual(["connector ad-tech-sink"]);
    expect(summaryLine(diff)).toBe("+0 ~1 -0 (1 replacement: connector ad-tech-sink)");
    expect(renderPreview(diff, { env: "dev", baseline: "test" })).toContain('kafkaconnect_version: "2.7.1" → "3.7.x"  # forces replacement');
  });

  it("renaming a topic changes the connectors' configuration: flagged with the provider's known pitfall", () => {
    const diff = diffStacks(connectorStack([sink]), connectorStack([{ ...sink, topics: "impressions,click-events" }]));
    const [change] = diff.changed;
    expect(change.attributes.map((a) => [a.path.join("."), a.before, a.after])).toEqual([
      ["connector_configuration.topics", '"impressions,clicks"', '"impressions,click-events"'],
    ]);
    expect(change.attributes[0].caution).toMatch(/terraform-provider-aws#47004/);
    expect(cautions(diff)).toEqual(["connector ad-tech-sink"]);
    expect(summaryLine(diff)).toBe("+0 ~1 -0 (1 caution: connector ad-tech-sink)");
  });

  it("renaming a connector file changes its logical id: remove + add, counted as a replacement", () => {
    const diff = diffStacks(connectorStack([sink]), connectorStack([{ name: "ad-tech-sink-v2" }]));
    expect(diff.added.map((r) => r.label)).toEqual(["connector ad-tech-sink-v2"]);
    expect(diff.removed.map((r) => r.label)).toEqual(["connector ad-tech-sink"]);
    expect(summaryLine(diff)).toBe("+1 ~0 -1 (1 replacement: connector ad-tech-sink (renamed to connector ad-tech-sink-v2))");
  });

  it("masks values of secret-looking keys, before and after", () => {
    const diff = diffStacks(connectorStack([{ ...sink, password: "hunter2-old" }]), connectorStack([{ ...sink, password: "hunter2-new" }]));
    const text = renderPreview(diff, { env: "dev", baseline: "test" });
    expect(text).toContain(`connector_configuration["connection.password"]: ${MASK} → ${MASK}`);
    expect(text).not.toMatch(/hunter2/);
  });

  it("adding a connector is an addition in the connectors group", () => {
    const diff = diffStacks(connectorStack([sink]), connectorStack([sink, { name: "orders-sink" }]));
    expect(diff.added.map((r) => [r.component, r.label])).toEqual([["connectors", "connector orders-sink"]]);
    expect(summaryLine(diff)).toBe("+1 ~0 -0");
  });
});

/** A stack with just the Kafka cluster (construct path kafka/...), as the preview reads it. */
function kafkaStack(props: Partial<KafkaClusterProps> = {}): unknown {
  const outdir = mkdtempSync(path.join(tmpdir(), "preview-kafka-"));
  try {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "dev");
    new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
    new KafkaCluster(stack, "kafka", {
      namePrefix: "ad-tech-dev",
      vpcId: "vpc-123",
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      clientSecurityGroups: { connectors: "sg-0fedcba9876543210" },
      ...props,
    });
    app.synth();
    return JSON.parse(readFileSync(path.join(outdir, "stacks", "dev", "cdk.tf.json"), "utf8"));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe("switching kafka.mode in the preview", () => {
  const serverlessDev = "# yaml-language-server: $schema=../../schemas/environment.schema.json\nname_prefix: ad-tech-dev\nregion: ap-southeast-2\nkafka: { mode: serverless }\n";
  let provisioned: unknown;
  let serverless: unknown;
  beforeAll(() => {
    provisioned = synthWith({});
    serverless = synthWith({ "configs/environments/dev.yaml": serverlessDev });
  });

  it("provisioned → serverless: a loud CLUSTER REPLACED alert first, the topics' data loss, and the summary says so", () => {
    const diff = diffStacks(provisioned, serverless);
    expect(diff.removed.map((r) => r.type)).toEqual(expect.arrayContaining(["aws_msk_cluster", "aws_msk_configuration", "aws_msk_topic"]));
    expect(diff.added.map((r) => r.type)).toContain("aws_msk_serverless_cluster");
    // The security group and its rules stay: same construct ids, name and description.
    expect([...diff.removed, ...diff.added].filter((r) => r.type === "aws_security_group" && r.path.startsWith("kafka/"))).toEqual([]);
    const [alert] = clusterAlerts(diff);
    expect(alert.message).toMatch(/^CLUSTER REPLACED: kafka\.mode provisioned → serverless destroys the MSK cluster and creates an MSK Serverless one; every record of every topic is lost/);
    expect(alert.message).toContain("deploy once with kafka.allow_topic_replacement: true while still provisioned, then switch");
    const text = renderPreview(diff, { env: "dev", baseline: "test" });
    expect(text.split("\n")[2]).toBe(`!! ${alert.message}`);
    expect(text).toContain("!! DATA LOSS: topic clicks would be deleted with all its records");
    expect(summaryLine(diff)).toMatch(/\(1 cluster alert: kafka cluster; 3 topic alerts: /);
  });

  it("any change of a serverless cluster but its tags replaces it (the provider's ForceNew)", () => {
    expect(classifyAttribute("aws_msk_serverless_cluster", "vpc_config.subnet_ids", ["a"], ["b"]).kind).toBe("replace");
    expect(classifyAttribute("aws_msk_serverless_cluster", "cluster_name", "a", "b").kind).toBe("replace");
    expect(classifyAttribute("aws_msk_serverless_cluster", "tags.Name", "a", "b").kind).toBe("in-place");
  });

  it("serverless → provisioned: the same alert the other way; no alert when the mode stays", () => {
    expect(clusterAlerts(diffStacks(serverless, provisioned)).map((a) => a.message)).toEqual([
      expect.stringMatching(/^CLUSTER REPLACED: kafka\.mode serverless → provisioned destroys the MSK Serverless cluster and creates a provisioned one;/),
    ]);
    expect(clusterAlerts(diffStacks(provisioned, provisioned))).toEqual([]);
    expect(clusterAlerts(diffStacks(undefined, serverless))).toEqual([]);
  });
});

describe("Kafka platform options in the preview", () => {
  it("turning multi-VPC connectivity on is in place, with a caution that every broker restarts", () => {
    const diff = diffStacks(kafkaStack(), kafkaStack({ vpcConnectivity: { iam: true } }));
    const [change] = diff.changed;
    expect(change.label).toBe("kafka cluster");
    expect(change.replace).toBe(false);
    expect(change.attributes.map((a) => formatPath(a.path))).toEqual(["broker_node_group_info.connectivity_info.vpc_connectivity.client_authentication.sasl.iam"]);
    expect(change.attributes[0].caution).toMatch(/RESTARTS EVERY BROKER/);
    expect(summaryLine(diff)).toBe("+0 ~1 -0 (1 caution: kafka cluster)");
    expect(renderPreview(diff, { env: "dev", baseline: "test" })).toContain("# caution: planned in place (UpdateConnectivity), but turning multi-VPC connectivity on or off RESTARTS EVERY BROKER");
  });

  it("turning it off again carries the same caution", () => {
    const diff = diffStacks(kafkaStack({ vpcConnectivity: { iam: true } }), kafkaStack({ vpcConnectivity: { iam: false } }));
    expect(diff.changed[0].attributes.map((a) => [a.before, a.after, /RESTARTS EVERY BROKER/.test(a.caution ?? "")])).toEqual([["true", "false", true]]);
  });

  it("switching to tiered storage is in place, with a caution; open monitoring adds its rules", () => {
    const diff = diffStacks(kafkaStack(), kafkaStack({ storageMode: "TIERED", openMonitoring: { jmxExporter: true, allowedCidrs: ["10.40.0.0/24"] } }));
    expect(diff.changed.map((c) => [c.label, c.replace])).toEqual([["kafka cluster", false]]);
    const storage = diff.changed[0].attributes.find((a) => formatPath(a.path) === "storage_mode")!;
    expect(storage.caution).toMatch(/UpdateStorage/);
    expect(diff.added.map((r) => r.label)).toEqual(["kafka open-monitoring-jmx-10-40-0-0-24"]);
  });
});

describe("replacement table", () => {
  it("was checked against the installed provider package; a new one asks for a re-check", () => {
    const installed = JSON.parse(readFileSync(require.resolve("@cdktf/provider-aws/package.json"), "utf8")) as ProviderPackageJson;
    const problem = tableRecheckNeeded(installed);
    expect(problem, problem).toBeUndefined();
    const newer = tableRecheckNeeded({ version: "99.0.0", cdktf: { provider: { version: "9.9.0" } } });
    expect(newer).toContain("the installed package is 99.0.0 (hashicorp/aws 9.9.0)");
    expect(newer).toContain("Re-check REPLACEMENT_RULES");
    // The same package version with other bindings (a republished package) needs a re-check too.
    expect(tableRecheckNeeded({ ...installed, cdktf: { provider: { version: "9.9.0" } } })).toContain("(hashicorp/aws 9.9.0)");
  });

  it.each([
    ["aws_msk_cluster", "broker_node_group_info.client_subnets", "3.8.x", "3.8.x", "replace"],
    ["aws_msk_cluster", "broker_node_group_info.instance_type", "kafka.m5.large", "kafka.m5.xlarge", "in-place"],
    ["aws_msk_cluster", "kafka_version", "3.8.x", "3.9.x", "in-place"],
    ["aws_msk_cluster", "kafka_version", "3.9.x", "3.8.x", "replace"],
    ["aws_opensearch_domain", "domain_name", "a", "b", "replace"],
    ["aws_opensearch_domain", "cluster_config.instance_type", "a", "b", "in-place"],
    ["aws_mskconnect_custom_plugin", "location.s3.file_key", "a", "b", "replace"],
    ["aws_mskconnect_connector", "capacity.autoscaling.max_worker_count", 2, 3, "in-place"],
    ["aws_mskconnect_connector", "plugin.custom_plugin.arn", "a", "b", "replace"],
    ["aws_mskconnect_connector", "tags.Owner", "a", "b", "in-place"],
    // aws_msk_topic: from the schema in modules/custom-resources.ts (RequiresReplace in topic.go).
    ["aws_msk_topic", "replication_factor", 3, 2, "replace"],
    ["aws_msk_topic", "name", "a", "b", "replace"],
    ["aws_msk_topic", "cluster_arn", "a", "b", "replace"],
    ["aws_msk_topic", "partition_count", 2, 6, "in-place"],
    ["aws_msk_topic", "configs", "{}", "{\"retention.ms\":\"1\"}", "in-place"],
    // Client authentication: turning it on updates the cluster in place; a CA's subject does not.
    ["aws_msk_cluster", "client_authentication.sasl.scram", false, true, "in-place"],
    ["aws_msk_cluster", "client_authentication.tls.certificate_authority_arns", "[]", "[\"arn\"]", "in-place"],
    ["aws_acmpca_certificate_authority", "certificate_authority_configuration.subject.common_name", "a", "b", "replace"],
    ["aws_acmpca_certificate_authority", "permanent_deletion_time_in_days", 7, 14, "in-place"],
    ["aws_acmpca_certificate", "validity.value", "10", "5", "replace"],
    ["aws_msk_scram_secret_association", "secret_arn_list", "[a]", "[a,b]", "in-place"],
    ["aws_kms_key", "enable_key_rotation", false, true, "in-place"],
    // Firehose: the MSK source is ForceNew, the S3 destination is UpdateDestination.
    ["aws_kinesis_firehose_delivery_stream", "msk_source_configuration.topic_name", "a", "b", "replace"],
    ["aws_kinesis_firehose_delivery_stream", "name", "a", "b", "replace"],
    ["aws_kinesis_firehose_delivery_stream", "extended_s3_configuration.buffering_size", 5, 64, "in-place"],
    ["aws_kinesis_firehose_delivery_stream", "extended_s3_configuration.prefix", "a/", "b/", "in-place"],
  ])("%s %s: %s → %s is %s", (type, attr, before, after, kind) => {
    expect(classifyAttribute(type, attr, before, after).kind).toBe(kind);
  });

  it("marks values under a `sensitive` marker", () => {
    const stack = (v: string) => ({
      resource: { aws_x: { a: { "//": { metadata: { path: "dev/vpn/a" } }, settings: { sensitive: true, value: v }, config_sensitive: { k: v } } } },
    });
    const text = renderPreview(diffStacks(stack("s3cr3t-1"), stack("s3cr3t-2")), { env: "dev", baseline: "test" });
    expect(text).not.toMatch(/s3cr3t/);
    expect(text.match(new RegExp(MASK.replace(/[()]/g, "\\$&"), "g"))).toHaveLength(4);
  });
});

describe("adding the s3-sink and eventbridge-sink examples to the reference configs", () => {
  const example = (kind: string) => readFileSync(path.join(REPO_ROOT, "examples/connectors", `${kind}.yaml`), "utf8");

  it.each([
    ["s3-sink", "ad-tech-archive", ["aws_s3_bucket", "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_policy"]],
    ["eventbridge-sink", "ad-tech-events", ["aws_cloudwatch_event_bus"]],
  ])("%s: only additions, in the connectors group (and its dead-letter topic); no existing resource changes", (kind, name, kindTypes) => {
    const diff = diffStacks(base, synthWith({ [`configs/connectors/${name}.yaml`]: example(kind) }));
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([]);
    expect(diff.added.filter((r) => r.component !== "connectors").map((r) => [r.type, r.label])).toEqual([["aws_msk_topic", `topic ${name}-dl`]]);
    const types = new Set(diff.added.map((r) => r.type));
    for (const t of ["aws_mskconnect_connector", "aws_mskconnect_custom_plugin", "aws_iam_role", "aws_iam_role_policy", ...kindTypes]) expect(types).toContain(t);
    expect(diff.added.filter((r) => r.type === "aws_mskconnect_connector").map((r) => r.label)).toEqual([`connector ${name}`]);
  });
});

describe("adding the archive example (examples/archives/clicks-archive.yaml) to the reference configs", () => {
  // The environment settings an archive needs are a change of their own (the cluster's
  // connectivity, a cluster policy); with them in place, the archive only adds.
  const dev = reference("configs/environments/dev.yaml")
    .replace("  # vpc_connectivity: { iam: true }", "  vpc_connectivity: { iam: true }")
    .replace(/ {2}# cluster_policy:.*\n {2}# +principals: .*\n/, "  cluster_policy:\n    principals: [firehose.amazonaws.com]\n");

  it("only adds, all in its own Archives group: the stream, its bucket and defaults, roles, policies, log group and stream", () => {
    const before = synthWith({ "configs/environments/dev.yaml": dev });
    const after = synthWith({ "configs/environments/dev.yaml": dev, "configs/archives/clicks-archive.yaml": reference("examples/archives/clicks-archive.yaml") });
    const diff = diffStacks(before, after);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([]);
    expect(diff.renamed).toEqual([]);
    expect(diff.added.map((r) => r.type).sort()).toEqual(
      [
        "aws_cloudwatch_log_group",
        "aws_cloudwatch_log_stream",
        "aws_iam_role",
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_iam_role_policy",
        "aws_kinesis_firehose_delivery_stream",
        "aws_s3_bucket",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
      ].sort(),
    );
    for (const r of diff.added) expect(r.component).toBe("archives");
    expect(diff.added.find((r) => r.type === "aws_kinesis_firehose_delivery_stream")!.label).toBe("archive clicks-archive");
    const text = renderPreview(diff, { env: "dev", baseline: "test" });
    expect(text).toContain("Archives (Firehose to S3)");
  });
});
