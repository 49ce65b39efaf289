/**
 * kafka.mode: serverless in the loader: a field is an error only when the file sets it (zod's
 * defaults are told apart through the YAML source), and topic settings are checked against every
 * serverless environment. The exact messages of each case are in the bad-input corpus
 * (kafka-serverless-inapplicable-fields, topic-serverless-settings).
 */
import { ConfigError, formatIssue } from "../../modules/config/issues";
import { loadPipelineConfig } from "../../modules/config/load";
import { YamlSource } from "../../modules/config/yaml-source";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, makeProjectCopy, removeProjectCopy } from "../support/project";

const serverlessEnv = (prefix: string, kafka = "kafka: { mode: serverless }\n") =>
  `# yaml-language-server: $schema=../../schemas/environment.schema.json\nname_prefix: ${prefix}\nregion: ap-southeast-2\n${kafka}`;

function load(files: Record<string, string>): { issues: string[]; config?: ReturnType<typeof loadPipelineConfig> } {
  const root = makeProjectCopy({ files });
  try {
    return { issues: [], config: loadPipelineConfig({ rootDir: root, cwd: root }) };
  } catch (e) {
    if (e instanceof ConfigError) return { issues: e.issues.map(formatIssue) };
    throw e;
  } finally {
    removeProjectCopy(root);
  }
}

describe("YamlSource.has", () => {
  const { source } = YamlSource.parse("x.yaml", "kafka:\n  mode: serverless\n  version:\n  list: [a, b]\n");
  it.each([
    [["kafka"], true],
    [["kafka", "mode"], true],
    [["kafka", "version"], true], // set, even to nothing
    [["kafka", "broker_count"], false],
    [["kafka", "list", 1], true],
    [["kafka", "list", 2], false],
    [["kafka", "mode", "deeper"], false],
    [["opensearch"], false],
  ] as const)("%j: %s", (path, expected) => {
    expect(source!.has(path)).toBe(expected);
  });
});

describe("serverless environments in the loader", () => {
  it("a serverless file that sets only the mode loads: the defaults of provisioned-only fields are not errors", () => {
    const { issues, config } = load({ "configs/environments/sls.yaml": serverlessEnv("ad-tech-sls") });
    expect(issues).toEqual([]);
    const sls = config!.environments.find((e) => e.name === "sls")!;
    expect(sls.spec.kafka.mode).toBe("serverless");
    // zod still filled them in; only the YAML source tells they were not written.
    expect(sls.spec.kafka.broker_count).toBe(3);
    expect(config!.environments.find((e) => e.name === "dev")!.spec.kafka.mode).toBe("provisioned");
  });

  it("a set field is an error even at its default value, at the key's position", () => {
    const { issues } = load({ "configs/environments/sls.yaml": serverlessEnv("ad-tech-sls", "kafka:\n  mode: serverless\n  enhanced_monitoring: DEFAULT\n") });
    expect(issues).toEqual([
      'configs/environments/sls.yaml:6:3  kafka.enhanced_monitoring: expected nothing here with kafka.mode: serverless (MSK Serverless has no enhanced monitoring level), found "DEFAULT"',
    ]);
  });

  it("topic errors name every serverless environment; the provisioned-only topic checks leave them out", () => {
    const clicks = readFileSync(path.join(REPO_ROOT, "configs/topics/clicks.yaml"), "utf8")
      .replace(/^replication_factor: 3 /m, "replication_factor: 1 ")
      .replace("  # min.insync.replicas: 2   #", "  min.insync.replicas: 1     #");
    const { issues } = load({
      "configs/environments/a.yaml": serverlessEnv("ad-tech-a"),
      "configs/environments/b.yaml": serverlessEnv("ad-tech-b"),
      "configs/topics/clicks.yaml": clicks,
    });
    expect(issues).toEqual([
      'configs/topics/clicks.yaml:6:21  replication_factor: expected 3 or no replication_factor (MSK Serverless replicates every partition 3 times; environments a, b are serverless), found 1',
      'configs/topics/clicks.yaml:11:3  configs["min.insync.replicas"]: expected only the topic configs MSK Serverless allows (cleanup.policy, compression.type, max.message.bytes, message.timestamp.difference.max.ms, message.timestamp.type, retention.bytes, retention.ms; environments a, b are serverless), found "min.insync.replicas"',
    ]);
  });
});
