import { TerraformOutput, TerraformStack, Testing, Token } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { beforeEach, describe, expect, test } from "vitest";
import { connectorPluginProps } from "../../modules/config/plugin-props";
import type { PluginConfig } from "../../modules/config/load";
import { ConnectorPlugin, type ConnectorPluginProps } from "../../modules/connect/connector-plugin";
import { ConnectorSecurityGroup } from "../../modules/connect/connector-security-group";
import { SECRETS_MANAGER_CONFIG_PROVIDER_CLASS, WorkerConfiguration } from "../../modules/connect/worker-configuration";
import type { Tf } from "../support/connect-stack";

const pin = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

let stack: TerraformStack;
beforeEach(() => {
  stack = new TerraformStack(Testing.app(), "s");
  new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
});
const synth = (): Tf => JSON.parse(Testing.synth(stack, true)) as Tf;
const only = (tf: Tf, type: string) => Object.values(tf.resource[type]);

describe("ConnectorPlugin", () => {
  const props = (sha256?: string, override: Partial<ConnectorPluginProps> = {}): ConnectorPluginProps => ({
    namePrefix: "ad-tech-dev",
    name: "opensearch-sink",
    version: "3.1.1",
    contentType: "ZIP",
    artifact: { path: "/abs/connectors/artifacts/opensearch-sink-3.1.1.zip", sha256 },
    bucketName: "bucket",
    bucketArn: "arn:aws:s3:::bucket",
    ...override,
  });
  const make = (sha256?: string) => new ConnectorPlugin(stack, "plugin", props(sha256));

  test("uploads the artifact under plugins/<name>-<version>.<ext>, its source_hash the pinned sha256", () => {
    make(pin);
    const [obj] = only(synth(), "aws_s3_object");
    expect(obj.key).toBe("plugins/opensearch-sink-3.1.1.zip");
    expect(obj.source).toBe("/abs/connectors/artifacts/opensearch-sink-3.1.1.zip");
    expect(obj.source_hash).toBe(pin);
    expect(obj.bucket).toBe("bucket");
  });

  test("the custom plugin points at the object's key and version", () => {
    const p = make(pin);
    const tf = synth();
    const [plugin] = only(tf, "aws_mskconnect_custom_plugin");
    expect(plugin.name).toBe("ad-tech-dev-opensearch-sink-3-1-1");
    expect(plugin.content_type).toBe("ZIP");
    expect(plugin.location.s3.bucket_arn).toBe("arn:aws:s3:::bucket");
    expect(plugin.location.s3.file_key).toMatch(/^\$\{aws_s3_object\..*\.key\}$/);
    expect(plugin.location.s3.object_version).toMatch(/\.version_id\}$/);
    new TerraformOutput(stack, "plugin_arn", { value: p.arn });
    new TerraformOutput(stack, "plugin_revision", { value: p.latestRevision });
    const outputs = (synth() as unknown as { output: Record<string, { value: string }> }).output;
    expect(outputs.plugin_arn.value).toMatch(/^\$\{aws_mskconnect_custom_plugin\.[^.]+\.arn\}$/);
    expect(outputs.plugin_revision.value).toMatch(/^\$\{aws_mskconnect_custom_plugin\.[^.]+\.latest_revision\}$/);
  });

  test("without a downloaded artifact the hash is Terraform's filemd5 (plan fails until download)", () => {
    make(undefined);
    const [obj] = only(synth(), "aws_s3_object");
    expect(obj.source_hash).toBe('${filemd5("/abs/connectors/artifacts/opensearch-sink-3.1.1.zip")}');
  });

  test("the upload waits for what dependsOn names (the bucket's versioning), so the object has a version id", () => {
    const versioning = new S3BucketVersioningA(stack, "versioning", { bucket: "bucket", versioningConfiguration: { status: "Enabled" } });
    new ConnectorPlugin(stack, "plugin", props(pin, { dependsOn: [versioning] }));
    const [obj] = only(synth(), "aws_s3_object");
    expect(obj.depends_on).toEqual([`aws_s3_bucket_versioning.${versioning.friendlyUniqueId}`]);
  });

  test("without dependsOn the object has no depends_on", () => {
    make(pin);
    expect(only(synth(), "aws_s3_object")[0].depends_on).toBeUndefined();
  });

  test("a JAR plugin is uploaded as .jar with the Java archive content type; the description reaches the custom plugin", () => {
    new ConnectorPlugin(stack, "plugin", props(pin, { name: "msk-data-generator", version: "0.4.0", contentType: "JAR", description: "datagen" }));
    const tf = synth();
    const [obj] = only(tf, "aws_s3_object");
    expect([obj.key, obj.content_type]).toEqual(["plugins/msk-data-generator-0.4.0.jar", "application/java-archive"]);
    const [plugin] = only(tf, "aws_mskconnect_custom_plugin");
    expect([plugin.name, plugin.content_type, plugin.description]).toEqual(["ad-tech-dev-msk-data-generator-0-4-0", "JAR", "datagen"]);
  });

  test.each([
    [{ artifact: { path: "/x.zip", sha256: "0123456789abcdef0123456789abcdef" } }, 'ConnectorPlugin opensearch-sink: artifact.sha256 must be 64 lowercase hex characters, got "0123456789abcdef0123456789abcdef"'],
    [{ name: "OpenSearch" }, 'ConnectorPlugin: plugin name must be lowercase letters, digits and \'-\', got "OpenSearch"'],
    [{ version: "" }, "ConnectorPlugin opensearch-sink: version must not be empty"],
    [{ contentType: "TAR" as "ZIP" }, 'ConnectorPlugin opensearch-sink: contentType must be JAR or ZIP, got "TAR"'],
    [{ namePrefix: "Ad_Tech" }, 'ConnectorPlugin: namePrefix must be lowercase letters, digits and \'-\', got "Ad_Tech"'],
  ])("rejects %j", (override, message) => {
    expect(() => new ConnectorPlugin(stack, "plugin", props(pin, override))).toThrow(message);
  });
});

