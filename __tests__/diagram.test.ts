/**
 * The pipeline diagram: generated from the configs, stable under reordering, and the copies in
 * README.md and docs/ are up to date.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { loadPipelineConfig } from "../modules/config/load";
import { nodeId, pipelineDiagram, readmeBlock } from "../scripts/diagram/mermaid";
import { EXAMPLE_FLINK_JAR_MANIFEST_ENTRY, REPO_ROOT, makeProjectCopy, removeProjectCopy } from "./support/project";
import { osisReadyEnvironment } from "./support/osis-environment";

const diagramOf = (root: string) => pipelineDiagram(loadPipelineConfig({ rootDir: root, allowMissingArtifacts: true }), "dev");

function diagramWith(files: Record<string, string>): string {
  const root = makeProjectCopy({ files });
  try {
    return diagramOf(root);
  } finally {
    removeProjectCopy(root);
  }
}

const reference = (rel: string) => readFileSync(path.join(REPO_ROOT, rel), "utf8");
const current = diagramOf(REPO_ROOT);

describe("pipeline diagram", () => {
  it("README.md embeds the current diagram of the reference configs (run `npm run diagram -- dev --readme`)", () => {
    expect(reference("README.md")).toContain(readmeBlock(current, "dev"));
  });

  it("docs/pipeline-dev.mmd is the current diagram", () => {
    expect(reference("docs/pipeline-dev.mmd")).toBe(current);
  });

  it("draws every topic, connector and index with a readable id, and the data flow between them", () => {
    const config = loadPipelineConfig({ rootDir: REPO_ROOT, allowMissingArtifacts: true });
    for (const t of config.topics) {
      // Topics are drawn as the aws_msk_topic they are, with partitions and replicas from their YAML.
      expect(current).toContain(`${nodeId("topic", t.name)}["topic ${t.name}<br/>aws_msk_topic · ${t.spec.partitions} partitions × ${t.spec.replication_factor} replicas"]`);
      expect(current).toContain(`${nodeId("index", t.spec.index.name)}[("index ${t.spec.index.name}")]`);
    }
    for (const c of config.connectors) {
      for (const t of c.spec.topics) {
        const edge = c.spec.kind === "msk-datagen" ? `${nodeId("connector", c.name)} --> ${nodeId("topic", t)}` : `${nodeId("topic", t)} --> ${nodeId("connector", c.name)}`;
        expect(current).toContain(edge);
      }
    }
    expect(nodeId("connector", "ad-tech-sink")).toBe("connector_ad_tech_sink");
    expect(current).toMatch(/^flowchart LR\n/);
    expect(current).toContain("vpn -. 443 HTTPS .-> opensearch");
  });

  it("an archive is a Firehose stream fed by its topic, writing its bucket and prefix; none without archives", () => {
    const dev = reference("configs/environments/dev.yaml")
      .replace("  # vpc_connectivity: { iam: true }", "  vpc_connectivity: { iam: true }")
      .replace(/ {2}# cluster_policy:.*\n {2}# +principals: .*\n/, "  cluster_policy:\n    principals: [firehose.amazonaws.com]\n");
    const d = diagramWith({ "configs/environments/dev.yaml": dev, "configs/archives/clicks-archive.yaml": reference("examples/archives/clicks-archive.yaml") });
    expect(d).toContain('  subgraph firehose["Amazon Data Firehose"]');
    expect(d).toContain('    archive_clicks_archive[["clicks-archive<br/>archive · 64 MiB / 900 s · GZIP"]]');
    expect(d).toContain('  topic_clicks -- "private connectivity, IAM" --> archive_clicks_archive');
    expect(d).toContain("  archive_clicks_archive --> s3archive_clicks_archive");
    expect(d).toContain('  s3archive_clicks_archive[("S3 bucket created by the stack<br/>clicks/!{timestamp:yyyy/MM/dd}/")]');
    expect(current).not.toContain("firehose");
  });

  it("a mirror-maker connector shows the cluster it copies from, outside the stack, feeding it", () => {
    const d = diagramWith({ "configs/connectors/legacy-mirror.yaml": reference("examples/connectors/mirror-maker.yaml") });
    expect(d).toContain(`  cluster_legacy_mirror[("Kafka cluster legacy (outside the stack)<br/>scram · 10.60.0.0/16 port 9096")]`);
    expect(d).toContain(`    connector_legacy_mirror[["legacy-mirror<br/>mirror-maker (source, checkpoint, heartbeat connectors) · identity policy · 1 worker × 2 MCU"]]`);
    expect(d).toContain("  cluster_legacy_mirror -. MirrorMaker 2 .-> connector_legacy_mirror");
    expect(d).toContain("  connector_legacy_mirror --> topic_clicks");
    expect(current).not.toContain("cluster_");
  });

  it("an opensearch-ingestion connector is a pipeline outside MSK Connect: its topics in, its indexes out, dead letters to the bucket", () => {
    const d = diagramWith({ "configs/environments/dev.yaml": osisReadyEnvironment(), "configs/connectors/ad-tech-ingest.yaml": reference("examples/connectors/opensearch-ingestion.yaml") });
    expect(d).toContain(`  subgraph ingestion["OpenSearch Ingestion (IAM only, multi-VPC)"]`);
    expect(d).toContain(`    connector_ad_tech_ingest[["ad-tech-ingest<br/>aws_osis_pipeline · 1-4 OCU"]]`);
    for (const t of ["impressions", "clicks"]) {
      expect(d).toContain(`  topic_${t} --> connector_ad_tech_ingest`);
      expect(d).toContain(`  connector_ad_tech_ingest --> index_${t}`);
    }
    expect(d).toContain("  connector_ad_tech_ingest -. dead letters .-> bucket");
    expect(d).toContain("  kafka -. multi-VPC IAM (PrivateLink) .-> ingestion");
    // Not drawn as an MSK Connect connector.
    const connect = d.slice(d.indexOf("  subgraph connect["), d.indexOf("  end", d.indexOf("  subgraph connect[")));
    expect(connect).not.toContain("connector_ad_tech_ingest");
    expect(current).not.toContain("subgraph ingestion");
  });

  it("reordering YAML (topic lists, mapping keys, connector lists) gives the identical diagram", () => {
    const sink = reference("configs/connectors/ad-tech-sink.yaml").replace("topics: [impressions, clicks]", "topics: [clicks, impressions]");
    const source = reference("configs/connectors/ad-tech-source.yaml").replace("topics: [impressions, clicks]", "topics: [clicks, impressions]");
    expect(sink).not.toBe(reference("configs/connectors/ad-tech-sink.yaml"));
    expect(diagramWith({ "configs/connectors/ad-tech-sink.yaml": sink, "configs/connectors/ad-tech-source.yaml": source })).toBe(current);
  });

  it("follows the configs: a new sink's topic and index appear, a disabled VPN disappears", () => {
    const orders = reference("configs/topics/clicks.yaml").replace(/^name: clicks$/m, "name: orders").replace(/^ {2}name: clicks$/m, "  name: orders").replace(/^generator:[\s\S]*$/m, "");
    const sink = reference("configs/connectors/ad-tech-sink.yaml").replace("name: ad-tech-sink", "name: orders-sink").replace("topics: [impressions, clicks]", "topics: [orders]").replace("topic: ad-tech-dl", "topic: orders-dl");
    const d = diagramWith({ "configs/topics/orders.yaml": orders, "configs/connectors/orders-sink.yaml": sink });
    expect(d).toContain("topic_orders --> connector_orders_sink");
    expect(d).toContain("connector_orders_sink --> index_orders");
    expect(d).toContain('topic_orders_dl["topic orders-dl (dead letters)<br/>aws_msk_topic · 1 partition × 3 replicas"]');

    const env = reference("configs/environments/dev.yaml").replace("enabled: true ", "enabled: false");
    expect(diagramWith({ "configs/environments/dev.yaml": env })).not.toMatch(/vpn/);
  });

  it("draws an enabled Kafka client host with its only way in, to the brokers; none by default", () => {
    expect(current).not.toContain("client_host");
    const env = reference("configs/environments/dev.yaml").replace(/^client_host:\n {2}enabled: false/m, "client_host:\n  enabled: true");
    const d = diagramWith({ "configs/environments/dev.yaml": env });
    expect(d).toContain('client_host{{"Kafka client host (SSM only, t3.small)"}}');
    expect(d).toContain("client_host -. 9098 IAM .-> kafka");
    expect(d).not.toMatch(/client_host -. .* .-> opensearch/);
  });

  it("says MSK Serverless in serverless mode: topics created by the bootstrap with 3 replicas, no broker logs", () => {
    const env = "# yaml-language-server: $schema=../../schemas/environment.schema.json\nname_prefix: ad-tech-dev\nregion: ap-southeast-2\nkafka: { mode: serverless }\n";
    const d = diagramWith({ "configs/environments/dev.yaml": env });
    expect(d).toContain('subgraph kafka["Kafka (MSK Serverless, IAM only)"]');
    expect(d).toContain(`${nodeId("topic", "clicks")}["topic clicks<br/>created by the bootstrap · 2 partitions × 3 replicas"]`);
    expect(d).not.toContain("aws_msk_topic");
    expect(d).not.toContain("broker logs");
    expect(current).toContain("kafka -. broker logs .-> bucket");
  });

  it("draws the bucket of an s3-sink and the bus of an eventbridge-sink, with the network path to each", () => {
    const example = (kind: string) => readFileSync(path.join(REPO_ROOT, "examples/connectors", `${kind}.yaml`), "utf8");
    const existing = example("eventbridge-sink").replace(/ {2}bus:\n {4}create: true.*\n/, '  bus: { arn: "arn:aws:events:ap-southeast-2:111122223333:event-bus/central" }\n');
    const d = diagramWith({ "configs/connectors/ad-tech-archive.yaml": example("s3-sink"), "configs/connectors/ad-tech-events.yaml": existing });
    expect(d).toContain('  s3_ad_tech_archive[("S3 bucket created by the stack<br/>archive/ · json")]');
    expect(d).toContain("  connector_ad_tech_archive -- S3 gateway endpoint --> s3_ad_tech_archive");
    expect(d).toContain('  bus_ad_tech_events{{"EventBridge bus central"}}');
    expect(d).toContain("  connector_ad_tech_events -- PutEvents via NAT --> bus_ad_tech_events");
    expect(d).toContain("  topic_clicks --> connector_ad_tech_events");
  });

  it("draws the Glue Schema Registry only when the environment turns it on: its schemas' topics and the Glue converters", () => {
    expect(current).not.toContain("registry");
    const dev = `${reference("configs/environments/dev.yaml")}\nschema_registry:\n  enabled: true\n`;
    const topic = reference("examples/topics/conversions.yaml");
    const sink = reference("configs/connectors/ad-tech-sink.yaml").replace("name: ad-tech-sink", "name: conversions-sink").replace("topics: [impressions, clicks]", "topics: [conversions]").replace("topic: ad-tech-dl", "topic: conversions-dl");
    const d = diagramWith({
      "configs/environments/dev.yaml": dev,
      "configs/topics/conversions.yaml": topic,
      "configs/schemas/conversions.avsc": reference("examples/schemas/conversions.avsc"),
      "configs/connectors/conversions-sink.yaml": `${sink}\nvalue_converter: glue-avro\n`,
      "connectors/manifest.yaml": reference("connectors/manifest.yaml").replace(
        "    config_providers: [com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider]\n",
        "    config_providers: [com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider]\n    converters: [com.amazonaws.services.schemaregistry.kafkaconnect.AWSKafkaAvroConverter]\n",
      ),
    });
    expect(d).toContain('registry[("Glue Schema Registry ad-tech-dev-schemas<br/>1 schema")]');
    expect(d).toContain("registry -. AVRO schema .-> topic_conversions");
    expect(d).toContain("connector_conversions_sink -. glue-avro .-> registry");
  });

  it("draws what the source kinds read: a kinesis-source's stream, a jdbc-source's database", () => {
    const d = diagramWith({
      "configs/connectors/clickstream-kinesis.yaml": reference("examples/connectors/kinesis-source.yaml"),
      "configs/connectors/shop-db.yaml": reference("examples/connectors/jdbc-source.yaml"),
      "configs/topics/shop-orders.yaml": reference("examples/topics/shop-orders.yaml"),
      "configs/topics/shop-customers.yaml": reference("examples/topics/shop-customers.yaml"),
    });
    expect(d).toContain('  kinesis_ad_tech_clickstream[("Kinesis stream ad-tech-clickstream<br/>created · on demand · KMS")]');
    expect(d).toContain('  kinesis_ad_tech_clickstream -- "NAT" --> connector_clickstream_kinesis');
    expect(d).toContain("  connector_clickstream_kinesis --> topic_clicks");
    expect(d).toContain('  database_shop_db[("database shop.cluster-abc123.ap-southeast-2.rds.amazonaws.com<br/>sg-0123456789abcdef0 · port 3306")]');
    expect(d).toContain('  database_shop_db -- "JDBC timestamp+incrementing" --> connector_shop_db');
    expect(d).toContain("  connector_shop_db --> topic_shop_orders");
  });

  it("draws stream processors only when there are any: input topics into the application, the application into its output topics", () => {
    expect(current).not.toMatch(/processor_|flink/);
    const manifest = `${reference("connectors/manifest.yaml").trimEnd()}\n${EXAMPLE_FLINK_JAR_MANIFEST_ENTRY}`;
    const processor = reference("examples/processors/clicks-per-minute.yaml").replace("parallelism: { initial: 1, per_kpu: 1, autoscaling: true }", "parallelism: { initial: 4, per_kpu: 1, autoscaling: false }");
    const d = diagramWith({
      "configs/processors/clicks-per-minute.yaml": processor,
      "configs/topics/clicks-per-minute.yaml": reference("examples/topics/clicks-per-minute.yaml"),
      "connectors/manifest.yaml": manifest,
    });
    expect(d).toContain(`  subgraph flink["Managed Service for Apache Flink"]`);
    expect(d).toContain(`    processor_clicks_per_minute[["clicks-per-minute<br/>FLINK-1_20 · parallelism 4 (fixed) · clicks-aggregator"]]`);
    expect(d).toContain("  topic_clicks --> processor_clicks_per_minute");
    expect(d).toContain("  processor_clicks_per_minute --> topic_clicks_per_minute");
    expect(d).not.toContain("processor_clicks_per_minute --> topic_clicks\n");
    expect(d).toContain("  bucket -. application JARs .-> flink");
  });

  it("labels the VPN's way into Kafka with the ports client authentication opens", () => {
    expect(current).toContain("vpn -. 9098 IAM .-> kafka");
    const env = reference("configs/environments/dev.yaml").replace(
      /^( {2}allow_topic_replacement: .*\n)/m,
      "$1  client_authentication:\n    tls: { certificate_authority: { create: { common_name: dev clients } } }\n    scram: { users: [analytics] }\n",
    );
    expect(diagramWith({ "configs/environments/dev.yaml": env })).toContain("vpn -. 9098 IAM, 9094 mTLS, 9096 SCRAM .-> kafka");
  });

  it("names the known environments when asked for an unknown one", () => {
    const config = loadPipelineConfig({ rootDir: REPO_ROOT, allowMissingArtifacts: true });
    expect(() => pipelineDiagram(config, "prod")).toThrow('no environment "prod" (configs/environments/prod.yaml); known: dev');
  });
});
