/**
 * The AWS Glue Schema Registry sections of the YAML files: `schema_registry` in an environment
 * file (one registry per stack, opt-in), `schema` in a topic file (one schema per topic, named
 * after the topic, its definition in a file under configs/), and the Glue converters a connector
 * may pick with `value_converter`.
 */
import { z } from "zod";
import { GLUE_CONVERTER_CLASSES, type GlueConverterFormat } from "../../processing/glue-converter";

/** Glue's data formats (CreateSchema DataFormat). */
export const GLUE_DATA_FORMATS = ["AVRO", "JSON", "PROTOBUF"] as const;
export type GlueDataFormat = (typeof GLUE_DATA_FORMATS)[number];

/** Glue's compatibility modes (CreateSchema Compatibility); BACKWARD is Glue's recommended default. */
export const GLUE_COMPATIBILITIES = ["NONE", "DISABLED", "BACKWARD", "BACKWARD_ALL", "FORWARD", "FORWARD_ALL", "FULL", "FULL_ALL"] as const;
export type GlueCompatibility = (typeof GLUE_COMPATIBILITIES)[number];

/**
 * Registry and schema names: 1-255 letters, digits, '-', '_', '$', '#'
 * (hashicorp/terraform-provider-aws internal/service/glue/registry.go and schema.go; the API
 * reference of CreateSchema: "letters, numbers, hyphen, underscore, dollar sign, or hash mark").
 */
export const GLUE_NAME_PATTERN = /^[A-Za-z0-9_$#-]{1,255}$/;

/** Longest schema definition Glue accepts (internal/service/glue/schema.go: StringLenBetween(1, 170000)). */
export const GLUE_SCHEMA_DEFINITION_MAX = 170000;

/** `schema_registry` of an environment file. */
export const schemaRegistrySettings = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe("Create an AWS Glue Schema Registry for this environment, with one schema per topic file that has a `schema` section."),
    name: z
      .string()
      .regex(GLUE_NAME_PATTERN, { error: "a Glue registry name (1 to 255 letters, digits, '-', '_', '$', '#')" })
      .optional()
      .describe("Registry name; changing it replaces the registry and its schemas. @default <name_prefix>-schemas"),
    description: z.string().max(2048).optional().describe("Free text on the registry. @default - a generated one"),
  })
  .describe("AWS Glue Schema Registry of the environment (off by default).");

export type SchemaRegistrySpec = z.output<typeof schemaRegistrySettings>;

/** The registry name of an environment. */
export function registryNameOf(namePrefix: string, spec: SchemaRegistrySpec): string {
  return spec.name ?? `${namePrefix}-schemas`;
}

/**
 * `schema` of a topic file. `file` is relative to configs/ and read by the loader (never by a
 * construct); the schema is named after the topic.
 */
export const topicValueSchema = z
  .strictObject({
    format: z.enum(GLUE_DATA_FORMATS, { error: `a Glue data format (${GLUE_DATA_FORMATS.join(", ")})` }).describe("Data format of the schema definition."),
    compatibility: z
      .enum(GLUE_COMPATIBILITIES, { error: `a Glue compatibility mode (${GLUE_COMPATIBILITIES.join(", ")})` })
      .default("BACKWARD")
      .describe("Which new versions Glue accepts (DISABLED: none after the first); changed in place."),
    file: z
      .string()
      .regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+$/, { error: "a path relative to configs/ such as schemas/<topic>.avsc (no '..', not absolute)" })
      .describe("File holding the schema definition, relative to configs/ (e.g. schemas/orders.avsc). A change registers a new schema version."),
  })
  .describe("The topic's value schema in the environment's Glue Schema Registry (named after the topic).");

export type TopicValueSchemaSpec = z.output<typeof topicValueSchema>;

/**
 * Value converters a connector may use: `json` is the built-in schemaless JsonConverter; the
 * `glue-*` ones are the AWS Glue Schema Registry converters (awslabs/aws-glue-schema-registry),
 * whose jar the connector's plugin must bundle (`converters` in connectors/manifest.yaml).
 */
export const VALUE_CONVERTERS = ["json", "glue-avro", "glue-json"] as const;
export type ValueConverter = (typeof VALUE_CONVERTERS)[number];

/** Converter class and the schema format of each Glue converter. */
export const GLUE_CONVERTERS: Readonly<Record<Exclude<ValueConverter, "json">, { readonly className: string; readonly format: GlueConverterFormat }>> = {
  "glue-avro": { className: GLUE_CONVERTER_CLASSES.AVRO, format: "AVRO" },
  "glue-json": { className: GLUE_CONVERTER_CLASSES.JSON, format: "JSON" },
};

export const valueConverterField = z
  .enum(VALUE_CONVERTERS, { error: `a value converter (${VALUE_CONVERTERS.join(", ")})` })
  .optional()
  .describe(
    "value.converter: json (schemaless JSON) or an AWS Glue Schema Registry converter (glue-avro, glue-json) reading the schemas of its topics from the environment's registry; " +
      "the plugin must bundle it (converters in connectors/manifest.yaml). @default json",
  );