describe("connectorPluginProps (manifest entry -> ConnectorPlugin props)", () => {
  const plugin: PluginConfig = {
    name: "opensearch-sink",
    spec: {
      description: "Aiven sink",
      version: "3.1.1",
      content_type: "ZIP",
      java_version: 11,
      file: "artifacts/opensearch-sink-3.1.1.zip",
      connector_classes: ["io.aiven.kafka.connect.opensearch.OpensearchSinkConnector"],
      config_providers: [SECRETS_MANAGER_CONFIG_PROVIDER_CLASS],
      sources: [{ url: "https://example.com/x.zip", unpack: true }],
    },
    artifact: { path: "/abs/connectors/artifacts/opensearch-sink-3.1.1.zip", displayPath: "connectors/artifacts/opensearch-sink-3.1.1.zip", present: true, sha256: pin },
    origin: { file: "connectors/manifest.yaml", at: () => "connectors/manifest.yaml:1:1" },
  };

  test("maps name, version, content_type, description and the pinned artifact", () => {
    expect(connectorPluginProps(plugin)).toEqual({
      name: "opensearch-sink",
      version: "3.1.1",
      contentType: "ZIP",
      description: "Aiven sink",
      artifact: { path: "/abs/connectors/artifacts/opensearch-sink-3.1.1.zip", sha256: pin },
    });
  });

  test("takes the artifact path Terraform reads when given one", () => {
    expect(connectorPluginProps(plugin, "${path.module}/../../connectors/artifacts/x.zip").artifact.path).toBe("${path.module}/../../connectors/artifacts/x.zip");
  });
});

