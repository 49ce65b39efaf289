/**
 * The bad-input corpus, checked in-process against the loader: every case reports exactly its
 * expected issue lines, all at once, sorted by file, line and column. The command-line contract
 * (exit code, stderr, nothing written, no stack trace) is checked in bad-config.cli.test.ts.
 */
import { formatIssue } from "../../modules/config/issues";
import { ConfigError, corpusCases, expectedLines, loadCorpusCase } from "../support/corpus";

const cases = corpusCases();

describe("bad configuration corpus", () => {
  it("has at least 15 distinct mistakes", () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)("%s: the loader reports exactly the expected issues", (name) => {
    const { error } = loadCorpusCase(name);
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).issues.map(formatIssue);
    expect(lines).toEqual(expectedLines(name));
    expect((error as ConfigError).message.split("\n")[0]).toBe(
      `${lines.length} configuration error${lines.length === 1 ? "" : "s"}:`,
    );
  });

  it("reports mistakes in several files in one run, sorted by file, line and column", () => {
    const { error } = loadCorpusCase("several-files");
    const issues = (error as ConfigError).issues;
    expect(new Set(issues.map((i) => i.file)).size).toBeGreaterThanOrEqual(3);
    const keys = issues.map((i) => [i.file, i.line, i.col] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    expect(keys).toEqual(sorted);
  });
});
