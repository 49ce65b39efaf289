/** Checks across topic files: unique names, index and alias names, generator references. */
import type { PathSegment } from "../issues";
import { INDEX_NAME as BOOTSTRAP_INDEX_NAME } from "../../search/bootstrap-plan";
import type { CheckContext, ConfigCheck } from "./context";

/** One file per topic name, no '.'/'_' collisions, index and alias names the bootstrap accepts, each owned once. */
function checkTopicNames({ topics, topicByName, issueAt }: CheckContext): void {
  const collisionKey = new Map<string, string>();
  const indexOwner = new Map<string, string>();
  for (const t of topics) {
    const { source, value } = t;
    const first = topicByName.get(value.name)!;
    if (first !== t) {
      issueAt(source, ["name"], "a topic name not used by another topic file", `"${value.name}", also in ${first.source.file}`);
      continue;
    }
    const ck = value.name.replace(/\./g, "_");
    const clash = collisionKey.get(ck);
    if (clash) {
      issueAt(source, ["name"], `a topic name that does not collide with "${clash}" (Kafka treats '.' and '_' alike in metric names)`, `"${value.name}"`);
    }
    collisionKey.set(ck, value.name);
    const names: [string, PathSegment[]][] = [
      [value.index.name, ["index", "name"]],
      ...value.index.aliases.map((a, i): [string, PathSegment[]] => [a, ["index", "aliases", i]]),
    ];
    for (const [name, p] of names) {
      // The bootstrap plan (IndexBootstrap) accepts a narrower set than OpenSearch does.
      if (!BOOTSTRAP_INDEX_NAME.test(name)) {
        issueAt(source, p, "an index name the bootstrap creates (lowercase letters, digits, '.', '_', '-'; starting with a letter or digit)", `"${name}"`);
      }
      const owner = indexOwner.get(name);
      if (owner) issueAt(source, p, "an index or alias name not used by another topic", `"${name}", also used by topic ${owner}`);
      else indexOwner.set(name, value.name);
    }
  }
}

/** Generator `matching` references name an existing topic and, for value fields, a field it generates. */
function checkGeneratorReferences({ topics, topicByName, refersToInvalidTopic, issueAt }: CheckContext): void {
  for (const { source, value } of topics) {
    const fields = value.generator?.fields ?? {};
    for (const [field, g] of Object.entries(fields)) {
      for (const [ref, p] of [
        [g.matching, ["generator", "fields", field, "matching"]],
        [g.sometimes?.matching, ["generator", "fields", field, "sometimes", "matching"]],
      ] as [string | undefined, PathSegment[]][]) {
        if (!ref) continue;
        const m = /^(.+)\.(key|value)(?:\.([^.]+))?$/.exec(ref)!;
        const target = topicByName.get(m[1]);
        if (!target && refersToInvalidTopic(m[1])) continue;
        if (!target) {
          issueAt(source, p, "a reference to an existing topic (<topic>.value.<field>)", `"${ref}": no topic named "${m[1]}"`);
        } else if (m[2] === "value" && m[3] && !target.value.generator?.fields[m[3]]) {
          issueAt(source, p, `a generated field of topic ${m[1]}`, `"${ref}": ${m[1]} generates no field "${m[3]}"`);
        }
      }
    }
  }
}

export const TOPIC_CHECKS: readonly ConfigCheck[] = [
  { name: "topics: names and indexes", check: checkTopicNames },
  { name: "topics: generator references", check: checkGeneratorReferences },
];
