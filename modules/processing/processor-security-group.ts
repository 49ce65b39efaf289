import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";

export interface ProcessorSecurityGroupProps {
  /** Prefix of the group's name. */
  readonly namePrefix: string;
  readonly vpcId: string;
  /** Security group of the MSK brokers: the only egress is TCP 9098 (SASL/IAM) to it. */
  readonly kafkaSecurityGroupId: string;
}

/**
 * The security group of the stream processors' ENIs (Managed Flink places them in the private
 * subnets): no ingress, and egress only to the brokers' IAM port. Managed Flink fetches the JAR and
 * writes logs through the service, not through these ENIs.
 */
export class ProcessorSecurityGroup extends Construct {
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: ProcessorSecurityGroupProps) {
    super(scope, id);
    if (props.namePrefix.length === 0) throw new Error("ProcessorSecurityGroup: namePrefix must not be empty");
    const name = `${props.namePrefix}-processors`;
    const group = new SecurityGroup(this, "resource", { name, description: "Stream processors: no ingress; egress to MSK (9098) only", vpcId: props.vpcId, tags: { Name: name } });
    this.securityGroupId = group.id;
    new VpcSecurityGroupEgressRule(this, "to-kafka", {
      securityGroupId: group.id,
      description: "Kafka SASL/IAM to the MSK brokers",
      referencedSecurityGroupId: props.kafkaSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: 9098,
      toPort: 9098,
    });
  }
}
