/**
 * `kind: eventbridge-sink`: AWS's EventBridge sink (github.com/awslabs/eventbridge-kafka-connector,
 * Apache-2.0). Keys are checked against its EventBridgeSinkConfig.java at v1.5.0 (see
 * modules/connect/eventbridge-sink-bus.ts).
 */
import { z } from "zod";
import { kafkaTopicName } from "../common";
import { connectorBase } from "../connector-base";

export const EVENTBRIDGE_SINK_CONNECTOR_CLASS = "software.amazon.event.kafkaconnector.EventBridgeSinkConnector";

/** The connector's own check (EventBridgeSinkConfigValidator.validateBusArn), narrowed to a bus name EventBridge accepts. */
export const EVENT_BUS_ARN_PATTERN = /^arn:aws[a-z-]*:events:[a-z]{2}(-[a-z]+)+-\d:\d{12}:event-bus\/[A-Za-z0-9._-]{1,256}$/;

/** A detail-type: free text for EventBridge (1-128 characters); no ',' or whitespace, which the connector's list syntax would split. */
const detailType = z
  .string()
  .regex(/^[^\s,:]{1,128}$/, { error: "a detail-type of 1 to 128 characters without whitespace, ',' or ':'" });

const bus = z
  .strictObject({
    arn: z.string().regex(EVENT_BUS_ARN_PATTERN, { error: "an event bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>)" }).optional().describe("An existing event bus, by ARN."),
    create: z.literal(true).optional().describe("Create the event bus <name_prefix>-<connector>."),
  })
  .superRefine((b, ctx) => {
    const set = [b.arn !== undefined, b.create === true].filter(Boolean).length;
    if (set !== 1) ctx.addIssue({ code: "custom", path: [], message: `exactly one of arn (an existing bus) or create: true, found ${set === 0 ? "neither" : "both"}` });
  });

export const eventbridgeSinkConnector = z.strictObject({
  ...connectorBase,
  kind: z.literal("eventbridge-sink").describe("AWS's EventBridge sink: each record of its topics becomes an event on one bus."),
  eventbridge: z
    .strictObject({
      bus: bus.describe("The target bus: an existing one ({ arn }) or one the stack creates ({ create: true })."),
      detail_type: detailType
        .optional()
        .describe("aws.eventbridge.detail.types for every topic; the connector replaces ${topic} by the record's topic. @default kafka-connect-${topic}"),
      detail_types: z
        .record(kafkaTopicName, detailType)
        .optional()
        .describe("aws.eventbridge.detail.types per topic (topic: detail-type); every topic of the connector needs one."),
      resources: z
        .array(z.string().regex(/^arn:[^\s,]+$/, { error: "an ARN (no whitespace or ',')" }))
        .max(10)
        .default([])
        .describe("aws.eventbridge.eventbus.resources: ARNs added to every event's resources field."),
      retries_max: z.number().int().min(0).max(10).optional().describe("aws.eventbridge.retries.max (0-10). @default the connector's 2"),
      retries_delay_ms: z.number().int().min(0).optional().describe("aws.eventbridge.retries.delay in ms. @default the connector's 200"),
    })
    .superRefine((e, ctx) => {
      if (e.detail_type !== undefined && e.detail_types !== undefined) {
        ctx.addIssue({ code: "custom", path: ["detail_types"], message: "at most one of detail_type or detail_types, found both" });
      }
    })
    .describe("EventBridge sink settings."),
});
