/**
 * KafkaClusterPolicy: the MSK cluster's resource policy (`aws_msk_cluster_policy`), letting the
 * principals the YAML names set up multi-VPC connections to the cluster (another account's
 * clients, OpenSearch Ingestion, Firehose). Control plane only: reading or writing topics still
 * needs `kafka-cluster:*` permissions in the client's own IAM policy.
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/mvpc-cluster-owner-action-policy.html
 */
import { Token } from "cdktf";
import { Construct } from "constructs";
import { MskClusterPolicy } from "@cdktf/provider-aws/lib/msk-cluster-policy";
import { policyDocument, type PolicyStatement } from "../iam-policy";

/** What a principal of the policy may do: create a VPC connection and find the brokers, nothing more. */
export const CLUSTER_POLICY_ACTIONS = [
  "kafka:CreateVpcConnection",
  "kafka:DescribeCluster",
  "kafka:DescribeClusterV2",
  "kafka:GetBootstrapBrokers",
] as const;

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/;

export interface KafkaClusterPolicyProps {
  /** ARN of the cluster the policy is attached to (and the only resource it names). */
  readonly clusterArn: string;
  /**
   * Who may connect: 12-digit account ids (that account's root, i.e. whoever its admins delegate
   * to), IAM role ARNs, or service principals such as `osis-pipelines.amazonaws.com`. At least one;
   * each once.
   */
  readonly principals: readonly string[];
  /** AWS partition of the account ids' root ARNs (e.g. the `aws_partition` data source's value). */
  readonly partition: string;
}

/** Principals by kind, sorted, so the same list always renders the same policy. */
function principalBlock(principals: readonly string[], partition: string): Record<string, string[]> {
  const aws = principals.filter((p) => !SERVICE_PRINCIPAL.test(p)).map((p) => (ACCOUNT_ID.test(p) ? `arn:${partition}:iam::${p}:root` : p));
  const services = principals.filter((p) => SERVICE_PRINCIPAL.test(p));
  return {
    ...(aws.length > 0 ? { AWS: [...aws].sort() } : {}),
    ...(services.length > 0 ? { Service: [...services].sort() } : {}),
  };
}

/** The cluster policy: one Allow of CLUSTER_POLICY_ACTIONS on the cluster to the named principals. */
export class KafkaClusterPolicy extends Construct {
  public readonly resource: MskClusterPolicy;
  /** The policy document as written (a JSON string; the cluster ARN inside is a reference). */
  public readonly policy: string;

  constructor(scope: Construct, id: string, props: KafkaClusterPolicyProps) {
    super(scope, id);
    KafkaClusterPolicy.validate(props);
    const statement: PolicyStatement = {
      Sid: "MultiVpcConnectivity",
      Effect: "Allow",
      Principal: principalBlock(props.principals, props.partition),
      Action: [...CLUSTER_POLICY_ACTIONS],
      Resource: props.clusterArn,
    };
    this.policy = policyDocument([statement]);
    this.resource = new MskClusterPolicy(this, "resource", { clusterArn: props.clusterArn, policy: this.policy });
  }

  private static validate(props: KafkaClusterPolicyProps): void {
    if (props.principals.length === 0) throw new Error("KafkaClusterPolicy: principals must name at least one principal");
    for (const p of props.principals) {
      if (Token.isUnresolved(p)) continue;
      if (!ACCOUNT_ID.test(p) && !ROLE_ARN.test(p) && !SERVICE_PRINCIPAL.test(p)) {
        throw new Error(`KafkaClusterPolicy: a principal must be a 12-digit account id, an IAM role ARN or a service principal (*.amazonaws.com), got "${p}"`);
      }
    }
    const dup = props.principals.find((p, i) => props.principals.indexOf(p) !== i);
    if (dup !== undefined) throw new Error(`KafkaClusterPolicy: principals lists "${dup}" twice`);
  }
}
