/**
 * The command line of every command in scripts/: one parser (`node:util` `parseArgs`, strict) and
 * one exit-code convention.
 *
 *   0  done (`--help` prints the usage to stdout)
 *   1  the command ran and failed (invalid configuration, a check that did not pass, ...)
 *   2  usage error: an unknown flag, a missing or extra argument, a value that cannot be right;
 *      stderr gets `error: <message>` and the usage, never a stack trace
 *
 * A command may give a further code its own meaning (preview's `--fail-on-replace` exits 3).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called; printed with the usage, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface CommandSpec<O extends Options> {
  /** Starts with `usage: `; printed for `--help` and after every usage error. */
  readonly usage: string;
  /** The flags (`--help`/`-h` is added). */
  readonly options: O;
  /**
   * How many positional arguments the command takes at most (it checks the ones it needs itself,
   * with a message that names them).
   * @default 0
   */
  readonly maxPositionals?: number;
}

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>;

/**
 * Parses `argv` (without node and the script). Returns undefined for `--help`; throws UsageError
 * for an unknown flag, a flag without its value, or too many positional arguments.
 */
export function parseCommandLine<O extends Options>(argv: readonly string[], spec: CommandSpec<O>): Parsed<O> | undefined {
  // Before parsing, so that `--help` works next to a bad flag too (not after `--`, which ends the flags).
  const flags = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
  if (flags.includes("--help") || flags.includes("-h")) return undefined;
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: [...argv], options: spec.options, strict: true, allowPositionals: true });
  } catch (e) {
    // parseArgs's messages name the flag ("Unknown option '--x'", "Option '--env <value>' argument missing").
    throw new UsageError((e as Error).message);
  }
  const max = spec.maxPositionals ?? 0;
  if (parsed.positionals.length > max) throw new UsageError(`unexpected argument ${parsed.positionals[max]}`);
  return parsed;
}

/** The text a usage error prints to stderr. */
export function usageErrorText(message: string, usage: string): string {
  return `error: ${message}\n${usage}\n`;
}

/**
 * For a command's entry point: parses, or prints the usage and exits (0 for `--help`, 2 for a
 * usage error).
 */
export function parseCommandLineOrExit<O extends Options>(argv: readonly string[], spec: CommandSpec<O>): Parsed<O> {
  let parsed: Parsed<O> | undefined;
  try {
    parsed = parseCommandLine(argv, spec);
  } catch (e) {
    if (e instanceof UsageError) exitUsage(e.message, spec.usage);
    throw e;
  }
  if (parsed === undefined) {
    process.stdout.write(`${spec.usage}\n`);
    process.exit(EXIT_OK);
  }
  return parsed;
}

/** Prints `error: <message>` and the usage to stderr and exits 2. */
export function exitUsage(message: string, usage: string): never {
  process.stderr.write(usageErrorText(message, usage));
  process.exit(EXIT_USAGE);
}
