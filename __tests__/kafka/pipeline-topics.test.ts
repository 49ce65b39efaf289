/**
 * Topics in the whole pipeline: every topic file and dead-letter topic of the reference configs is
 * an aws_msk_topic with what its YAML gives (or the cluster's defaults), the connectors wait for
 * their topics, auto-creation is off, prevent_destroy follows the environment; and the loader's
 * topic rules that only warn (all errors are in the bad-input corpus) point at file:line:col.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { loadPipelineConfig } from "../../modules/config/load";
import { REPO_ROOT, makeProjectCopy, pipelineStack, removeProjectCopy } from "../support/project";

type Resource = Record<string, unknown>;
type Tf = { resource: Record<string, Record<string, Resource>> };

const reference = (rel: string) => readFileSync(path.join(REPO_ROOT, rel), "utf8");

function synthWith(files: Record<string, string> = {}): Tf {
  const root = makeProjectCopy({ files });
  try {
    return JSON.parse(Testing.synth(pipelineStack(loadPipelineConfig({ rootDir: root })))) as Tf;
  } finally {
    removeProjectCopy(root);
  }
}

function warningsWith(files: Record<string, string>): readonly string[] {
  const root = makeProjectCopy({ files });
  try {
    // Files shown relative to the project, as when synth runs in it.
    return loadPipelineConfig({ rootDir: root, cwd: root }).warnings;
  } finally {
    removeProjectCopy(root);
  }
}

const topics = (tf: Tf): Record<string, Resource & { id: string }> =>
  Object.fromEntries(Object.entries(tf.resource.aws_msk_topic).map(([id, r]) => [r.name as string, { ...r, id }]));

describe("topics of the reference configuration", () => {
  const tf = synthWith();
  const t = topics(tf);

  it("every topic file and the sink's dead-letter topic is an aws_msk_topic, and nothing else is", () => {
    expect(Object.keys(t).sort()).toEqual(["ad-tech-dl", "clicks", "impressions"]);
  });

  it("ids come from the topic names, under topics/", () => {
    expect(t.clicks.id).toMatch(/^topics_clicks_[0-9A-F]{8}$/);
    expect(t["ad-tech-dl"].id).toMatch(/^topics_ad-tech-dl_[0-9A-F]{8}$/);
  });

  it("partitions, replication and configs are what the YAML gives", () => {
    expect([t.impressions.partition_count, t.impressions.replication_factor]).toEqual([2, 3]);
    expect(JSON.parse(t.impressions.configs as string)).toEqual({ "cleanup.policy": "delete", "retention.bytes": "-1", "retention.ms": "604800000" });
    expect([t["ad-tech-dl"].partition_count, t["ad-tech-dl"].replication_factor]).toEqual([1, 3]);
    expect(JSON.parse(t["ad-tech-dl"].configs as string)).toEqual({ "retention.ms": "1209600000" });
  });

  it("each is a topic of the stack's MSK cluster and carries prevent_destroy", () => {
    const cluster = Object.keys(tf.resource.aws_msk_cluster)[0];
    for (const topic of Object.values(t)) {
      expect(topic.cluster_arn).toBe(`\${aws_msk_cluster.${cluster}.arn}`);
      expect(topic.lifecycle).toEqual({ prevent_destroy: true });
    }
  });

  it("connectors depend on their topics, the sink also on its dead-letter topic", () => {
    const connectors = Object.values(tf.resource.aws_mskconnect_connector);
    const deps = (name: string) => connectors.find((c) => c.name === `ad-tech-dev-${name}`)!.depends_on as string[];
    const ref = (n: string) => `aws_msk_topic.${t[n].id}`;
    expect(deps("ad-tech-source")).toEqual(expect.arrayContaining([ref("impressions"), ref("clicks")]));
    expect(deps("ad-tech-source")).not.toContain(ref("ad-tech-dl"));
    expect(deps("ad-tech-sink")).toEqual(expect.arrayContaining([ref("impressions"), ref("clicks"), ref("ad-tech-dl")]));
  });

  it("the cluster does not auto-create topics", () => {
    const props = Object.values(tf.resource.aws_msk_configuration)[0].server_properties as string;
    expect(props.split("\n")).toContain("auto.create.topics.enable=false");
  });
});

describe("topics follow the YAML", () => {
  const bare = `name: orders
index:
  name: orders
  mappings:
    id: { type: keyword }
`;

  it("a topic without settings gets the cluster's default partitions and replication, and no configs", () => {
    const env = reference("configs/environments/dev.yaml").replace("default_partitions: 2", "default_partitions: 4").replace("default_replication_factor: 3 ", "default_replication_factor: 2 ");
    const orders = topics(synthWith({ "configs/topics/orders.yaml": bare, "configs/environments/dev.yaml": env })).orders;
    expect([orders.partition_count, orders.replication_factor]).toEqual([4, 2]);
    expect(orders).not.toHaveProperty("configs");
  });

  it("cleanup.policy both is Kafka's compact,delete; every typed config reaches the JSON", () => {
    const yaml = `${bare}configs:
  cleanup.policy: both
  min.insync.replicas: 2
  max.message.bytes: 2097152
  compression.type: zstd
`;
    const orders = topics(synthWith({ "configs/topics/orders.yaml": yaml })).orders;
    expect(JSON.parse(orders.configs as string)).toEqual({
      "cleanup.policy": "compact,delete",
      "compression.type": "zstd",
      "max.message.bytes": "2097152",
      "min.insync.replicas": "2",
    });
  });

  it("allow_topic_replacement: true drops prevent_destroy from every topic", () => {
    const env = reference("configs/environments/dev.yaml").replace("allow_topic_replacement: false", "allow_topic_replacement: true");
    for (const topic of Object.values(topics(synthWith({ "configs/environments/dev.yaml": env })))) expect(topic).not.toHaveProperty("lifecycle");
  });

  it("auto_create_topics: true stays an option", () => {
    const env = reference("configs/environments/dev.yaml").replace("auto_create_topics: false", "auto_create_topics: true ");
    const props = Object.values(synthWith({ "configs/environments/dev.yaml": env }).resource.aws_msk_configuration)[0].server_properties as string;
    expect(props.split("\n")).toContain("auto.create.topics.enable=true");
  });

  it("a dead-letter topic without a replication factor takes the cluster's, in the topic and in the connector's configuration", () => {
    const env = reference("configs/environments/dev.yaml").replace("default_replication_factor: 3 ", "default_replication_factor: 2 ");
    const sink = reference("configs/connectors/ad-tech-sink.yaml").replace(/^ {4}replication_factor: 3 .*\n/m, "");
    const tf = synthWith({ "configs/environments/dev.yaml": env, "configs/connectors/ad-tech-sink.yaml": sink });
    expect(topics(tf)["ad-tech-dl"].replication_factor).toBe(2);
    const config = Object.values(tf.resource.aws_mskconnect_connector).find((c) => c.name === "ad-tech-dev-ad-tech-sink")!.connector_configuration as Record<string, string>;
    expect(config["errors.deadletterqueue.topic.replication.factor"]).toBe("2");
  });
});

describe("topic warnings (file:line:col, synth goes on)", () => {
  it("min.insync.replicas equal to the replication factor: one broker down blocks acks=all writes", () => {
    const clicks = reference("configs/topics/clicks.yaml").replace("  # min.insync.replicas: 2 ", "  min.insync.replicas: 3   ");
    expect(warningsWith({ "configs/topics/clicks.yaml": clicks })).toEqual([
      'configs/topics/clicks.yaml:11:24  configs["min.insync.replicas"]: min.insync.replicas (3) equals the replication factor (3): with one broker down, acks=all writes to clicks are refused',
    ]);
  });

  it("a sink with more tasks than its topics have partitions: the extra tasks are idle", () => {
    const sink = reference("configs/connectors/ad-tech-sink.yaml").replace("tasks_max: 2", "tasks_max: 6");
    expect(warningsWith({ "configs/connectors/ad-tech-sink.yaml": sink })).toEqual([
      "configs/connectors/ad-tech-sink.yaml:10:12  tasks_max: 6 tasks, but its topics (impressions, clicks) have 4 partitions in environment dev: 2 tasks will be idle",
    ]);
  });

  it("the reference configuration has no topic warnings", () => {
    expect(warningsWith({})).toEqual([]);
  });
});
