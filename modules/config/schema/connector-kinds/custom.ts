/**
 * `kind: custom`: any other connector class from its plugin. Its `config` may name stack values
 * (`${stack:<name>}`) and secrets (`${secretsmanager:<secret>:<key>}`), and `iam` grants what the
 * connector needs beyond its topics (checked by the same rules as the security guard's).
 */
import { z } from "zod";
import { javaClassName } from "../common";
import { connectorBase } from "../connector-base";

/** An IAM action: `service:Action`, globs allowed after the service (`s3:Get*`), never `*` alone. */
export const iamAction = z
  .string()
  .regex(/^[a-z0-9-]+:[A-Za-z0-9*?]+$/, { error: "an IAM action (service:Action, e.g. s3:PutObject)" });

export const iamStatement = z.strictObject({
  sid: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/, { error: "a statement id (letters and digits)" })
    .optional()
    .describe("Statement id (letters and digits). @default Custom<n>, by position"),
  actions: z.array(iamAction).min(1).describe("Actions allowed: no `*` or `service:*`."),
  resources: z
    .array(z.string().min(1))
    .min(1)
    .describe("ARNs the actions apply to; `${stack:<name>}` placeholders allowed. `*` only for read-only actions."),
});

export const customConnector = z.strictObject({
  ...connectorBase,
  kind: z.literal("custom").describe("Any other connector class, from its plugin."),
  connector_class: javaClassName.describe("connector.class, one of its plugin's connector_classes."),
  direction: z.enum(["source", "sink"]).describe("Whether it writes (source) or reads (sink) its topics."),
  iam: z
    .array(iamStatement)
    .default([])
    .describe("What the connector's role may do beyond its topics (e.g. s3:PutObject on a bucket prefix). Allow statements only."),
});
