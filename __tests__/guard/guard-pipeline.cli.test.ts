/**
 * The guard's command-line contract: synth with a violation exits 1 naming it and writes nothing;
 * `npm run check` prints the resources x rules table. Rule semantics are in guard-pipeline.test.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { makeProjectCopy, removeProjectCopy, REPO_ROOT, runMain } from "../support/project";

const DEV = "configs/environments/dev.yaml";
const devYaml = readFileSync(path.join(REPO_ROOT, DEV), "utf8");
const anonymous = (y: string) => y.replace("anonymous_access: false ", "anonymous_access: true ");
const OS5 = "aws_opensearch_domain.search/domain";

function inCopy<T>(edit: (yaml: string) => string, run: (root: string) => T): T {
  const root = makeProjectCopy({ files: { [DEV]: edit(devYaml) } });
  try {
    return run(root);
  } finally {
    removeProjectCopy(root);
  }
}

describe("synth with a security violation", () => {
  it("exits 1 naming the rule and resource, tells how to waive it, and writes nothing", () => {
    const r = inCopy(anonymous, (root) => ({ ...runMain(root), wrote: existsSync(path.join(root, "cdktf.out")) }));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`[dev] OS-5 ${OS5}: `);
    expect(r.stderr).toContain("accept the risk with a waiver");
    expect(r.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
    expect(r.wrote).toBe(false);
  });
});

describe("npm run check", () => {
  const check = (edit: (yaml: string) => string) =>
    inCopy(edit, (root) =>
      spawnSync(path.join(REPO_ROOT, "node_modules/.bin/tsx"), [path.join(REPO_ROOT, "scripts/check.ts")], { cwd: root, encoding: "utf8" }),
    );

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
