// Compliant baseline resources for the SECURITY GUARD tests, built directly with provider classes.
// Each builder takes overrides so a test changes exactly the property under test.
import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { MskCluster, MskClusterConfig } from "@cdktf/provider-aws/lib/msk-cluster";
import { OpensearchDomain, OpensearchDomainConfig } from "@cdktf/provider-aws/lib/opensearch-domain";
import { Instance, InstanceConfig } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate, LaunchTemplateConfig } from "@cdktf/provider-aws/lib/launch-template";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import {
  S3BucketPublicAccessBlock,
  S3BucketPublicAccessBlockConfig,
} from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { MskconnectConnector, MskconnectConnectorConfig } from "@cdktf/provider-aws/lib/mskconnect-connector";

export function newStack(id = "test"): TerraformStack {
  const stack = new TerraformStack(Testing.app(), id);
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return stack;
}

/** A construct "kafka" with the L1 "resource": waiver name `aws_msk_cluster.kafka/resource`. */
export function mskCluster(scope: Construct, overrides: Partial<MskClusterConfig> = {}, id = "kafka"): MskCluster {
  return new MskCluster(new Construct(scope, id), "resource", {
    clusterName: "pipeline",
    kafkaVersion: "3.6.0",
    numberOfBrokerNodes: 3,
    brokerNodeGroupInfo: { instanceType: "kafka.m5.large", clientSubnets: ["subnet-a", "subnet-b", "subnet-c"], securityGroups: ["sg-1"] },
    encryptionInfo: { encryptionInTransit: { clientBroker: "TLS", inCluster: true } },
    clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
    loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: "/msk/pipeline" } } },
    ...overrides,
  });
}

export function opensearchDomain(scope: Construct, overrides: Partial<OpensearchDomainConfig> = {}, id = "search"): OpensearchDomain {
  return new OpensearchDomain(new Construct(scope, id), "resource", {
    domainName: "pipeline",
    engineVersion: "OpenSearch_2.13",
    encryptAtRest: { enabled: true },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" },
    advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: false, internalUserDatabaseEnabled: false, masterUserOptions: { masterUserArn: "arn:aws:iam::123456789012:role/admin" } },
    logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:os" }],
    vpcOptions: { subnetIds: ["subnet-a"], securityGroupIds: ["sg-1"] },
    accessPolicies: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttp*", Resource: "arn:aws:es:eu-west-1:123456789012:domain/pipeline/*" }],
    }),
    ...overrides,
  });
}

export function instance(scope: Construct, overrides: Partial<InstanceConfig> = {}, id = "vpn"): Instance {
  return new Instance(new Construct(scope, id), "resource", {
    ami: "ami-123",
    instanceType: "t3.micro",
    metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
    rootBlockDevice: { encrypted: true, volumeSize: 10 },
    ...overrides,
  });
}

export function launchTemplate(scope: Construct, overrides: Partial<LaunchTemplateConfig> = {}, id = "lt"): LaunchTemplate {
  return new LaunchTemplate(new Construct(scope, id), "resource", {
    imageId: "ami-123",
    metadataOptions: { httpTokens: "required" },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 10 } }],
    ...overrides,
  });
}

export interface BucketParts {
  readonly publicAccessBlock?: Partial<S3BucketPublicAccessBlockConfig> | false;
  readonly encryption?: string | false;
  readonly versioning?: string | false;
  /** A policy JSON string, or false for none. Default: the TLS-only Deny. */
  readonly policy?: string | false;
}

export function tlsOnlyPolicy(bucketArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

/** Bucket "artifacts/resource" plus its companions, each one switchable. */
export function bucket(scope: Construct, parts: BucketParts = {}, id = "artifacts"): S3Bucket {
  const c = new Construct(scope, id);
  const b = new S3Bucket(c, "resource", { bucket: `${id}-bucket` });
  if (parts.publicAccessBlock !== false) {
    new S3BucketPublicAccessBlock(c, "public-access-block", {
      bucket: b.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      ...(parts.publicAccessBlock ?? {}),
    });
  }
  if (parts.encryption !== false) {
    new S3BucketServerSideEncryptionConfigurationA(c, "encryption", {
      bucket: b.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: parts.encryption ?? "aws:kms" } }],
    });
  }
  if (parts.versioning !== false) {
    new S3BucketVersioningA(c, "versioning", { bucket: b.id, versioningConfiguration: { status: parts.versioning ?? "Enabled" } });
  }
  if (parts.policy !== false) {
    new S3BucketPolicy(c, "policy", { bucket: b.id, policy: parts.policy ?? tlsOnlyPolicy(b.arn) });
  }
  return b;
}

export function connector(scope: Construct, overrides: Partial<MskconnectConnectorConfig> = {}, id = "sink"): MskconnectConnector {
  return new MskconnectConnector(new Construct(scope, id), "resource", {
    name: "sink",
    kafkaconnectVersion: "2.7.1",
    serviceExecutionRoleArn: "arn:aws:iam::123456789012:role/sink",
    connectorConfiguration: { "connector.class": "x" },
    capacity: { provisionedCapacity: { workerCount: 1, mcuCount: 1 } },
    kafkaCluster: { apacheKafkaCluster: { bootstrapServers: "b:9098", vpc: { securityGroups: ["sg-1"], subnets: ["subnet-a"] } } },
    kafkaClusterClientAuthentication: { authenticationType: "IAM" },
    kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
    plugin: [{ customPlugin: { arn: "arn:aws:kafkaconnect:eu-west-1:123456789012:custom-plugin/p", revision: 1 } }],
    ...overrides,
  });
}
