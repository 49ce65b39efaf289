/**
 * The manifest and lock side of scripts/download-connectors.sh, so that both files have exactly
 * one parser each (the zod schemas the config loader uses).
 *
 *   tsx scripts/plugin-sources.ts list MANIFEST
 *     one line per source, tab-separated:
 *     <plugin> <version> <content_type> <file> <url> <pinned sha256 | -> <unpack 1|0> <artifact pin | -> <classes>
 *     (<classes>: connector_classes, config_providers and converters, comma-separated). Pins come from the
 *     lock next to the manifest and only when they still hold (modules/config/plugin-lock.ts).
 *
 *   tsx scripts/plugin-sources.ts record MANIFEST RESULTS
 *     merges RESULTS (lines "source<TAB>plugin<TAB>url<TAB>sha256" and "artifact<TAB>plugin<TAB>sha256")
 *     with the pins that still hold, and rewrites the lock: entries of plugins no longer in the
 *     manifest and pins that no longer hold are dropped. Prints "changed" when the file changed.
 *
 * Exit codes (scripts/cli.ts): 0 done; 1 the manifest, the lock or a value in them is invalid;
 * 2 usage error.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { isObject } from "../modules/json";
import { emptyLock, formatLock, pinsFor, pluginLockSchema, type LockedPlugin, type PluginLock } from "../modules/config/plugin-lock";
import { pluginManifestSchema, type PluginManifestSpec } from "../modules/config/schema";
import { EXIT_FAILED, exitUsage, parseCommandLineOrExit } from "./cli";

const USAGE = "usage: tsx scripts/plugin-sources.ts list [--used-only] [MANIFEST] | record MANIFEST RESULTS";

/**
 * Plugins that a connector (`plugin:`) or processor (`application:`) file of the project names. A
 * file that does not parse names none here; synth reports it.
 */
function usedPlugins(manifestFile: string): Set<string> {
  const root = path.dirname(path.dirname(manifestFile));
  const used = new Set<string>();
  for (const [dir, field] of [["configs/connectors", "plugin"], ["configs/processors", "application"]] as const) {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs).filter((n) => /\.ya?ml$/.test(n))) {
      try {
        const doc: unknown = parse(readFileSync(path.join(abs, f), "utf8"));
        const name = isObject(doc) ? doc[field] : undefined;
        if (typeof name === "string") used.add(name);
      } catch {
        // reported by synth
      }
    }
  }
  return used;
}

const lockPathOf = (manifest: string) => path.join(path.dirname(manifest), "manifest.lock.json");

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(EXIT_FAILED);
}

function readManifest(file: string): PluginManifestSpec {
  let data: unknown;
  try {
    data = parse(readFileSync(file, "utf8"));
  } catch (err) {
    fail(`${file}: ${(err as Error).message}`);
  }
  const result = pluginManifestSchema.safeParse(data);
  if (!result.success) {
    fail(result.error.issues.map((i) => `${file}: ${i.path.join(".") || "(file)"}: ${i.message}`).join("\n"));
  }
  return result.data;
}

function readLock(file: string): PluginLock {
  if (!existsSync(file)) return emptyLock();
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    fail(`${file}: not valid JSON (${(err as Error).message}); restore it from git, or delete it to pin everything again`);
  }
  const result = pluginLockSchema.safeParse(data);
  if (!result.success) {
    fail(result.error.issues.map((i) => `${file}: ${i.path.join(".") || "(file)"}: ${i.message}`).join("\n"));
  }
  return result.data;
}

function list(manifestFile: string, usedOnly: boolean): void {
  const manifest = readManifest(manifestFile);
  const lock = readLock(lockPathOf(manifestFile));
  const used = usedOnly ? usedPlugins(manifestFile) : undefined;
  const lines: string[] = [];
  for (const name of Object.keys(manifest.plugins).sort()) {
    if (used && !used.has(name)) continue;
    const p = manifest.plugins[name];
    const pins = pinsFor(p, lock.plugins[name]);
    const classes = [...p.connector_classes, ...p.config_providers, ...(p.converters ?? []), ...(p.application_class ? [p.application_class] : [])].join(",");
    p.sources.forEach((s, i) => {
      const fields = [name, p.version, p.content_type, p.file, s.url, pins.sources[i] ?? "-", s.unpack ? "1" : "0", pins.artifact ?? "-", classes];
      if (fields.some((f) => /[\t\n ]/.test(f))) fail(`${manifestFile}: plugins.${name}: a space, tab or newline in a value`);
      lines.push(fields.join("\t"));
    });
  }
  process.stdout.write(lines.length ? `${lines.join("\n")}\n` : "");
}

function record(manifestFile: string, resultsFile: string): void {
  const manifest = readManifest(manifestFile);
  const lockFile = lockPathOf(manifestFile);
  const before = existsSync(lockFile) ? readFileSync(lockFile, "utf8") : "";
  const lock = readLock(lockFile);
  const sources = new Map<string, string>(); // "plugin\turl" -> sha256
  const artifacts = new Map<string, string>();
  for (const line of readFileSync(resultsFile, "utf8").split("\n")) {
    const [kind, plugin, a, b] = line.split("\t");
    if (kind === "source" && b) sources.set(`${plugin}\t${a}`, b);
    else if (kind === "artifact" && a) artifacts.set(plugin, a);
  }
  const next: PluginLock = { ...emptyLock(), plugins: {} };
  for (const name of Object.keys(manifest.plugins)) {
    const p = manifest.plugins[name];
    const pins = pinsFor(p, lock.plugins[name]);
    const pinned = p.sources
      .map((s, i) => ({ url: s.url, unpack: s.unpack, sha256: sources.get(`${name}\t${s.url}`) ?? pins.sources[i] }))
      .filter((s): s is LockedPlugin["sources"][number] => s.sha256 !== undefined);
    if (pinned.length === 0) continue;
    const artifact = pinned.length === p.sources.length ? (artifacts.get(name) ?? pins.artifact) : undefined;
    next.plugins[name] = {
      version: p.version,
      content_type: p.content_type,
      file: p.file,
      sources: pinned,
      ...(artifact ? { artifact: { sha256: artifact } } : {}),
    };
  }
  const text = formatLock(next);
  if (text !== before) {
    writeFileSync(lockFile, text);
    process.stdout.write("changed\n");
  }
}

const { positionals, values } = parseCommandLineOrExit(process.argv.slice(2), { usage: USAGE, options: { "used-only": { type: "boolean" } }, maxPositionals: 3 });
const [command, manifestArg, resultsArg] = positionals;
const manifestFile = path.resolve(manifestArg ?? path.join(process.env.PIPELINE_ROOT ?? process.cwd(), "connectors", "manifest.yaml"));
if (command === "list" && resultsArg === undefined) list(manifestFile, Boolean(values["used-only"]));
else if (command === "record" && resultsArg) record(manifestFile, resultsArg);
else if (command === "list") exitUsage(`unexpected argument ${resultsArg}`, USAGE);
else if (command === "record") exitUsage("record needs MANIFEST and RESULTS", USAGE);
else exitUsage(command === undefined ? "which command? (list or record)" : `unknown command ${command}`, USAGE);
