/**
 * Writes a large pipeline configuration for the bench: the reference environment, `topics` topics
 * and `connectors` connectors (alternating datagen sources and OpenSearch sinks, each over a slice
 * of the topics), with stand-in plugin artifacts.
 */
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { LOCK_PATH, emptyLock, formatLock } from "../../modules/config/plugin-lock";
import { pluginManifestSchema } from "../../modules/config/schema";
import { GLUE_CONVERTER_CLASSES } from "../../modules/processing/glue-converter";

/**
 * Writes a stand-in artifact for every plugin of `root`'s manifest and pins it in the lock, as the
 * download would (synth verifies artifacts against the lock). `contentOf` gives each artifact's
 * bytes. A manifest that does not parse (a bad-input fixture) gets nothing.
 */
export function writeStandInArtifacts(root: string, contentOf: (plugin: string) => string = (name) => `bench stand-in of ${name}\n`): void {
  const parsed = pluginManifestSchema.safeParse(parse(readFileSync(path.join(root, "connectors/manifest.yaml"), "utf8")));
  if (!parsed.success) return;
  const lock = emptyLock();
  for (const [name, p] of Object.entries(parsed.data.plugins)) {
    const content = contentOf(name);
    mkdirSync(path.dirname(path.join(root, "connectors", p.file)), { recursive: true });
    writeFileSync(path.join(root, "connectors", p.file), content);
    const sha256 = createHash("sha256").update(content).digest("hex");
    lock.plugins[name] = {
      version: p.version,
      content_type: p.content_type,
      file: p.file,
      sources: p.sources.map((s) => ({ url: s.url, unpack: s.unpack, sha256 })),
      artifact: { sha256 },
    };
  }
  writeFileSync(path.join(root, LOCK_PATH), formatLock(lock));
}

/** One topic file per name: keyword/double/date mappings and a generator for each field. */
function writeTopicFiles(root: string, names: readonly string[]): void {
  for (const name of names) {
    writeFileSync(
      path.join(root, "configs/topics", `${name}.yaml`),
      [
        `name: ${name}`,
        "index:",
        `  name: ${name}`,
        "  mappings:",
        "    id: { type: keyword }",
        "    amount: { type: double }",
        '    created_at: { type: date, format: "yyyy-MM-dd HH:mm:ss" }',
        "generator:",
        '  key: { with: "#{Code.isbn10}" }',
        "  fields:",
        '    id: { with: "#{Code.isbn10}" }',
        '    amount: { with: "#{number.randomDouble \'2\',\'1\',\'100\'}" }',
        "",
      ].join("\n"),
    );
  }
}

/**
 * Gives `names` a value schema of `format` in the Glue Schema Registry: a `schema` section in
 * each topic file and its definition under configs/schemas/ (a `${...}` in the text checks that
 * it reaches Glue as written).
 */
function writeTopicSchemas(root: string, names: readonly string[], format: "AVRO" | "JSON" | "PROTOBUF"): void {
  mkdirSync(path.join(root, "configs/schemas"), { recursive: true });
  const ext = { AVRO: "avsc", JSON: "json", PROTOBUF: "proto" }[format];
  for (const name of names) {
    const record = name.replace(/-/g, "_");
    const definition = {
      AVRO: JSON.stringify({ type: "record", name: record, doc: "amount in ${currency}", fields: [{ name: "id", type: "string" }, { name: "amount", type: "double" }] }, null, 2),
      JSON: JSON.stringify({ $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties: { id: { type: "string" }, amount: { type: "number" } } }, null, 2),
      PROTOBUF: `syntax = "proto3";\nmessage ${record} {\n  string id = 1;\n  double amount = 2;\n}`,
    }[format];
    writeFileSync(path.join(root, "configs/schemas", `${name}.${ext}`), `${definition}\n`);
    const topicFile = path.join(root, "configs/topics", `${name}.yaml`);
    const compatibility = format === "AVRO" ? "FULL_ALL" : "BACKWARD";
    writeFileSync(topicFile, `${readFileSync(topicFile, "utf8")}schema: { format: ${format}, compatibility: ${compatibility}, file: schemas/${name}.${ext} }\n`);
  }
}

