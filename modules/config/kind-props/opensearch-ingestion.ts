/** The YAML of an opensearch-ingestion connector as OpenSearchIngestionPipeline props (what the YAML decides). */
import type { OpenSearchIngestionPipelineProps } from "../../search/opensearch-ingestion-pipeline";
import { OSIS_MAX_TOPICS, type ConnectorSpecOf, type TopicSpec } from "../schema";

/** What the stack supplies: the artifact bucket (the default dead-letter bucket), the partition and the defaults. */
export interface IngestionStackContext {
  readonly artifactBucket: { readonly name: string; readonly arn: string };
  readonly partition: string;
  /** connect.log_retention_days, for a file that sets none. */
  readonly logRetentionDays?: number;
}

export type IngestionSpecProps = Pick<
  OpenSearchIngestionPipelineProps,
  "name" | "topics" | "maxTopics" | "consumerGroup" | "autoOffsetReset" | "minUnits" | "maxUnits" | "persistentBuffer" | "kmsKeyArn" | "deadLetterQueue" | "logRetentionDays"
>;

/** The consumer group a file that names none gets. */
export function ingestionConsumerGroup(c: ConnectorSpecOf<"opensearch-ingestion">): string {
  return c.ingestion.consumer_group ?? `osis-${c.name}`;
}

/** The dead-letter prefix a file that names none gets. */
export function ingestionDeadLetterPrefix(c: ConnectorSpecOf<"opensearch-ingestion">): string {
  return c.ingestion.dead_letter_queue.prefix ?? `dlq/${c.name}/`;
}

export function opensearchIngestionProps(
  c: ConnectorSpecOf<"opensearch-ingestion">,
  topics: readonly TopicSpec[],
  stack: IngestionStackContext,
): IngestionSpecProps {
  const byName = new Map(topics.map((t) => [t.name, t]));
  const i = c.ingestion;
  const bucket = i.dead_letter_queue.bucket;
  return {
    name: c.name,
    // The loader checked that each topic has a topic file: its index is where the topic goes.
    topics: c.topics.map((t) => ({ topic: t, index: byName.get(t)!.index.name })),
    maxTopics: OSIS_MAX_TOPICS,
    consumerGroup: ingestionConsumerGroup(c),
    autoOffsetReset: i.auto_offset_reset,
    minUnits: i.min_units,
    maxUnits: i.max_units,
    persistentBuffer: i.persistent_buffer,
    kmsKeyArn: i.kms_key_arn,
    deadLetterQueue: bucket
      ? { bucketName: bucket, bucketArn: `arn:${stack.partition}:s3:::${bucket}`, prefix: ingestionDeadLetterPrefix(c) }
      : { bucketName: stack.artifactBucket.name, bucketArn: stack.artifactBucket.arn, prefix: ingestionDeadLetterPrefix(c) },
    logRetentionDays: c.log_retention_days ?? stack.logRetentionDays,
  };
}
