/**
 * The security guard applied to the whole pipeline, in-process (the loader, then the stack's
 * security report, as main.ts runs them): the reference config is clean; loosening a setting is
 * an error unless a waiver with a reason accepts exactly that violation; an unused waiver is an
 * error. The command-line side (exit code, nothing written) is in guard-pipeline.cli.test.ts.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../../modules/config/issues";
import { loadPipelineConfig } from "../../modules/config/load";
import { makeProjectCopy, pipelineStack, removeProjectCopy, REPO_ROOT } from "../support/project";

const DEV = "configs/environments/dev.yaml";
const devYaml = readFileSync(path.join(REPO_ROOT, DEV), "utf8");

/** The dev stack's security report with `edit` applied to dev.yaml (loaded from inside the copy). */
function reportWith(edit: (yaml: string) => string) {
  const root = makeProjectCopy({ files: { [DEV]: edit(devYaml) } });
  try {
    const config = loadPipelineConfig({ rootDir: root, cwd: root });
    return pipelineStack(config).securityReport();
  } finally {
    removeProjectCopy(root);
  }
}

const anonymous = (y: string) => y.replace("anonymous_access: false ", "anonymous_access: true ");
const waivers = (list: string) => (y: string) => y.replace("  waivers: []", `  waivers:\n${list}`);
const OS5 = "aws_opensearch_domain.search/domain";

describe("security guard on the pipeline", () => {
  it("passes the reference configuration with no violation and no waiver", () => {
    const r = reportWith((y) => y);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.findings.length).toBeGreaterThan(50);
  });

  it("fails anonymous OpenSearch access, naming the rule, resource and YAML setting", () => {
    const r = reportWith(anonymous);
    expect(r.errors).toContainEqual(
      expect.stringMatching(
        new RegExp(`^OS-5 ${OS5.replace(/[./]/g, "\\$&")}: advanced_security_options\\.anonymous_auth_enabled is true, must be false or absent \\(configs/environments/dev\\.yaml:\\d+:\\d+\\)$`),
      ),
    );
  });

  it("fails one-day log retention (the reference design's setting) on every log group it reaches", () => {
    const r = reportWith((y) => y.replace(/log_retention_days: 30 {13}# broker log group/, "log_retention_days: 1"));
    expect(r.errors).toContainEqual(
      expect.stringMatching(/^LOG-1 aws_cloudwatch_log_group\.kafka\/log-group: retention_in_days is 1, must be at least 7 \(configs\/environments\/dev\.yaml:\d+:\d+\)$/),
    );
  });

  it("accepts a waived violation with a warning carrying the reason", () => {
    const r = reportWith((y) => waivers(`    - { rule: OS-5, resource: "${OS5}", reason: "demo domain with synthetic data" }`)(anonymous(y)));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toContainEqual(expect.stringContaining(`waived OS-5 ${OS5}: demo domain with synthetic data`));
  });

  it("does not let a waiver for one rule silence another violation on the same resource", () => {
    const r = reportWith((y) => waivers(`    - { rule: OS-6, resource: "${OS5}", reason: "wrong rule" }`)(anonymous(y)));
    expect(r.errors).toContainEqual(expect.stringContaining(`OS-5 ${OS5}`));
  });

  it("fails on a waiver that accepts nothing", () => {
    const r = reportWith(waivers(`    - { rule: OS-5, resource: "${OS5}", reason: "stale" }`));
    expect(r.errors).toContain(
      `unused waiver OS-5 ${OS5} in configs/environments/dev.yaml: the resource complies with OS-5; remove the waiver`,
    );
  });

  it("rejects a waiver without a reason as a configuration error with its position", () => {
    let error: unknown;
    try {
      reportWith(waivers(`    - { rule: OS-5, resource: "${OS5}", reason: "" }`));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /configs\/environments\/dev\.yaml:\d+:\d+ {2}security\.waivers\[0\]\.reason: expected a non-empty reason, found ""/,
    );
  });
});