export function generateConfig(root: string, repoRoot: string, topics: number, connectors: number): void {
  mkdirSync(path.join(root, "configs/topics"), { recursive: true });
  mkdirSync(path.join(root, "configs/connectors"), { recursive: true });
  mkdirSync(path.join(root, "connectors/artifacts"), { recursive: true });
  cpSync(path.join(repoRoot, "configs/environments"), path.join(root, "configs/environments"), { recursive: true });
  cpSync(path.join(repoRoot, "connectors/manifest.yaml"), path.join(root, "connectors/manifest.yaml"));
  writeStandInArtifacts(root);
  const names = Array.from({ length: topics }, (_, i) => `topic-${String(i).padStart(3, "0")}`);
  writeTopicFiles(root, names);
  const perConnector = Math.ceil(topics / connectors);
  for (let i = 0; i < connectors; i++) {
    const slice = names.slice((i * perConnector) % topics, ((i * perConnector) % topics) + perConnector);
    const sink = i % 2 === 1;
    writeFileSync(
      path.join(root, "configs/connectors", `connector-${String(i).padStart(2, "0")}.yaml`),
      [
        `name: connector-${String(i).padStart(2, "0")}`,
        `kind: ${sink ? "opensearch-sink" : "msk-datagen"}`,
        `plugin: ${sink ? "opensearch-sink" : "msk-data-generator"}`,
        `topics: [${slice.join(", ")}]`,
        "tasks_max: 2",
        "capacity: { provisioned: { workers: 1, mcu: 1 } }",
        "",
      ].join("\n"),
    );
  }
}

/**
 * Writes a configuration that switches everything on, for the offline Terraform stage: `topics`
 * topics; connectors of every kind (msk-datagen sources, opensearch-sinks, custom sources and
 * sinks from an extra plugin, s3-sinks to a created and an existing bucket, eventbridge-sinks to a
 * created and an existing bus, kinesis-sources with a created and an existing stream, jdbc-sources
 * with tables and a query, mirror-makers with SCRAM and IAM sources) with provisioned and autoscaling capacity, dead-letter queues and
 * transforms; and two environments: `full-vpn` (VPN with allowed CIDRs in YAML, OpenVPN too, NAT
 * per AZ, an S3 backend, storage autoscaling, a KMS key, dedicated masters, audit logs, an IAM
 * master user, extra broker and worker properties, the Kafka client host, tiered storage, both
 * Prometheus exporters, multi-VPC connectivity and a cluster policy) and `full-novpn` (no VPN,
 * 2 AZs, default backend, tiered storage, the JMX exporter only, multi-VPC connectivity and a
 * cluster policy of service principals only, for the archives and the opensearch-ingestion
 * connectors, which need them in every environment). One topic is tiered. Two archives (Firehose to
 * S3): a created bucket with every default prefix and the extreme buffering hints, and an existing
 * bucket with custom prefixes, read_from and a KMS key. Plugin artifacts are stand-ins.
 *
 * With `kafkaMode: "serverless"` the same topics, connectors and processor run on MSK Serverless in
 * one environment, `full-serverless`, with every option that applies there on (an S3 backend, the
 * VPN, the client host, the schema registry, dedicated masters, Dashboards users and saved
 * objects...); topic files keep to what Serverless allows (no tiered topic, dead-letter topics
 * replicated 3 times), since every environment of a configuration shares them. No archive and no
 * opensearch-ingestion connector there (both need a cluster policy, provisioned-only here so far).
 */
