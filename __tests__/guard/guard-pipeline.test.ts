/**
 * The security guard applied to the whole pipeline, through main.ts as a user runs it: the
 * reference config is clean; loosening a setting fails synth unless a waiver with a reason
 * accepts exactly that violation; an unused waiver fails.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { makeProjectCopy, removeProjectCopy, REPO_ROOT, runMain } from "../support/project";

const DEV = "configs/environments/dev.yaml";
const devYaml = readFileSync(path.join(REPO_ROOT, DEV), "utf8");

function withDev(edit: (yaml: string) => string) {
  const root = makeProjectCopy({ files: { [DEV]: edit(devYaml) } });
  try {
    const result = runMain(root);
    return { ...result, wroteOutput: existsSync(path.join(root, "cdktf.out")) };
  } finally {
    removeProjectCopy(root);
  }
}

const anonymous = (y: string) => y.replace("anonymous_access: false ", "anonymous_access: true ");
const waivers = (list: string) => (y: string) => y.replace("  waivers: []", `  waivers:\n${list}`);
const OS5 = "aws_opensearch_domain.search/domain";

describe.concurrent("security guard on the pipeline", () => {
  it("passes the reference configuration with no violation and no waiver", () => {
    const r = withDev((y) => y);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/security violation|waived/);
  });

  it("fails anonymous OpenSearch access, naming the rule, resource and YAML setting, writing nothing", () => {
    const r = withDev(anonymous);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `[dev] OS-5 ${OS5}: advanced_security_options.anonymous_auth_enabled is true, must be false or absent (configs/environments/dev.yaml:`,
    );
    expect(r.wroteOutput).toBe(false);
  });

  it("fails one-day log retention (the reference design's setting) on every log group it reaches", () => {
    const r = withDev((y) => y.replace(/log_retention_days: 30 {13}# broker log group/, "log_retention_days: 1"));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/LOG-1 aws_cloudwatch_log_group\.kafka\/log-group: retention_in_days is 1, must be at least 7 \(configs\/environments\/dev\.yaml:\d+:\d+\)/);
  });

  it("accepts a waived violation with a warning carrying the reason", () => {
    const r = withDev((y) => waivers(`    - { rule: OS-5, resource: "${OS5}", reason: "demo domain with synthetic data" }`)(anonymous(y)));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`warning: [dev] waived OS-5 ${OS5}: demo domain with synthetic data`);
  });

  it("does not let a waiver for one rule silence another violation on the same resource", () => {
    const r = withDev((y) => waivers(`    - { rule: OS-6, resource: "${OS5}", reason: "wrong rule" }`)(anonymous(y)));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`OS-5 ${OS5}`);
  });

  it("fails on a waiver that accepts nothing", () => {
    const r = withDev(waivers(`    - { rule: OS-5, resource: "${OS5}", reason: "stale" }`));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`unused waiver OS-5 ${OS5} in configs/environments/dev.yaml: the resource complies with OS-5; remove the waiver`);
  });

  it("rejects a waiver without a reason as a configuration error with its position", () => {
    const r = withDev(waivers(`    - { rule: OS-5, resource: "${OS5}", reason: "" }`));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/configs\/environments\/dev\.yaml:\d+:\d+ {2}security\.waivers\[0\]\.reason: expected a non-empty reason, found ""/);
  });
});

describe("npm run check", () => {
  const check = (edit: (yaml: string) => string) => {
    const root = makeProjectCopy({ files: { [DEV]: edit(devYaml) } });
    try {
      return spawnSync(path.join(REPO_ROOT, "node_modules/.bin/tsx"), [path.join(REPO_ROOT, "scripts/check.ts")], { cwd: root, encoding: "utf8" });
    } finally {
      removeProjectCopy(root);
    }
  };

  it("prints the resources x rules table and exits 0 for the reference configuration", () => {
    const r = check((y) => y);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\| aws_msk_cluster\.kafka\/cluster \| MSK-1 ✓, MSK-2 ✓, MSK-3 ✓, MSK-4 ✓, MSK-5 ✓ \|$/m);
    expect(r.stdout).toMatch(/\d+ compliant, 0 errors, 0 waived/);
  });

  it("marks a violation and exits 1", () => {
    const r = check(anonymous);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("OS-5 ✗");
    expect(r.stdout).toContain(`✗ OS-5 ${OS5}`);
  });
});
