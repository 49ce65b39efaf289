/**
 * Tiered storage of an MSK provisioned cluster (`aws_msk_cluster.storage_mode`): AWS's rules for
 * the cluster, shared by KafkaCluster (which throws) and the loader (which reports file:line:col).
 * Not a construct.
 *
 * AWS's rules (checked against the MSK developer guide, "Tiered storage for Standard brokers" and
 * its constraints, and aws-cdk's @aws-cdk/aws-msk-alpha cluster.ts, which encodes the same):
 * - Kafka 2.8.2.tiered or 3.6.0 and later (every version this project accepts);
 * - Standard brokers other than kafka.t3.small (Express brokers have no storage mode at all);
 * - the cluster's log.cleanup.policy must be delete: compacted topics cannot be tiered.
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/msk-tiered-storage.html
 */

export const STORAGE_MODES = ["LOCAL", "TIERED"] as const;
export type KafkaStorageMode = (typeof STORAGE_MODES)[number];

/** The broker type tiered storage (and multi-VPC connectivity) does not support. */
export const SMALLEST_BROKER_TYPE = "kafka.t3.small";

/** True when MSK offers tiered storage on this Kafka version (x wildcards allowed). */
export function supportsTieredStorage(version: string): boolean {
  if (version === "2.8.2.tiered") return true;
  const [major = 0, minor = 0] = version.split(".").map((p) => Number.parseInt(p, 10) || 0);
  return major > 3 || (major === 3 && minor >= 6);
}

/**
 * What is wrong with TIERED for this cluster, one sentence each (empty when it is allowed).
 * `cleanupPolicy` is the cluster's log.cleanup.policy, when the configuration sets one.
 */
export function tieredStorageProblems(version: string, brokerInstanceType: string, cleanupPolicy?: string): string[] {
  const problems: string[] = [];
  if (!supportsTieredStorage(version)) problems.push(`Kafka ${version} has no tiered storage on MSK (2.8.2.tiered or 3.6.0 and later have)`);
  if (brokerInstanceType === SMALLEST_BROKER_TYPE) problems.push(`tiered storage is not available on ${SMALLEST_BROKER_TYPE} brokers`);
  if (cleanupPolicy !== undefined && /compact/.test(cleanupPolicy)) {
    problems.push(`log.cleanup.policy "${cleanupPolicy}": MSK enables tiered storage only when the cluster's cleanup policy is delete`);
  }
  return problems;
}
