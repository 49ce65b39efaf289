/**
 * The YAML-to-props mapping of a topic's `index` section (snake_case, validated by the loader):
 * IndexBootstrap's camelCase index and field mappings. The construct never sees the YAML shape.
 */
import type { IndexBootstrapIndex, IndexBootstrapKafkaTopic, IndexBootstrapTopic, IndexFieldMapping } from "../search/index-bootstrap";
import type { EnvironmentSpec, FieldMappingSpec, TopicConfigsSpec, TopicSpec } from "./schema";
import { effectiveTopic, type ManagedTopic } from "./topics";

export function indexFieldMapping(f: FieldMappingSpec): IndexFieldMapping {
  return {
    type: f.type,
    format: f.format,
    index: f.index,
    docValues: f.doc_values,
    ignoreAbove: f.ignore_above,
    analyzer: f.analyzer,
    scalingFactor: f.scaling_factor,
    dimension: f.dimension,
    properties: f.properties && indexFieldMappings(f.properties),
  };
}

function indexFieldMappings(fields: Readonly<Record<string, FieldMappingSpec>>): Record<string, IndexFieldMapping> {
  return Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, indexFieldMapping(f)]));
}

export function indexBootstrapIndex(index: TopicSpec["index"]): IndexBootstrapIndex {
  return {
    name: index.name,
    shards: index.shards,
    replicas: index.replicas,
    refreshInterval: index.refresh_interval,
    dynamic: index.dynamic,
    aliases: index.aliases,
    mappings: indexFieldMappings(index.mappings),
  };
}

/** A topic file (its name and `index` section) as the IndexBootstrap topic it feeds. */
export function indexBootstrapTopic(topic: { readonly name: string; readonly spec: TopicSpec }): IndexBootstrapTopic {
  return { name: topic.name, index: indexBootstrapIndex(topic.spec.index) };
}

/** A topic's YAML configs as Kafka takes them: Kafka names, string values, `both` as `compact,delete`. */
export function kafkaTopicConfigStrings(configs: TopicConfigsSpec | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(configs ?? {})) {
    if (value === undefined) continue;
    out[key] = key === "cleanup.policy" && value === "both" ? "compact,delete" : String(value);
  }
  return out;
}

/** A managed topic (topic file or dead-letter topic) as the bootstrap creates it on MSK Serverless. */
export function bootstrapKafkaTopic(topic: ManagedTopic, env: EnvironmentSpec): IndexBootstrapKafkaTopic {
  return { name: topic.name, partitions: effectiveTopic(topic.settings, env).partitions, configs: kafkaTopicConfigStrings(topic.settings.configs) };
}
