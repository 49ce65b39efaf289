import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IndexBootstrap, type IndexBootstrapKafkaTopic } from "../../modules/search/index-bootstrap";
import { indexBootstrapTopic } from "../../modules/config/index-bootstrap-props";
import { useReferenceConfig } from "../support/project";

const ref = useReferenceConfig();

const MASTER = { domainName: "ad-tech-dev-search", username: "ad-tech-dev-master", secretName: "ad-tech-dev/opensearch/master", initialStage: "TERRAFORM_INITIAL" };

function build(runOnDeploy = false, extra: Partial<ConstructorParameters<typeof IndexBootstrap>[2]> = {}) {
  const stack = new TerraformStack(Testing.app(), "s");
  new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
  const bootstrap = new IndexBootstrap(stack, "index-bootstrap", {
    environmentName: "dev",
    region: "ap-southeast-2",
    topics: ref.config.topics.map(indexBootstrapTopic),
    sinks: [{ connector: "ad-tech-sink", username: "u", role: "r", secretName: "s", indexes: ["impressions", "clicks"] }],
    runOnDeploy: runOnDeploy ? { create: true, endpoint: "vpc-x.es.amazonaws.com" } : undefined,
    master: MASTER,
    ...extra,
  });
  return { stack, bootstrap };
}

