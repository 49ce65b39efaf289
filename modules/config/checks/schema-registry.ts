/**
 * Checks of the Glue Schema Registry sections across files: each topic's schema file (read by the
 * loader), a registry in every environment a schema or a Glue converter needs, schema names Glue
 * accepts, and converters that match their topics' schemas and are bundled by their plugin.
 */
import { GLUE_CONVERTERS, GLUE_NAME_PATTERN, isMskConnect } from "../schema";
import { MANIFEST_PATH, type CheckContext, type ConfigCheck } from "./context";

/** The schema file each topic names exists and holds a definition Glue accepts. */
function checkSchemaFiles({ topics, topicByName, schemaFiles, issueAt }: CheckContext): void {
  for (const t of topics) {
    if (!t.value.schema || topicByName.get(t.value.name) !== t) continue;
    const problem = schemaFiles.get(t.value.name)?.problem;
    if (problem) issueAt(t.source, ["schema", "file"], problem.expected, problem.found);
  }
}

/** A topic with a schema: a name Glue accepts, and a registry in every environment (topics are shared by all). */
function checkTopicSchemas({ topics, envs, issueAt }: CheckContext): void {
  for (const { source, value: t } of topics) {
    if (!t.schema) continue;
    if (!GLUE_NAME_PATTERN.test(t.name)) {
      issueAt(
        source,
        ["name"],
        "a topic name Glue accepts as its schema's name (letters, digits, '-', '_', '$', '#'; no '.') on a topic with a schema",
        `"${t.name}"`,
      );
    }
    for (const e of envs) {
      if (e.value.schema_registry.enabled) continue;
      issueAt(
        source,
        ["schema"],
        `schema_registry.enabled: true in environment ${e.stem} (${e.source.file}), whose registry holds this schema`,
        `a schema, and no registry in ${e.stem}`,
        true,
      );
    }
  }
}

/**
 * A Glue converter: a registry in every environment, a schema of its format on each of its
 * topics (auto registration is off, so the schema must exist), and a plugin that bundles it.
 */
function checkGlueConverters({ connectors, envs, topicByName, manifest, issueAt }: CheckContext): void {
  for (const { source, value: c } of connectors) {
    if (!isMskConnect(c)) continue;
    const choice = c.value_converter;
    if (choice === undefined || choice === "json") continue;
    const converter = GLUE_CONVERTERS[choice];
    for (const e of envs) {
      if (!e.value.schema_registry.enabled) {
        issueAt(source, ["value_converter"], `schema_registry.enabled: true in environment ${e.stem} (${e.source.file}) for a Glue converter`, `"${choice}", and no registry in ${e.stem}`);
      }
    }
    c.topics.forEach((name, i) => {
      const topic = topicByName.get(name);
      if (!topic) return; // reported by the connector checks (or the topic file is invalid)
      const schema = topic.value.schema;
      if (!schema) {
        issueAt(source, ["topics", i], `a topic with a ${converter.format} schema section for value_converter ${choice} (${topic.source.file})`, `"${name}" without one`);
      } else if (schema.format !== converter.format) {
        issueAt(source, ["topics", i], `a topic whose schema format is ${converter.format} for value_converter ${choice}`, `"${name}" with format ${schema.format} (${topic.source.file})`);
      }
    });
    const plugin = manifest?.value.plugins[c.plugin];
    if (plugin && !(plugin.converters ?? []).includes(converter.className)) {
      issueAt(
        source,
        ["plugin"],
        `a plugin that bundles ${converter.className} (converters in ${MANIFEST_PATH}) for value_converter ${choice}`,
        `"${c.plugin}", which bundles ${(plugin.converters ?? []).length ? plugin.converters!.join(", ") : "no converter"}`,
      );
    }
  }
}

export const SCHEMA_REGISTRY_CHECKS: readonly ConfigCheck[] = [
  { name: "schema registry: schema files", check: checkSchemaFiles },
  { name: "schema registry: topics", check: checkTopicSchemas },
  { name: "schema registry: converters", check: checkGlueConverters },
];
