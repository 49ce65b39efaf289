/**
 * The Kafka cluster's security group and its SASL/IAM ingress rules, shared by KafkaCluster
 * (provisioned) and KafkaServerlessCluster: both create them with the same construct ids, name and
 * description under their own construct (`kafka/security-group`, `kafka/ingress-<client>`), so
 * switching `kafka.mode` keeps the group and its rules in place and replaces only the cluster.
 * Not a construct: the resources are created in the caller's scope.
 */
import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import type { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { addClientIngressRules, type ClientSecurityGroups } from "../network/client-security-groups";

/** Port of the SASL/IAM listener inside the VPC (provisioned and serverless alike). */
export const MSK_IAM_PORT = 9098;

export interface KafkaSecurityGroup {
  readonly securityGroup: SecurityGroup;
  /** One rule per client, keyed like the client groups. */
  readonly ingressRules: Readonly<Record<string, VpcSecurityGroupIngressRule>>;
}

/**
 * The group (no rules of its own, no egress: Terraform removes the default allow-all egress rule)
 * and one 9098 ingress rule per named client group. `baseName` is `<name_prefix>-msk` in both
 * modes: the group's name and description must not change when the mode does.
 */
export function addKafkaSecurityGroup(scope: Construct, baseName: string, vpcId: string, clients: ClientSecurityGroups): KafkaSecurityGroup {
  const securityGroup = new SecurityGroup(scope, "security-group", {
    name: `${baseName}-brokers`,
    description: `MSK brokers of ${baseName}: SASL/IAM (${MSK_IAM_PORT}) from named clients only`,
    vpcId,
    tags: { Name: `${baseName}-brokers` },
  });
  const ingressRules = addClientIngressRules(scope, securityGroup.id, clients, MSK_IAM_PORT, "Kafka SASL/IAM", baseName);
  return { securityGroup, ingressRules };
}
