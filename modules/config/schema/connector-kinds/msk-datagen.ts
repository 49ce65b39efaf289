/** `kind: msk-datagen`: the MSK Data Generator source (awslabs/amazon-msk-data-generator). */
import { z } from "zod";
import { connectorBase } from "../connector-base";

export const MSK_DATAGEN_CONNECTOR_CLASS = "com.amazonaws.mskdatagen.GeneratorSourceConnector";

export const datagenConnector = z.strictObject({
  ...connectorBase,
  kind: z.literal("msk-datagen").describe("The MSK Data Generator source; topics need a generator section."),
  datagen: z
    .strictObject({
      throttle_ms: z.number().int().min(0).default(500).describe("global.throttle.ms"),
      history_records_max: z.number().int().min(1).default(1000).describe("global.history.records.max"),
    })
    .prefault({})
    .describe("MSK Data Generator settings."),
});
