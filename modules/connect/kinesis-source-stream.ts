import { type ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { PolicyStatement } from "../iam-policy";
import type { ConnectorKindParts } from "./connector-kind";

/** Kinesis's AWS managed key (the default of a created stream). */
export const KINESIS_MANAGED_KEY = "alias/aws/kinesis";

/** A stream the stack creates. */
export interface KinesisStreamCreation {
  /**
   * ON_DEMAND scales by itself; PROVISIONED has `shardCount` shards.
   * @default "ON_DEMAND"
   */
  readonly capacityMode?: "ON_DEMAND" | "PROVISIONED";
  /**
   * Shards of a PROVISIONED stream (required then, refused for ON_DEMAND).
   * @default - none (ON_DEMAND)
   */
  readonly shardCount?: number;
  /**
   * Record retention in hours (24-8760).
   * @default 24
   */
  readonly retentionHours?: number;
  /**
   * Server-side encryption key: alias/aws/kinesis or a customer managed key's ARN.
   * @default "alias/aws/kinesis"
   */
  readonly kmsKey?: string;
}

/** The Kinesis interface endpoint, when the workers reach Kinesis without the NAT. */
export interface KinesisInterfaceEndpoint {
  readonly vpcId: string;
  /** Private subnets the endpoint's network interfaces go in (the connectors' subnets). */
  readonly subnetIds: readonly string[];
}

export interface KinesisSourceStreamProps {
  /** Prefix of the names of what this creates (stream, endpoint security group). */
  readonly namePrefix: string;
  /** The connector this serves (part of names). */
  readonly connectorName: string;
  /** Stream name (1-128 of letters, digits, `_.-`): the one created, or an existing one in `region`. */
  readonly streamName: string;
  /** The stack's region (the stream's and the connector's). */
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** The one topic the connector writes every record to (`topics` of a Camel source). */
  readonly topic: string;
  /**
   * Create the stream.
   * @default - the stream exists already
   */
  readonly create?: KinesisStreamCreation;
  /**
   * The customer managed key an existing stream is encrypted with.
   * @default - alias/aws/kinesis or no encryption: no KMS permission
   */
  readonly existingStreamKmsKeyArn?: string;
  /**
   * Milliseconds between polls (camel.kamelet.aws-kinesis-source.delay).
   * @default 500
   */
  readonly delayMs?: number;
  /** The connectors' security group (egress rule to the endpoint; the endpoint accepts only it). */
  readonly connectorSecurityGroupId: string;
  /**
   * A Kinesis interface endpoint in the private subnets.
   * @default - Kinesis through the NAT gateway
   */
  readonly interfaceEndpoint?: KinesisInterfaceEndpoint;
}

/** Camel's Kinesis source reads through the kamelet's properties (camel.kamelet.aws-kinesis-source.*). */
const KAMELET = "camel.kamelet.aws-kinesis-source";
/** Our SMT alias turning the record body (an InputStream) into text; first in `transforms`. */
export const KINESIS_BODY_TRANSFORM = "kinesisBodyToString";

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-f0-9-]+$/;

/**
 * What a `kinesis-source` connector needs around it: the stream (created encrypted, or an existing
 * one by name), read access to exactly that stream for the connector's role, and optionally a
 * Kinesis interface endpoint reachable only from the connectors' security group.
 *
 * Camel's consumer (camel-aws2-kinesis Kinesis2Consumer, without KCL: useKclConsumers=false) calls
 * ListShards, GetShardIterator and GetRecords on the stream, nothing else: no DescribeStream (only
 * with a fixed shardId), no SubscribeToShard, no DynamoDB lease table and no CloudWatch metrics
 * (those are KCL's).
 */
