/**
 * Editor support: the committed JSON Schemas are exactly what the zod schemas generate, every
 * config file points at its schema, and the schemas accept the reference files and reject the
 * mistakes editors should underline (checked with a small draft-07 validator).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CONFIG_KINDS, SCHEMA_DIR, configKindOf, jsonSchemaOf, modelineFor, renderJsonSchemas } from "../../modules/config/json-schema";
import { CONNECTOR_KINDS, environmentSchema } from "../../modules/config/schema";
import { validateJsonSchema } from "../support/json-schema-check";
import { REPO_ROOT } from "../support/project";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

// The reference project's files and the examples (copied into configs/ by whoever uses them).
const configFiles = [...filesUnder(path.join(REPO_ROOT, "configs")), ...filesUnder(path.join(REPO_ROOT, "examples")).filter((f) => /\.ya?ml$/.test(f)), path.join(REPO_ROOT, "connectors/manifest.yaml")]
  .map((abs) => path.relative(REPO_ROOT, abs).split(path.sep).join("/"))
  .sort();

const schemaFor = (rel: string) => {
  const kind = configKindOf(rel);
  if (!kind) throw new Error(`no schema kind for ${rel}`);
  return JSON.parse(readFileSync(path.join(REPO_ROOT, SCHEMA_DIR, kind.schemaFile), "utf8")) as Record<string, unknown>;
};
const yamlOf = (rel: string) => parse(readFileSync(path.join(REPO_ROOT, rel), "utf8")) as Record<string, unknown>;

describe("committed JSON Schemas", () => {
  it.each(Object.entries(renderJsonSchemas()))("schemas/%s is what `npm run schemas` generates now", (file, content) => {
    const committed = readFileSync(path.join(REPO_ROOT, SCHEMA_DIR, file), "utf8");
    // On failure: run `npm run schemas` and commit the result.
    expect(committed).toBe(content);
  });

  it("has one schema file per kind of config file and nothing else", () => {
    const onDisk = readdirSync(path.join(REPO_ROOT, SCHEMA_DIR)).sort();
    expect(onDisk).toEqual(CONFIG_KINDS.map((k) => k.schemaFile).sort());
  });
});

describe("modelines", () => {
  it("covers every kind of config file in the reference project and its examples", () => {
    const kinds = new Set(configFiles.map((f) => configKindOf(f)?.schemaFile));
    expect([...kinds].sort()).toEqual(CONFIG_KINDS.map((k) => k.schemaFile).sort());
  });

  it.each(configFiles)("%s starts with the modeline of its schema", (rel) => {
    const firstLine = readFileSync(path.join(REPO_ROOT, rel), "utf8").split("\n")[0];
    expect(firstLine).toBe(modelineFor(rel));
    // The relative path resolves to the committed schema file.
    const target = path.resolve(path.dirname(path.join(REPO_ROOT, rel)), firstLine.replace(/^# yaml-language-server: \$schema=/, ""));
    expect(statSync(target).isFile()).toBe(true);
    expect(path.relative(REPO_ROOT, target).split(path.sep).join("/")).toBe(`${SCHEMA_DIR}/${configKindOf(rel)!.schemaFile}`);
  });

  it("paths are relative to the file's own folder", () => {
    expect(modelineFor("configs/topics/orders.yaml")).toBe("# yaml-language-server: $schema=../../schemas/topic.schema.json");
    expect(modelineFor("connectors/manifest.yaml")).toBe("# yaml-language-server: $schema=../schemas/plugin-manifest.schema.json");
    expect(() => modelineFor("configs/notes.yaml")).toThrow("configs/notes.yaml is not a pipeline config file");
  });
});

describe("what the schemas accept and reject", () => {
  it.each(configFiles)("accepts the reference file %s", (rel) => {
    expect(validateJsonSchema(schemaFor(rel), yamlOf(rel))).toEqual([]);
  });

  it("rejects an unknown key at the top and deep inside (strict objects)", () => {
    const env = yamlOf("configs/environments/dev.yaml");
    const schema = schemaFor("configs/environments/dev.yaml");
    expect(validateJsonSchema(schema, { ...env, colour: "blue" })).toEqual([": unknown key colour"]);
    const kafka = { ...(env.kafka as object), brokr_count: 3 };
    expect(validateJsonSchema(schema, { ...env, kafka })).toEqual(["/kafka: unknown key brokr_count"]);
  });

  it("rejects a wrong enum value, a wrong type and an out-of-range number", () => {
    const env = yamlOf("configs/environments/dev.yaml");
    const schema = schemaFor("configs/environments/dev.yaml");
    expect(validateJsonSchema(schema, { ...env, network: { ...(env.network as object), nat: "double" } })).toEqual([
      "/network/nat: must be equal to one of the allowed values",
    ]);
    expect(validateJsonSchema(schema, { ...env, kafka: { ...(env.kafka as object), broker_count: "three" } })[0]).toMatch(
      /^\/kafka\/broker_count: must be integer$/,
    );
    expect(validateJsonSchema(schema, { ...env, network: { ...(env.network as object), az_count: 7 } })).toEqual([
      "/network/az_count: must be <= 3",
    ]);
  });

  it("knows refinement-only enumerations (log retention days, MCU counts)", () => {
    const env = yamlOf("configs/environments/dev.yaml");
    expect(validateJsonSchema(schemaFor("configs/environments/dev.yaml"), { ...env, kafka: { ...(env.kafka as object), log_retention_days: 31 } })).toHaveLength(1);
    const sink = yamlOf("configs/connectors/ad-tech-sink.yaml");
    expect(validateJsonSchema(schemaFor("configs/connectors/ad-tech-sink.yaml"), { ...sink, capacity: { provisioned: { workers: 1, mcu: 3 } } })).not.toEqual([]);
  });

  it("tells connector kinds apart (discriminated union: exactly one alternative matches)", () => {
    const schema = schemaFor("configs/connectors/ad-tech-sink.yaml");
    const sink = yamlOf("configs/connectors/ad-tech-sink.yaml");
    // An opensearch-sink section on a datagen connector is an unknown key there.
    expect(validateJsonSchema(schema, sink)).toEqual([]);
    expect(validateJsonSchema(schema, { ...sink, kind: "msk-datagen" })).toContain(": must match exactly one schema in oneOf");
    expect(validateJsonSchema(schema, { ...sink, kind: "msk-datagen" })).toContain(": unknown key opensearch");
    expect(validateJsonSchema(schema, { ...sink, kind: "kafka-magic" })).toContain(": must match exactly one schema in oneOf");
    expect(schema.oneOf).toHaveLength(CONNECTOR_KINDS.length);
  });

  it.each(["s3-sink", "eventbridge-sink", "kinesis-source", "jdbc-source", "mirror-maker"])("examples/connectors/%s.yaml validates, and its modeline resolves to the connector schema", (kind) => {
    const rel = `examples/connectors/${kind}.yaml`;
    expect(validateJsonSchema(schemaFor("configs/connectors/ad-tech-sink.yaml"), yamlOf(rel))).toEqual([]);
    const firstLine = readFileSync(path.join(REPO_ROOT, rel), "utf8").split("\n")[0];
    const target = path.resolve(path.dirname(path.join(REPO_ROOT, rel)), firstLine.replace(/^# yaml-language-server: \$schema=/, ""));
    expect(path.relative(REPO_ROOT, target).split(path.sep).join("/")).toBe(`${SCHEMA_DIR}/connector.schema.json`);
  });

  it("the kinesis-source and jdbc-source examples validate in an editor too, and a typo in their sections does not", () => {
    const schema = schemaFor("configs/connectors/ad-tech-sink.yaml");
    for (const rel of ["examples/connectors/kinesis-source.yaml", "examples/connectors/jdbc-source.yaml"]) {
      const example = yamlOf(rel);
      expect(validateJsonSchema(schema, example)).toEqual([]);
      const section = rel.includes("kinesis") ? "kinesis" : "jdbc";
      expect(validateJsonSchema(schema, { ...example, [section]: { ...(example[section] as object), strem: "x" } })).toContain(`/${section}: unknown key strem`);
    }
  });

  it("the mirror-maker example is valid for editors too, and a missing source fails there as in the loader", () => {
    const schema = schemaFor("configs/connectors/ad-tech-sink.yaml");
    const example = yamlOf("examples/connectors/mirror-maker.yaml");
    expect(validateJsonSchema(schema, example)).toEqual([]);
    const mirror = example.mirror as Record<string, unknown>;
    expect(validateJsonSchema(schema, { ...example, mirror: { ...mirror, source: undefined } })).toContain(": must match exactly one schema in oneOf");
  });

  it("follows the recursive field mappings (z.lazy) into nested properties", () => {
    const schema = schemaFor("configs/topics/clicks.yaml");
    const topic = yamlOf("configs/topics/clicks.yaml");
    const index = topic.index as Record<string, unknown>;
    const nested = (type: string) => ({
      ...topic,
      index: { ...index, mappings: { geo: { type: "object", properties: { city: { type } } } } },
    });
    expect(validateJsonSchema(schema, nested("keyword"))).toEqual([]);
    expect(validateJsonSchema(schema, nested("strnig"))).toHaveLength(1);
  });

  it("accepts what the loader accepts for a topic with only the required fields", () => {
    const schema = jsonSchemaOf(CONFIG_KINDS.find((k) => k.schemaFile === "topic.schema.json")!);
    expect(validateJsonSchema(schema, { name: "orders", index: { name: "orders", mappings: { id: { type: "keyword" } } } })).toEqual([]);
  });
});

describe("what editors show", () => {
  const env = jsonSchemaOf(CONFIG_KINDS.find((k) => k.schemaFile === "environment.schema.json")!);
  const props = env.properties as Record<string, Record<string, unknown>>;
  const kafka = props.kafka.properties as Record<string, Record<string, unknown>>;

  it("requires only the fields without a default (io: input)", () => {
    expect(env.required).toEqual(["name_prefix", "region"]);
    expect(props.kafka.required).toBeUndefined();
  });

  it("shows the defaults the loader applies", () => {
    const applied = environmentSchema.parse({ name_prefix: "abc", region: "ap-southeast-2" });
    expect(kafka.broker_count.default).toBe(applied.kafka.broker_count);
    expect(kafka.version.default).toBe(applied.kafka.version);
    expect((props.network.properties as Record<string, Record<string, unknown>>).nat.default).toBe(applied.network.nat);
  });

  it("carries the field descriptions from schema.ts", () => {
    expect(props.name_prefix.description).toBe(environmentSchema.shape.name_prefix.description);
    expect(kafka.broker_count.description).toMatch(/multiple of network\.az_count/);
    expect(env.description).toBe(environmentSchema.description);
  });

  it("leaves out zod's safe-integer bounds on plain integers", () => {
    expect(JSON.stringify(env)).not.toContain(String(Number.MAX_SAFE_INTEGER));
  });
});
