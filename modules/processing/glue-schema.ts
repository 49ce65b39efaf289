/**
 * GlueSchema: one `aws_glue_schema` in a Glue Schema Registry, its first version registered from
 * the definition text. What changes in place and what replaces it (hashicorp/terraform-provider-aws
 * internal/service/glue/schema.go):
 * - `schema_definition`: in place, as a new schema version (RegisterSchemaVersion), which Glue
 *   accepts only if it passes the schema's compatibility mode (DISABLED: never);
 * - `compatibility`, `description`: in place (UpdateSchema);
 * - `schema_name`: ForceNew, i.e. the schema and all its versions are deleted and created again.
 * @see https://docs.aws.amazon.com/glue/latest/dg/schema-registry.html
 */
import { Construct } from "constructs";
import { GlueSchema as GlueSchemaResource } from "@cdktf/provider-aws/lib/glue-schema";

/** Glue's data formats. */
export type GlueSchemaFormat = "AVRO" | "JSON" | "PROTOBUF";
/** Glue's compatibility modes. */
export type GlueSchemaCompatibility = "NONE" | "DISABLED" | "BACKWARD" | "BACKWARD_ALL" | "FORWARD" | "FORWARD_ALL" | "FULL" | "FULL_ALL";

const FORMATS: readonly GlueSchemaFormat[] = ["AVRO", "JSON", "PROTOBUF"];
const COMPATIBILITIES: readonly GlueSchemaCompatibility[] = ["NONE", "DISABLED", "BACKWARD", "BACKWARD_ALL", "FORWARD", "FORWARD_ALL", "FULL", "FULL_ALL"];
/** schema.go: schema_name StringLenBetween(1, 255) of [0-9A-Za-z_$#-]. */
const NAME = /^[A-Za-z0-9_$#-]{1,255}$/;
/** schema.go: schema_definition StringLenBetween(1, 170000), not only whitespace. */
export const GLUE_SCHEMA_DEFINITION_MAX_CHARS = 170000;

export interface GlueSchemaProps {
  /** ARN of the registry the schema belongs to. */
  readonly registryArn: string;
  /** Schema name (the topic name, which the Glue converters use by default). */
  readonly name: string;
  readonly format: GlueSchemaFormat;
  /**
   * Which new versions Glue accepts.
   * @default "BACKWARD"
   */
  readonly compatibility?: GlueSchemaCompatibility;
  /** The definition text (an Avro schema, a JSON Schema or a .proto file), as read by the config layer. */
  readonly definition: string;
  /**
   * Free text on the schema (at most 2048 characters).
   * @default - none
   */
  readonly description?: string;
}

/**
 * Terraform reads `${` and `%{` in a string as a template; the definition must arrive as written.
 * (Replacement functions: in a replacement string, `$$` would itself mean one `$`.)
 */
function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

export class GlueSchema extends Construct {
  public readonly resource: GlueSchemaResource;
  /** ARN of the schema (arn:<partition>:glue:<region>:<account>:schema/<registry>/<name>). */
  public readonly arn: string;
  public readonly schemaName: string;
  public readonly format: GlueSchemaFormat;

  constructor(scope: Construct, id: string, props: GlueSchemaProps) {
    super(scope, id);
    GlueSchema.validate(props);
    this.schemaName = props.name;
    this.format = props.format;
    this.resource = new GlueSchemaResource(this, "resource", {
      registryArn: props.registryArn,
      schemaName: props.name,
      dataFormat: props.format,
      compatibility: props.compatibility ?? "BACKWARD",
      schemaDefinition: terraformLiteral(props.definition),
      description: props.description,
    });
    this.arn = this.resource.arn;
  }

  private static validate(props: GlueSchemaProps): void {
    const where = `GlueSchema ${props.name}`;
    if (!NAME.test(props.name)) throw new Error(`${where}: name must be 1-255 letters, digits, '-', '_', '$' or '#', got "${props.name}"`);
    if (!FORMATS.includes(props.format)) throw new Error(`${where}: format must be one of ${FORMATS.join(", ")}, got ${props.format}`);
    const c = props.compatibility ?? "BACKWARD";
    if (!COMPATIBILITIES.includes(c)) throw new Error(`${where}: compatibility must be one of ${COMPATIBILITIES.join(", ")}, got ${c}`);
    if (props.definition.trim().length === 0) throw new Error(`${where}: definition is empty`);
    if (props.definition.length > GLUE_SCHEMA_DEFINITION_MAX_CHARS) {
      throw new Error(`${where}: definition is ${props.definition.length} characters; Glue accepts at most ${GLUE_SCHEMA_DEFINITION_MAX_CHARS}`);
    }
    if (props.description !== undefined && props.description.length > 2048) {
      throw new Error(`${where}: description is ${props.description.length} characters; at most 2048`);
    }
  }
}
