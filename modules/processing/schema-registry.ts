/**
 * SchemaRegistry: the environment's AWS Glue Schema Registry (`aws_glue_registry`) and one
 * GlueSchema per topic that declares a schema, each under the construct id of its name (the topic
 * file's name), so adding a schema never renames another.
 * @see https://docs.aws.amazon.com/glue/latest/dg/schema-registry.html
 */
import { Construct } from "constructs";
import { GlueRegistry } from "@cdktf/provider-aws/lib/glue-registry";
import { GlueSchema, type GlueSchemaCompatibility, type GlueSchemaFormat } from "./glue-schema";

/** One schema of the registry. */
export interface SchemaRegistrySchema {
  /** Schema name (the topic name). */
  readonly name: string;
  readonly format: GlueSchemaFormat;
  /** @default "BACKWARD" */
  readonly compatibility?: GlueSchemaCompatibility;
  /** The definition text, as read by the config layer. */
  readonly definition: string;
}

export interface SchemaRegistryProps {
  /** Registry name (1-255 letters, digits, '-', '_', '$', '#'). */
  readonly name: string;
  /**
   * Free text on the registry (at most 2048 characters).
   * @default - "Schemas of the pipeline's topics (<name>)"
   */
  readonly description?: string;
  /**
   * The schemas it holds.
   * @default []
   */
  readonly schemas?: readonly SchemaRegistrySchema[];
}

/** internal/service/glue/registry.go: registry_name StringLenBetween(1, 255) of [a-zA-Z0-9-_$#]. */
const NAME = /^[A-Za-z0-9_$#-]{1,255}$/;

export class SchemaRegistry extends Construct {
  public readonly resource: GlueRegistry;
  /** ARN of the registry (arn:<partition>:glue:<region>:<account>:registry/<name>). */
  public readonly arn: string;
  public readonly registryName: string;
  /** Its schemas by name. */
  public readonly schemas: ReadonlyMap<string, GlueSchema>;

  constructor(scope: Construct, id: string, props: SchemaRegistryProps) {
    super(scope, id);
    SchemaRegistry.validate(props);
    this.registryName = props.name;
    this.resource = new GlueRegistry(this, "resource", {
      registryName: props.name,
      description: props.description ?? `Schemas of the pipeline's topics (${props.name})`,
    });
    this.arn = this.resource.arn;
    const schemas = new Map<string, GlueSchema>();
    const sorted = [...(props.schemas ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const s of sorted) {
      schemas.set(
        s.name,
        new GlueSchema(this, s.name, {
          registryArn: this.arn,
          name: s.name,
          format: s.format,
          compatibility: s.compatibility,
          definition: s.definition,
          description: `Value schema of topic ${s.name}`,
        }),
      );
    }
    this.schemas = schemas;
  }

  /** The schema named `name`; throws if the registry has none (a config check should have caught it). */
  public schema(name: string): GlueSchema {
    const s = this.schemas.get(name);
    if (!s) throw new Error(`SchemaRegistry ${this.registryName}: no schema named ${name}`);
    return s;
  }

  private static validate(props: SchemaRegistryProps): void {
    const where = `SchemaRegistry ${props.name}`;
    if (!NAME.test(props.name)) throw new Error(`${where}: name must be 1-255 letters, digits, '-', '_', '$' or '#', got "${props.name}"`);
    if (props.description !== undefined && props.description.length > 2048) {
      throw new Error(`${where}: description is ${props.description.length} characters; at most 2048`);
    }
    const seen = new Set<string>();
    for (const s of props.schemas ?? []) {
      if (seen.has(s.name)) throw new Error(`${where}: schema ${s.name} is given twice`);
      seen.add(s.name);
    }
  }
}
