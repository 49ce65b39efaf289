/**
 * Test fixtures for the MSK Connect constructs: a temp copy of the project's YAML with fake
 * plugin artifacts, and a stack composed of ConnectorPlugin, WorkerConfiguration,
 * ConnectorSecurityGroup and MskConnector the way PipelineStack wires them.
 */
import * as path from "node:path";
import { App, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { loadPipelineConfig, type PipelineConfig } from "../../modules/config/load";
import { isMskConnect, isSink } from "../../modules/config/schema";
import { mskConnectorProps, referencedSecrets } from "../../modules/config/connector-props";
import { connectorPluginProps } from "../../modules/config/plugin-props";
import type { StackValues } from "../../modules/config/stack-values";
import { ConnectorPlugin } from "../../modules/connect/connector-plugin";
import { ConnectorSecurityGroup } from "../../modules/connect/connector-security-group";
import { MskConnector, type MskConnectorProps } from "../../modules/connect/msk-connector";
import { WorkerConfiguration } from "../../modules/connect/worker-configuration";
import { makeProjectCopy } from "./project";

export const PROJECT = path.resolve(__dirname, "..", "..");

/** A temp project root with configs/, connectors/manifest.yaml and stand-in artifacts. */
export const tempProject = (): string => makeProjectCopy();

export function load(root: string): PipelineConfig {
  return loadPipelineConfig({ rootDir: root });
}

/** The constructs of one environment, wired like PipelineStack does. */
export function connectStack(
  config: PipelineConfig,
  app: App = Testing.app(),
  /** Changes one connector's props before it is built (validation tests). */
  tweak: (props: MskConnectorProps) => MskConnectorProps = (p) => p,
): { stack: TerraformStack; connectors: Map<string, MskConnector> } {
  const env = config.environments[0];
  const spec = env.spec;
  const stack = new TerraformStack(app, env.name);
  new AwsProvider(stack, "aws", { region: spec.region });
  const toCreate = new TerraformVariable(stack, "to_create_connector", { type: "bool", default: false });

  const bucket = { name: "ad-tech-dev-artifacts", arn: "arn:aws:s3:::ad-tech-dev-artifacts" };
  const plugins = new Map(
    config.plugins.map((p) => [
      p.name,
      new ConnectorPlugin(stack, `plugin-${p.name}`, { namePrefix: spec.name_prefix, ...connectorPluginProps(p), bucketName: bucket.name, bucketArn: bucket.arn }),
    ]),
  );
  const workerProps = {
    namePrefix: spec.name_prefix,
    region: spec.region,
    offsetFlushIntervalMs: spec.connect.offset_flush_interval_ms,
    workerProperties: spec.connect.worker_properties,
  };
  const workers = new WorkerConfiguration(stack, "worker-config", workerProps);
  const sinkWorkers = new WorkerConfiguration(stack, "worker-config-secrets", { ...workerProps, nameSuffix: "workers-secrets", secretsManagerProvider: true });
  const sg = new ConnectorSecurityGroup(stack, "connector-sg", {
    namePrefix: spec.name_prefix,
    vpcId: "vpc-0123",
    kafkaSecurityGroupId: "sg-kafka",
    opensearchSecurityGroupId: "sg-opensearch",
  });

  const connectors = new Map<string, MskConnector>();
  // Sources first so sinks can depend on them (order of creation does not change ids).
  const ordered = [...config.connectors].sort((a, b) => Number(isSink(a.spec)) - Number(isSink(b.spec)));
  for (const c of ordered) {
    // Managed-service kinds (opensearch-ingestion) are no MskConnector.
    if (!isMskConnect(c.spec)) continue;
    const sources = [...connectors.values()].filter((x) => x.direction === "source").map((x) => x.resource);
    const connector = new MskConnector(stack, `connector-${c.name}`, tweak({
      namePrefix: spec.name_prefix,
      ...mskConnectorProps(
        c.spec,
        config.topics.map((t) => t.spec),
        { kafkaConnectVersion: spec.connect.kafka_connect_version, logRetentionDays: spec.connect.log_retention_days },
        stackValuesForTests(spec),
      ),
      plugin: plugins.get(c.spec.plugin)!,
      workerConfiguration: c.spec.kind === "opensearch-sink" || referencedSecrets(c.spec).length > 0 ? sinkWorkers : workers,
      create: toCreate.booleanValue,
      cluster: {
        arn: "arn:aws:kafka:ap-southeast-2:111122223333:cluster/ad-tech-dev-msk/abcd1234-ab12-cd34-ef56-abcdef123456-2",
        bootstrapBrokersSaslIam: "b-1.example:9098,b-2.example:9098",
      },
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      securityGroupIds: [sg.securityGroupId],
      accountId: "111122223333",
      partition: "aws",
      region: spec.region,
      logBucketName: bucket.name,
      opensearchEndpoint: "vpc-ad-tech-dev-abc.ap-southeast-2.es.amazonaws.com",
      dependsOn: isSink(c.spec) ? sources : [],
    }));
    connectors.set(c.name, connector);
  }
  return { stack, connectors };
}

/** Literal stand-ins for the stack's values (the real stack passes tokens). */
export function stackValuesForTests(spec: { name_prefix: string; region: string }): StackValues {
  return {
    name_prefix: spec.name_prefix,
    region: spec.region,
    account_id: "111122223333",
    partition: "aws",
    artifact_bucket: "ad-tech-dev-artifacts",
    artifact_bucket_arn: "arn:aws:s3:::ad-tech-dev-artifacts",
    cluster_arn: "arn:aws:kafka:ap-southeast-2:111122223333:cluster/ad-tech-dev-msk/abcd1234-ab12-cd34-ef56-abcdef123456-2",
    bootstrap_brokers: "b-1.example:9098,b-2.example:9098",
    opensearch_endpoint: "vpc-ad-tech-dev-abc.ap-southeast-2.es.amazonaws.com",
  };
}

export type Tf = { resource: Record<string, Record<string, any>>; data?: Record<string, Record<string, any>> };

export function synth(stack: TerraformStack): Tf {
  return JSON.parse(Testing.synth(stack, true)) as Tf;
}
