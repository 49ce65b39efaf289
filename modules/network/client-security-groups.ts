/**
 * Helpers shared by the constructs whose security group admits a named set of client groups
 * (KafkaCluster, SearchDomain). Not a construct: rules are created in the caller's scope.
 */
import { Token } from "cdktf";
import { Construct } from "constructs";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";

/** Security groups that may connect, keyed by a stable name (e.g. `connectors`, `vpn`). */
export type ClientSecurityGroups = Readonly<Record<string, string>>;

/** Throws when a key is not a usable id or a literal value is not a security group id. */
export function validateClientSecurityGroups(construct: string, groups: ClientSecurityGroups): void {
  for (const [key, sg] of Object.entries(groups)) {
    if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(key)) {
      throw new Error(`${construct}: clientSecurityGroups key must be lowercase letters, digits, '_' or '-', got "${key}"`);
    }
    if (!Token.isUnresolved(sg) && !/^sg-[0-9a-f]{8,17}$/.test(sg)) {
      throw new Error(`${construct}: clientSecurityGroups["${key}"] must be a security group id (sg-...), got "${sg}"`);
    }
  }
}

/**
 * One TCP ingress rule per client group on `port`, construct id `ingress-<key>` (so adding or
 * removing a client never renames another rule), each with a description naming the client.
 */
export function addClientIngressRules(
  scope: Construct,
  securityGroupId: string,
  groups: ClientSecurityGroups,
  port: number,
  service: string,
  namePrefix: string,
): Record<string, VpcSecurityGroupIngressRule> {
  const rules: Record<string, VpcSecurityGroupIngressRule> = {};
  for (const key of Object.keys(groups).sort()) {
    rules[key] = new VpcSecurityGroupIngressRule(scope, `ingress-${key}`, {
      securityGroupId,
      referencedSecurityGroupId: groups[key],
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description: `${service} (${port}) from ${key}`,
      tags: { Name: `${namePrefix}-from-${key}` },
    });
  }
  return rules;
}