describe("WorkerConfiguration", () => {
  test("declares converters, flush interval and the Secrets Manager config provider", () => {
    const w = new WorkerConfiguration(stack, "w", { namePrefix: "ad-tech-dev", region: "ap-southeast-2", secretsManagerProvider: true, offsetFlushIntervalMs: 10000 });
    const [r] = only(synth(), "aws_mskconnect_worker_configuration");
    const lines = (r.properties_file_content as string).trim().split("\n");
    expect(lines).toEqual([
      "config.providers=secretsmanager",
      `config.providers.secretsmanager.class=${SECRETS_MANAGER_CONFIG_PROVIDER_CLASS}`,
      "config.providers.secretsmanager.param.region=ap-southeast-2",
      "key.converter=org.apache.kafka.connect.storage.StringConverter",
      "key.converter.schemas.enable=false",
      "offset.flush.interval.ms=10000",
      "value.converter=org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable=false",
    ]);
    expect(w.hasSecretsManagerProvider).toBe(true);
  });

  test("the name carries a hash of the content: a change gives a new name (configurations are immutable)", () => {
    const a = new WorkerConfiguration(stack, "a", { namePrefix: "p-x", region: "ap-southeast-2" });
    const b = new WorkerConfiguration(stack, "b", { namePrefix: "p-x", region: "ap-southeast-2" });
    const c = new WorkerConfiguration(stack, "c", { namePrefix: "p-x", region: "ap-southeast-2", workerProperties: { "offset.flush.timeout.ms": 5000 } });
    expect(a.name).toMatch(/^p-x-workers-[0-9a-f]{8}$/);
    expect(a.name).toBe(b.name);
    expect(c.name).not.toBe(a.name);
    expect(c.properties).toContain("offset.flush.timeout.ms=5000\n");
  });

  test("without the provider flag no config provider is declared", () => {
    new WorkerConfiguration(stack, "w", { namePrefix: "p-x", region: "ap-southeast-2" });
    expect(only(synth(), "aws_mskconnect_worker_configuration")[0].properties_file_content).not.toContain("config.providers");
  });

  test.each([
    [{ region: "${var.region}" }, 'WorkerConfiguration: region must be a literal AWS region (it is part of the hashed name), got "${var.region}"'],
    [{ offsetFlushIntervalMs: 10 }, "WorkerConfiguration: offsetFlushIntervalMs must be an integer from 1000 to 600000, got 10"],
    [{ nameSuffix: "Bad Suffix" }, 'WorkerConfiguration: nameSuffix must be 1-30 lowercase letters, digits or \'-\', got "Bad Suffix"'],
  ])("rejects %j", (override, message) => {
    expect(() => new WorkerConfiguration(stack, "w", { namePrefix: "p-x", region: "ap-southeast-2", ...override })).toThrow(message);
  });
});

describe("ConnectorSecurityGroup", () => {
  test("no ingress; egress 9098 to MSK, 443 to OpenSearch and 443 to AWS APIs", () => {
    const sg = new ConnectorSecurityGroup(stack, "sg", { namePrefix: "p-x", vpcId: "vpc-1", kafkaSecurityGroupId: "sg-k", opensearchSecurityGroupId: "sg-o" });
    const tf = synth();
    expect(tf.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    const [group] = only(tf, "aws_security_group");
    expect(group.ingress).toBeUndefined();
    const rules = only(tf, "aws_vpc_security_group_egress_rule").map((r) => [r.from_port, r.referenced_security_group_id ?? r.cidr_ipv4]);
    expect(rules.sort()).toEqual([[443, "0.0.0.0/0"], [443, "sg-o"], [9098, "sg-k"]].sort());
    expect(Token.isUnresolved(sg.securityGroupId)).toBe(true);
  });

  test("with an endpoint security group there is no rule to 0.0.0.0/0", () => {
    new ConnectorSecurityGroup(stack, "sg", { namePrefix: "p-x", vpcId: "vpc-1", kafkaSecurityGroupId: "sg-k", awsApiEndpointSecurityGroupId: "sg-e" });
    const rules = only(synth(), "aws_vpc_security_group_egress_rule");
    expect(rules.some((r) => r.cidr_ipv4 === "0.0.0.0/0")).toBe(false);
    expect(rules.map((r) => r.referenced_security_group_id).sort()).toEqual(["sg-e", "sg-k"]);
  });
});