export function generateFullConfig(root: string, repoRoot: string, topics = 36, options: { readonly kafkaMode?: "provisioned" | "serverless" } = {}): void {
  const serverless = options.kafkaMode === "serverless";
  mkdirSync(path.join(root, "configs/environments"), { recursive: true });
  mkdirSync(path.join(root, "configs/topics"), { recursive: true });
  mkdirSync(path.join(root, "configs/connectors"), { recursive: true });
  mkdirSync(path.join(root, "connectors/artifacts"), { recursive: true });
  mkdirSync(path.join(root, "configs/dashboards"), { recursive: true });
  cpSync(path.join(repoRoot, "examples/dashboards/ad-tech.ndjson"), path.join(root, "configs/dashboards/ad-tech.ndjson"));
  const manifest = readFileSync(path.join(repoRoot, "connectors/manifest.yaml"), "utf8");
  writeFileSync(
    path.join(root, "connectors/manifest.yaml"),
    `${manifest.trimEnd()}\n\n  custom-s3:\n    description: stand-in custom plugin\n    version: 1.0.0\n    content_type: ZIP\n    java_version: 11\n` +
      "    file: artifacts/custom-s3-1.0.0.zip\n    connector_classes: [com.example.s3.S3SinkConnector, com.example.s3.S3SourceConnector]\n" +
      "    config_providers: [com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider]\n" +
      `    converters: [${GLUE_CONVERTER_CLASSES.AVRO}, ${GLUE_CONVERTER_CLASSES.JSON}]\n` +
      "    sources:\n      - url: https://example.com/custom-s3-1.0.0.zip\n        unpack: true\n" +
      "\n  flink-app:\n    description: stand-in Flink application\n    version: 1.0.0\n    content_type: JAR\n    java_version: 11\n" +
      "    file: artifacts/flink-app-1.0.0.jar\n    application_class: com.example.Aggregate\n    sources:\n      - url: https://example.com/flink-app-1.0.0.jar\n",
  );
  writeStandInArtifacts(root);
  if (serverless) writeFullServerlessEnvironment(root);
  else writeFullEnvironments(root);
  const names = Array.from({ length: topics }, (_, i) => `topic-${String(i).padStart(3, "0")}`);
  writeTopicFiles(root, [...names, "old-msk.orders"]);
  // One tiered topic (both provisioned environments are TIERED): remote storage with local retention.
  if (!serverless) {
    writeFileSync(
      path.join(root, "configs/topics", `${names[0]}.yaml`),
      readFileSync(path.join(root, "configs/topics", `${names[0]}.yaml`), "utf8") +
        "configs: { retention.ms: 2592000000, remote.storage.enable: true, local.retention.ms: 86400000, local.retention.bytes: -2 }\n",
    );
  } else {
    // The configs MSK Serverless allows.
    writeFileSync(
      path.join(root, "configs/topics", `${names[0]}.yaml`),
      readFileSync(path.join(root, "configs/topics", `${names[0]}.yaml`), "utf8") +
        "replication_factor: 3\npartitions: 6\nconfigs: { retention.ms: 2592000000, retention.bytes: -1, cleanup.policy: both, compression.type: zstd, max.message.bytes: 8388608 }\n",
    );
  }
  writeFullConnectors(root, names, topics, serverless);
}

