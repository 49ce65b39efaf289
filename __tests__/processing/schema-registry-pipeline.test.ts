/**
 * The Glue Schema Registry in the whole pipeline: the example topic (examples/topics/conversions.yaml
 * + examples/schemas/conversions.avsc) in a project whose environment turns the registry on,
 * read by the loader, synthesized into a registry and a schema with its definition, and read by a
 * glue-avro connector whose role may read exactly that registry and schema; the guard passes; the
 * reference configuration (registry off) has no Glue resource. The loader's checks that the bad
 * input corpus does not cover are here too.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { ConfigError, formatIssue } from "../../modules/config/issues";
import { loadPipelineConfig, type PipelineConfig } from "../../modules/config/load";
import { parsePolicyJson } from "../../modules/guard/policy";
import { makeProjectCopy, pipelineStack, removeProjectCopy, REPO_ROOT } from "../support/project";

type Resource = Record<string, any>;
type Tf = { resource: Record<string, Record<string, Resource>> };

const DEV = "configs/environments/dev.yaml";
const devYaml = readFileSync(path.join(REPO_ROOT, DEV), "utf8");
const example = (rel: string) => readFileSync(path.join(REPO_ROOT, "examples", rel), "utf8");
const AVSC = example("schemas/conversions.avsc");
const MANIFEST = readFileSync(path.join(REPO_ROOT, "connectors/manifest.yaml"), "utf8");
const AVRO_CONVERTER = "com.amazonaws.services.schemaregistry.kafkaconnect.AWSKafkaAvroConverter";

/** A plugin that bundles the Glue Avro converter (a stand-in artifact, like every plugin in tests). */
const GLUE_PLUGIN = `
  glue-sink:
    description: stand-in sink bundling the Glue Schema Registry converter
    version: 1.0.0
    content_type: ZIP
    java_version: 11
    file: artifacts/glue-sink-1.0.0.zip
    connector_classes: [com.example.archive.ArchiveSinkConnector]
    converters: [${AVRO_CONVERTER}]
    sources:
      - url: https://example.com/glue-sink-1.0.0.zip
        unpack: true
`;

const SINK = `
name: conversions-archive
kind: custom
plugin: glue-sink
connector_class: com.example.archive.ArchiveSinkConnector
direction: sink
topics: [conversions]
value_converter: glue-avro
`;

/** The example topic and its schema, the registry on in dev, plus `files`. */
function exampleFiles(files: Record<string, string> = {}): Record<string, string> {
  return {
    [DEV]: `${devYaml}\nschema_registry:\n  enabled: true\n`,
    "configs/topics/conversions.yaml": example("topics/conversions.yaml"),
    "configs/schemas/conversions.avsc": AVSC,
    ...files,
  };
}

/** Loads a project copy as if from inside it (issue file names relative to the project root). */
function withProject<T>(files: Record<string, string>, fn: (config: PipelineConfig) => T): T {
  const root = makeProjectCopy({ files });
  try {
    return fn(loadPipelineConfig({ rootDir: root, cwd: root }));
  } finally {
    removeProjectCopy(root);
  }
}

