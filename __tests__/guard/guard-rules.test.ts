// One compliant and at least one non-compliant case per rule, evaluated with evaluateStack and
// asserting the exact message. The aspect (annotations, waivers) is tested in guard-aspect.test.ts.
import { readFileSync } from "fs";
import { join } from "path";
import { describe, expect, test } from "vitest";
import { Fn, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { OpensearchDomainPolicy } from "@cdktf/provider-aws/lib/opensearch-domain-policy";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { MskClusterPolicy } from "@cdktf/provider-aws/lib/msk-cluster-policy";
import { KafkaClusterPolicy } from "../../modules/kafka/kafka-cluster-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KinesisFirehoseDeliveryStream, type KinesisFirehoseDeliveryStreamConfig } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { MskScramSecretAssociation } from "@cdktf/provider-aws/lib/msk-scram-secret-association";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { MskServerlessCluster } from "@cdktf/provider-aws/lib/msk-serverless-cluster";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Network } from "../../modules/network/network";
import { KafkaServerlessCluster } from "../../modules/kafka/kafka-serverless-cluster";
import { evaluateStack } from "../../modules/guard/security-guard";
import { ALL_RULES } from "../../modules/guard/rules";
import { rulesTable } from "../../modules/guard/rules-table";
import { bucket, connector, instance, launchTemplate, mskCluster, newStack, opensearchDomain } from "./guard-fixtures";

interface Case {
  readonly name: string;
  readonly build: (s: TerraformStack) => void;
  /** Expected violation; absent means every finding of the rule is compliant. */
  readonly violation?: { readonly resource: string; readonly message: string };
}

const MSK = "aws_msk_cluster.kafka/resource";
const PCA = "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012";
const OS = "aws_opensearch_domain.search/resource";
const BUCKET = "aws_s3_bucket.artifacts/resource";
const assumeEc2 = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const policyJson = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const role = (s: Construct, extra: Partial<ConstructorParameters<typeof IamRole>[2]> = {}) =>
  new IamRole(new Construct(s, "app"), "role", { assumeRolePolicy: assumeEc2, ...extra });

const cases: Record<string, Case[]> = {
  "MSK-1": [
    { name: "AWS-managed key (no key ARN)", build: (s) => mskCluster(s) },
    { name: "customer key", build: (s) => mskCluster(s, { encryptionInfo: { encryptionAtRestKmsKeyArn: "arn:aws:kms:eu-west-1:1:key/k" } }) },
    {
      name: "empty key ARN",
      build: (s) => mskCluster(s, { encryptionInfo: { encryptionAtRestKmsKeyArn: "" } }),
      violation: { resource: MSK, message: 'encryption_info.encryption_at_rest_kms_key_arn is ""; omit it for the AWS-managed key or name a KMS key' },
    },
  ],
  "MSK-2": [
    { name: "TLS", build: (s) => mskCluster(s) },
    { name: "default (absent)", build: (s) => mskCluster(s, { encryptionInfo: {} }) },
    {
      name: "TLS_PLAINTEXT",
      build: (s) => mskCluster(s, { encryptionInfo: { encryptionInTransit: { clientBroker: "TLS_PLAINTEXT" } } }),
      violation: { resource: MSK, message: 'encryption_info.encryption_in_transit.client_broker is "TLS_PLAINTEXT", must be "TLS"' },
    },
    {
      name: "PLAINTEXT",
      build: (s) => mskCluster(s, { encryptionInfo: { encryptionInTransit: { clientBroker: "PLAINTEXT" } } }),
      violation: { resource: MSK, message: 'encryption_info.encryption_in_transit.client_broker is "PLAINTEXT", must be "TLS"' },
    },
  ],
  "MSK-3": [
    { name: "in_cluster true", build: (s) => mskCluster(s) },
    {
      name: "in_cluster false",
      build: (s) => mskCluster(s, { encryptionInfo: { encryptionInTransit: { inCluster: false } } }),
      violation: { resource: MSK, message: "encryption_info.encryption_in_transit.in_cluster is false, must be true" },
    },
  ],
  "MSK-4": [
    { name: "SASL/IAM", build: (s) => mskCluster(s) },
    { name: "SASL/SCRAM alone", build: (s) => mskCluster(s, { clientAuthentication: { sasl: { scram: true }, unauthenticated: false } }) },
    { name: "mutual TLS alone", build: (s) => mskCluster(s, { clientAuthentication: { tls: { certificateAuthorityArns: [PCA] }, unauthenticated: false } }) },
    {
      name: "IAM, SCRAM and mutual TLS together",
      build: (s) => mskCluster(s, { clientAuthentication: { sasl: { iam: true, scram: true }, tls: { certificateAuthorityArns: [PCA] }, unauthenticated: false } }),
    },
    {
      name: "a tls block naming no CA",
      build: (s) => mskCluster(s, { clientAuthentication: { tls: { certificateAuthorityArns: [] }, unauthenticated: false } }),
      violation: {
        resource: MSK,
        message: "no client authentication method is enabled (client_authentication.sasl.iam, sasl.scram or tls.certificate_authority_arns)",
      },
    },
    {
      name: "no client_authentication",
      build: (s) => mskCluster(s, { clientAuthentication: undefined }),
      violation: {
        resource: MSK,
        message: "client_authentication is absent, so unauthenticated clients are allowed; enable client_authentication.sasl.iam",
      },
    },
    {
      name: "unauthenticated alongside IAM",
      build: (s) => mskCluster(s, { clientAuthentication: { sasl: { iam: true }, unauthenticated: true } }),
      violation: { resource: MSK, message: "client_authentication.unauthenticated is true, must be false" },
    },
    {
      name: "unauthenticated only",
      build: (s) => mskCluster(s, { clientAuthentication: { unauthenticated: true } }),
      violation: {
        resource: MSK,
        message:
          "client_authentication.unauthenticated is true, must be false; no client authentication method is enabled (client_authentication.sasl.iam, sasl.scram or tls.certificate_authority_arns)",
      },
    },
  ],
  "MSK-7": [
    {
      name: "AmazonMSK_ secret with a customer-managed key",
      build: (s) => {
        const key = new KmsKey(s, "key", { enableKeyRotation: true });
        const secret = new SecretsmanagerSecret(new Construct(s, "scram"), "alice", { name: "AmazonMSK_dev_alice", kmsKeyId: key.arn });
        new MskScramSecretAssociation(s, "assoc", { clusterArn: "arn:aws:kafka:x", secretArnList: [secret.arn] });
      },
    },
    {
      name: "a secret under the default key, one without the prefix, and one from elsewhere",
      build: (s) => {
        const key = new KmsKey(s, "key", { enableKeyRotation: true });
        const scope = new Construct(s, "scram");
        const noKey = new SecretsmanagerSecret(scope, "bob", { name: "AmazonMSK_dev_bob" });
        const badName = new SecretsmanagerSecret(scope, "carol", { name: "dev/carol", kmsKeyId: key.arn });
        new MskScramSecretAssociation(s, "assoc", {
          clusterArn: "arn:aws:kafka:x",
          secretArnList: [noKey.arn, badName.arn, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_x-AbCdEf"],
        });
      },
      violation: {
        resource: "aws_msk_scram_secret_association.assoc",
        message:
          'aws_secretsmanager_secret.scram/bob: kms_key_id is null, must name a customer-managed KMS key; ' +
          'aws_secretsmanager_secret.scram/carol: name is "dev/carol", must start with AmazonMSK_; ' +
          'secret "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_x-AbCdEf" is not an aws_secretsmanager_secret of this stack',
      },
    },
  ],
  "KMS-1": [
    { name: "rotation on", build: (s) => new KmsKey(s, "key", { enableKeyRotation: true }) },
    { name: "an asymmetric key (cannot rotate) is not applicable", build: (s) => {
      new KmsKey(s, "key", { enableKeyRotation: true });
      new KmsKey(s, "signing", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" });
    } },
    {
      name: "rotation not set",
      build: (s) => new KmsKey(s, "key", {}),
      violation: { resource: "aws_kms_key.key", message: "enable_key_rotation is absent, must be true" },
    },
  ],
  "MSK-5": [
    { name: "CloudWatch", build: (s) => mskCluster(s) },
    { name: "S3 only", build: (s) => mskCluster(s, { loggingInfo: { brokerLogs: { s3: { enabled: true, bucket: "b" } } } }) },
    {
      name: "no logging_info",
      build: (s) => mskCluster(s, { loggingInfo: undefined }),
      violation: { resource: MSK, message: "logging_info.broker_logs has no destination enabled (cloudwatch_logs, s3 or firehose with enabled = true)" },
    },
    {
      name: "CloudWatch disabled",
      build: (s) => mskCluster(s, { loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: false } } } }),
      violation: { resource: MSK, message: "logging_info.broker_logs has no destination enabled (cloudwatch_logs, s3 or firehose with enabled = true)" },
    },
  ],
  "MSK-6": [
    {
      name: "the pipeline's cluster policy (named principals, named actions, the cluster)",
      build: (s) => {
        const c = mskCluster(s);
        new KafkaClusterPolicy(s, "kafka-cluster-policy", { clusterArn: c.arn, principals: ["111122223333", "osis-pipelines.amazonaws.com"], partition: "aws" });
      },
    },
    {
      name: "Principal AWS: * with kafka:*",
      build: (s) => {
        const c = mskCluster(s);
        new MskClusterPolicy(new Construct(s, "open-policy"), "resource", {
          clusterArn: c.arn,
          policy: policyJson({ Effect: "Allow", Principal: { AWS: "*" }, Action: ["kafka:*"], Resource: c.arn }),
        });
      },
      violation: {
        resource: "aws_msk_cluster_policy.open-policy/resource",
        message: 'policy statement 1 allows Principal "AWS:*"; name accounts, roles or services; policy statement 1 allows "kafka:*"; name the actions',
      },
    },
    {
      name: "kafka-cluster:* on Resource *",
      build: (s) => {
        const c = mskCluster(s);
        new MskClusterPolicy(new Construct(s, "data-policy"), "resource", {
          clusterArn: c.arn,
          policy: policyJson({ Sid: "Data", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kafka-cluster:*", Resource: "*" }),
        });
      },
      violation: {
        resource: "aws_msk_cluster_policy.data-policy/resource",
        message: 'policy statement 1 (Sid "Data") allows "kafka-cluster:*"; name the actions; policy statement 1 (Sid "Data") applies to Resource "*"; name the cluster',
      },
    },
    {
      name: "a policy the guard cannot read",
      build: (s) => {
        const c = mskCluster(s);
        new MskClusterPolicy(new Construct(s, "opaque-policy"), "resource", { clusterArn: c.arn, policy: "${jsonencode(local.p)}" });
      },
      violation: { resource: "aws_msk_cluster_policy.opaque-policy/resource", message: 'policy: policy "${jsonencode(local.p)}" cannot be analysed (write it as a JSON string)' },
    },
  ],
  "OS-1": [
    { name: "enabled", build: (s) => opensearchDomain(s) },
    {
      name: "absent",
      build: (s) => opensearchDomain(s, { encryptAtRest: undefined }),
      violation: { resource: OS, message: "encrypt_at_rest.enabled is absent, must be true" },
    },
    {
      name: "disabled",
      build: (s) => opensearchDomain(s, { encryptAtRest: { enabled: false } }),
      violation: { resource: OS, message: "encrypt_at_rest.enabled is false, must be true" },
    },
  ],
  "OS-2": [
    { name: "enabled", build: (s) => opensearchDomain(s) },
    {
      name: "disabled",
      build: (s) => opensearchDomain(s, { nodeToNodeEncryption: { enabled: false } }),
      violation: { resource: OS, message: "node_to_node_encryption.enabled is false, must be true" },
    },
  ],
  "OS-3": [
    { name: "HTTPS + TLS 1.2", build: (s) => opensearchDomain(s) },
    { name: "HTTPS + TLS 1.2 PFS", build: (s) => opensearchDomain(s, { domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" } }) },
    {
      name: "TLS 1.0 policy",
      build: (s) => opensearchDomain(s, { domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } }),
      violation: {
        resource: OS,
        message:
          'domain_endpoint_options.tls_security_policy is "Policy-Min-TLS-1-0-2019-07", must be one of "Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"',
      },
    },
    {
      name: "no endpoint options",
      build: (s) => opensearchDomain(s, { domainEndpointOptions: undefined }),
      violation: {
        resource: OS,
        message:
          'domain_endpoint_options.enforce_https is absent, must be true; domain_endpoint_options.tls_security_policy is absent, must be one of "Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"',
      },
    },
  ],
  "OS-4": [
    { name: "FGAC on", build: (s) => opensearchDomain(s) },
    {
      name: "FGAC off",
      build: (s) => opensearchDomain(s, { advancedSecurityOptions: { enabled: false } }),
      violation: { resource: OS, message: "advanced_security_options.enabled is false, must be true" },
    },
  ],
  "OS-5": [
    { name: "anonymous off", build: (s) => opensearchDomain(s) },
    {
      name: "anonymous on",
      build: (s) => opensearchDomain(s, { advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: true } }),
      violation: { resource: OS, message: "advanced_security_options.anonymous_auth_enabled is true, must be false or absent" },
    },
  ],
  "OS-6": [
    { name: "Principal * limited to es:ESHttp* (FGAC pairing)", build: (s) => opensearchDomain(s) },
    {
      name: "Principal * with es:*",
      build: (s) =>
        opensearchDomain(s, { accessPolicies: policyJson({ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:*", Resource: "*" }) }),
      violation: {
        resource: OS,
        message: 'access_policies statement 1 allows "es:*" to "AWS:*"; allow es:ESHttp* (FGAC authenticates) or name actions',
      },
    },
    {
      name: "Deny es:* is fine",
      build: (s) =>
        opensearchDomain(s, { accessPolicies: policyJson({ Effect: "Deny", Principal: "*", Action: "es:*", Resource: "*" }) }),
    },
    {
      name: "aws_opensearch_domain_policy whose resource is an expression with quotes, action *",
      build: (s) => {
        const d = opensearchDomain(s, { accessPolicies: undefined });
        const resource = `${Fn.replace(d.arn, ":domain/", ":domain/")}/*`;
        new OpensearchDomainPolicy(new Construct(s, "search-policy"), "resource", {
          domainName: d.domainName,
          accessPolicies: policyJson({ Sid: "Open", Effect: "Allow", Principal: "*", Action: "*", Resource: resource }),
        });
      },
      violation: {
        resource: "aws_opensearch_domain_policy.search-policy/resource",
        message: 'access_policies statement 1 (Sid "Open") allows "*" to "*"; allow es:ESHttp* (FGAC authenticates) or name actions',
      },
    },
  ],
  "OS-7": [
    { name: "application logs", build: (s) => opensearchDomain(s) },
    {
      name: "none",
      build: (s) => opensearchDomain(s, { logPublishingOptions: undefined }),
      violation: { resource: OS, message: "log_publishing_options has no enabled entry with a cloudwatch_log_group_arn" },
    },
    {
      name: "disabled entry",
      build: (s) => opensearchDomain(s, { logPublishingOptions: [{ logType: "AUDIT_LOGS", cloudwatchLogGroupArn: "arn:x", enabled: false }] }),
      violation: { resource: OS, message: "log_publishing_options has no enabled entry with a cloudwatch_log_group_arn" },
    },
  ],
  "OS-8": [
    { name: "in VPC", build: (s) => opensearchDomain(s) },
    {
      name: "public",
      build: (s) => opensearchDomain(s, { vpcOptions: undefined }),
      violation: { resource: OS, message: "vpc_options.subnet_ids is absent or empty, so the domain has a public endpoint" },
    },
  ],
  "OS-9": [
    { name: "IAM master (no password)", build: (s) => opensearchDomain(s) },
    {
      name: "internal master, password from a generated value",
      build: (s) =>
        opensearchDomain(s, {
          advancedSecurityOptions: {
            enabled: true,
            internalUserDatabaseEnabled: true,
            masterUserOptions: { masterUserName: "p-master", masterUserPassword: "${data.aws_secretsmanager_random_password.x.random_password}" },
          },
        }),
    },
    {
      name: "internal master, literal password",
      build: (s) =>
        opensearchDomain(s, {
          advancedSecurityOptions: { enabled: true, internalUserDatabaseEnabled: true, masterUserOptions: { masterUserName: "p-master", masterUserPassword: "Hunter2-Hunter2!" } },
        }),
      violation: {
        resource: OS,
        message:
          "advanced_security_options.master_user_options.master_user_password is a literal; generate it (aws_secretsmanager_random_password) and let the bootstrap rotate it",
      },
    },
  ],
  "SG-1": [
    {
      name: "ingress from a peer group and a private CIDR",
      build: (s) => {
        const sg = new SecurityGroup(s, "msk-sg", {
          description: "brokers",
          ingress: [{ description: "IAM from VPC", fromPort: 9098, toPort: 9098, protocol: "tcp", cidrBlocks: ["10.0.0.0/16"] }],
        });
        new VpcSecurityGroupIngressRule(s, "from-connect", { securityGroupId: sg.id, referencedSecurityGroupId: "sg-2", ipProtocol: "tcp", fromPort: 9098, toPort: 9098, description: "connect" });
        new SecurityGroupRule(s, "egress-any", { type: "egress", securityGroupId: sg.id, protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "egress" });
      },
    },
    {
      name: "inline ingress from 0.0.0.0/0",
      build: (s) =>
        new SecurityGroup(s, "vpn-sg", {
          description: "vpn",
          ingress: [{ description: "ssh", fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
        }),
      violation: { resource: "aws_security_group.vpn-sg", message: "ingress 1 (tcp 22-22) allows 0.0.0.0/0" },
    },
    {
      name: "inline ingress computed by an expression",
      build: (s) => {
        const sg = new SecurityGroup(s, "computed", { description: "computed" });
        sg.addOverride("ingress", "${var.rules}");
      },
      violation: {
        resource: "aws_security_group.computed",
        message: "ingress is an expression (${var.rules}) that cannot be verified; use aws_vpc_security_group_ingress_rule resources",
      },
    },
    {
      name: "aws_security_group_rule from ::/0",
      build: (s) =>
        new SecurityGroupRule(s, "open", { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 443, toPort: 443, ipv6CidrBlocks: ["::/0"], description: "https" }),
      violation: { resource: "aws_security_group_rule.open", message: "ingress rule (tcp 443-443) allows ::/0" },
    },
    {
      name: "aws_vpc_security_group_ingress_rule all traffic from 0.0.0.0/0",
      build: (s) => new VpcSecurityGroupIngressRule(s, "all", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "all" }),
      violation: { resource: "aws_vpc_security_group_ingress_rule.all", message: "ingress rule (all traffic) allows 0.0.0.0/0" },
    },
  ],
  "SG-2": [
    {
      name: "described group and rules",
      build: (s) => {
        new SecurityGroup(s, "sg", { description: "brokers", ingress: [{ description: "iam", fromPort: 9098, toPort: 9098, protocol: "tcp", cidrBlocks: ["10.0.0.0/16"] }] });
        new VpcSecurityGroupEgressRule(s, "eg", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16", description: "to OS" });
      },
    },
    {
      name: "group without description, inline rules without",
      build: (s) =>
        new SecurityGroup(s, "sg", {
          ingress: [{ fromPort: 9098, toPort: 9098, protocol: "tcp", cidrBlocks: ["10.0.0.0/16"] }],
          egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["10.0.0.0/16"], description: " " }],
        }),
      violation: { resource: "aws_security_group.sg", message: "description is absent; say what the group is for; ingress 1 has no description; egress 1 has no description" },
    },
    {
      name: "provider default group description",
      build: (s) => new SecurityGroup(s, "sg", { description: "Managed by Terraform" }),
      violation: { resource: "aws_security_group.sg", message: 'description is "Managed by Terraform"; say what the group is for' },
    },
    {
      name: "separate rule without description",
      build: (s) => new VpcSecurityGroupIngressRule(s, "r", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 1, toPort: 1, referencedSecurityGroupId: "sg-2" }),
      violation: { resource: "aws_vpc_security_group_ingress_rule.r", message: "description is absent or empty" },
    },
  ],
  "EC2-1": [
    { name: "instance IMDSv2", build: (s) => instance(s) },
    { name: "launch template IMDSv2", build: (s) => launchTemplate(s) },
    {
      name: "instance IMDSv1 allowed",
      build: (s) => instance(s, { metadataOptions: { httpTokens: "optional" } }),
      violation: { resource: "aws_instance.vpn/resource", message: 'metadata_options.http_tokens is "optional", must be "required"' },
    },
    {
      name: "launch template without metadata_options",
      build: (s) => launchTemplate(s, { metadataOptions: undefined }),
      violation: { resource: "aws_launch_template.lt/resource", message: 'metadata_options.http_tokens is absent, must be "required"' },
    },
  ],
  "EC2-2": [
    { name: "instance encrypted root + EBS", build: (s) => instance(s, { ebsBlockDevice: [{ deviceName: "/dev/sdf", encrypted: true }] }) },
    { name: "launch template encrypted", build: (s) => launchTemplate(s) },
    {
      name: "instance without root_block_device, unencrypted EBS",
      build: (s) => instance(s, { rootBlockDevice: undefined, ebsBlockDevice: [{ deviceName: "/dev/sdf" }] }),
      violation: {
        resource: "aws_instance.vpn/resource",
        message: "root_block_device is absent; set encrypted = true; ebs_block_device 1 (/dev/sdf) is not encrypted",
      },
    },
    {
      name: "launch template unencrypted mapping",
      build: (s) => launchTemplate(s, { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 10 } }] }),
      violation: { resource: "aws_launch_template.lt/resource", message: "block_device_mappings 1 (/dev/xvda) ebs.encrypted is not true" },
    },
    {
      name: "launch template without mappings",
      build: (s) => launchTemplate(s, { blockDeviceMappings: undefined }),
      violation: { resource: "aws_launch_template.lt/resource", message: "block_device_mappings is absent; declare the root volume with ebs.encrypted = true" },
    },
  ],
  "EC2-3": [
    { name: "no key", build: (s) => instance(s) },
    {
      name: "instance key pair",
      build: (s) => instance(s, { keyName: "ops" }),
      violation: { resource: "aws_instance.vpn/resource", message: 'key_name is "ops"; use SSM Session Manager instead of an SSH key' },
    },
    {
      name: "launch template key pair",
      build: (s) => launchTemplate(s, { keyName: "ops" }),
      violation: { resource: "aws_launch_template.lt/resource", message: 'key_name is "ops"; use SSM Session Manager instead of an SSH key' },
    },
  ],
  "S3-1": [
    { name: "all four blocks", build: (s) => bucket(s) },
    {
      name: "no public access block",
      build: (s) => bucket(s, { publicAccessBlock: false }),
      violation: { resource: BUCKET, message: "no aws_s3_bucket_public_access_block references this bucket" },
    },
    {
      name: "two flags off",
      build: (s) => bucket(s, { publicAccessBlock: { blockPublicPolicy: false, restrictPublicBuckets: false } }),
      violation: {
        resource: BUCKET,
        message: "aws_s3_bucket_public_access_block.artifacts/public-access-block does not set block_public_policy, restrict_public_buckets to true",
      },
    },
    {
      name: "block matched by the bucket's literal name",
      build: (s) => {
        bucket(s, { publicAccessBlock: false });
        new S3BucketPublicAccessBlock(s, "by-name", {
          bucket: "artifacts-bucket",
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        });
      },
    },
    {
      name: "another bucket's block does not count",
      build: (s) => {
        bucket(s, { publicAccessBlock: false });
        bucket(s, {}, "logs");
      },
      violation: { resource: BUCKET, message: "no aws_s3_bucket_public_access_block references this bucket" },
    },
  ],
  "S3-2": [
    { name: "KMS", build: (s) => bucket(s) },
    { name: "AES256", build: (s) => bucket(s, { encryption: "AES256" }) },
    {
      name: "no encryption configuration",
      build: (s) => bucket(s, { encryption: false }),
      violation: { resource: BUCKET, message: "no aws_s3_bucket_server_side_encryption_configuration references this bucket" },
    },
  ],
  "S3-3": [
    { name: "Enabled", build: (s) => bucket(s) },
    {
      name: "Suspended",
      build: (s) => bucket(s, { versioning: "Suspended" }),
      violation: {
        resource: BUCKET,
        message: 'aws_s3_bucket_versioning.artifacts/versioning versioning_configuration.status is "Suspended", must be "Enabled"',
      },
    },
    {
      name: "no versioning resource",
      build: (s) => bucket(s, { versioning: false }),
      violation: { resource: BUCKET, message: "no aws_s3_bucket_versioning references this bucket" },
    },
  ],
  "S3-4": [
    { name: "TLS-only Deny as JSON", build: (s) => bucket(s) },
    {
      name: "TLS-only Deny whose resources are expressions with quotes",
      build: (s) => {
        const b = bucket(s, { policy: false });
        const arn = Fn.replace(b.arn, "arn:", "arn:");
        const deny = { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } };
        new S3BucketPolicy(s, "doc-policy", { bucket: b.bucket, policy: policyJson(deny) });
      },
    },
    {
      name: "a policy document data source is not read (fail closed)",
      build: (s) => {
        const b = bucket(s, { policy: false });
        const doc = new DataAwsIamPolicyDocument(s, "tls-doc", {
          statement: [
            {
              effect: "Deny",
              actions: ["s3:*"],
              resources: [b.arn, `${b.arn}/*`],
              principals: [{ type: "*", identifiers: ["*"] }],
              condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
            },
          ],
        });
        new S3BucketPolicy(s, "doc-policy", { bucket: b.bucket, policy: doc.json });
      },
      violation: {
        resource: BUCKET,
        message: 'aws_s3_bucket_policy.doc-policy: policy "${data.aws_iam_policy_document.tls-doc.json}" cannot be analysed (write it as a JSON string)',
      },
    },
    {
      name: "no bucket policy",
      build: (s) => bucket(s, { policy: false }),
      violation: { resource: BUCKET, message: "no aws_s3_bucket_policy references this bucket (TLS-only Deny needed)" },
    },
    {
      name: "policy without the SecureTransport Deny",
      build: (s) =>
        bucket(s, { policy: policyJson({ Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "*" }) }),
      violation: {
        resource: BUCKET,
        message: 'aws_s3_bucket_policy.artifacts/policy has no Deny of s3:* to Principal "*" with condition Bool aws:SecureTransport = false',
      },
    },
    {
      name: "policy that cannot be analysed",
      build: (s) => bucket(s, { policy: "${jsonencode(local.p)}" }),
      violation: {
        resource: BUCKET,
        message:
          'aws_s3_bucket_policy.artifacts/policy: policy "${jsonencode(local.p)}" cannot be analysed (write it as a JSON string)',
      },
    },
  ],
  "IAM-1": [
    {
      name: "named actions on named resources",
      build: (s) =>
        new IamPolicy(s, "p", { policy: policyJson({ Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:ReadData"], Resource: "arn:aws:kafka:eu-west-1:1:cluster/c/*" }) }),
    },
    {
      name: "Deny s3:* is fine",
      build: (s) => new IamPolicy(s, "p", { policy: policyJson({ Effect: "Deny", Action: "s3:*", Resource: "*" }) }),
    },
    {
      name: "service wildcard in aws_iam_policy",
      build: (s) => new IamPolicy(s, "p", { policy: policyJson({ Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }) }),
      violation: { resource: "aws_iam_policy.p", message: 'policy statement 1 (Sid "All") allows "s3:*"' },
    },
    {
      name: "* in aws_iam_role_policy, next to an interpolation with quotes",
      build: (s) => {
        const r = role(s);
        const resource = `${Fn.replace(r.arn, ":role/", ":role/")}/*`;
        new IamRolePolicy(new Construct(s, "admin"), "resource", { role: r.name, policy: policyJson({ Effect: "Allow", Action: "*", Resource: resource }) });
      },
      violation: { resource: "aws_iam_role_policy.admin/resource", message: 'policy statement 1 allows "*"' },
    },
    {
      name: "a policy document data source in aws_iam_role_policy is not read (fail closed)",
      build: (s) => {
        const r = role(s);
        const doc = new DataAwsIamPolicyDocument(s, "admin-doc", { statement: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }] });
        new IamRolePolicy(new Construct(s, "admin"), "resource", { role: r.name, policy: doc.json });
      },
      violation: {
        resource: "aws_iam_role_policy.admin/resource",
        message: 'policy: policy "${data.aws_iam_policy_document.admin-doc.json}" cannot be analysed (write it as a JSON string)',
      },
    },
    {
      name: "inline_policy on aws_iam_role with NotAction",
      build: (s) => role(s, { inlinePolicy: [{ name: "broad", policy: policyJson({ Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b" }) }] }),
      violation: { resource: "aws_iam_role.app/role", message: 'inline_policy "broad" statement 1 allows NotAction (everything else)' },
    },
  ],
  "IAM-2": [
    {
      name: "read-only on * and a documented exception",
      build: (s) =>
        new IamPolicy(s, "p", {
          policy: policyJson(
            { Effect: "Allow", Action: ["ec2:DescribeSubnets", "kafka:List*", "kafka:GetBootstrapBrokers"], Resource: "*" },
            { Effect: "Allow", Action: ["logs:CreateLogDelivery", "cloudwatch:PutMetricData"], Resource: "*" },
          ),
        }),
    },
    {
      name: "write actions on named resources",
      build: (s) => new IamPolicy(s, "p", { policy: policyJson({ Effect: "Allow", Action: ["s3:PutObject"], Resource: "arn:aws:s3:::b/*" }) }),
    },
    {
      name: "write on *",
      build: (s) =>
        new IamPolicy(s, "p", { policy: policyJson({ Effect: "Allow", Action: ["s3:PutObject", "ec2:DescribeVpcs", "kafka-cluster:*Topic*"], Resource: "*" }) }),
      violation: { resource: "aws_iam_policy.p", message: 'policy statement 1 allows "s3:PutObject", "kafka-cluster:*Topic*" on Resource "*"' },
    },
    {
      name: "secret reads on * count as writes",
      build: (s) =>
        new IamPolicy(s, "p", { policy: policyJson({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "s3:Get*"], Resource: "*" }) }),
      violation: {
        resource: "aws_iam_policy.p",
        message: 'policy statement 1 allows "secretsmanager:GetSecretValue", "s3:Get*" on Resource "*"',
      },
    },
  ],
  "IAM-3": [
    {
      name: "customer policy attached",
      build: (s) => new IamRolePolicyAttachment(s, "a", { role: "r", policyArn: "arn:aws:iam::123456789012:policy/sink" }),
    },
    {
      name: "AWS read-only managed policy attached",
      build: (s) => new IamRolePolicyAttachment(s, "a", { role: "r", policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }),
    },
    {
      name: "AmazonDynamoDBFullAccess attached",
      build: (s) => new IamRolePolicyAttachment(s, "a", { role: "r", policyArn: "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess" }),
      violation: {
        resource: "aws_iam_role_policy_attachment.a",
        message: "policy_arn attaches arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess; write a least-privilege policy instead",
      },
    },
    {
      name: "AdministratorAccess in managed_policy_arns",
      build: (s) => role(s, { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }),
      violation: {
        resource: "aws_iam_role.app/role",
        message: "managed_policy_arns attaches arn:aws:iam::aws:policy/AdministratorAccess; write a least-privilege policy instead",
      },
    },
  ],
  "LOG-1": [
    { name: "30 days", build: (s) => new CloudwatchLogGroup(s, "lg", { name: "/x", retentionInDays: 30 }) },
    {
      name: "never expire (absent)",
      build: (s) => new CloudwatchLogGroup(s, "lg", { name: "/x" }),
      violation: { resource: "aws_cloudwatch_log_group.lg", message: "retention_in_days is absent (never expire), must be at least 7" },
    },
    {
      name: "never expire (0)",
      build: (s) => new CloudwatchLogGroup(s, "lg", { name: "/x", retentionInDays: 0 }),
      violation: { resource: "aws_cloudwatch_log_group.lg", message: "retention_in_days is 0 (never expire), must be at least 7" },
    },
    {
      name: "1 day, as in the reference design",
      build: (s) => new CloudwatchLogGroup(s, "lg", { name: "/x", retentionInDays: 1 }),
      violation: { resource: "aws_cloudwatch_log_group.lg", message: "retention_in_days is 1, must be at least 7" },
    },
  ],
  "MSK-8": [
    {
      name: "KafkaServerlessCluster in the Network's private subnets",
      build: (s) => {
        const n = new Network(s, "network", { namePrefix: "gt", cidr: "10.0.0.0/16", azCount: 3, availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] });
        new KafkaServerlessCluster(s, "kafka", { namePrefix: "gt", vpcId: n.vpcId, subnetIds: n.privateSubnetIds, clientSecurityGroups: {} });
      },
    },
    {
      name: "the Network's public subnets",
      build: (s) => {
        const n = new Network(s, "network", { namePrefix: "gt", cidr: "10.0.0.0/16", azCount: 2, availabilityZones: ["eu-west-1a", "eu-west-1b"] });
        new KafkaServerlessCluster(s, "kafka", { namePrefix: "gt", vpcId: n.vpcId, subnetIds: n.publicSubnetIds, clientSecurityGroups: {} });
      },
      violation: {
        resource: "aws_msk_serverless_cluster.kafka/cluster",
        message:
          "vpc_config[0].subnet_ids has aws_subnet.network/public-subnet-a, a public subnet; vpc_config[0].subnet_ids has aws_subnet.network/public-subnet-b, a public subnet",
      },
    },
    {
      name: "IAM off, a subnet with an inline route to an internet gateway, a literal subnet, no security group",
      build: (s) => {
        const v = new Vpc(s, "vpc", { cidrBlock: "10.0.0.0/16" });
        const igw = new InternetGateway(s, "igw", { vpcId: v.id });
        const subnet = new Subnet(s, "subnet", { vpcId: v.id, cidrBlock: "10.0.0.0/24" });
        const table = new RouteTable(s, "table", { vpcId: v.id, route: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] });
        new RouteTableAssociation(s, "assoc", { subnetId: subnet.id, routeTableId: table.id });
        new MskServerlessCluster(new Construct(s, "kafka"), "cluster", {
          clusterName: "c",
          clientAuthentication: { sasl: { iam: { enabled: false } } },
          vpcConfig: [{ subnetIds: [subnet.id, "subnet-0123456789abcdef0"] }],
        });
      },
      violation: {
        resource: "aws_msk_serverless_cluster.kafka/cluster",
        message:
          'client_authentication.sasl.iam.enabled is false, must be true; vpc_config[0].subnet_ids has aws_subnet.subnet, a public subnet; vpc_config[0].subnet_ids has "subnet-0123456789abcdef0", not a subnet of this stack; vpc_config[0].security_group_ids is empty, so the VPC\'s default security group applies',
      },
    },
    {
      name: "a subnet mapping public IPs, a security group by literal id",
      build: (s) => {
        const v = new Vpc(s, "vpc", { cidrBlock: "10.0.0.0/16" });
        const subnet = new Subnet(s, "subnet", { vpcId: v.id, cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true });
        new MskServerlessCluster(new Construct(s, "kafka"), "cluster", {
          clusterName: "c",
          clientAuthentication: { sasl: { iam: { enabled: true } } },
          vpcConfig: [{ subnetIds: [subnet.id], securityGroupIds: ["sg-0123456789abcdef0"] }],
        });
      },
      violation: {
        resource: "aws_msk_serverless_cluster.kafka/cluster",
        message: 'vpc_config[0].subnet_ids has aws_subnet.subnet, a public subnet; vpc_config[0].security_group_ids has "sg-0123456789abcdef0", not a security group of this stack',
      },
    },
  ],
  "MSKC-1": [
    { name: "IAM", build: (s) => connector(s) },
    {
      name: "NONE",
      build: (s) => connector(s, { kafkaClusterClientAuthentication: { authenticationType: "NONE" } }),
      violation: { resource: "aws_mskconnect_connector.sink/resource", message: 'kafka_cluster_client_authentication.authentication_type is "NONE", must be "IAM"' },
    },
  ],
  "MSKC-2": [
    { name: "TLS", build: (s) => connector(s) },
    {
      name: "PLAINTEXT",
      build: (s) => connector(s, { kafkaClusterEncryptionInTransit: { encryptionType: "PLAINTEXT" } }),
      violation: { resource: "aws_mskconnect_connector.sink/resource", message: 'kafka_cluster_encryption_in_transit.encryption_type is "PLAINTEXT", must be "TLS"' },
    },
  ],
  "MSKC-3": [
    { name: "SASL_SSL to the source cluster", build: (s) => connector(s, { connectorConfiguration: { "connector.class": "x", "source.cluster.security.protocol": "SASL_SSL" } }) },
    { name: "SSL to the source cluster", build: (s) => connector(s, { connectorConfiguration: { "connector.class": "x", "source.cluster.security.protocol": "SSL" } }) },
    {
      name: "PLAINTEXT to the source cluster",
      build: (s) => connector(s, { connectorConfiguration: { "connector.class": "x", "source.cluster.security.protocol": "PLAINTEXT" } }),
      violation: { resource: "aws_mskconnect_connector.sink/resource", message: 'connector_configuration["source.cluster.security.protocol"] is "PLAINTEXT", must be "SSL" or "SASL_SSL"' },
    },
    {
      name: "SASL_PLAINTEXT to the source cluster",
      build: (s) => connector(s, { connectorConfiguration: { "connector.class": "x", "source.cluster.security.protocol": "SASL_PLAINTEXT" } }),
      violation: { resource: "aws_mskconnect_connector.sink/resource", message: 'connector_configuration["source.cluster.security.protocol"] is "SASL_PLAINTEXT", must be "SSL" or "SASL_SSL"' },
    },
  ],
  "VPC-1": [
    {
      name: "flow log references the VPC",
      build: (s) => {
        const v = new Vpc(new Construct(s, "network"), "vpc", { cidrBlock: "10.0.0.0/16" });
        new FlowLog(new Construct(s, "network-logs"), "flow", { vpcId: v.id, trafficType: "ALL", logDestination: "arn:aws:logs:x" });
      },
    },
    {
      name: "no flow log (one for another VPC)",
      build: (s) => {
        new Vpc(new Construct(s, "network"), "vpc", { cidrBlock: "10.0.0.0/16" });
        const other = new Vpc(s, "other", { cidrBlock: "10.1.0.0/16" });
        new FlowLog(s, "flow", { vpcId: other.id, trafficType: "ALL", logDestination: "arn:aws:logs:x" });
      },
      violation: { resource: "aws_vpc.network/vpc", message: "no aws_flow_log references this VPC in vpc_id" },
    },
  ],
  "FH-1": [
    { name: "PRIVATE", build: (s) => firehoseStream(s) },
    {
      name: "PUBLIC",
      build: (s) =>
        firehoseStream(s, { mskSourceConfiguration: { mskClusterArn: "arn:aws:kafka:x", topicName: "t", authenticationConfiguration: { connectivity: "PUBLIC", roleArn: "arn:aws:iam::1:role/r" } } }),
      violation: { resource: "aws_kinesis_firehose_delivery_stream.archives/resource", message: 'msk_source_configuration.authentication_configuration.connectivity is "PUBLIC", must be "PRIVATE"' },
    },
  ],
  "FH-2": [
    { name: "error logging to a group and stream", build: (s) => firehoseStream(s) },
    {
      name: "logging off",
      build: (s) => firehoseStream(s, { extendedS3Configuration: { roleArn: "arn:aws:iam::1:role/d", bucketArn: "arn:aws:s3:::b", cloudwatchLoggingOptions: { enabled: false } } }),
      violation: { resource: "aws_kinesis_firehose_delivery_stream.archives/resource", message: "extended_s3_configuration.cloudwatch_logging_options.enabled is false, must be true" },
    },
    {
      name: "enabled without a stream",
      build: (s) => firehoseStream(s, { extendedS3Configuration: { roleArn: "arn:aws:iam::1:role/d", bucketArn: "arn:aws:s3:::b", cloudwatchLoggingOptions: { enabled: true, logGroupName: "/g" } } }),
      violation: { resource: "aws_kinesis_firehose_delivery_stream.archives/resource", message: "extended_s3_configuration.cloudwatch_logging_options.log_stream_name is absent" },
    },
  ],
};

/** A Firehose stream from MSK to S3 as FirehoseArchive writes it, with `over` merged in. */
function firehoseStream(s: Construct, over: Partial<KinesisFirehoseDeliveryStreamConfig> = {}): void {
  new KinesisFirehoseDeliveryStream(new Construct(s, "archives"), "resource", {
    name: "p-a",
    destination: "extended_s3",
    mskSourceConfiguration: { mskClusterArn: "arn:aws:kafka:x", topicName: "t", authenticationConfiguration: { connectivity: "PRIVATE", roleArn: "arn:aws:iam::1:role/r" } },
    extendedS3Configuration: { roleArn: "arn:aws:iam::1:role/d", bucketArn: "arn:aws:s3:::b", cloudwatchLoggingOptions: { enabled: true, logGroupName: "/g", logStreamName: "s" } },
    ...over,
  });
}

test("every built-in rule has compliant and non-compliant cases", () => {
  for (const rule of ALL_RULES) {
    const cs = cases[rule.id] ?? [];
    expect({ rule: rule.id, compliant: cs.some((c) => !c.violation) }).toEqual({ rule: rule.id, compliant: true });
    expect({ rule: rule.id, violation: cs.some((c) => c.violation) }).toEqual({ rule: rule.id, violation: true });
  }
  expect(Object.keys(cases).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
});

describe.each(ALL_RULES.map((r) => [r.id, r] as const))("%s", (id, rule) => {
  test.each((cases[id] ?? []).map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const stack = newStack();
    c.build(stack);
    const findings = evaluateStack(stack, { rules: [rule] });
    expect(findings.length).toBeGreaterThan(0);
    const bad = findings.filter((f) => f.status === "non_compliant");
    if (c.violation) {
      expect(bad).toContainEqual({ rule: id, resource: c.violation.resource, status: "non_compliant", message: c.violation.message });
    } else {
      expect(bad).toEqual([]);
    }
  });
});

test.each(["modules/guard/RULES.md", "README.md"])("%s contains the generated rules table", (file) => {
  const doc = readFileSync(join(__dirname, "..", "..", file), "utf8");
  expect(doc).toContain(rulesTable());
});

test("rule ids are unique and follow AREA-N", () => {
  const ids = ALL_RULES.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/^[A-Z0-9]+-\d+$/);
});
