import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";

export interface IngestionSecurityGroupProps {
  /** Prefix of the group's name (`<namePrefix>-<pipeline>-osis`). */
  readonly namePrefix: string;
  /** The connector (pipeline) the group belongs to: lowercase letters, digits and '-'. */
  readonly pipeline: string;
  readonly vpcId: string;
  /** Security group of the OpenSearch domain: the only egress is HTTPS (443) to it. */
  readonly opensearchSecurityGroupId: string;
}

/**
 * The security group of one OpenSearch Ingestion pipeline's VPC endpoint (vpc_options): no
 * ingress (the pipeline pulls from Kafka; nothing connects to it) and egress only to the domain's
 * HTTPS port. The pipeline reaches the MSK cluster through the multi-VPC connection OpenSearch
 * Ingestion creates itself (AWS PrivateLink, configure-client-msk.html), not through this group;
 * the domain accepts 443 from it (the domain's `ingestion-<pipeline>` client rule).
 */
export class IngestionSecurityGroup extends Construct {
  public readonly securityGroupId: string;
  public readonly egressRule: VpcSecurityGroupEgressRule;

  constructor(scope: Construct, id: string, props: IngestionSecurityGroupProps) {
    super(scope, id);
    if (props.namePrefix.length === 0) throw new Error("IngestionSecurityGroup: namePrefix must not be empty");
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(props.pipeline)) throw new Error(`IngestionSecurityGroup: pipeline must be lowercase letters, digits and '-', got "${props.pipeline}"`);
    const name = `${props.namePrefix}-${props.pipeline}-osis`;
    const group = new SecurityGroup(this, "resource", {
      name,
      description: `OpenSearch Ingestion pipeline ${props.pipeline}: no ingress; egress to OpenSearch (443) only`,
      vpcId: props.vpcId,
      tags: { Name: name },
    });
    this.securityGroupId = group.id;
    this.egressRule = new VpcSecurityGroupEgressRule(this, "to-opensearch", {
      securityGroupId: group.id,
      description: "HTTPS to the OpenSearch domain",
      referencedSecurityGroupId: props.opensearchSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
    });
  }
}
