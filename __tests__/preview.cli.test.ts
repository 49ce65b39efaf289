/**
 * The preview command as a user runs it (child processes): comparison with the last synth and a
 * git revision, exit codes. The diff logic itself is tested in-process in preview.test.ts.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, makeProjectCopy, removeProjectCopy } from "./support/project";

describe("npm run preview (CLI)", () => {
  const tsx = path.join(REPO_ROOT, "node_modules/.bin/tsx");
  const run = (cwd: string, args: string[]) =>
    spawnSync(tsx, [path.join(REPO_ROOT, "scripts/preview.ts"), ...args], { cwd, encoding: "utf8", env: { ...process.env, DEBUG: "", CHECKPOINT_DISABLE: "1" } });

  it("compares with the last synth, then with a git revision; exit 3 only with --fail-on-replace and a replacement", () => {
    const root = makeProjectCopy();
    try {
      const first = run(root, ["dev"]);
      expect(first.status).toBe(0);
      expect(first.stdout).toContain("current configs compared with nothing (cdktf.out/stacks/dev/cdk.tf.json did not exist yet)");
      const again = run(root, ["dev", "--fail-on-replace"]);
      expect([again.status, again.stdout.trim().split("\n").pop()]).toEqual([0, "+0 ~0 -0 (no changes)"]);

      const git = (...a: string[]) => spawnSync("git", ["-C", root, "-c", "user.email=t@t", "-c", "user.name=t", ...a], { encoding: "utf8" });
      git("init", "-q");
      git("add", "configs", "connectors/manifest.yaml");
      git("commit", "-qm", "base");
      const envFile = path.join(root, "configs/environments/dev.yaml");
      writeFileSync(envFile, readFileSync(envFile, "utf8").replace(/^ {2}cidr: 10\.0\.0\.0\/16/m, "  cidr: 10.9.0.0/16"));
      const against = run(root, ["dev", "--against", "HEAD", "--fail-on-replace"]);
      expect(against.stderr).not.toMatch(/^\s+at /m);
      expect(against.status).toBe(3);
      expect(against.stdout).toContain("current configs compared with git revision HEAD");
      expect(against.stdout).toContain('cidr_block: "10.0.0.0/16" → "10.9.0.0/16"  # forces replacement');
      expect(against.stdout.trim().split("\n").pop()).toMatch(/^\+0 ~\d+ -0 \(7 replacements: /);

      const usage = run(root, ["prod"]);
      expect(usage.status).toBe(2);
      expect(usage.stderr).toBe('error: no environment "prod" (configs/environments/prod.yaml); known: dev\n' +
        "usage: npm run preview -- <env> [--against <git-rev> | --against-dir <dir>] [--fail-on-replace]\n");
    } finally {
      removeProjectCopy(root);
    }
    // Four runs of the command (the --against one synthesizes twice): about 20 s on a quiet machine,
    // over the 60 s default when the two cores are shared.
  }, 240_000);
});
