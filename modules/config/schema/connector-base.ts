/** What every connector file has, whatever its kind: name, plugin, topics, workers, errors, transforms. */
import { z } from "zod";
import { javaClassName, kafkaTopicName, propertyMap, retentionDays } from "./common";
import { KAFKA_CONNECT_VERSIONS } from "./environment";
import { topicSettings } from "./topic";
import { valueConverterField } from "./schema-registry";

export const MCU_COUNTS = [1, 2, 4, 8] as const;
const mcuCount = z
  .number()
  .int()
  .refine((n) => (MCU_COUNTS as readonly number[]).includes(n), { error: "an MCU count of 1, 2, 4 or 8" })
  .meta({ enum: [...MCU_COUNTS] });

const capacity = z
  .strictObject({
    provisioned: z
      .strictObject({
        workers: z.number().int().min(1).max(10).default(1).describe("Workers (1-10); changed in place."),
        mcu: mcuCount.default(1).describe("MSK Connect units per worker (1 MCU = 1 vCPU, 4 GiB)."),
      })
      .optional()
      .describe("A fixed number of workers."),
    autoscaling: z
      .strictObject({
        min_workers: z.number().int().min(1).max(10).describe("Fewest workers (1-10)."),
        max_workers: z.number().int().min(1).max(10).describe("Most workers (1-10), ≥ min_workers."),
        mcu: mcuCount.default(1).describe("MSK Connect units per worker (1 MCU = 1 vCPU, 4 GiB)."),
        scale_in_cpu_percent: z.number().int().min(1).max(100).default(20).describe("Remove a worker below this CPU %."),
        scale_out_cpu_percent: z.number().int().min(1).max(100).default(80).describe("Add a worker above this CPU %."),
      })
      .optional()
      .describe("Workers between min_workers and max_workers, by CPU."),
  })
  .superRefine((c, ctx) => {
    const set = [c.provisioned, c.autoscaling].filter((x) => x !== undefined).length;
    if (set !== 1) {
      ctx.addIssue({ code: "custom", path: [], message: `exactly one of provisioned or autoscaling, found ${set === 0 ? "neither" : "both"}` });
    }
    const a = c.autoscaling;
    if (a && a.min_workers > a.max_workers) {
      ctx.addIssue({ code: "custom", path: ["autoscaling", "min_workers"], message: `min_workers ≤ max_workers (${a.max_workers}), found ${a.min_workers}` });
    }
    if (a && a.scale_in_cpu_percent >= a.scale_out_cpu_percent) {
      ctx.addIssue({
        code: "custom",
        path: ["autoscaling", "scale_in_cpu_percent"],
        message: `scale_in_cpu_percent below scale_out_cpu_percent (${a.scale_out_cpu_percent}), found ${a.scale_in_cpu_percent}`,
      });
    }
  });

const transform = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: "a transform alias (letters, digits, '_')" }).describe("Alias of the transform in `transforms`."),
  type: javaClassName.describe("SMT class, e.g. org.apache.kafka.connect.transforms.InsertField$Value."),
  config: propertyMap.default({}).describe("Properties after transforms.<name>."),
});

const errorHandling = z.strictObject({
  tolerance: z.enum(["none", "all"]).default("none").describe("errors.tolerance"),
  log_errors: z.boolean().default(true).describe("errors.log.enable"),
  dead_letter_queue: z
    .strictObject({
      topic: kafkaTopicName.describe("errors.deadletterqueue.topic.name; created by Terraform like a topic file's topic."),
      ...topicSettings,
      context_headers: z.boolean().default(true).describe("errors.deadletterqueue.context.headers.enable"),
    })
    .optional()
    .describe("Dead-letter topic for records that fail (sink connectors only)."),
});

export const connectorBase = {
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "a connector name (lowercase letters, digits and '-', starting with a letter)" })
    .describe("Connector name (part of the MSK Connect connector's name; changing it replaces the connector)."),
  description: z.string().optional().describe("Free text; changing it replaces the connector."),
  plugin: z.string().min(1).describe("Plugin name from connectors/manifest.yaml."),
  kafka_connect_version: z.enum(KAFKA_CONNECT_VERSIONS).optional().describe("@default the environment's connect.kafka_connect_version"),
  topics: z.array(kafkaTopicName).min(1).describe("Topics the connector writes (sources) or reads (sinks); each needs a topic file."),
  tasks_max: z.number().int().min(1).max(100).default(1).describe("tasks.max"),
  capacity: capacity.prefault({ provisioned: {} }).describe("Exactly one of provisioned or autoscaling; changed in place."),
  log_retention_days: retentionDays.optional().describe("@default the environment's connect.log_retention_days"),
  errors: errorHandling.prefault({}).describe("Error handling (errors.* properties)."),
  transforms: z.array(transform).default([]).describe("Single message transforms, applied in this order."),
  config: propertyMap.default({}).describe("Extra connector properties. Secrets never go here."),
  value_converter: valueConverterField,
};

