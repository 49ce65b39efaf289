/**
 * KafkaServerlessCluster: an Amazon MSK Serverless cluster in the private subnets, IAM client
 * authentication (the only kind MSK Serverless has), and the same security group as the
 * provisioned cluster (shared helper, same construct ids), which names its clients.
 */
import { Construct } from "constructs";
import { MskServerlessCluster } from "@cdktf/provider-aws/lib/msk-serverless-cluster";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import type { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { validateClientSecurityGroups, type ClientSecurityGroups } from "../network/client-security-groups";
import { addKafkaSecurityGroup } from "./kafka-security-group";
import type { PipelineKafka } from "./pipeline-kafka";

export interface KafkaServerlessClusterProps {
  /**
   * Prefix of every name (the environment's `name_prefix`). The cluster is
   * `<namePrefix>-msk-serverless`; its security group `<namePrefix>-msk-brokers`, as in
   * provisioned mode.
   */
  readonly namePrefix: string;
  /** VPC of the cluster's security group. */
  readonly vpcId: string;
  /** Private subnets the cluster's endpoints go in: 2 or 3, in different AZs. */
  readonly subnetIds: readonly string[];
  /**
   * Security groups allowed to reach the cluster on 9098 (SASL/IAM over TLS), keyed by a stable
   * name used in the rule's id and description, e.g. `{ connectors: sg, vpn: sg }`.
   */
  readonly clientSecurityGroups: ClientSecurityGroups;
}

/**
 * MSK Serverless cluster. What a provisioned cluster makes a choice of is fixed here by AWS: IAM
 * is the only client authentication, traffic is TLS only, data is encrypted at rest with a key
 * MSK manages, replication is 3 and broker properties cannot be set.
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/serverless.html
 *
 * Its name differs from the provisioned cluster's (`-msk-serverless`, not `-msk`): switching
 * `kafka.mode` destroys one cluster and creates the other in the same apply, which Terraform may
 * run at the same time, and two MSK clusters of one name cannot exist together.
 */
export class KafkaServerlessCluster extends Construct implements PipelineKafka {
  public readonly mode = "serverless" as const;
  public readonly cluster: MskServerlessCluster;
  public readonly securityGroup: SecurityGroup;
  /** One rule per client, keyed like `clientSecurityGroups`. */
  public readonly ingressRules: Readonly<Record<string, VpcSecurityGroupIngressRule>>;

  public readonly clusterArn: string;
  public readonly clusterName: string;
  /** Comma-separated `host:9098` list for SASL/IAM clients. */
  public readonly bootstrapBrokersSaslIam: string;
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: KafkaServerlessClusterProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{1,50}$/.test(props.namePrefix)) {
      throw new Error(`KafkaServerlessCluster: namePrefix must be 2-51 lowercase letters, digits or '-', starting with a letter, got "${props.namePrefix}"`);
    }
    if (props.subnetIds.length < 2 || props.subnetIds.length > 3) {
      throw new Error(`KafkaServerlessCluster: MSK Serverless needs 2 or 3 subnets (one per AZ), got ${props.subnetIds.length}`);
    }
    if (new Set(props.subnetIds).size !== props.subnetIds.length) {
      throw new Error(`KafkaServerlessCluster: subnetIds contains duplicates: ${props.subnetIds.join(", ")}`);
    }
    validateClientSecurityGroups("KafkaServerlessCluster", props.clientSecurityGroups);

    const group = addKafkaSecurityGroup(this, `${props.namePrefix}-msk`, props.vpcId, props.clientSecurityGroups);
    this.securityGroup = group.securityGroup;
    this.ingressRules = group.ingressRules;
    const clusterName = `${props.namePrefix}-msk-serverless`;
    this.cluster = new MskServerlessCluster(this, "cluster", {
      clusterName,
      clientAuthentication: { sasl: { iam: { enabled: true } } },
      vpcConfig: [{ subnetIds: [...props.subnetIds], securityGroupIds: [this.securityGroup.id] }],
      tags: { Name: clusterName },
    });

    this.clusterArn = this.cluster.arn;
    this.clusterName = this.cluster.clusterName;
    this.bootstrapBrokersSaslIam = this.cluster.bootstrapBrokersSaslIam;
    this.securityGroupId = this.securityGroup.id;
  }
}