export class KinesisSourceStream extends Construct implements ConnectorKindParts {
  public readonly properties: Readonly<Record<string, string>>;
  public readonly statements: readonly PolicyStatement[];
  /** ARN of the stream (the created stream's attribute, or built from the name). */
  public readonly streamArn: string;
  /** The created stream. */
  public readonly stream?: KinesisStream;
  /** The interface endpoint and its security group. */
  public readonly endpoint?: VpcEndpoint;
  public readonly endpointSecurityGroup?: SecurityGroup;
  /** The endpoint and its rules: in place before the connector starts. */
  public readonly dependables: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: KinesisSourceStreamProps) {
    super(scope, id);
    this.validate(props);
    const c = props.create;
    if (c) {
      const provisioned = c.capacityMode === "PROVISIONED";
      this.stream = new KinesisStream(this, "stream", {
        name: props.streamName,
        streamModeDetails: { streamMode: provisioned ? "PROVISIONED" : "ON_DEMAND" },
        shardCount: provisioned ? c.shardCount : undefined,
        retentionPeriod: c.retentionHours ?? 24,
        encryptionType: "KMS",
        kmsKeyId: c.kmsKey ?? KINESIS_MANAGED_KEY,
        tags: { Name: props.streamName },
      });
      this.streamArn = this.stream.arn;
    } else {
      this.streamArn = `arn:${props.partition}:kinesis:${props.region}:${props.accountId}:stream/${props.streamName}`;
    }

    const statements: PolicyStatement[] = [
      {
        Sid: "KinesisReadStream",
        Effect: "Allow",
        // Kinesis2Consumer.poll(): listShards, getShardIterator, getRecords (camel-aws2-kinesis).
        Action: ["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"],
        Resource: [this.streamArn],
      },
    ];
    const customerKey = c ? (c.kmsKey !== undefined && c.kmsKey !== KINESIS_MANAGED_KEY ? c.kmsKey : undefined) : props.existingStreamKmsKeyArn;
    if (customerKey !== undefined) {
      statements.push({
        Sid: "KinesisDecrypt",
        Effect: "Allow",
        // GetRecords on a stream encrypted with a customer managed key needs kms:Decrypt, only through Kinesis.
        Action: ["kms:Decrypt"],
        Resource: [customerKey],
        Condition: { StringEquals: { "kms:ViaService": `kinesis.${props.region}.amazonaws.com` } },
      });
    }
    this.statements = statements;

    const dependables: ITerraformDependable[] = [];
    if (props.interfaceEndpoint) {
      const e = props.interfaceEndpoint;
      const name = `${props.namePrefix}-${props.connectorName}-kinesis-endpoint`;
      this.endpointSecurityGroup = new SecurityGroup(this, "endpoint-security-group", {
        name,
        description: `Kinesis interface endpoint of connector ${props.connectorName}: HTTPS from the MSK Connect workers only`,
        vpcId: e.vpcId,
        tags: { Name: name },
      });
      const ingress = new VpcSecurityGroupIngressRule(this, "endpoint-from-connectors", {
        securityGroupId: this.endpointSecurityGroup.id,
        description: "HTTPS from the MSK Connect workers",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: props.connectorSecurityGroupId,
      });
      const egress = new VpcSecurityGroupEgressRule(this, "connectors-to-endpoint", {
        securityGroupId: props.connectorSecurityGroupId,
        description: `HTTPS to the Kinesis interface endpoint of connector ${props.connectorName}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: this.endpointSecurityGroup.id,
      });
      this.endpoint = new VpcEndpoint(this, "endpoint", {
        vpcId: e.vpcId,
        serviceName: `com.amazonaws.${props.region}.kinesis-streams`,
        vpcEndpointType: "Interface",
        subnetIds: [...e.subnetIds],
        securityGroupIds: [this.endpointSecurityGroup.id],
        // kinesis.<region>.amazonaws.com resolves to the endpoint inside the VPC: the SDK needs no override.
        privateDnsEnabled: true,
        tags: { Name: name },
      });
      dependables.push(ingress, egress, this.endpoint);
    }
    this.dependables = dependables;

    // Keys: CamelAwskinesissourceSourceConnectorConfig (camel-kafka-connector 4.18.0,
    // connectors/camel-aws-kinesis-source-kafka-connector) and `topics` of CamelSourceConnectorConfig
    // (core, TOPIC_CONF); the SMT is core's transforms/CamelTypeConverterTransform (target.type).
    this.properties = {
      topics: props.topic,
      [`${KAMELET}.stream`]: this.stream ? this.stream.name : props.streamName,
      [`${KAMELET}.region`]: props.region,
      // The connector's own role (MSK Connect's service execution role), no keys in the config.
      [`${KAMELET}.useDefaultCredentialsProvider`]: "true",
      [`${KAMELET}.useKclConsumers`]: "false",
      [`${KAMELET}.delay`]: String(props.delayMs ?? 500),
      // Kinesis2Consumer hands the record data over as an InputStream; convert it to text.
      transforms: KINESIS_BODY_TRANSFORM,
      [`transforms.${KINESIS_BODY_TRANSFORM}.type`]: "org.apache.camel.kafkaconnector.transforms.CamelTypeConverterTransform$Value",
      [`transforms.${KINESIS_BODY_TRANSFORM}.target.type`]: "java.lang.String",
      "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    };
  }

  private validate(props: KinesisSourceStreamProps): void {
    const where = `KinesisSourceStream ${props.connectorName}`;
    if (!STREAM_NAME.test(props.streamName)) throw new Error(`${where}: stream name must be 1-128 letters, digits, '_', '.', '-', got "${props.streamName}"`);
    if (props.topic.length === 0) throw new Error(`${where}: topic must name the connector's topic`);
    const c = props.create;
    if (c) {
      const provisioned = c.capacityMode === "PROVISIONED";
      if (provisioned && (c.shardCount === undefined || !Number.isInteger(c.shardCount) || c.shardCount < 1)) {
        throw new Error(`${where}: a PROVISIONED stream needs a whole shardCount of at least 1, got ${c.shardCount}`);
      }
      if (!provisioned && c.shardCount !== undefined) throw new Error(`${where}: an ON_DEMAND stream takes no shardCount, got ${c.shardCount}`);
      const h = c.retentionHours ?? 24;
      if (!Number.isInteger(h) || h < 24 || h > 8760) throw new Error(`${where}: retentionHours must be 24-8760, got ${h}`);
      if (c.kmsKey !== undefined && c.kmsKey !== KINESIS_MANAGED_KEY && !Token.isUnresolved(c.kmsKey) && !KMS_KEY_ARN.test(c.kmsKey)) {
        throw new Error(`${where}: kmsKey must be ${KINESIS_MANAGED_KEY} or a KMS key ARN, got "${c.kmsKey}"`);
      }
      if (props.existingStreamKmsKeyArn !== undefined) throw new Error(`${where}: existingStreamKmsKeyArn is for an existing stream; a created one names create.kmsKey`);
    }
    const k = props.existingStreamKmsKeyArn;
    if (k !== undefined && !Token.isUnresolved(k) && !KMS_KEY_ARN.test(k)) throw new Error(`${where}: existingStreamKmsKeyArn must be a KMS key ARN, got "${k}"`);
    const d = props.delayMs ?? 500;
    if (!Number.isInteger(d) || d < 0) throw new Error(`${where}: delayMs must be a whole number of milliseconds, got ${d}`);
    if (props.interfaceEndpoint && props.interfaceEndpoint.subnetIds.length === 0) throw new Error(`${where}: the interface endpoint needs at least one subnet`);
  }
}
