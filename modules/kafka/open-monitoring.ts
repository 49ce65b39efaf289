/**
 * Open monitoring with Prometheus on an MSK provisioned cluster: the JMX exporter (Kafka and JVM
 * metrics, TCP 11001) and the node exporter (host metrics, TCP 11002) on every broker, and the
 * broker security group's ingress on those ports from the peers the YAML names, nothing else.
 * Not a construct: KafkaCluster renders the block and creates the rules in its own scope.
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/open-monitoring.html
 */
import { Token } from "cdktf";
import type { Construct } from "constructs";
import type { MskClusterOpenMonitoring } from "@cdktf/provider-aws/lib/msk-cluster";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { parseCidr } from "../validators/cidr";

/** The exporters and the broker port each listens on. */
export const OPEN_MONITORING_PORTS = { jmx: 11001, node: 11002 } as const;
const EXPORTER_NAMES = { jmx: "Prometheus JMX exporter", node: "Prometheus node exporter" } as const;

/** Exporters on the brokers, and who may scrape them. */
export interface KafkaOpenMonitoring {
  /**
   * JMX exporter on every broker (TCP 11001).
   * @default false
   */
  readonly jmxExporter?: boolean;
  /**
   * Node exporter on every broker (TCP 11002).
   * @default false
   */
  readonly nodeExporter?: boolean;
  /**
   * Security groups allowed to scrape the enabled exporters (e.g. a Prometheus server's).
   * @default []
   */
  readonly allowedSecurityGroupIds?: readonly string[];
  /**
   * IPv4 CIDRs allowed to scrape the enabled exporters; never 0.0.0.0/0.
   * @default []
   */
  readonly allowedCidrs?: readonly string[];
}

/** What is wrong with these settings, one sentence each (empty when they are fine). */
export function openMonitoringProblems(m: KafkaOpenMonitoring): string[] {
  const problems: string[] = [];
  const groups = m.allowedSecurityGroupIds ?? [];
  const cidrs = m.allowedCidrs ?? [];
  const on = m.jmxExporter === true || m.nodeExporter === true;
  if (on && groups.length + cidrs.length === 0) {
    problems.push("an exporter is on but no peer may reach it: name allowedSecurityGroupIds or allowedCidrs");
  }
  for (const sg of groups) {
    if (!Token.isUnresolved(sg) && !/^sg-[0-9a-f]{8,17}$/.test(sg)) problems.push(`allowedSecurityGroupIds must be security group ids (sg-...), got "${sg}"`);
  }
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (!parsed) problems.push(`allowedCidrs must be IPv4 CIDRs without host bits, got "${cidr}"`);
    else if (parsed.prefix === 0) problems.push(`allowedCidrs must not contain ${cidr}: the exporters are opened only to named peers`);
  }
  for (const [name, values] of [["allowedSecurityGroupIds", groups], ["allowedCidrs", cidrs]] as const) {
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup !== undefined) problems.push(`${name} lists "${dup}" twice`);
  }
  return problems;
}

/** The `open_monitoring` block: both exporters explicit, so turning one off is a change Terraform sees. */
export function openMonitoringBlock(m: KafkaOpenMonitoring): MskClusterOpenMonitoring {
  return {
    prometheus: {
      jmxExporter: { enabledInBroker: m.jmxExporter ?? false },
      nodeExporter: { enabledInBroker: m.nodeExporter ?? false },
    },
  };
}

/** `10.30.0.0/24` -> `10-30-0-0-24`: a construct id part that stays the same for the same CIDR. */
function cidrKey(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}

/**
 * One TCP ingress rule per enabled exporter and peer, construct id
 * `open-monitoring-<jmx|node>-<sg id | cidr>`: adding a peer never renames another rule.
 */
export function addOpenMonitoringIngressRules(
  scope: Construct,
  securityGroupId: string,
  m: KafkaOpenMonitoring,
  namePrefix: string,
): Record<string, VpcSecurityGroupIngressRule> {
  const rules: Record<string, VpcSecurityGroupIngressRule> = {};
  const exporters = (["jmx", "node"] as const).filter((e) => (e === "jmx" ? m.jmxExporter : m.nodeExporter) === true);
  const peers = [
    ...[...(m.allowedSecurityGroupIds ?? [])].sort().map((sg) => ({ key: sg, referencedSecurityGroupId: sg })),
    ...[...(m.allowedCidrs ?? [])].sort().map((cidr) => ({ key: cidrKey(cidr), cidrIpv4: cidr })),
  ];
  for (const exporter of exporters) {
    const port = OPEN_MONITORING_PORTS[exporter];
    for (const { key, ...peer } of peers) {
      const id = `open-monitoring-${exporter}-${key}`;
      const from = "cidrIpv4" in peer ? peer.cidrIpv4 : peer.referencedSecurityGroupId;
      rules[id] = new VpcSecurityGroupIngressRule(scope, id, {
        securityGroupId,
        ...peer,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: `${EXPORTER_NAMES[exporter]} (${port}) from ${from}`,
        tags: { Name: `${namePrefix}-${exporter}-exporter-from-${key}` },
      });
    }
  }
  return rules;
}
