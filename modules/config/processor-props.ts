/** The YAML-to-props mapping of a processor file: FlinkApplication's camelCase settings. */
import type { FlinkApplicationProps } from "../processing/flink-application";
import type { ProcessorSpec } from "./schema";
import { resolveTemplate, type StackValues } from "./stack-values";

export type FlinkApplicationSpecProps = Pick<
  FlinkApplicationProps,
  "name" | "description" | "runtime" | "inputTopics" | "outputTopics" | "consumerGroup" | "parallelism" | "checkpoints" | "snapshots" | "propertyGroups" | "logLevel" | "logRetentionDays"
>;

export function flinkApplicationProps(
  p: ProcessorSpec,
  defaults: { readonly namePrefix: string; readonly logRetentionDays?: number },
  stackValues: StackValues,
): FlinkApplicationSpecProps {
  return {
    name: p.name,
    description: p.description,
    runtime: p.runtime,
    inputTopics: p.input_topics,
    outputTopics: p.output_topics,
    consumerGroup: p.consumer_group ?? `${defaults.namePrefix}-${p.name}`,
    parallelism: { initial: p.parallelism.initial, perKpu: p.parallelism.per_kpu, autoscaling: p.parallelism.autoscaling },
    checkpoints: { intervalMs: p.checkpoints.interval_ms, minPauseMs: p.checkpoints.min_pause_ms },
    snapshots: p.snapshots,
    propertyGroups: Object.fromEntries(
      Object.entries(p.property_groups).map(([id, map]) => [id, Object.fromEntries(Object.entries(map).map(([k, v]) => [k, resolveTemplate(String(v), stackValues)]))]),
    ),
    logLevel: p.log_level,
    logRetentionDays: p.log_retention_days ?? defaults.logRetentionDays,
  };
}
