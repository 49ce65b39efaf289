/**
 * Multi-VPC private connectivity of an MSK provisioned cluster
 * (`broker_node_group_info.connectivity_info.vpc_connectivity`): clients in other VPCs or
 * accounts of the same region reach the brokers through managed VPC connections (AWS
 * PrivateLink). Not a construct: KafkaCluster renders the block and checks the rules.
 *
 * AWS's rules (MSK developer guide, "Requirements and limitations for multi-VPC private
 * connectivity"): Kafka 2.7.1 or later, an authenticated cluster (IAM, TLS or SASL/SCRAM; here
 * IAM), not on kafka.t3.small brokers, same region only. Turning it on or off is an in-place
 * update (UpdateConnectivity) that restarts every broker, one at a time.
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/aws-access-mult-vpc.html
 */
import type { MskClusterBrokerNodeGroupInfoConnectivityInfo } from "@cdktf/provider-aws/lib/msk-cluster";
import { SMALLEST_BROKER_TYPE } from "./tiered-storage";

/** Client authentication offered over multi-VPC connectivity. */
export interface KafkaVpcConnectivity {
  /** SASL/IAM through the managed VPC connections; false turns multi-VPC connectivity off again. */
  readonly iam: boolean;
}

/** What is wrong with multi-VPC connectivity on these brokers (empty when it is allowed). */
export function vpcConnectivityProblems(connectivity: KafkaVpcConnectivity, brokerInstanceType: string): string[] {
  if (!connectivity.iam) return [];
  return brokerInstanceType === SMALLEST_BROKER_TYPE ? [`multi-VPC private connectivity is not available on ${SMALLEST_BROKER_TYPE} brokers`] : [];
}

/** The `connectivity_info` block: the explicit state, on or off, so turning it off is a change Terraform sees. */
export function connectivityInfo(connectivity: KafkaVpcConnectivity): MskClusterBrokerNodeGroupInfoConnectivityInfo {
  return { vpcConnectivity: { clientAuthentication: { sasl: { iam: connectivity.iam } } } };
}