function issuesOf(files: Record<string, string>): string[] {
  try {
    withProject(files, () => undefined);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map(formatIssue);
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("the example topic with its Avro schema, read by a glue-avro sink", () => {
  const files = exampleFiles({ "connectors/manifest.yaml": `${MANIFEST.trimEnd()}\n${GLUE_PLUGIN}`, "configs/connectors/conversions-archive.yaml": SINK });
  const { tf, report, definition } = withProject(files, (config) => {
    const stack = pipelineStack(config);
    return {
      tf: JSON.parse(Testing.synth(stack)) as Tf,
      report: stack.securityReport(),
      definition: config.topics.find((t) => t.name === "conversions")!.schemaDefinition,
    };
  });
  const registryName = Object.keys(tf.resource.aws_glue_registry ?? {})[0];
  const schemaName = Object.keys(tf.resource.aws_glue_schema ?? {})[0];
  const connector = Object.values(tf.resource.aws_mskconnect_connector).find((c) => c.name === "ad-tech-dev-conversions-archive")!;
  const policy = Object.values(tf.resource.aws_iam_role_policy).find((p) => String(p.role).includes("conversions-archive_role"))!;
  const statements = (parsePolicyJson(policy.policy as string) as { Statement: Resource[] }).Statement;

  it("the loader reads the definition from configs/<schema.file>", () => {
    expect(definition).toBe(AVSC);
  });

  it("creates the environment's registry, named <name_prefix>-schemas by default", () => {
    expect(Object.keys(tf.resource.aws_glue_registry)).toHaveLength(1);
    expect(tf.resource.aws_glue_registry[registryName].registry_name).toBe("ad-tech-dev-schemas");
  });

  it("registers the topic's schema under the topic's name with its format, compatibility and definition", () => {
    expect(Object.keys(tf.resource.aws_glue_schema)).toHaveLength(1);
    expect(tf.resource.aws_glue_schema[schemaName]).toMatchObject({
      registry_arn: `\${aws_glue_registry.${registryName}.arn}`,
      schema_name: "conversions",
      data_format: "AVRO",
      compatibility: "FULL",
      schema_definition: AVSC,
    });
  });

  it("the connector uses the Glue Avro converter on that registry, without auto registration", () => {
    const cfg = connector.connector_configuration as Record<string, string>;
    expect(cfg["value.converter"]).toBe(AVRO_CONVERTER);
    expect(cfg["value.converter.region"]).toBe("ap-southeast-2");
    expect(cfg["value.converter.registry.name"]).toBe("ad-tech-dev-schemas");
    expect(cfg["value.converter.schemaAutoRegistrationEnabled"]).toBe("false");
    expect(cfg["value.converter.avroRecordType"]).toBe("GENERIC_RECORD");
    expect(cfg["key.converter"]).toBe("org.apache.kafka.connect.storage.StringConverter");
  });

  it("its role reads exactly that registry and schema (and schema versions by id, read only)", () => {
    expect(statements.filter((s) => String(s.Sid).startsWith("Glue"))).toEqual([
      {
        Sid: "GlueSchemaRead",
        Effect: "Allow",
        Action: ["glue:GetRegistry", "glue:GetSchema", "glue:GetSchemaByDefinition", "glue:GetSchemaVersion"],
        Resource: [`\${aws_glue_registry.${registryName}.arn}`, `\${aws_glue_schema.${schemaName}.arn}`],
      },
      { Sid: "GlueSchemaVersionsById", Effect: "Allow", Action: ["glue:GetSchemaVersion"], Resource: ["*"] },
    ]);
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => String(a).startsWith("glue:") && !/^glue:Get/.test(String(a)))).toEqual([]);
  });

  it("the security guard has nothing to say", () => {
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it("connectors without value_converter keep the schemaless JSON converter and get no Glue statement", () => {
    const sink = Object.values(tf.resource.aws_mskconnect_connector).find((c) => c.name === "ad-tech-dev-ad-tech-sink")!;
    expect(sink.connector_configuration["value.converter"]).toBe("org.apache.kafka.connect.json.JsonConverter");
    const sinkPolicy = Object.values(tf.resource.aws_iam_role_policy).find((p) => String(p.role).includes("ad-tech-sink_role"))!;
    expect(String(sinkPolicy.policy)).not.toContain("glue:");
  });
});

describe("the reference configuration", () => {
  it("has no registry and no schema (schema_registry is off by default)", () => {
    const tf = withProject({}, (config) => JSON.parse(Testing.synth(pipelineStack(config))) as Tf);
    expect(tf.resource.aws_glue_registry).toBeUndefined();
    expect(tf.resource.aws_glue_schema).toBeUndefined();
  });

  it("a registry without any schema is just the registry, with the name the environment gives", () => {
    const tf = withProject({ [DEV]: `${devYaml}\nschema_registry: { enabled: true, name: shared-registry }\n` }, (config) => JSON.parse(Testing.synth(pipelineStack(config))) as Tf);
    expect(Object.values(tf.resource.aws_glue_registry).map((r) => r.registry_name)).toEqual(["shared-registry"]);
    expect(tf.resource.aws_glue_schema).toBeUndefined();
  });
});

describe("loader checks of schemas and Glue converters", () => {
  const T = "configs/topics/conversions.yaml";
  const topic = example("topics/conversions.yaml");

  it("a definition that is JSON but not an Avro schema, and one over Glue's 170000 characters", () => {
    expect(issuesOf(exampleFiles({ "configs/schemas/conversions.avsc": "42\n" }))).toEqual([
      `${T}:29:9  schema.file: expected an Avro schema (a type name, a union list, or an object with a "type") in configs/schemas/conversions.avsc, found a JSON number`,
    ]);
    expect(issuesOf(exampleFiles({ "configs/schemas/conversions.avsc": `"${"x".repeat(170000)}"` }))).toEqual([
      `${T}:29:9  schema.file: expected a schema definition of at most 170000 characters (Glue's limit), found 170002 characters in configs/schemas/conversions.avsc`,
    ]);
  });

  it("a JSON schema must be a JSON Schema object; a PROTOBUF definition is taken as text", () => {
    const json = topic.replace("format: AVRO ", "format: JSON ");
    expect(issuesOf(exampleFiles({ [T]: json, "configs/schemas/conversions.avsc": "[1]" }))).toEqual([
      `${T}:29:9  schema.file: expected a JSON Schema (an object) in configs/schemas/conversions.avsc, found a JSON list`,
    ]);
    const proto = topic.replace("format: AVRO ", "format: PROTOBUF").replace("file: schemas/conversions.avsc", "file: schemas/conversions.proto");
    const def = withProject(exampleFiles({ [T]: proto, "configs/schemas/conversions.proto": 'syntax = "proto3";\nmessage Conversion { string bid_id = 1; }\n' }), (c) => c.topics.find((t) => t.name === "conversions")!.schemaDefinition);
    expect(def).toBe('syntax = "proto3";\nmessage Conversion { string bid_id = 1; }\n');
  });

  it("a topic with a schema needs a name Glue accepts (no '.')", () => {
    const dotted = topic.replace("name: conversions            #", "name: conv.ersions           #");
    expect(issuesOf(exampleFiles({ [T]: dotted }))).toEqual([
      `${T}:14:7  name: expected a topic name Glue accepts as its schema's name (letters, digits, '-', '_', '$', '#'; no '.') on a topic with a schema, found "conv.ersions"`,
    ]);
  });

  it("a schema file path may not leave configs/", () => {
    expect(issuesOf(exampleFiles({ [T]: topic.replace("file: schemas/conversions.avsc", "file: ../secrets.avsc") }))).toEqual([
      `${T}:29:9  schema.file: expected a path relative to configs/ such as schemas/<topic>.avsc (no '..', not absolute), found "../secrets.avsc"`,
    ]);
  });

  it("a Glue converter needs the registry, a schema of its format on every topic, and a plugin that bundles it", () => {
    const C = "configs/connectors/conversions-archive.yaml";
    const sink = SINK.replace("topics: [conversions]", "topics: [conversions, clicks]").replace("plugin: glue-sink", "plugin: opensearch-sink").replace(
      "connector_class: com.example.archive.ArchiveSinkConnector",
      "connector_class: io.aiven.kafka.connect.opensearch.OpensearchSinkConnector",
    );
    expect(issuesOf(exampleFiles({ [C]: sink }))).toEqual([
      `${C}:4:9  plugin: expected a plugin that bundles ${AVRO_CONVERTER} (converters in connectors/manifest.yaml) for value_converter glue-avro, found "opensearch-sink", which bundles no converter`,
      `${C}:7:23  topics[1]: expected a topic with a AVRO schema section for value_converter glue-avro (configs/topics/clicks.yaml), found "clicks" without one`,
    ]);
    const json = SINK.replace("glue-avro", "glue-json");
    const withPlugin = { "connectors/manifest.yaml": `${MANIFEST.trimEnd()}\n${GLUE_PLUGIN}` };
    expect(issuesOf({ ...withPlugin, [DEV]: devYaml, "configs/topics/conversions.yaml": topic, "configs/schemas/conversions.avsc": AVSC, [C]: json })).toEqual([
      `${C}:4:9  plugin: expected a plugin that bundles com.amazonaws.services.schemaregistry.kafkaconnect.jsonschema.JsonSchemaConverter (converters in connectors/manifest.yaml) for value_converter glue-json, found "glue-sink", which bundles ${AVRO_CONVERTER}`,
      `${C}:7:10  topics[0]: expected a topic whose schema format is JSON for value_converter glue-json, found "conversions" with format AVRO (${T})`,
      `${C}:8:18  value_converter: expected schema_registry.enabled: true in environment dev (${DEV}) for a Glue converter, found "glue-json", and no registry in dev`,
      `${T}:26:1  schema: expected schema_registry.enabled: true in environment dev (${DEV}), whose registry holds this schema, found a schema, and no registry in dev`,
    ]);
  });
});
