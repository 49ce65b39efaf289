import { S3Backend, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { ConnectorConfig, EnvironmentConfig, PluginConfig, TopicConfig } from "./config/load";
import { isSink } from "./config/schema";
import { IndexBootstrap } from "./index-bootstrap";

export interface PipelineStackProps {
  /** The environment this stack deploys (validated). */
  readonly environment: EnvironmentConfig;
  /** Every topic of the pipeline. */
  readonly topics: readonly TopicConfig[];
  /** Every connector of the pipeline. */
  readonly connectors: readonly ConnectorConfig[];
  /** Plugins the connectors use, with their artifacts' hashes. */
  readonly plugins: readonly PluginConfig[];
}

/** FGAC internal user (and role) of an OpenSearch sink connector. */
export function sinkUsername(namePrefix: string, connector: string): string {
  return `${namePrefix}-${connector}`;
}

/** Secrets Manager secret holding an OpenSearch sink's FGAC credentials ({"username","password"}). */
export function sinkSecretName(namePrefix: string, connector: string): string {
  return `${namePrefix}/msk-connect/${connector}/opensearch`;
}

/**
 * One environment of the pipeline: provider, state backend, the `to_create_connector` switch and
 * the constructs that make up the pipeline. The stack's name is the environment's name.
 */
export class PipelineStack extends TerraformStack {
  /** Terraform variable that gates every MSK Connect connector (phase 2 of the deploy). */
  public readonly toCreateConnector: TerraformVariable;
  public readonly callerIdentity: DataAwsCallerIdentity;
  public readonly partition: DataAwsPartition;
  /** Index mappings and sink users the bootstrap command applies; main.ts writes its documents. */
  public readonly indexBootstrap: IndexBootstrap;

  constructor(scope: Construct, props: PipelineStackProps) {
    super(scope, props.environment.name);
    const env = props.environment.spec;

    new AwsProvider(this, "aws", {
      region: env.region,
      defaultTags: [{ tags: { ...env.tags } }],
    });

    const s3 = env.backend?.s3;
    if (s3) {
      const backend = new S3Backend(this, {
        bucket: s3.bucket,
        key: s3.key,
        region: s3.region ?? env.region,
        encrypt: s3.encrypt,
        dynamodbTable: s3.dynamodb_table,
        kmsKeyId: s3.kms_key_id,
      });
      // cdktf 0.21's S3BackendConfig predates Terraform 1.10's S3-native locking.
      if (s3.use_lockfile) backend.addOverride("use_lockfile", true);
    }

    this.toCreateConnector = new TerraformVariable(this, "to_create_connector", {
      type: "bool",
      default: false,
      nullable: false,
      description:
        "Create the MSK Connect connectors. Deploy with false first, bootstrap the OpenSearch indexes " +
        "(npm run bootstrap -- --env <env>), then deploy with true.",
    });

    this.callerIdentity = new DataAwsCallerIdentity(this, "caller");
    this.partition = new DataAwsPartition(this, "partition");

    const topicByName = new Map(props.topics.map((t) => [t.name, t.spec]));
    const opensearchSinks = props.connectors.filter((c) => c.spec.kind === "opensearch-sink" && isSink(c.spec));
    this.indexBootstrap = new IndexBootstrap(this, "index-bootstrap", {
      environmentName: props.environment.name,
      region: env.region,
      topics: props.topics.map((t) => ({ name: t.name, index: t.spec.index })),
      sinks: opensearchSinks.map((c) => ({
        connector: c.name,
        username: sinkUsername(env.name_prefix, c.name),
        role: sinkUsername(env.name_prefix, c.name),
        secretName: sinkSecretName(env.name_prefix, c.name),
        indexes: c.spec.topics.map((t) => topicByName.get(t)!.index.name),
      })),
    });

    new TerraformOutput(this, "account_id", {
      value: this.callerIdentity.accountId,
      description: "AWS account the stack is deployed to.",
    });
  }
}
