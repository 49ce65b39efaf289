/**
 * What MSK Serverless lets a pipeline set, in one place: the topic-level configs a serverless
 * topic may carry (and their limits), its fixed replication, and the environment's `kafka.*`
 * fields that have no meaning on a serverless cluster.
 *
 * Topic configs: AWS's "Configuration properties for MSK Serverless clusters"
 * (https://docs.aws.amazon.com/msk/latest/developerguide/serverless-config.html): "you can set or
 * modify the following topic-level configuration properties. All other topic-level configuration
 * properties are not configurable." Broker properties are set by MSK and cannot be changed.
 *
 * Environment fields: the provider's aws_msk_serverless_cluster has only cluster_name,
 * client_authentication.sasl.iam, vpc_config (subnets, security groups) and tags
 * (hashicorp/terraform-provider-aws internal/service/kafka/serverless_cluster.go): no Kafka version,
 * broker type or count, storage, configuration, encryption key, monitoring, logging, other
 * authentication or connectivity settings.
 */

/** A topic config MSK Serverless accepts, with its documented limit. */
export interface ServerlessTopicConfig {
  /** Largest value AWS accepts, when it documents one. */
  readonly maximum?: number;
  /** Only settable when the topic is created (changing it later is refused). */
  readonly creationOnly?: boolean;
}

/**
 * Every topic-level config MSK Serverless lets a topic set, by Kafka name (AWS's table). Our topic
 * schema offers a subset of them (message.timestamp.* are not topic-file fields).
 */
export const SERVERLESS_TOPIC_CONFIGS: Readonly<Record<string, ServerlessTopicConfig>> = {
  "cleanup.policy": { creationOnly: true },
  "compression.type": {},
  "max.message.bytes": { maximum: 8_388_608 },
  "message.timestamp.difference.max.ms": {},
  "message.timestamp.type": {},
  "retention.bytes": {},
  "retention.ms": {},
};

/** MSK Serverless replicates every partition three times; a topic cannot choose otherwise. */
export const SERVERLESS_REPLICATION_FACTOR = 3;

/** Whether MSK Serverless lets a topic set this config (by Kafka name). */
export function isServerlessTopicConfig(key: string): boolean {
  return Object.prototype.hasOwnProperty.call(SERVERLESS_TOPIC_CONFIGS, key);
}

/**
 * `kafka.*` fields of an environment file that do not apply to MSK Serverless, each with why.
 * Setting one in a serverless environment is an error at its position (never silently ignored).
 */
export const SERVERLESS_INAPPLICABLE_KAFKA_FIELDS: Readonly<Record<string, string>> = {
  version: "MSK Serverless picks the Kafka version itself; aws_msk_serverless_cluster has no version",
  broker_instance_type: "MSK Serverless has no brokers to size",
  broker_count: "MSK Serverless has no brokers to count",
  ebs_volume_gb: "MSK Serverless manages its storage",
  storage_autoscaling_max_gb: "MSK Serverless manages its storage",
  server_properties: "MSK Serverless sets every broker property itself and none can be changed",
  encryption_kms_key_arn: "MSK Serverless encrypts at rest with a key it manages, never a customer key",
  enhanced_monitoring: "MSK Serverless has no enhanced monitoring level",
  log_retention_days: "MSK Serverless has no broker logs",
  client_authentication: "MSK Serverless authenticates clients with IAM only: no mutual TLS, no SASL/SCRAM",
  allow_topic_replacement: "Terraform manages no topics on MSK Serverless: the bootstrap creates them",
  storage_mode: "MSK Serverless has no tiered storage setting",
  open_monitoring: "MSK Serverless has no Prometheus exporters",
  vpc_connectivity: "aws_msk_serverless_cluster has no multi-VPC connectivity setting; clients reach it in its own VPC",
  cluster_policy: "the cluster policy here grants multi-VPC connections, which MSK Serverless does not have",
};