/** The two provisioned environments of the full configuration. */
function writeFullEnvironments(root: string): void {
  writeFileSync(
    path.join(root, "configs/environments/full-vpn.yaml"),
    [
      "name_prefix: full-vpn",
      "region: eu-west-1",
      "tags: { Project: pipeline-full, Environment: full-vpn }",
      "backend:",
      "  s3: { bucket: my-terraform-state, key: pipeline/full-vpn.tfstate, encrypt: true, use_lockfile: true }",
      "network: { cidr: 10.20.0.0/16, az_count: 3, nat: per_az, flow_logs_retention_days: 90 }",
      "vpn:",
      "  enabled: true",
      "  allowed_cidrs: [203.0.113.0/24, 198.51.100.7/32]",
      "  l2tp_ipsec: true",
      "  softether: true",
      "  openvpn: true",
      "kafka:",
      "  version: 3.9.x",
      "  broker_count: 6",
      "  storage_autoscaling_max_gb: 1000",
      "  encryption_kms_key_arn: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "  enhanced_monitoring: PER_TOPIC_PER_BROKER",
      "  server_properties: { extra: { compression.type: zstd, message.max.bytes: 2097152 } }",
      "  storage_mode: TIERED",
      "  open_monitoring:",
      "    jmx_exporter: true",
      "    node_exporter: true",
      "    allowed_security_group_ids: [sg-0a1b2c3d4e5f60718]",
      "    allowed_cidrs: [10.40.0.0/24]",
      "  vpc_connectivity: { iam: true }",
      "  cluster_policy:",
      "    principals: [\"444455556666\", arn:aws:iam::444455556666:role/Consumer, osis.amazonaws.com, osis-pipelines.amazonaws.com, firehose.amazonaws.com]",
      "  client_authentication:",
      "    tls: { certificate_authority: { create: { common_name: full-vpn Kafka clients, organization: Example, organizational_unit: Data, country: IE, validity_years: 5, permanent_deletion_days: 14 } } }",
      "    scram: { users: [analytics, reports] }",
      "client_host:",
      "  enabled: true",
      "  instance_type: t3.medium",
      "  topics: { topic-000: read, topic-001: read_write, topic-002: write, sink-a-dlq: read }",
      "  consumer_groups: [console-consumer-*, ops-debug]",
      "opensearch:",
      "  instance_count: 3",
      "  zone_count: 3",
      "  dedicated_master_type: m6g.large.search",
      "  access: { admin_roles: [arn:aws:iam::111122223333:role/Admin], reader_roles: [arn:aws:iam::111122223333:role/Analyst] }",
      "  dashboards_users: { alice: { role: admin }, bob: { role: reader } }",
      "  service_linked_role: create",
      "  audit_logs: true",
      "  dashboards_saved_objects: [dashboards/ad-tech.ndjson]",
      "connect:",
      '  kafka_connect_version: "3.7.x"',
      "  worker_properties: { offset.storage.partitions: 25 }",
      "artifact_bucket: { force_destroy: true }",
      "secrets: { recovery_window_days: 14 }",
      "schema_registry: { enabled: true, name: full-vpn-registry, description: every topic schema of full-vpn }",
      "",
    ].join("\n"),
  );
  writeFileSync(
    path.join(root, "configs/environments/full-novpn.yaml"),
    ["name_prefix: full-novpn", "region: us-west-2", "network: { az_count: 2, nat: single }", "vpn: { enabled: false }", "kafka:", "  broker_count: 2", "  server_properties: { default_replication_factor: 2, min_insync_replicas: 1 }", "  storage_mode: TIERED", "  open_monitoring: { jmx_exporter: true, allowed_cidrs: [10.50.0.0/16] }", "  vpc_connectivity: { iam: true }", "  cluster_policy: { principals: [osis.amazonaws.com, osis-pipelines.amazonaws.com, firehose.amazonaws.com] }", "  client_authentication:", "    tls: { certificate_authority: { arn: arn:aws:acm-pca:us-west-2:111122223333:certificate-authority/12345678-1234-1234-1234-123456789012 } }", "    scram: { users: [analytics], kms_key_arn: arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab }", "opensearch: { zone_count: 2 }", "schema_registry: { enabled: true }", ""].join("\n"),
  );
}

/** The serverless environment: every option that applies to MSK Serverless on. */
function writeFullServerlessEnvironment(root: string): void {
  writeFileSync(
    path.join(root, "configs/environments/full-serverless.yaml"),
    [
      "name_prefix: full-serverless",
      "region: eu-west-1",
      "tags: { Project: pipeline-full, Environment: full-serverless }",
      "backend:",
      "  s3: { bucket: my-terraform-state, key: pipeline/full-serverless.tfstate, encrypt: true, use_lockfile: true }",
      "network: { cidr: 10.30.0.0/16, az_count: 3, nat: per_az, flow_logs_retention_days: 90 }",
      "vpn: { enabled: true, allowed_cidrs: [203.0.113.0/24], openvpn: true }",
      "kafka: { mode: serverless }",
      "client_host:",
      "  enabled: true",
      "  topics: { topic-000: read, topic-001: read_write, sink-a-dlq: read }",
      "  consumer_groups: [console-consumer-*]",
      "opensearch:",
      "  instance_count: 3",
      "  zone_count: 3",
      "  dedicated_master_type: m6g.large.search",
      "  access: { admin_roles: [arn:aws:iam::111122223333:role/Admin] }",
      "  dashboards_users: { alice: { role: admin } }",
      "  dashboards_saved_objects: [dashboards/ad-tech.ndjson]",
      "connect:",
      '  kafka_connect_version: "3.7.x"',
      "  worker_properties: { offset.storage.partitions: 25 }",
      "artifact_bucket: { force_destroy: true }",
      "secrets: { recovery_window_days: 7 }",
      "schema_registry: { enabled: true }",
      "",
    ].join("\n"),
  );
}

