/**
 * The Glue Schema Registry constructs alone: SchemaRegistry (aws_glue_registry + its schemas),
 * GlueSchema (definition, format, compatibility, Terraform-literal text) and the Glue converter's
 * properties and IAM statements (glueValueConverter).
 */
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { GlueSchema } from "../../modules/processing/glue-schema";
import { GLUE_CONVERTER_CLASSES, glueValueConverter } from "../../modules/processing/glue-converter";
import { SchemaRegistry, type SchemaRegistryProps } from "../../modules/processing/schema-registry";

type Tf = { resource: Record<string, Record<string, Record<string, any>>> };

function synthRegistry(props: SchemaRegistryProps): { tf: Tf; registry: SchemaRegistry } {
  const stack = new TerraformStack(Testing.app(), "s");
  new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
  const registry = new SchemaRegistry(stack, "schema-registry", props);
  return { tf: JSON.parse(Testing.synth(stack, true)) as Tf, registry };
}

const AVRO = '{"type":"record","name":"Click","fields":[{"name":"id","type":"string","doc":"not a ${template} nor %{directive}"}]}';

describe("SchemaRegistry", () => {
  const { tf, registry } = synthRegistry({
    name: "ad-tech-dev-schemas",
    schemas: [
      { name: "orders", format: "JSON", compatibility: "FULL", definition: '{"type":"object"}' },
      { name: "clicks", format: "AVRO", definition: AVRO },
    ],
  });
  const registries = Object.values(tf.resource.aws_glue_registry);
  const schemas = Object.values(tf.resource.aws_glue_schema);
  const schema = (name: string) => schemas.find((s) => s.schema_name === name)!;

  it("creates one registry with its name and a description", () => {
    expect(registries).toHaveLength(1);
    expect(registries[0].registry_name).toBe("ad-tech-dev-schemas");
    expect(registries[0].description).toBe("Schemas of the pipeline's topics (ad-tech-dev-schemas)");
  });

  it("creates one schema per entry, in the registry, under construct ids from their names", () => {
    expect(schemas.map((s) => s.schema_name).sort()).toEqual(["clicks", "orders"]);
    const registryName = Object.keys(tf.resource.aws_glue_registry)[0];
    for (const s of schemas) expect(s.registry_arn).toBe(`\${aws_glue_registry.${registryName}.arn}`);
    expect(Object.keys(tf.resource.aws_glue_schema).sort()).toEqual([expect.stringMatching(/^schema-registry_clicks_resource_/), expect.stringMatching(/^schema-registry_orders_resource_/)]);
    expect([...registry.schemas.keys()]).toEqual(["clicks", "orders"]);
  });

  it("gives each schema its format, compatibility (BACKWARD by default) and definition", () => {
    expect(schema("orders")).toMatchObject({ data_format: "JSON", compatibility: "FULL", schema_definition: '{"type":"object"}', description: "Value schema of topic orders" });
    expect(schema("clicks")).toMatchObject({ data_format: "AVRO", compatibility: "BACKWARD" });
  });

  it("escapes ${ and %{ in the definition so Terraform stores it as written", () => {
    expect(schema("clicks").schema_definition).toBe('{"type":"record","name":"Click","fields":[{"name":"id","type":"string","doc":"not a $${template} nor %%{directive}"}]}');
  });

  it("exposes each schema's ARN for policies", () => {
    expect(registry.schema("clicks").arn).toMatch(/^\$\{TfToken\[/);
    expect(() => registry.schema("nope")).toThrow("SchemaRegistry ad-tech-dev-schemas: no schema named nope");
  });

  it.each([
    [{ name: "bad.name" }, 'SchemaRegistry bad.name: name must be 1-255 letters, digits, \'-\', \'_\', \'$\' or \'#\', got "bad.name"'],
    [{ name: "r", description: "x".repeat(2049) }, "SchemaRegistry r: description is 2049 characters; at most 2048"],
    [
      { name: "r", schemas: [{ name: "a", format: "AVRO" as const, definition: '"string"' }, { name: "a", format: "AVRO" as const, definition: '"string"' }] },
      "SchemaRegistry r: schema a is given twice",
    ],
  ])("refuses %j", (props, message) => {
    expect(() => synthRegistry(props)).toThrow(message);
  });
});

describe("GlueSchema validation", () => {
  const make = (props: Partial<ConstructorParameters<typeof GlueSchema>[2]>) => () =>
    new GlueSchema(new TerraformStack(Testing.app(), "s"), "x", { registryArn: "arn:aws:glue:ap-southeast-2:111122223333:registry/r", name: "clicks", format: "AVRO", definition: '"string"', ...props });
  it.each([
    [{ name: "a.b" }, "GlueSchema a.b: name must be 1-255 letters, digits, '-', '_', '$' or '#', got \"a.b\""],
    [{ definition: "  \n" }, "GlueSchema clicks: definition is empty"],
    [{ definition: "x".repeat(170001) }, "GlueSchema clicks: definition is 170001 characters; Glue accepts at most 170000"],
    [{ format: "XML" as never }, "GlueSchema clicks: format must be one of AVRO, JSON, PROTOBUF, got XML"],
    [{ compatibility: "SOME" as never }, "GlueSchema clicks: compatibility must be one of NONE, DISABLED, BACKWARD, BACKWARD_ALL, FORWARD, FORWARD_ALL, FULL, FULL_ALL, got SOME"],
  ])("refuses %j", (props, message) => {
    expect(make(props)).toThrow(message);
  });
  it("accepts a definition of exactly 170000 characters", () => {
    expect(make({ definition: `"${"x".repeat(169998)}"` })().schemaName).toBe("clicks");
  });
});

describe("glueValueConverter", () => {
  const base = {
    region: "ap-southeast-2",
    registryName: "ad-tech-dev-schemas",
    registryArn: "arn:aws:glue:ap-southeast-2:111122223333:registry/ad-tech-dev-schemas",
    schemaArns: ["arn:aws:glue:ap-southeast-2:111122223333:schema/ad-tech-dev-schemas/clicks"],
  };
  const READ = {
    Sid: "GlueSchemaRead",
    Effect: "Allow",
    Action: ["glue:GetRegistry", "glue:GetSchema", "glue:GetSchemaByDefinition", "glue:GetSchemaVersion"],
    Resource: [base.registryArn, ...base.schemaArns],
  };

  it("an Avro source: the AWSKafkaAvroConverter with region, registry, no auto registration, generic records; read on its registry and schemas only", () => {
    const parts = glueValueConverter({ ...base, format: "AVRO", direction: "source" });
    expect(parts.properties).toEqual({
      "value.converter": "com.amazonaws.services.schemaregistry.kafkaconnect.AWSKafkaAvroConverter",
      "value.converter.region": "ap-southeast-2",
      "value.converter.registry.name": "ad-tech-dev-schemas",
      "value.converter.schemaAutoRegistrationEnabled": "false",
      "value.converter.avroRecordType": "GENERIC_RECORD",
    });
    expect(parts.statements).toEqual([READ]);
  });

  it("a sink also reads schema versions by id, which IAM cannot scope (read only, on *)", () => {
    const parts = glueValueConverter({ ...base, format: "AVRO", direction: "sink" });
    expect(parts.statements).toEqual([READ, { Sid: "GlueSchemaVersionsById", Effect: "Allow", Action: ["glue:GetSchemaVersion"], Resource: ["*"] }]);
  });

  it("JSON: the JsonSchemaConverter with dataFormat JSON", () => {
    const parts = glueValueConverter({ ...base, format: "JSON", direction: "source" });
    expect(parts.properties["value.converter"]).toBe(GLUE_CONVERTER_CLASSES.JSON);
    expect(parts.properties["value.converter.dataFormat"]).toBe("JSON");
    expect(parts.properties["value.converter.avroRecordType"]).toBeUndefined();
  });

  it("auto registration turns the setting on and adds RegisterSchemaVersion on the schemas, nothing else", () => {
    const parts = glueValueConverter({ ...base, format: "AVRO", direction: "source", autoRegistration: true });
    expect(parts.properties["value.converter.schemaAutoRegistrationEnabled"]).toBe("true");
    expect(parts.statements).toEqual([READ, { Sid: "GlueSchemaRegister", Effect: "Allow", Action: ["glue:RegisterSchemaVersion"], Resource: [base.registryArn, ...base.schemaArns] }]);
  });

  it("refuses a converter without schemas", () => {
    expect(() => glueValueConverter({ ...base, schemaArns: [], format: "AVRO", direction: "sink" })).toThrow("glueValueConverter: schemaArns must name the schema of at least one topic");
  });
});
