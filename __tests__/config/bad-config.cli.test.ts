/**
 * The command-line contract for bad configuration, through main.ts as a user runs it: exit 1, the
 * issue lines on stderr, nothing written, no stack trace. The whole corpus is checked in-process
 * in bad-config.test.ts; these cases cover one file and several files.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { corpusProject, expectedLines } from "../support/corpus";
import { issueLines, removeProjectCopy, runMain } from "../support/project";

describe.each(["unknown-key", "several-files", "yaml-syntax"])("synth with the %s mistake", (name) => {
  it("exits 1, prints exactly the issues, writes nothing and shows no stack trace", () => {
    const root = corpusProject(name);
    try {
      const result = runMain(root);
      const expected = expectedLines(name);
      expect(result.status).toBe(1);
      expect(issueLines(result.stderr)).toEqual(expected);
      expect(result.stderr).toContain(`${expected.length} configuration error`);
      expect(result.stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
      expect(result.stderr).not.toMatch(/Error:|ZodError|node:internal/);
      expect(existsSync(path.join(root, "cdktf.out"))).toBe(false);
    } finally {
      removeProjectCopy(root);
    }
  });
});
