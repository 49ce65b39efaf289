/**
 * Schema of connectors/manifest.yaml: where each connector plugin comes from. What each download
 * was (its sha256) is recorded in connectors/manifest.lock.json, not here (modules/config/plugin-lock.ts).
 */
import { z } from "zod";
import { javaClassName } from "./common";

export { SECRETS_MANAGER_CONFIG_PROVIDER_CLASS } from "../../validators/aws-values";

const pluginSource = z.strictObject({
  url: z.string().regex(/^https:\/\/\S+$/, { error: "an https:// URL" }).describe("Where the file is downloaded from."),
  unpack: z.boolean().default(false).describe("Unpack this download (a .zip, or a .tar.gz / .tgz by its URL) into the plugin ZIP instead of adding it as a file."),
});

const plugin = z
  .strictObject({
    description: z.string().optional().describe("Free text."),
    version: z.string().min(1).describe("Release of the plugin."),
    content_type: z.enum(["JAR", "ZIP"]).describe("What MSK Connect is given: one JAR, or a ZIP of JARs."),
    java_version: z.number().int().min(8).max(25).describe("Lowest Java release its classes run on."),
    file: z
      .string()
      .regex(/^artifacts\/[A-Za-z0-9._-]+\.(jar|zip)$/, { error: "a path artifacts/<name>.jar or artifacts/<name>.zip under connectors/" })
      .describe("Local file the download script produces, relative to connectors/."),
    connector_classes: z
      .array(javaClassName)
      .default([])
      .describe("Connector classes the plugin provides; the download checks the artifact contains each."),
    application_class: javaClassName
      .optional()
      .describe("Main class of a Managed Flink application JAR (configs/processors/ names it); the download checks the artifact contains it."),
    config_providers: z
      .array(javaClassName)
      .default([])
      .describe("Config provider classes the plugin bundles (e.g. the Secrets Manager provider an OpenSearch sink needs); the download checks the artifact contains each."),
    converters: z
      .array(javaClassName)
      .optional()
      .describe("Converter classes the plugin bundles (e.g. the AWS Glue Schema Registry's AWSKafkaAvroConverter a glue-avro connector needs); the download checks the artifact contains each. @default []"),
    sources: z.array(pluginSource).min(1).describe("What is downloaded; the first download pins each in connectors/manifest.lock.json."),
  })
  .superRefine((p, ctx) => {
    const ext = p.file.endsWith(".jar") ? "JAR" : "ZIP";
    if (ext !== p.content_type) {
      ctx.addIssue({ code: "custom", path: ["file"], message: `a .${p.content_type.toLowerCase()} file for content_type ${p.content_type}, found ${p.file}` });
    }
    if (p.connector_classes.length === 0 && p.application_class === undefined) {
      ctx.addIssue({ code: "custom", path: ["connector_classes"], message: "at least one connector class (or an application_class for a Flink application JAR), found none" });
    }
    if (p.content_type === "JAR" && (p.sources.length !== 1 || p.sources[0].unpack)) {
      ctx.addIssue({ code: "custom", path: ["sources"], message: "exactly one source, not unpacked, for a JAR plugin" });
    }
  });

export const pluginManifestSchema = z
  .strictObject({
    plugins: z
      .record(z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "a plugin name (lowercase, digits, '-')" }), plugin)
      .describe("Plugins by name; connectors refer to them in `plugin`."),
  })
  .describe("MSK Connect custom plugins, pinned.");

export type PluginManifestSpec = z.output<typeof pluginManifestSchema>;
export type PluginSpec = PluginManifestSpec["plugins"][string];