describe("IndexBootstrap", () => {
  it.each(["impressions", "clicks"])("maps %s.created_at as a date in yyyy-MM-dd HH:mm:ss, from the topic YAML", (topic) => {
    const { bootstrap } = build();
    const index = bootstrap.plan.indexes.find((i) => i.name === topic)!;
    const props = index.body.mappings!.properties as Record<string, { type: string; format?: string }>;
    expect(props.created_at).toEqual({ type: "date", format: "yyyy-MM-dd HH:mm:ss" });
    const yamlFields = Object.keys(ref.config.topics.find((t) => t.name === topic)!.spec.index.mappings).sort();
    expect(Object.keys(props)).toEqual(yamlFields);
  });

  it("renders settings and dynamic from the topic YAML", () => {
    const { bootstrap } = build();
    const body = bootstrap.plan.indexes.find((i) => i.name === "impressions")!.body;
    expect(body.settings).toEqual({ index: { number_of_shards: 1, number_of_replicas: 1 } });
    expect(body.mappings!.dynamic).toBe("true");
  });

  it("renders every mapping parameter under its OpenSearch name, nested properties sorted, and the index settings", () => {
    const body = IndexBootstrap.indexBody({
      name: "orders",
      shards: 3,
      replicas: 2,
      refreshInterval: "30s",
      dynamic: "strict",
      aliases: ["orders-read", "all-orders"],
      mappings: {
        price: { type: "scaled_float", scalingFactor: 100, docValues: false },
        sku: { type: "keyword", ignoreAbove: 64, index: false },
        embedding: { type: "knn_vector", dimension: 8 },
        customer: { type: "object", properties: { name: { type: "text", analyzer: "english" }, id: { type: "keyword" } } },
      },
    });
    expect(body).toEqual({
      settings: { index: { number_of_shards: 3, number_of_replicas: 2, refresh_interval: "30s" } },
      mappings: {
        dynamic: "strict",
        properties: {
          customer: { type: "object", properties: { id: { type: "keyword" }, name: { type: "text", analyzer: "english" } } },
          embedding: { type: "knn_vector", dimension: 8 },
          price: { type: "scaled_float", doc_values: false, scaling_factor: 100 },
          sku: { type: "keyword", index: false, ignore_above: 64 },
        },
      },
      aliases: { "all-orders": {}, "orders-read": {} },
    });
    expect(Object.keys(body.mappings!.properties!)).toEqual(["customer", "embedding", "price", "sku"]);
  });

  it("defaults an index to 1 shard, 1 replica, dynamic true, no aliases and no refresh_interval", () => {
    expect(IndexBootstrap.indexBody({ name: "x", mappings: { a: { type: "long" } } })).toEqual({
      settings: { index: { number_of_shards: 1, number_of_replicas: 1 } },
      mappings: { dynamic: "true", properties: { a: { type: "long" } } },
      aliases: {},
    });
  });

  it("maps the topic YAML's snake_case index section to the same body the YAML describes", () => {
    const topic = indexBootstrapTopic({
      name: "orders",
      spec: {
        ...ref.config.topics[0].spec,
        index: {
          name: "orders",
          shards: 2,
          replicas: 0,
          refresh_interval: "-1",
          dynamic: false,
          aliases: ["o"],
          mappings: { at: { type: "date", format: "epoch_millis", doc_values: true }, tags: { type: "nested", properties: { k: { type: "keyword", ignore_above: 10 } } } },
        },
      },
    });
    expect(topic.index).toEqual({
      name: "orders",
      shards: 2,
      replicas: 0,
      refreshInterval: "-1",
      dynamic: false,
      aliases: ["o"],
      mappings: {
        at: { type: "date", format: "epoch_millis", docValues: true },
        tags: { type: "nested", properties: { k: { type: "keyword", ignoreAbove: 10 } } },
      },
    });
    expect(IndexBootstrap.indexBody(topic.index).mappings!.properties).toEqual({
      at: { type: "date", format: "epoch_millis", doc_values: true },
      tags: { type: "nested", properties: { k: { type: "keyword", ignore_above: 10 } } },
    });
  });

  it.each([
    [{ shards: 0 }, "IndexBootstrap: topic t, index t: shards must be an integer from 1 to 1024, got 0"],
    [{ replicas: 1.5 }, "IndexBootstrap: topic t, index t: replicas must be an integer from 0 to 15, got 1.5"],
    [{ mappings: {} }, "IndexBootstrap: topic t, index t: mappings must name at least one field"],
    [{ name: "T*" }, "IndexBootstrap: topic t, index T*: the name must be a lowercase OpenSearch index name (a-z 0-9 . _ -)"],
  ])("refuses the index %j", (override, message) => {
    const index = { name: "t", mappings: { a: { type: "long" as const } }, ...override };
    expect(() => build(false, { topics: [{ name: "t", index }], sinks: [] })).toThrow(message);
  });

  it("refuses two topics with the same index", () => {
    const index = { name: "shared", mappings: { a: { type: "long" as const } } };
    expect(() => build(false, { topics: [{ name: "a", index }, { name: "b", index }], sinks: [] })).toThrow("IndexBootstrap: two topics declare index shared");
  });

  it("gives each sink its indexes, sorted, and its secret", () => {
    const { bootstrap } = build();
    expect(bootstrap.plan.sinks).toEqual([
      { connector: "ad-tech-sink", username: "u", role: "r", secret_id: "s", index_patterns: ["clicks", "impressions"] },
    ]);
  });

  it("puts the master, the IAM roles (sorted, once each), the Dashboards users and audit logging in the plan", () => {
    const admin = "arn:aws:iam::123456789012:role/Admin";
    const ci = "arn:aws:iam::123456789012:role/ci/Deployer";
    const { bootstrap } = build(false, {
      access: { adminRoleArns: [ci, admin, ci], readerRoleArns: ["arn:aws:iam::123456789012:role/Analyst"] },
      dashboardsUsers: [
        { username: "zoe", role: "reader", secretName: "p/zoe" },
        { username: "alice", role: "admin", secretName: "p/alice" },
      ],
    });
    expect(bootstrap.plan.master).toEqual({
      domain_name: "ad-tech-dev-search",
      username: "ad-tech-dev-master",
      secret_id: "ad-tech-dev/opensearch/master",
      initial_stage: "TERRAFORM_INITIAL",
    });
    expect(bootstrap.plan.access).toEqual({
      admin_backend_roles: [admin, ci],
      reader_backend_roles: ["arn:aws:iam::123456789012:role/Analyst"],
      reader_role: "dev-read-only",
      audit_logs: true,
    });
    expect(bootstrap.plan.dashboards_users.map((u) => u.username)).toEqual(["alice", "zoe"]);
  });

  it("refuses a Dashboards user named like the master", () => {
    expect(() => build(false, { dashboardsUsers: [{ username: "ad-tech-dev-master", role: "admin", secretName: "x" }] })).toThrow(
      "IndexBootstrap: Dashboards user ad-tech-dev-master has the name of the master or a sink user",
    );
  });

  it("refuses a sink writing an index no topic declares", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    expect(
      () =>
        new IndexBootstrap(stack, "b", {
          environmentName: "dev",
          region: "ap-southeast-2",
          topics: [],
          sinks: [{ connector: "x", username: "u", role: "r", secretName: "s", indexes: ["orders"] }],
          master: MASTER,
        }),
    ).toThrow("IndexBootstrap: sink x writes index(es) orders that no topic declares");
  });

  it("runs the bootstrap from Terraform only when connectors are created, replaced when the plan or the domain endpoint changes", () => {
    const { stack, bootstrap } = build(true);
    const tf = JSON.parse(Testing.synth(stack));
    const [runner] = Object.values(tf.resource.terraform_data) as any[];
    expect(runner.count).toBe("${true ? 1 : 0}");
    expect(runner.triggers_replace).toEqual({ plan_sha256: bootstrap.planHash, endpoint: "vpc-x.es.amazonaws.com" });
    const again = build(true, { runOnDeploy: { create: true, endpoint: "e", rerunWhen: { anonymous_access: "false" } } });
    const [rerun] = Object.values(JSON.parse(Testing.synth(again.stack)).resource.terraform_data) as any[];
    expect(rerun.triggers_replace).toEqual({ anonymous_access: "false", plan_sha256: again.bootstrap.planHash, endpoint: "e" });
    expect(runner.provisioner[0]["local-exec"].command).toContain("scripts/bootstrap-indexes.ts --env dev --endpoint 'vpc-x.es.amazonaws.com'");
  });

  it("emits no Terraform resource without runOnDeploy", () => {
    const { stack } = build(false);
    const tf = JSON.parse(Testing.synth(stack));
    expect(tf.resource?.terraform_data).toBeUndefined();
  });
});

