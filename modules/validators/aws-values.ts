/**
 * Closed sets of values AWS accepts, shared by the configuration schemas and the constructs
 * (constructs import them from here, not from the zod schema module).
 */

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Kafka versions this project deploys on MSK (3.6.0 and later: the MSK topic APIs need them). */
export const KAFKA_VERSIONS = ["3.6.0", "3.7.x", "3.8.x", "3.9.x"] as const;

/**
 * AWS's Kafka Connect config provider (aws-samples/msk-config-providers) that OpenSearch sinks read
 * their credentials with: the plugin manifest check and the worker configuration name it.
 */
export const SECRETS_MANAGER_CONFIG_PROVIDER_CLASS = "com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider";
