/** A `kinesis-source` connector file as KinesisSourceStream props (what the YAML decides). */
import type { KinesisSourceStreamProps } from "../../connect/kinesis-source-stream";
import type { ConnectorSpecOf } from "../schema";

export type KinesisSourceSpecProps = Pick<KinesisSourceStreamProps, "connectorName" | "streamName" | "topic" | "create" | "existingStreamKmsKeyArn" | "delayMs"> & {
  /** Whether the stack creates a Kinesis interface endpoint for it (the network supplies VPC and subnets). */
  readonly interfaceEndpoint: boolean;
};

export function kinesisSourceProps(c: ConnectorSpecOf<"kinesis-source">): KinesisSourceSpecProps {
  const k = c.kinesis;
  const create = k.create;
  return {
    connectorName: c.name,
    streamName: k.stream,
    // The loader checks that a kinesis-source lists exactly one topic.
    topic: c.topics[0],
    create: create && {
      capacityMode: create.capacity_mode === "provisioned" ? "PROVISIONED" : "ON_DEMAND",
      shardCount: create.shard_count,
      retentionHours: create.retention_hours,
      kmsKey: create.kms_key,
    },
    existingStreamKmsKeyArn: k.kms_key_arn,
    delayMs: k.delay_ms,
    interfaceEndpoint: k.network.interface_endpoint,
  };
}
