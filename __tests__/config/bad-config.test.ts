/**
 * The bad-input corpus: each folder under fixtures/ overlays files on a copy of the reference
 * configuration; expected.txt holds the exact issue lines main.ts must print. main.ts runs as a
 * child process, as a user would run it.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { issueLines, makeProjectCopy, removeProjectCopy, runMain, type RunResult } from "../support/project";

const FIXTURES = path.join(__dirname, "fixtures");
const cases = readdirSync(FIXTURES).sort();

describe.concurrent("bad configuration corpus", () => {
  it("has at least 15 distinct mistakes", () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)("%s: reports exactly the expected issues, exits 1, writes nothing, no stack trace", (name) => {
    const overlayDir = path.join(FIXTURES, name, "files");
    const noArtifacts = existsSync(path.join(overlayDir, "__no_artifacts__"));
    const root = makeProjectCopy({ overlayDir, artifacts: !noArtifacts });
    rmSync(path.join(root, "__no_artifacts__"), { force: true });
    let result: RunResult;
    try {
      result = runMain(root);
      expect(existsSync(path.join(root, "cdktf.out"))).toBe(false);
    } finally {
      removeProjectCopy(root);
    }
    const expected = readFileSync(path.join(FIXTURES, name, "expected.txt"), "utf8").trim().split("\n");
    expect(result.status).toBe(1);
    expect(issueLines(result.stderr)).toEqual(expected);
    expect(result.stderr).toContain(`${expected.length} configuration error`);
    expect(result.stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
    expect(result.stderr).not.toMatch(/Error:|ZodError|node:internal/);
  });

  it("reports mistakes in several files in one run, sorted by file and line", () => {
    const expected = readFileSync(path.join(FIXTURES, "several-files", "expected.txt"), "utf8").trim().split("\n");
    const files = new Set(expected.map((l) => l.split(":")[0]));
    expect(files.size).toBeGreaterThanOrEqual(3);
    const keys = expected.map((l) => {
      const [file, line, col] = l.split(/[: ]/);
      return [file, Number(line), Number(col)] as const;
    });
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    expect(keys).toEqual(sorted);
  });
});
