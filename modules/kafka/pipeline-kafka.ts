/**
 * What the rest of the pipeline needs from its Kafka cluster, whichever kind it is: KafkaCluster
 * (MSK provisioned) and KafkaServerlessCluster (MSK Serverless) both implement it, so the
 * connectors, MirrorMaker, the client host, the Flink processors, the outputs and the stack values
 * never branch on `kafka.mode`.
 *
 * Topic and group ARNs are derived from `clusterArn` the same way for both: MSK Serverless topics
 * and groups have the provisioned form, `arn:<partition>:kafka:<region>:<account>:topic/<cluster
 * name>/<cluster uuid>/<topic>`: AWS's Serverless tutorial ("Create an IAM role for topics on MSK
 * Serverless cluster", https://docs.aws.amazon.com/msk/latest/developerguide/create-iam-role.html)
 * grants `cluster/<name>/<uuid>-s3` and `topic/<name>/*`, and the kafka-cluster actions page
 * ("IAM authorization policy actions and resources semantics") marks which actions apply to
 * serverless clusters (one that does not is never asked for there; not checked action by action).
 */
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import type { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";

export type KafkaMode = "provisioned" | "serverless";

export interface PipelineKafka {
  readonly mode: KafkaMode;
  /** `arn:…:cluster/<name>/<uuid>`. */
  readonly clusterArn: string;
  readonly clusterName: string;
  /** Comma-separated `host:9098` list for SASL/IAM clients. */
  readonly bootstrapBrokersSaslIam: string;
  /** The cluster's security group (ingress 9098 from the named clients). */
  readonly securityGroup: SecurityGroup;
  readonly securityGroupId: string;
  /** One 9098 rule per client, keyed like the client groups. */
  readonly ingressRules: Readonly<Record<string, VpcSecurityGroupIngressRule>>;
  /** Multi-VPC SASL/IAM brokers (provisioned only; empty while multi-VPC connectivity is off). */
  readonly bootstrapBrokersVpcConnectivitySaslIam?: string;
  /** `host:9094` list (provisioned with mutual TLS only). */
  readonly bootstrapBrokersTls?: string;
  /** `host:9096` list (provisioned with SASL/SCRAM only). */
  readonly bootstrapBrokersSaslScram?: string;
}