/** Connectors of every kind and the Flink processor, over slices of the topics. */
function writeFullConnectors(root: string, names: readonly string[], topics: number, serverless: boolean): void {
  const slice = (i: number, n: number) => names.slice((i * n) % topics, ((i * n) % topics) + n);
  writeTopicSchemas(root, slice(2, 6), "AVRO");
  writeTopicSchemas(root, slice(3, 6), "JSON");
  writeTopicSchemas(root, names.slice(-1), "PROTOBUF");
  const connectors: [string, string[]][] = [
    ["source-a", ["kind: msk-datagen", "plugin: msk-data-generator", `topics: [${slice(0, 12).join(", ")}]`, "capacity: { provisioned: { workers: 2, mcu: 2 } }"]],
    ["source-b", ["kind: msk-datagen", "plugin: msk-data-generator", `topics: [${slice(1, 12).join(", ")}]`, "capacity: { autoscaling: { min_workers: 1, max_workers: 4, mcu: 1 } }", "datagen: { throttle_ms: 100 }"]],
    [
      "sink-a",
      [
        "kind: opensearch-sink",
        "plugin: opensearch-sink",
        `topics: [${slice(0, 18).join(", ")}]`,
        "capacity: { autoscaling: { min_workers: 1, max_workers: 3, mcu: 2, scale_in_cpu_percent: 30, scale_out_cpu_percent: 70 } }",
        // MSK Serverless replicates every partition 3 times (2 would be an error there).
        `errors: { tolerance: all, dead_letter_queue: { topic: sink-a-dlq, replication_factor: ${serverless ? 3 : 2} } }`,
        "transforms:",
        "  - { name: insertTS, type: org.apache.kafka.connect.transforms.InsertField$Value, config: { timestamp.field: created_at } }",
        "opensearch: { batch_size: 500, max_retries: 10 }",
        "log_retention_days: 90",
      ],
    ],
    ["sink-b", ["kind: opensearch-sink", "plugin: opensearch-sink", `topics: [${slice(1, 18).join(", ")}]`, "capacity: { provisioned: { workers: 1, mcu: 1 } }"]],
    [
      "custom-sink",
      [
        "kind: custom",
        "plugin: custom-s3",
        "connector_class: com.example.s3.S3SinkConnector",
        "direction: sink",
        `topics: [${slice(2, 6).join(", ")}]`,
        "description: archives some topics to S3",
        'config: { s3.bucket.name: "${stack:artifact_bucket}", s3.region: "${stack:region}", literal: "%{x} and $ sign" }',
        "iam:",
        '  - { sid: ArchiveWrite, actions: [s3:PutObject, s3:AbortMultipartUpload], resources: ["arn:${stack:partition}:s3:::${stack:artifact_bucket}/archive/*"] }',
        '  - { actions: [s3:ListBucket], resources: ["${stack:artifact_bucket_arn}"] }',
        "value_converter: glue-avro",
      ],
    ],
    [
      "custom-source",
      [
        "kind: custom",
        "plugin: custom-s3",
        "connector_class: com.example.s3.S3SourceConnector",
        "direction: source",
        `topics: [${slice(3, 6).join(", ")}]`,
        'kafka_connect_version: "3.7.x"',
        'config: { source.password: "${secretsmanager:full/custom-source:password}", cluster: "${stack:cluster_arn}", brokers: "${stack:bootstrap_brokers}", account: "${stack:account_id}", prefix: "${stack:name_prefix}" }',
        "value_converter: glue-json",
      ],
    ],
    // s3-sink: a created bucket (lifecycle, secure defaults) with time-based partitions; an existing bucket with Parquet.
    [
      "s3-archive",
      ["kind: s3-sink", "plugin: s3-sink", `topics: [${slice(4, 6).join(", ")}]`, "s3:", "  bucket: { create: true, force_destroy: true, noncurrent_version_expiration_days: 14 }", "  topics_dir: archive/raw", "  flush_size: 500", "  rotate_interval_ms: 300000", "  compression: gzip", "  partitioner: { type: time-based, path_format: \"'dt'=YYYY-MM-dd\", partition_duration_ms: 86400000, timestamp_extractor: RecordField, timestamp_field: created_at }"],
    ],
    ["s3-lake", ["kind: s3-sink", "plugin: s3-sink", `topics: [${slice(5, 6).join(", ")}]`, "s3: { bucket: { name: my-data-lake }, flush_size: 10000, format: parquet, compression: snappy }"]],
    // eventbridge-sink: a created bus with per-topic detail types; an existing bus with one detail type and resources.
    ["events-created", ["kind: eventbridge-sink", "plugin: eventbridge-sink", `topics: [${slice(6, 2).join(", ")}]`, "eventbridge:", "  bus: { create: true }", `  detail_types: { ${slice(6, 2).map((t) => `${t}: pipeline.${t}`).join(", ")} }`, "  retries_max: 5", "  retries_delay_ms: 500"]],
    ["events-existing", ["kind: eventbridge-sink", "plugin: eventbridge-sink", `topics: [${slice(7, 2).join(", ")}]`, 'eventbridge: { bus: { arn: "arn:aws:events:eu-west-1:111122223333:event-bus/central" }, detail_type: "pipeline-${topic}", resources: [arn:aws:s3:::my-data-lake] }']],
    // mirror-maker (three connectors each): a SCRAM source behind a CIDR, and an IAM (MSK) source by security group with the default policy.
    [
      "mirror-scram",
      [
        "kind: mirror-maker",
        "plugin: mirror-maker-2",
        'kafka_connect_version: "3.7.x"',
        `topics: [${slice(4, 3).join(", ")}]`,
        "capacity: { autoscaling: { min_workers: 1, max_workers: 2, mcu: 2 } }",
        "mirror:",
        "  source:",
        "    alias: legacy",
        "    bootstrap_servers: [kafka-1.legacy.example.internal:9096, kafka-2.legacy.example.internal:9096]",
        "    authentication: { type: scram, secret: legacy-kafka/mirror, kms_key_arn: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab }",
        "    network: { cidr: 10.60.0.0/16 }",
        `  topics_regex: "${slice(4, 3).join("|")}"`,
        "  offset_sync: { groups: [reporting, dashboards-*] }",
      ],
    ],
    [
      "mirror-iam",
      [
        "kind: mirror-maker",
        "plugin: mirror-maker-2",
        'kafka_connect_version: "3.7.x"',
        "topics: [old-msk.orders]",
        "mirror:",
        "  source:",
        "    alias: old-msk",
        "    bootstrap_servers: [b-1.old.abc123.c2.kafka.eu-west-1.amazonaws.com:9098]",
        "    authentication: { type: iam, cluster_arn: arn:aws:kafka:eu-west-1:444455556666:cluster/old/11111111-2222-3333-4444-555555555555-1 }",
        "    network: { security_group_id: sg-0123456789abcdef0 }",
        "  replication_policy: default",
        "  offset_sync: { emit_checkpoints: true, sync_group_offsets: false, groups: [orders-service] }",
      ],
    ],
  ];
  // kinesis-source: a created provisioned stream with a customer key and the interface endpoint; an existing stream.
  const kms = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  connectors.push(
    ["kinesis-created", ["kind: kinesis-source", "plugin: camel-aws-kinesis-source", 'kafka_connect_version: "3.7.x"', `topics: [${names.at(-1)}]`, `kinesis: { stream: full-events, create: { capacity_mode: provisioned, shard_count: 2, retention_hours: 48, kms_key: "${kms}" }, delay_ms: 250, network: { interface_endpoint: true } }`]],
    ["kinesis-existing", ["kind: kinesis-source", "plugin: camel-aws-kinesis-source", 'kafka_connect_version: "3.7.x"', `topics: [${names.at(-2)}]`, `kinesis: { stream: partner.events, kms_key_arn: "${kms}" }`]],
  );
  // jdbc-source: two tables (topic-<n> = topic.prefix "topic-" + table "<n>") in timestamp+incrementing mode; a query in bulk mode.
  const jdbcDb = "database: { security_group_id: sg-0123456789abcdef0, port: 3306 }";
  connectors.push(
    [
      "jdbc-tables",
      [
        "kind: jdbc-source",
        "plugin: jdbc-source",
        `topics: [${names.at(-3)}, ${names.at(-4)}]`,
        `jdbc: { connection_url: "jdbc:mysql://db.internal:3306/shop", credentials_secret: full/shop-db, mode: timestamp+incrementing, incrementing_column: id, timestamp_columns: [updated_at, created_at], tables: [${[names.at(-3), names.at(-4)].map((n) => `"${n!.replace(/^topic-/, "")}"`).join(", ")}], topic_prefix: topic-, poll_interval_ms: 10000, ${jdbcDb} }`,
      ],
    ],
    [
      "jdbc-query",
      [
        "kind: jdbc-source",
        "plugin: jdbc-source",
        `topics: [${names.at(-5)}]`,
        `jdbc: { connection_url: "jdbc:mysql://db.internal:3306/shop", credentials_secret: full/shop-db, mode: bulk, query: "SELECT id, amount FROM orders", topic_prefix: ${names.at(-5)}, database: { security_group_id: sg-0fedcba9876543210, port: 3307, manage_ingress: false } }`,
      ],
    ],
  );
  for (const [name, lines] of connectors) {
    writeFileSync(path.join(root, "configs/connectors", `${name}.yaml`), [`name: ${name}`, ...lines, "tasks_max: 2", ""].join("\n"));
  }
  // Archives need a cluster policy, which is provisioned-only here so far.
  if (!serverless) {
    mkdirSync(path.join(root, "configs/archives"), { recursive: true });
    writeFileSync(
      path.join(root, "configs/archives/lake-created.yaml"),
      [
        "name: lake-created",
        `topic: ${names[4]}`,
        "read_from: 1970-01-01T00:00:00Z",
        "bucket: { create: true, force_destroy: true, noncurrent_version_expiration_days: 60 }",
        "buffering: { size_mib: 128, interval_seconds: 0 }",
        "compression: HADOOP_SNAPPY",
        "log_retention_days: 14",
        "",
      ].join("\n"),
    );
    writeFileSync(
      path.join(root, "configs/archives/lake-existing.yaml"),
      [
        "name: lake-existing",
        `topic: ${names[5]}`,
        "description: raw records for the data lake",
        "bucket: { name: my-data-lake }",
        `prefix: "raw/${names[5]}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/!{firehose:random-string}/"`,
        'error_output_prefix: "failed/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/"',
        "buffering: { size_mib: 1, interval_seconds: 900 }",
        "compression: ZIP",
        "kms_key_arn: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "",
      ].join("\n"),
    );
  }
  if (!serverless) {
    // opensearch-ingestion (no plugin, no tasks): the maximum of 4 topics with every option on, and
    // one with the defaults (artifact-bucket dead letters, AWS-owned key, no persistent buffer).
    const ingestion: [string, string[]][] = [
      [
        "ingest-all",
        [
          "kind: opensearch-ingestion",
          `topics: [${names.slice(4, 8).join(", ")}]`,
          "log_retention_days: 14",
          `ingestion: { consumer_group: full-ingest, auto_offset_reset: latest, min_units: 2, max_units: 8, persistent_buffer: true, kms_key_arn: "${kms}", dead_letter_queue: { bucket: full-dead-letters, prefix: osis/ingest-all/ } }`,
        ],
      ],
      ["ingest-min", ["kind: opensearch-ingestion", `topics: [${names[8]}]`]],
    ];
    for (const [name, lines] of ingestion) {
      writeFileSync(path.join(root, "configs/connectors", `${name}.yaml`), [`name: ${name}`, ...lines, ""].join("\n"));
    }
  }
  mkdirSync(path.join(root, "configs/processors"), { recursive: true });
  writeFileSync(
    path.join(root, "configs/processors/aggregate.yaml"),
    [
      "name: aggregate",
      "kind: flink",
      "application: flink-app",
      `input_topics: [${names[0]}, ${names[1]}]`,
      `output_topics: [${names[topics - 1]}]`,
      "parallelism: { initial: 2, per_kpu: 2, autoscaling: false }",
      "snapshots: false",
      'property_groups: { FlinkApplicationProperties: { bootstrap.servers: "${stack:bootstrap_brokers}", window.seconds: 10 } }',
      "log_level: WARN",
      "log_retention_days: 14",
      "",
    ].join("\n"),
  );
}
