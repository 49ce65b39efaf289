/**
 * The offline Terraform stage on what the project ships: the reference configs (as the README's
 * main command synthesizes them) and a generated configuration with every option switched on.
 * Without a terraform binary on PATH it says so in one line and is skipped.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { generateFullConfig } from "../../scripts/bench/generate-config";
import { makeProjectCopy, REPO_ROOT, removeProjectCopy, runMain } from "../support/project";
import { runStage, stackDirs, terraform, terraformErrors, terraformVersion } from "./offline-stage";

const version = terraformVersion();
if (!version) console.log("offline Terraform stage skipped: no terraform binary on PATH");

function synthesize(root: string): string {
  const outdir = path.join(root, "cdktf.out");
  const r = runMain(root, { CDKTF_OUTDIR: outdir });
  if (r.status !== 0) throw new Error(`synth failed:\n${r.stderr}`);
  return outdir;
}

describe.skipIf(!version)(`offline Terraform stage (terraform ${version})`, () => {
  describe("reference configs", () => {
    let root: string;
    let outdir: string;
    beforeAll(() => {
      root = makeProjectCopy();
      outdir = synthesize(root);
    });
    afterAll(() => removeProjectCopy(root));

    test("every stack parses, its twin plans with both to_create_connector values, and no check reports anything", () => {
      const dirs = stackDirs(outdir);
      expect(dirs.map((d) => path.basename(d))).toEqual(["dev"]);
      for (const dir of dirs) {
        const report = runStage(dir);
        expect(report.problems).toEqual([]);
        expect(report.plans).toEqual(["to_create_connector=false", "to_create_connector=true", "to_create_connector=true, apply-time values unknown"]);
        // The validators saw the resolved values: e.g. the artifact bucket's name, built from the account id.
        const bucket = [...report.planned].find(([a]) => a.startsWith("aws_s3_bucket."))![1];
        expect(bucket.bucket).toMatch(/^[a-z0-9-]+$/);
        expect(bucket.bucket).toContain("111122223333");
      }
    });

    test("in the cdktf.out/stacks/<env> main.ts wrote, `terraform init` sets up the backend and `terraform providers` succeeds", () => {
      // As the README's review step runs it. Providers come from an empty filesystem mirror here
      // (never the network), so init stops at installing hashicorp/aws and at nothing before it:
      // the backend is initialized, and `terraform providers` then parses every file and exits 0.
      const [dir] = stackDirs(outdir);
      const mirror = mkdtempSync(path.join(tmpdir(), "tf-mirror-"));
      try {
        const cli = path.join(mirror, "cli.tfrc");
        writeFileSync(cli, `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["*/*/*"]\n  }\n}\n`);
        const init = terraform(dir, ["init", "-input=false", "-no-color"], 120_000, { TF_CLI_CONFIG_FILE: cli });
        expect(init.stdout).toContain("Successfully configured the backend \"local\"");
        const initErrors = terraformErrors(init.stderr);
        expect(initErrors.length).toBeGreaterThan(0);
        for (const e of initErrors) expect(e).toMatch(/hashicorp\/aws/);
        const providers = terraform(dir, ["providers", "-no-color"], 120_000, { TF_CLI_CONFIG_FILE: cli });
        expect(terraformErrors(providers.stderr)).toEqual([]);
        expect(providers.status).toBe(0);
        expect(providers.stdout).toContain("provider[registry.terraform.io/hashicorp/aws] >= 6.38.0, < 7.0.0");
      } finally {
        rmSync(mirror, { recursive: true, force: true });
      }
    });

    test("the plan evaluates variable validations: an open vpn_allowed_cidrs is refused by Terraform", () => {
      const [dir] = stackDirs(outdir);
      const report = runStage(dir, { cases: [{ name: "open VPN", vars: { vpn_allowed_cidrs: ["0.0.0.0/0"], to_create_connector: false } }] });
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toMatch(/^twin plan \(open VPN\): Error: Invalid value for variable .*must not contain 0\.0\.0\.0\/0/);
    });
  });

  describe("generated configuration with every option switched on", () => {
    let root: string;
    let outdir: string;
    beforeAll(() => {
      root = mkdtempSync(path.join(tmpdir(), "pipeline-full-"));
      generateFullConfig(root, REPO_ROOT);
      outdir = synthesize(root);
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    test("both environments (VPN on with an S3 backend, VPN off) pass every check", { timeout: 180_000 }, () => {
      const dirs = stackDirs(outdir);
      expect(dirs.map((d) => path.basename(d)).sort()).toEqual(["full-novpn", "full-vpn"]);
      const reports = dirs.map((dir) => runStage(dir));
      for (const report of reports) {
        expect({ stack: report.stack, problems: report.problems }).toEqual({ stack: report.stack, problems: [] });
        expect(report.plans).toEqual(["to_create_connector=false", "to_create_connector=true", "to_create_connector=true, apply-time values unknown"]);
      }
      // Every connector kind and both capacity modes made it into the plan.
      const vpn = reports.find((r) => r.stack === "full-vpn")!;
      const connectors = [...vpn.planned].filter(([a]) => a.startsWith("aws_mskconnect_connector.")).map(([, v]) => v);
      expect(connectors.map((c) => c.name).sort()).toEqual(
        [
          "custom-sink",
          "custom-source",
          "events-created",
          "events-existing",
          "jdbc-query",
          "jdbc-tables",
          "kinesis-created",
          "kinesis-existing",
          ...["mirror-iam", "mirror-scram"].flatMap((m) => ["checkpoint", "heartbeat", "source"].map((r) => `${m}-${r}`)),
          "s3-archive",
          "s3-lake",
          "sink-a",
          "sink-b",
          "source-a",
          "source-b",
        ].map((n) => `full-vpn-${n}`),
      );
      // The opensearch-ingestion kind: aws_osis_pipeline with every option on and with the defaults.
      const pipelines = [...vpn.planned].filter(([a]) => a.startsWith("aws_osis_pipeline.")).map(([, v]) => v);
      expect(pipelines.map((p) => [p.pipeline_name, p.min_units, p.max_units, (p.buffer_options as { persistent_buffer_enabled: boolean }[])[0]!.persistent_buffer_enabled]).sort()).toEqual([
        ["full-vpn-ingest-all", 2, 8, true],
        ["full-vpn-ingest-min", 1, 2, false],
      ]);
      expect(pipelines.map((p) => (p.encryption_at_rest_options as unknown[] | undefined)?.length ?? 0).sort()).toEqual([0, 1]);
      // What the s3-sink and eventbridge-sink kinds create around their connectors.
      const planned = (type: string) => [...vpn.planned].filter(([a]) => a.startsWith(`${type}.`)).map(([, v]) => v);
      expect(planned("aws_cloudwatch_event_bus").map((b) => b.name)).toEqual(["full-vpn-events-created"]);
      // The created s3-sink bucket and the created archive bucket.
      expect(planned("aws_s3_bucket_lifecycle_configuration")).toHaveLength(2);
      // kinesis-source's stream and interface endpoint, jdbc-source's rules to its database.
      expect(planned("aws_kinesis_stream").map((k) => k.name)).toEqual(["full-events"]);
      expect(planned("aws_vpc_endpoint").map((e) => e.service_name)).toContain("com.amazonaws.eu-west-1.kinesis-streams");
      expect(planned("aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === "sg-0123456789abcdef0").map((r) => r.from_port)).toEqual([3306]);
      const capacities = connectors.map((c) => Object.keys((c.capacity as Record<string, unknown>) ?? {})[0]);
      expect(new Set(capacities)).toEqual(new Set(["autoscaling", "provisioned_capacity"]));
      // So did the Kafka platform options: tiered storage, both exporters, multi-VPC IAM, the cluster policy.
      const cluster = [...vpn.planned].find(([a]) => a.startsWith("aws_msk_cluster."))![1];
      expect([cluster.storage_mode, cluster.open_monitoring, cluster.broker_node_group_info]).toMatchObject([
        "TIERED",
        { prometheus: { jmx_exporter: { enabled_in_broker: true }, node_exporter: { enabled_in_broker: true } } },
        { connectivity_info: { vpc_connectivity: { client_authentication: { sasl: { iam: true } } } } },
      ]);
      expect([...vpn.planned].filter(([a]) => a.startsWith("aws_msk_cluster_policy.")).map(([a]) => a)).toHaveLength(1);
      // Archives: one Firehose stream per archive file in each stack (to_create_connector=true),
      // reading its topic over PRIVATE connectivity into extended_s3, with the values Terraform resolved.
      for (const report of reports) {
        const streams = [...report.planned].filter(([a]) => a.startsWith("aws_kinesis_firehose_delivery_stream.")).map(([, v]) => v);
        expect(streams.map((v) => v.name).sort()).toEqual([`${report.stack}-lake-created`, `${report.stack}-lake-existing`]);
        const created = streams.find((v) => v.name === `${report.stack}-lake-created`)!;
        const existing = streams.find((v) => v.name === `${report.stack}-lake-existing`)!;
        expect(created.msk_source_configuration).toMatchObject({
          topic_name: "topic-004",
          read_from_timestamp: "1970-01-01T00:00:00Z",
          authentication_configuration: { connectivity: "PRIVATE", role_arn: `arn:aws:iam::111122223333:role/${report.stack}-lake-created-firehose-msk` },
        });
        expect(String((created.msk_source_configuration as Record<string, unknown>).msk_cluster_arn)).toMatch(/^arn:aws:kafka:[a-z0-9-]+:111122223333:cluster\//);
        expect(created.extended_s3_configuration).toMatchObject({
          prefix: "topic-004/!{timestamp:yyyy/MM/dd}/",
          buffering_size: 128,
          buffering_interval: 0,
          compression_format: "HADOOP_SNAPPY",
          cloudwatch_logging_options: { enabled: true, log_stream_name: "DestinationDelivery" },
        });
        expect(String((created.extended_s3_configuration as Record<string, unknown>).bucket_arn)).toBe(`arn:aws:s3:::${report.stack}-lake-created-111122223333-${report.stack === "full-vpn" ? "eu-west-1" : "us-west-2"}`);
        expect(existing.extended_s3_configuration).toMatchObject({ bucket_arn: "arn:aws:s3:::my-data-lake", compression_format: "ZIP", kms_key_arn: expect.stringMatching(/^arn:aws:kms:/) });
        const policies = [...report.planned].filter(([a]) => a.startsWith("aws_msk_cluster_policy.")).map(([, v]) => JSON.parse(String(v.policy)));
        expect(policies.map((p) => p.Statement[0].Principal.Service)).toEqual([["firehose.amazonaws.com", "osis-pipelines.amazonaws.com", "osis.amazonaws.com"]]);
      }
      // The Glue Schema Registry: one registry per stack, a schema per topic with a schema section
      // (each format), its definition as written (the `${...}` in it survived Terraform).
      for (const report of reports) {
        const registries = [...report.planned].filter(([a]) => a.startsWith("aws_glue_registry.")).map(([, v]) => v.registry_name);
        expect(registries).toEqual([report.stack === "full-vpn" ? "full-vpn-registry" : "full-novpn-schemas"]);
        const schemas = [...report.planned].filter(([a]) => a.startsWith("aws_glue_schema.")).map(([, v]) => v);
        expect(schemas.map((v) => v.data_format).sort()).toEqual([...Array(6).fill("AVRO"), ...Array(6).fill("JSON"), "PROTOBUF"]);
        expect(String(schemas.find((v) => v.data_format === "AVRO")!.schema_definition)).toContain('"doc": "amount in ${currency}"');
      }

      // Client authentication beside IAM made it into both plans: a created CA with its certificate
      // installed (full-vpn), an existing CA (full-novpn), SCRAM secrets with AmazonMSK_ names.
      const plannedIn = (r: (typeof reports)[number], prefix: string) => [...r.planned].filter(([a]) => a.startsWith(prefix)).map(([, v]) => v);
      const novpn = reports.find((r) => r.stack === "full-novpn")!;
      expect(plannedIn(vpn, "aws_acmpca_certificate_authority.").map((c) => c.type)).toEqual(["ROOT"]);
      expect(plannedIn(vpn, "aws_acmpca_certificate_authority_certificate.")).toHaveLength(1);
      const caArn = plannedIn(vpn, "aws_acmpca_certificate_authority.")[0].arn as string;
      expect(plannedIn(vpn, "aws_msk_cluster.")[0].client_authentication).toEqual({
        sasl: { iam: true, scram: true },
        tls: { certificate_authority_arns: [caArn] },
        unauthenticated: false,
      });
      expect(plannedIn(novpn, "aws_acmpca_certificate_authority.")).toEqual([]);
      expect(plannedIn(novpn, "aws_kms_key.")).toEqual([]);
      const secretNames = (r: (typeof reports)[number]) =>
        (plannedIn(r, "aws_msk_scram_secret_association.")[0].secret_arn_list as string[]).map((arn) => /:secret:(.+)-\w{6}$/.exec(arn)![1]);
      expect(secretNames(vpn)).toEqual(["AmazonMSK_full-vpn_analytics", "AmazonMSK_full-vpn_reports"]);
      expect(secretNames(novpn)).toEqual(["AmazonMSK_full-novpn_analytics"]);
    });
  });

  describe("generated configuration on MSK Serverless", () => {
    let root: string;
    let outdir: string;
    beforeAll(() => {
      root = mkdtempSync(path.join(tmpdir(), "pipeline-full-serverless-"));
      generateFullConfig(root, REPO_ROOT, 36, { kafkaMode: "serverless" });
      outdir = synthesize(root);
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    test("full-serverless passes every check, with no provisioned cluster or topic and the connectors' IAM on its topics", { timeout: 180_000 }, () => {
      const dirs = stackDirs(outdir);
      expect(dirs.map((d) => path.basename(d))).toEqual(["full-serverless"]);
      const report = runStage(dirs[0]);
      expect(report.problems).toEqual([]);
      expect(report.plans).toEqual(["to_create_connector=false", "to_create_connector=true", "to_create_connector=true, apply-time values unknown"]);
      const planned = (type: string) => [...report.planned].filter(([a]) => a.startsWith(`${type}.`)).map(([, v]) => v);
      for (const type of ["aws_msk_cluster", "aws_msk_topic", "aws_msk_configuration"]) expect(planned(type)).toEqual([]);
      const [cluster] = planned("aws_msk_serverless_cluster");
      expect(cluster.client_authentication).toEqual({ sasl: { iam: { enabled: true } } });
      expect((cluster.vpc_config as { subnet_ids: string[] }[])[0].subnet_ids).toHaveLength(3);
      // Every connector kind, MirrorMaker included, made it into the plan with IAM to the serverless cluster.
      const connectors = planned("aws_mskconnect_connector");
      expect(connectors).toHaveLength(20);
      const clusterArn = cluster.arn as string;
      expect(clusterArn).toMatch(/^arn:aws:kafka:eu-west-1:111122223333:cluster\/full-serverless-msk-serverless\/[0-9a-f-]+-s2$/);
      for (const c of connectors) {
        expect((c.kafka_cluster as { apache_kafka_cluster: { bootstrap_connect_servers?: string; bootstrap_servers: string } }).apache_kafka_cluster.bootstrap_servers).toBe(cluster.bootstrap_brokers_sasl_iam);
      }
      const policies = planned("aws_iam_role_policy").map((p) => String(p.policy));
      const topicArn = clusterArn.replace(":cluster/", ":topic/");
      expect(policies.some((p) => p.includes(`${topicArn}/topic-000`))).toBe(true);
      // The client host and the processor are there too.
      expect(planned("aws_instance").map((i) => (i.tags as Record<string, string>).Name)).toContain("full-serverless-kafka-client");
      expect(planned("aws_kinesisanalyticsv2_application")).toHaveLength(1);
    });
  });
});