describe("kafka_topics (MSK Serverless)", () => {
  it("is in the plan only when given: sorted by name, configs sorted, valid against the contract, and the hash changes with it", () => {
    const without = build();
    expect("kafka_topics" in without.bootstrap.plan).toBe(false);
    const kafkaTopics: { bootstrapBrokersOutput: string; topics: IndexBootstrapKafkaTopic[] } = {
      bootstrapBrokersOutput: "msk_bootstrap_brokers_sasl_iam",
      topics: [
        { name: "impressions", partitions: 2, configs: { "retention.ms": "604800000", "cleanup.policy": "delete" } },
        { name: "clicks", partitions: 4, configs: { "cleanup.policy": "compact,delete" } },
      ],
    };
    const { bootstrap } = build(false, { kafkaTopics });
    expect(bootstrap.plan.kafka_topics).toEqual({
      bootstrap_brokers_output: "msk_bootstrap_brokers_sasl_iam",
      topics: [
        { name: "clicks", partitions: 4, configs: { "cleanup.policy": "compact,delete" } },
        { name: "impressions", partitions: 2, configs: { "cleanup.policy": "delete", "retention.ms": "604800000" } },
      ],
    });
    expect(Object.keys(bootstrap.plan.kafka_topics!.topics[1].configs)).toEqual(["cleanup.policy", "retention.ms"]);
    expect(bootstrap.planHash).not.toBe(without.bootstrap.planHash);
    expect(JSON.parse(bootstrap.documents["plan.json"]).kafka_topics.topics.map((t: { name: string }) => t.name)).toEqual(["clicks", "impressions"]);
  });

  it("refuses a topic twice, no topics, and zero partitions, each by name", () => {
    const topic = { name: "clicks", partitions: 1, configs: {} };
    expect(() => build(false, { kafkaTopics: { bootstrapBrokersOutput: "o", topics: [topic, topic] } })).toThrow("IndexBootstrap: two Kafka topics named clicks");
    expect(() => build(false, { kafkaTopics: { bootstrapBrokersOutput: "o", topics: [] } })).toThrow("IndexBootstrap: kafkaTopics needs at least one topic");
    expect(() => build(false, { kafkaTopics: { bootstrapBrokersOutput: "o", topics: [{ ...topic, partitions: 0 }] } })).toThrow(
      "IndexBootstrap: Kafka topic clicks: partitions must be a positive integer, got 0",
    );
  });
});
