import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";

export interface ConnectorSecurityGroupProps {
  /** Prefix of the group's name. */
  readonly namePrefix: string;
  readonly vpcId: string;
  /** Security group of the MSK brokers: egress TCP 9098 (SASL/IAM) to it. */
  readonly kafkaSecurityGroupId: string;
  /**
   * Security group of the OpenSearch domain: egress TCP 443 to it.
   * @default - no rule (no sink connector)
   */
  readonly opensearchSecurityGroupId?: string;
  /**
   * Security group of interface VPC endpoints (Secrets Manager, STS). When set, AWS API traffic
   * goes there and no rule to 0.0.0.0/0 exists.
   * @default - AWS APIs through the NAT gateway: egress TCP 443 to 0.0.0.0/0
   */
  readonly awsApiEndpointSecurityGroupId?: string;
}

/**
 * The security group of the MSK Connect workers. No ingress: nothing connects to a worker. Egress
 * names its peers: the brokers on 9098, OpenSearch on 443, and AWS APIs on 443.
 *
 * AWS APIs: the Secrets Manager config provider calls secretsmanager.<region>.amazonaws.com. By
 * default that goes through the NAT gateway, which needs TCP 443 to 0.0.0.0/0 (HTTPS only, no
 * other port). An interface endpoint removes that rule at about 7 USD per AZ per month; pass its
 * security group in `awsApiEndpointSecurityGroupId` once the network creates one.
 */
export class ConnectorSecurityGroup extends Construct {
  public readonly securityGroupId: string;
  public readonly resource: SecurityGroup;

  constructor(scope: Construct, id: string, props: ConnectorSecurityGroupProps) {
    super(scope, id);
    this.resource = new SecurityGroup(this, "resource", {
      name: `${props.namePrefix}-msk-connect`,
      description: "MSK Connect workers: no ingress; egress to MSK (9098), OpenSearch (443) and AWS APIs (443)",
      vpcId: props.vpcId,
      // No inline rules: the rules below are separate resources, and Terraform removes the
      // allow-all egress rule AWS adds to a new group.
      tags: { Name: `${props.namePrefix}-msk-connect` },
    });
    this.securityGroupId = this.resource.id;

    new VpcSecurityGroupEgressRule(this, "to-kafka", {
      securityGroupId: this.resource.id,
      description: "Kafka SASL/IAM to the MSK brokers",
      ipProtocol: "tcp",
      fromPort: 9098,
      toPort: 9098,
      referencedSecurityGroupId: props.kafkaSecurityGroupId,
    });
    if (props.opensearchSecurityGroupId !== undefined) {
      new VpcSecurityGroupEgressRule(this, "to-opensearch", {
        securityGroupId: this.resource.id,
        description: "HTTPS to the OpenSearch domain",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: props.opensearchSecurityGroupId,
      });
    }
    if (props.awsApiEndpointSecurityGroupId !== undefined) {
      new VpcSecurityGroupEgressRule(this, "to-aws-api-endpoints", {
        securityGroupId: this.resource.id,
        description: "HTTPS to the AWS API interface endpoints (Secrets Manager)",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: props.awsApiEndpointSecurityGroupId,
      });
    } else {
      new VpcSecurityGroupEgressRule(this, "to-aws-apis", {
        securityGroupId: this.resource.id,
        description: "HTTPS to AWS APIs (Secrets Manager) through the NAT gateway",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      });
    }
  }
}
