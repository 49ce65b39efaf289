import { readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { renderConnectorConfig, type MskConnectorProps } from "../../modules/connect/msk-connector";
import { parsePolicyJson } from "../../modules/guard/policy";
import { connectStack, load, synth, tempProject, type Tf } from "../support/connect-stack";
import { pipelineStack } from "../support/project";

let root: string;
beforeEach(() => {
  root = tempProject();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const byName = (tf: Tf, type: string, pred: (r: Record<string, unknown>) => boolean) => Object.values(tf.resource[type] ?? {}).find(pred);
const connector = (tf: Tf, name: string) => byName(tf, "aws_mskconnect_connector", (r) => r.name === `ad-tech-dev-${name}`)!;
type PolicyStatement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string[]; Principal?: unknown; Condition?: unknown };
const statementsOf = (json: string): PolicyStatement[] => {
  // JSON in which interpolations (`${replace(..., ":cluster/", ":topic/")}`) stand inside string values.
  const doc = parsePolicyJson(json) as { Version: string; Statement: PolicyStatement[] };
  expect(doc.Version).toBe("2012-10-17");
  return doc.Statement;
};
/** The statements of the connector's role policy (its JSON, as Terraform receives it). */
const policyDoc = (tf: Tf, name: string) =>
  statementsOf(Object.entries(tf.resource.aws_iam_role_policy).find(([k]) => k.startsWith(`connector-${name}_policy`))![1].policy);

describe("MskConnector on the reference configuration", () => {
  // The tests only read the synth: one for all of them.
  let tf: Tf;
  beforeAll(() => {
    const reference = tempProject();
    try {
      tf = synth(connectStack(load(reference)).stack);
    } finally {
      rmSync(reference, { recursive: true, force: true });
    }
  });

  test("only the connectors are counted, on to_create_connector", () => {
    for (const [type, resources] of Object.entries(tf.resource)) {
      for (const r of Object.values(resources)) {
        if (type === "aws_mskconnect_connector") expect(r.count).toBe("${var.to_create_connector ? 1 : 0}");
        else expect(r.count, type).toBeUndefined();
      }
    }
    expect(Object.keys(tf.resource.aws_mskconnect_connector)).toHaveLength(2);
  });

  test("the source's configuration is exactly the reference design's", () => {
    expect(connector(tf, "ad-tech-source").connector_configuration).toEqual({
      "connector.class": "com.amazonaws.mskdatagen.GeneratorSourceConnector",
      "tasks.max": "2",
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "key.converter.schemas.enable": "false",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "false",
      "genkp.impressions.with": "#{Code.isbn10}",
      "genv.impressions.bid_id.with": "#{Code.isbn10}",
      "genv.impressions.campaign_id.with": "#{Code.isbn10}",
      "genv.impressions.creative_details.with": "#{Color.name}",
      "genv.impressions.country_code.with": "#{Address.countryCode}",
      "genkp.clicks.with": "#{Code.isbn10}",
      "genv.clicks.correlation_id.sometimes.matching": "impressions.value.bid_id",
      "genv.clicks.correlation_id.sometimes.with": "NA",
      "genv.clicks.tracker.with": "#{Lorem.characters '15'}",
      "global.throttle.ms": "500",
      "global.history.records.max": "1000",
    });
  });

  test("configuration keys are sorted (stable output)", () => {
    for (const name of ["ad-tech-source", "ad-tech-sink"]) {
      const keys = Object.keys(connector(tf, name).connector_configuration);
      expect(keys).toEqual([...keys].sort());
    }
  });

  test("the sink's configuration: topics, OpenSearch, error handling and transforms in YAML order", () => {
    const cfg = connector(tf, "ad-tech-sink").connector_configuration;
    expect(cfg).toMatchObject({
      "connector.class": "io.aiven.kafka.connect.opensearch.OpensearchSinkConnector",
      "tasks.max": "2",
      topics: "impressions,clicks",
      "connection.url": "https://vpc-ad-tech-dev-abc.ap-southeast-2.es.amazonaws.com",
      "key.ignore": "true",
      "schema.ignore": "true",
      "behavior.on.malformed.documents": "fail",
      "behavior.on.null.values": "ignore",
      "behavior.on.version.conflict": "ignore",
      "errors.tolerance": "all",
      "errors.deadletterqueue.topic.name": "ad-tech-dl",
      "errors.deadletterqueue.topic.replication.factor": "3",
      "errors.deadletterqueue.context.headers.enable": "true",
      transforms: "insertTS,formatTS",
      "transforms.insertTS.type": "org.apache.kafka.connect.transforms.InsertField$Value",
      "transforms.insertTS.timestamp.field": "created_at",
      "transforms.formatTS.type": "org.apache.kafka.connect.transforms.TimestampConverter$Value",
      "transforms.formatTS.format": "yyyy-MM-dd HH:mm:ss",
      "transforms.formatTS.field": "created_at",
      "transforms.formatTS.target.type": "string",
    });
    // Aiven 3.1.1 has no type.name option any more.
    expect(cfg["type.name"]).toBeUndefined();
  });

  test("credentials are config-provider references, escaped for Terraform ($${...})", () => {
    const cfg = connector(tf, "ad-tech-sink").connector_configuration;
    expect(cfg["connection.username"]).toBe("$${secretsmanager:ad-tech-dev/msk-connect/ad-tech-sink/opensearch:username}");
    expect(cfg["connection.password"]).toBe("$${secretsmanager:ad-tech-dev/msk-connect/ad-tech-sink/opensearch:password}");
    // Nowhere in the synthesized JSON is there an unescaped ${secretsmanager: (Terraform would interpolate it).
    expect(JSON.stringify(tf)).not.toMatch(/(?<!\$)\$\{secretsmanager:/);
  });

  test("the sink's secret exists without a version; the user name is <prefix>-<connector>", () => {
    const { connectors } = connectStack(load(root));
    const sink = connectors.get("ad-tech-sink")!;
    expect(sink.secretName).toBe("ad-tech-dev/msk-connect/ad-tech-sink/opensearch");
    expect(sink.fgacUsername).toBe("ad-tech-dev-ad-tech-sink");
    expect(Object.values(tf.resource.aws_secretsmanager_secret).map((s) => s.name)).toEqual(["ad-tech-dev/msk-connect/ad-tech-sink/opensearch"]);
    expect(tf.resource.aws_secretsmanager_secret_version).toBeUndefined();
    expect(connectors.get("ad-tech-source")!.secretName).toBeUndefined();
  });

  test("each connector has its own role, trusted by MSK Connect for its own account and connector", () => {
    const roles = Object.values(tf.resource.aws_iam_role).map((r) => r.name).sort();
    expect(roles).toEqual(["ad-tech-dev-ad-tech-sink-connect", "ad-tech-dev-ad-tech-source-connect"]);
    const role = Object.values(tf.resource.aws_iam_role).find((r) => r.name === "ad-tech-dev-ad-tech-sink-connect")!;
    const [st, ...more] = statementsOf(role.assume_role_policy);
    expect(more).toEqual([]);
    expect(st).toEqual({
      Effect: "Allow",
      Principal: { Service: "kafkaconnect.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": "111122223333" },
        ArnLike: { "aws:SourceArn": "arn:aws:kafkaconnect:ap-southeast-2:111122223333:connector/ad-tech-dev-ad-tech-sink/*" },
      },
    });
    expect(tf.resource.aws_iam_role_policy_attachment).toBeUndefined();
  });

  test("policies name exactly their topics, groups and secret; no wildcard action", () => {
    const topic = (t: string) =>
      `\${replace("arn:aws:kafka:ap-southeast-2:111122223333:cluster/ad-tech-dev-msk/abcd1234-ab12-cd34-ef56-abcdef123456-2", ":cluster/", ":topic/")}/${t}`;
    const group = (g: string) =>
      `\${replace("arn:aws:kafka:ap-southeast-2:111122223333:cluster/ad-tech-dev-msk/abcd1234-ab12-cd34-ef56-abcdef123456-2", ":cluster/", ":group/")}/${g}`;
    const sink = Object.fromEntries(policyDoc(tf, "ad-tech-sink").map((s) => [s.Sid, s]));
    const source = Object.fromEntries(policyDoc(tf, "ad-tech-source").map((s) => [s.Sid, s]));

    expect(sink.ReadOwnTopics.Action).toEqual(["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]);
    expect(sink.ReadOwnTopics.Resource).toEqual([topic("impressions"), topic("clicks")]);
    expect(sink.DeadLetterTopic.Resource).toEqual([topic("ad-tech-dl")]);
    expect(sink.OwnGroups.Resource).toContain(group("connect-ad-tech-dev-ad-tech-sink"));
    expect(sink.OwnSecret.Action).toEqual(["secretsmanager:GetSecretValue"]);
    expect(sink.OwnSecret.Resource).toEqual([expect.stringMatching(/^\$\{aws_secretsmanager_secret\.connector-ad-tech-sink_secret_\w+\.arn\}$/)]);
    expect(sink.ConnectInternalTopics.Resource).toEqual(
      ["configs", "offsets", "status"].map((k) => topic(`__amazon_msk_connect_${k}_ad-tech-dev-ad-tech-sink_*`)),
    );

    // Terraform creates every topic: no connector may create one (only Connect's internal topics).
    expect(source.WriteOwnTopics.Action).toEqual(["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]);
    expect(sink.DeadLetterTopic.Action).toEqual(["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]);
    expect(sink.ConnectInternalTopics.Action).toContain("kafka-cluster:CreateTopic");
    expect(source.WriteOwnTopics.Resource).toEqual([topic("impressions"), topic("clicks")]);
    expect(source.OwnSecret).toBeUndefined();
    expect(source.DeadLetterTopic).toBeUndefined();
    expect(source.OwnGroups.Resource.some((r: string) => r.endsWith("/connect-ad-tech-dev-ad-tech-source"))).toBe(false);

    for (const doc of [policyDoc(tf, "ad-tech-sink"), policyDoc(tf, "ad-tech-source")]) {
      for (const s of doc) {
        expect(s.Effect).toBe("Allow");
        for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
        for (const r of s.Resource) expect(r).not.toMatch(/\/\*$|^\*$/);
      }
    }
  });

  test("log group per connector with the environment's retention, delivered to CloudWatch and S3", () => {
    const groups = Object.values(tf.resource.aws_cloudwatch_log_group);
    expect(groups.map((g) => [g.name, g.retention_in_days]).sort()).toEqual([
      ["/msk-connect/ad-tech-dev/ad-tech-sink", 30],
      ["/msk-connect/ad-tech-dev/ad-tech-source", 30],
    ]);
    const ld = connector(tf, "ad-tech-sink").log_delivery.worker_log_delivery;
    expect(ld.cloudwatch_logs.enabled).toBe(true);
    expect(ld.s3).toEqual({ enabled: true, bucket: "ad-tech-dev-artifacts", prefix: "logs/msk/connect/ad-tech-sink/" });
  });

  test("the sink uses the worker configuration with the config provider; the source the plain one", () => {
    const workers = Object.entries(tf.resource.aws_mskconnect_worker_configuration);
    const secrets = workers.find(([, w]) => w.properties_file_content.includes("config.providers=secretsmanager"))![0];
    const plain = workers.find(([, w]) => !w.properties_file_content.includes("config.providers"))![0];
    expect(connector(tf, "ad-tech-sink").worker_configuration.arn).toBe(`\${aws_mskconnect_worker_configuration.${secrets}.arn}`);
    expect(connector(tf, "ad-tech-source").worker_configuration.arn).toBe(`\${aws_mskconnect_worker_configuration.${plain}.arn}`);
  });

  test("cluster, auth, encryption, capacity, version and plugin", () => {
    const c = connector(tf, "ad-tech-source");
    expect(c.kafkaconnect_version).toBe("2.7.1");
    expect(c.capacity).toEqual({ provisioned_capacity: { mcu_count: 1, worker_count: 1 } });
    expect(c.kafka_cluster.apache_kafka_cluster.bootstrap_servers).toBe("b-1.example:9098,b-2.example:9098");
    expect(c.kafka_cluster.apache_kafka_cluster.vpc.subnets).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
    expect(c.kafka_cluster_client_authentication).toEqual({ authentication_type: "IAM" });
    expect(c.kafka_cluster_encryption_in_transit).toEqual({ encryption_type: "TLS" });
    expect(c.plugin[0].custom_plugin.arn).toMatch(/aws_mskconnect_custom_plugin\.plugin-msk-data-generator/);
  });

  test("a config change replaces the connector (terraform-provider-aws#47004)", () => {
    for (const name of ["ad-tech-source", "ad-tech-sink"]) {
      const c = connector(tf, name);
      // A bare address of this stack's config hash (Terraform rejects "${...}" here, terraform-cdk#3196).
      const [target] = c.lifecycle.replace_triggered_by as string[];
      expect(c.lifecycle.replace_triggered_by).toHaveLength(1);
      expect(target).toMatch(new RegExp(`^terraform_data\\.connector-${name}_config-hash_\\w+$`));
      expect(Object.keys(tf.resource.terraform_data)).toContain(target.slice("terraform_data.".length));
    }
    const hashes = Object.values(tf.resource.terraform_data).map((d) => d.triggers_replace);
    for (const h of hashes) expect(h.config_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(hashes.map((h) => h.config_sha256)).size).toBe(2);
  });

  test("the sink depends on the source and on its own policy", () => {
    const deps = connector(tf, "ad-tech-sink").depends_on as string[];
    expect(deps).toContainEqual(expect.stringMatching(/^aws_mskconnect_connector\.connector-ad-tech-source_resource_/));
    expect(deps).toContainEqual(expect.stringMatching(/^aws_iam_role_policy\.connector-ad-tech-sink_policy_/));
  });
});

describe("autoscaling capacity", () => {
  test("min/max workers, mcu and scale-in/out CPU from YAML", () => {
    const f = path.join(root, "configs/connectors/ad-tech-source.yaml");
    writeFileSync(
      f,
      readFileSync(f, "utf8").replace(
        "  provisioned: { workers: 1, mcu: 1 }   # workers 1-10, mcu 1|2|4|8",
        "  autoscaling: { min_workers: 1, max_workers: 3, mcu: 2, scale_in_cpu_percent: 25, scale_out_cpu_percent: 75 }",
      ),
    );
    const tf = synth(connectStack(load(root)).stack);
    expect(connector(tf, "ad-tech-source").capacity).toEqual({
      autoscaling: { min_worker_count: 1, max_worker_count: 3, mcu_count: 2, scale_in_policy: { cpu_utilization_percentage: 25 }, scale_out_policy: { cpu_utilization_percentage: 75 } },
    });
  });
});

describe("adding things to the whole PipelineStack does not disturb what exists", () => {
  const stackTf = () => synth(pipelineStack(load(root)));
  type Flat = Map<string, string>;
  const flatten = (tf: Tf): Flat => {
    const out: Flat = new Map();
    for (const kind of ["resource", "data"] as const) {
      for (const [type, items] of Object.entries(tf[kind] ?? {})) {
        for (const [name, body] of Object.entries(items)) out.set(`${kind}.${type}.${name}`, JSON.stringify(body));
      }
    }
    return out;
  };
  const changed = (before: Flat, after: Flat) => {
    const missing = [...before.keys()].filter((k) => !after.has(k));
    const different = [...before.keys()].filter((k) => after.has(k) && after.get(k) !== before.get(k));
    return { missing, different };
  };

  test("a third topic adds exactly one aws_msk_topic and changes only the two connectors, their policies, their config hashes and the index bootstrap", () => {
    const before = flatten(stackTf());
    writeFileSync(
      path.join(root, "configs/topics/conversions.yaml"),
      `name: conversions
index:
  name: conversions
  mappings:
    order_id: { type: keyword }
generator:
  key: { with: "#{Code.isbn10}" }
  fields:
    order_id: { with: "#{Code.isbn10}" }
`,
    );
    for (const f of ["ad-tech-source", "ad-tech-sink"]) {
      const file = path.join(root, `configs/connectors/${f}.yaml`);
      writeFileSync(file, readFileSync(file, "utf8").replace("topics: [impressions, clicks]", "topics: [impressions, clicks, conversions]"));
    }
    const after = flatten(stackTf());
    const { missing, different } = changed(before, after);
    expect(missing).toEqual([]);
    // Exactly one new resource: the topic itself, with the cluster's default partitions and replication.
    const added = [...after.keys()].filter((k) => !before.has(k));
    expect(added).toEqual([expect.stringMatching(/^resource\.aws_msk_topic\.topics_conversions_[0-9A-F]{8}$/)]);
    expect(JSON.parse(after.get(added[0])!)).toMatchObject({ name: "conversions", partition_count: 2, replication_factor: 3, lifecycle: { prevent_destroy: true } });
    expect(JSON.parse(after.get(added[0])!)).not.toHaveProperty("configs");
    const allowed =
      /^(resource\.aws_mskconnect_connector\.connectors_ad-tech-(source|sink)_resource_|resource\.aws_iam_role_policy\.connectors_ad-tech-(source|sink)_policy_|resource\.terraform_data\.connectors_ad-tech-(source|sink)_config-hash_|resource\.terraform_data\.index-bootstrap_run_)/;
    expect(different.filter((k) => !allowed.test(k))).toEqual([]);
    expect(different.length).toBe(7);
  });

  test("a third connector changes nothing that exists but the index bootstrap that creates its user", () => {
    const before = flatten(stackTf());
    writeFileSync(
      path.join(root, "configs/connectors/clicks-archive.yaml"),
      `name: clicks-archive
kind: opensearch-sink
plugin: opensearch-sink
topics: [clicks]
`,
    );
    const after = flatten(stackTf());
    const { missing, different } = changed(before, after);
    expect(missing).toEqual([]);
    expect(different).toHaveLength(1);
    expect(different[0]).toMatch(/^resource\.terraform_data\.index-bootstrap_run_/);
    expect(after.size).toBeGreaterThan(before.size);
  });
});

describe("MskConnector validates its props", () => {
  const build = (name: string, change: (p: MskConnectorProps) => Partial<MskConnectorProps>) => () =>
    connectStack(load(root), undefined, (p) => (p.name === name ? { ...p, ...change(p) } : p));

  test("the reference props build (the baseline the cases below change)", () => {
    expect([...build("ad-tech-sink", () => ({}))().connectors.keys()].sort()).toEqual(["ad-tech-sink", "ad-tech-source"]);
  });
  test.each<[string, string, (p: MskConnectorProps) => Partial<MskConnectorProps>, string]>([
    ["a data generator topic without a generator", "ad-tech-source", (p) => ({ datagen: { ...p.datagen!, topics: {} } }), "MskConnector ad-tech-source: topic impressions has no generator section"],
    ["a data generator that is a sink", "ad-tech-source", () => ({ direction: "sink" }), "MskConnector ad-tech-source: a data generator is a source, got direction sink"],
    ["an OpenSearch sink that is a source", "ad-tech-sink", () => ({ direction: "source" }), "MskConnector ad-tech-sink: an opensearch-sink is a sink, got direction source"],
    ["no topics", "ad-tech-sink", () => ({ topics: [] }), "MskConnector ad-tech-sink: topics must name at least one topic"],
    ["a retention CloudWatch does not offer", "ad-tech-sink", () => ({ logRetentionDays: 2 }), "MskConnector ad-tech-sink: log retention must be one of"],
    [
      "both capacity kinds",
      "ad-tech-sink",
      () => ({ capacity: { provisioned: { workers: 1, mcu: 1 }, autoscaling: { minWorkers: 1, maxWorkers: 2, mcu: 1, scaleInCpuPercent: 20, scaleOutCpuPercent: 80 } } }),
      "MskConnector ad-tech-sink: capacity needs exactly one of provisioned or autoscaling",
    ],
  ])("%s", (_case, name, change, message) => {
    expect(build(name, change)).toThrow(message);
  });
});

describe("renderConnectorConfig", () => {
  test("custom connectors: class, topics for sinks, extra config last", () => {
    const cfg = renderConnectorConfig({
      name: "s3-sink",
      connectorClass: "com.example.S3Sink",
      direction: "sink",
      topics: ["a", "b"],
      extraConfig: { "flush.size": 100, "tasks.max": 4 },
    });
    expect(cfg).toMatchObject({ "connector.class": "com.example.S3Sink", topics: "a,b", "flush.size": "100", "tasks.max": "4" });
    expect(cfg["errors.tolerance"]).toBeUndefined();
  });
});
