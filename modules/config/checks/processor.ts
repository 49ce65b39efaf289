/** Checks of each processor file against the others, the topics, the environments and the plugin manifest. */
import { closest } from "../issues";
import { FLINK_JAVA_VERSION } from "../schema";
import { parseTemplate } from "../stack-values";
import { MANIFEST_PATH, SECRET_KEY, type CheckContext, type ConfigCheck } from "./context";

/** IAM role names: at most 64 characters; a processor's role is `<name_prefix>-<processor>-flink`. */
const IAM_ROLE_NAME_MAX = 64;

/** One file per processor name, short enough for its IAM role in every environment. */
function checkProcessorNames({ processors, envs, issueAt }: CheckContext): void {
  const seen = new Map<string, string>();
  for (const { source, value: p } of processors) {
    const dup = seen.get(p.name);
    if (dup) issueAt(source, ["name"], "a processor name not used by another processor file", `"${p.name}", also in ${dup}`);
    seen.set(p.name, source.file);
    for (const e of envs) {
      const role = `${e.value.name_prefix}-${p.name}-flink`;
      if (role.length > IAM_ROLE_NAME_MAX) {
        issueAt(source, ["name"], `a processor name whose IAM role <name_prefix>-<name>-flink stays within ${IAM_ROLE_NAME_MAX} characters in environment ${e.stem}`, `"${p.name}" (${role.length} characters)`);
      }
    }
  }
}

/** Input and output topics are topic files, each once, and none is both. */
function checkProcessorTopics({ processors, topicByName, refersToInvalidTopic, issueAt }: CheckContext): void {
  for (const { source, value: p } of processors) {
    for (const field of ["input_topics", "output_topics"] as const) {
      const seen = new Set<string>();
      p[field].forEach((t, i) => {
        if (seen.has(t)) issueAt(source, [field, i], "each topic once", `"${t}" twice`);
        seen.add(t);
        if (topicByName.has(t) || refersToInvalidTopic(t)) return;
        const hint = closest(t, [...topicByName.keys()]);
        issueAt(source, [field, i], `a topic defined in configs/topics/${hint ? ` (did you mean "${hint}"?)` : ""}`, `"${t}"`);
      });
    }
    p.output_topics.forEach((t, i) => {
      if (p.input_topics.includes(t)) issueAt(source, ["output_topics", i], "an output topic that is not also an input topic", `"${t}"`);
    });
  }
}

/** The application JAR is a JAR plugin of the manifest with an application_class, on a Java the runtime has. */
function checkProcessorApplications({ processors, manifest, issueAt }: CheckContext): void {
  if (!manifest) return;
  const plugins = manifest.value.plugins;
  for (const { source, value: p } of processors) {
    const plugin = plugins[p.application];
    if (!plugin) {
      const hint = closest(p.application, Object.keys(plugins));
      issueAt(source, ["application"], `a plugin of ${MANIFEST_PATH}${hint ? ` (did you mean "${hint}"?)` : ""}`, `"${p.application}"`);
      continue;
    }
    if (plugin.content_type !== "JAR" || plugin.application_class === undefined) {
      issueAt(source, ["application"], `a JAR plugin with an application_class (${MANIFEST_PATH})`, `"${p.application}" (${plugin.content_type}${plugin.application_class ? "" : ", no application_class"})`);
    }
    if (plugin.java_version > FLINK_JAVA_VERSION) {
      issueAt(source, ["application"], `an application that runs on Java ${FLINK_JAVA_VERSION} (Managed Flink ${p.runtime})`, `"${p.application}", which needs Java ${plugin.java_version}`);
    }
  }
}

/** Property values: `${stack:<name>}` only (no secrets: runtime properties are readable in the console), no credential-like keys. */
function checkProcessorProperties({ processors, issueAt }: CheckContext): void {
  for (const { source, value: p } of processors) {
    for (const [group, map] of Object.entries(p.property_groups)) {
      for (const [key, value] of Object.entries(map)) {
        const at = ["property_groups", group, key];
        if (SECRET_KEY.test(key)) {
          issueAt(source, at, "no credentials in runtime properties (the application signs in to MSK with its IAM role)", `key "${key}"`, true);
          continue;
        }
        const { parts, problems } = parseTemplate(String(value));
        for (const pr of problems) issueAt(source, at, pr.expected, pr.found);
        if (parts.some((x) => x.kind === "secret")) issueAt(source, at, "a ${stack:<name>} value (runtime properties cannot read Secrets Manager)", `"${String(value)}"`);
      }
    }
  }
}

/** Processor checks, in the order their issues are reported within a file. */
export const PROCESSOR_CHECKS: readonly ConfigCheck[] = [
  { name: "processors: names", check: checkProcessorNames },
  { name: "processors: topics", check: checkProcessorTopics },
  { name: "processors: application", check: checkProcessorApplications },
  { name: "processors: properties", check: checkProcessorProperties },
];
