// The shared command-line helper (scripts/cli.ts), in-process. The commands' own contract (a bad
// flag exits 2 with the usage) is in commands.cli.test.ts.
import { describe, expect, it } from "vitest";
import { parseCommandLine, UsageError, usageErrorText } from "../scripts/cli";

const spec = {
  usage: "usage: cmd <env> [--name N] [--dry-run]",
  options: { name: { type: "string" }, "dry-run": { type: "boolean" } },
  maxPositionals: 1,
} as const;

const usageError = (argv: string[]): string => {
  try {
    parseCommandLine(argv, spec);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error(`no usage error for ${argv.join(" ")}`);
};

describe("parseCommandLine", () => {
  it("returns typed flags and positionals", () => {
    const parsed = parseCommandLine(["dev", "--name", "x", "--dry-run"], spec);
    expect(parsed?.values).toEqual({ name: "x", "dry-run": true });
    expect(parsed?.positionals).toEqual(["dev"]);
  });

  it("returns undefined for --help and -h, also next to a bad flag", () => {
    expect(parseCommandLine(["--help"], spec)).toBeUndefined();
    expect(parseCommandLine(["-h", "--frobnicate"], spec)).toBeUndefined();
  });

  it("treats --help after -- as a positional argument", () => {
    expect(parseCommandLine(["--", "--help"], spec)?.positionals).toEqual(["--help"]);
  });

  it("rejects an unknown flag, naming it", () => {
    expect(usageError(["dev", "--frobnicate"])).toMatch(/^Unknown option '--frobnicate'/);
  });

  it("rejects a string flag without its value, also when the next word is a flag", () => {
    expect(usageError(["dev", "--name"])).toMatch(/^Option '--name <value>' argument missing/);
    expect(usageError(["dev", "--name", "--dry-run"])).toMatch(/^Option '--name' argument is ambiguous/);
  });

  it("rejects a value given to a boolean flag", () => {
    expect(usageError(["dev", "--dry-run=yes"])).toMatch(/^Option '--dry-run' does not take an argument/);
  });

  it("rejects more positional arguments than the command takes", () => {
    expect(usageError(["dev", "prod"])).toBe("unexpected argument prod");
    expect(() => parseCommandLine(["x"], { usage: "usage: none", options: {} })).toThrow(new UsageError("unexpected argument x"));
  });
});

it("a usage error prints `error: <message>` and then the usage", () => {
  expect(usageErrorText("Unknown option '--x'", spec.usage)).toBe("error: Unknown option '--x'\nusage: cmd <env> [--name N] [--dry-run]\n");
});
