/**
 * The same configuration synthesizes to the same bytes in any checkout: nothing absolute (such as
 * cdktf's default local-backend path, the working directory) reaches the stack JSON.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { makeProjectCopy, removeProjectCopy, runMain } from "./support/project";

describe("synth from two different directories", () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach(removeProjectCopy));

  it("writes byte-identical stack JSON, with the local state at a relative path outside cdktf.out/", () => {
    const stacks = [0, 1].map(() => {
      const root = makeProjectCopy();
      roots.push(root);
      const result = runMain(root);
      expect(result.stderr).not.toMatch(/error/i);
      expect(result.status).toBe(0);
      return readFileSync(path.join(root, "cdktf.out/stacks/dev/cdk.tf.json"), "utf8");
    });
    expect(roots[0]).not.toBe(roots[1]);
    expect(stacks[0]).toBe(stacks[1]);
    for (const root of roots) expect(stacks[0]).not.toContain(root);
    const tf = JSON.parse(stacks[0]);
    expect(tf.terraform.backend).toEqual({ local: { path: "../../../terraform.dev.tfstate" } });
    // Terraform resolves it from the stack directory it runs in: the project root.
    expect(path.resolve(roots[0], "cdktf.out/stacks/dev", tf.terraform.backend.local.path)).toBe(path.join(roots[0], "terraform.dev.tfstate"));
  });
});
