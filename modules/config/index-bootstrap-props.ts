/**
 * The YAML-to-props mapping of a topic's `index` section (snake_case, validated by the loader):
 * IndexBootstrap's camelCase index and field mappings. The construct never sees the YAML shape.
 */
import type { IndexBootstrapIndex, IndexBootstrapTopic, IndexFieldMapping } from "../search/index-bootstrap";
import type { FieldMappingSpec, TopicSpec } from "./schema";

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
