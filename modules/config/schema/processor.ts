/**
 * Schema of configs/processors/<name>.yaml: one stream processor. Today one kind, a Managed
 * Service for Apache Flink application reading and writing the pipeline's topics.
 */
import { z } from "zod";
import { kafkaTopicName, propertyValue, retentionDays } from "./common";

/** Managed Flink runtimes this project emits (AWS's current ones; FLINK-1_20 is the newest). */
export const FLINK_RUNTIMES = ["FLINK-1_20", "FLINK-1_19", "FLINK-1_18"] as const;
/** The Java release every runtime above runs applications on. */
export const FLINK_JAVA_VERSION = 11;

const flinkProcessor = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "a processor name (lowercase letters, digits and '-', starting with a letter)" })
    .describe("Processor name (part of the application's name; changing it replaces the application)."),
  kind: z.literal("flink").describe("A Managed Service for Apache Flink application (a JAR from connectors/manifest.yaml)."),
  description: z.string().optional().describe("Free text on the application."),
  application: z.string().min(1).describe("Plugin of connectors/manifest.yaml holding the application JAR (content_type JAR, with an application_class)."),
  runtime: z.enum(FLINK_RUNTIMES).default("FLINK-1_20").describe("Managed Flink runtime."),
  input_topics: z.array(kafkaTopicName).min(1).describe("Topics it reads (topic files); its role may read exactly these."),
  output_topics: z.array(kafkaTopicName).default([]).describe("Topics it writes (topic files, so they can be indexed like any other)."),
  consumer_group: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,255}$/, { error: "a Kafka consumer group id (letters, digits, '.', '_', '-')" })
    .optional()
    .describe("Consumer group it reads with; its role may use exactly this group. @default <name_prefix>-<name>"),
  parallelism: z
    .strictObject({
      initial: z.number().int().min(1).max(256).default(1).describe("Parallelism the application starts with."),
      per_kpu: z.number().int().min(1).max(8).default(1).describe("Parallel tasks per KPU (1 KPU = 1 vCPU, 4 GiB)."),
      autoscaling: z.boolean().default(true).describe("Let Managed Flink scale parallelism with CPU."),
    })
    .prefault({})
    .describe("Parallelism (CUSTOM configuration)."),
  checkpoints: z
    .strictObject({
      interval_ms: z.number().int().min(1000).default(60000).describe("Checkpoint interval."),
      min_pause_ms: z.number().int().min(0).default(5000).describe("Minimum pause between checkpoints."),
    })
    .prefault({})
    .describe("Checkpointing (always on: the application's state survives restarts)."),
  snapshots: z.boolean().default(true).describe("Take a snapshot on stop and restore from it on start."),
  property_groups: z
    .record(
      z.string().regex(/^[0-9A-Za-z_.-]{1,50}$/, { error: "a property group id (1-50 letters, digits, '_', '.', '-')" }),
      z.record(z.string().min(1), propertyValue),
    )
    .default({})
    .describe(
      "Runtime properties the application reads, by group; values may use ${stack:<name>} (e.g. ${stack:bootstrap_brokers}). Secrets never go here.",
    ),
  log_level: z.enum(["DEBUG", "INFO", "WARN", "ERROR"]).default("INFO").describe("Application log level."),
  log_retention_days: retentionDays.optional().describe("@default the environment's connect.log_retention_days"),
});

export const processorSchema = z
  .discriminatedUnion("kind", [flinkProcessor], { error: "a processor kind (flink)" })
  .describe("One stream processor.");

export type ProcessorSpec = z.output<typeof processorSchema>;
