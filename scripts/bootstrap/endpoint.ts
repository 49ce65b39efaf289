/**
 * Where the OpenSearch domain (and, on MSK Serverless, the Kafka brokers) are: the flag, else the
 * stack's Terraform output.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";

/** Runs `terraform output -json` in a directory; resolves stdout, rejects with the raw error. */
export type TerraformOutputRunner = (dir: string) => Promise<string>;

export const runTerraformOutput: TerraformOutputRunner = (dir) =>
  new Promise((resolve, reject) => {
    execFile(
      "terraform",
      ["output", "-json", "-no-color"],
      { cwd: dir, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, TF_IN_AUTOMATION: "1" } },
      (err, stdout, stderr) => {
        if (err) reject(Object.assign(err, { stderr: String(stderr) }));
        else resolve(String(stdout));
      },
    );
  });

/** Cannot find the endpoint: tell the user what to do. */
export class EndpointError extends Error {
  override readonly name = "EndpointError";
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Turn `--endpoint` (or the Terraform output) into a base URL. `https://` is optional. Plain
 * `http://` is accepted only for loopback addresses (local stand-ins), never for a real domain.
 */
export function normalizeEndpoint(raw: string): string {
  const value = raw.trim().replace(/\/+$/, "");
  if (!value) throw new EndpointError("the OpenSearch endpoint is empty");
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new EndpointError(`"${raw}" is not a valid OpenSearch endpoint (expected a host name such as vpc-xyz.ap-southeast-2.es.amazonaws.com)`);
  }
  if (url.protocol === "http:" && !LOOPBACK.has(url.hostname)) {
    throw new EndpointError(`refusing plain http:// for ${url.host}: OpenSearch Service is HTTPS only`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new EndpointError(`"${raw}" is not an https:// endpoint`);
  }
  if (url.pathname !== "/" || url.search) {
    throw new EndpointError(`"${raw}" must be a host name, without a path`);
  }
  return url.origin;
}

/**
 * Terraform's own error from its stderr: the first `Error: <summary>` and the first paragraph of
 * its detail. Warnings before it (e.g. "There are some problems with the CLI configuration", which
 * Terraform prints framed in box-drawing characters even with -no-color) are skipped.
 */
export function terraformError(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.replace(/^[│╷╵]\s?/, "").trimEnd());
  const at = lines.findIndex((l) => /^Error: /.test(l));
  if (at < 0) return lines.filter((l) => l.trim() && !/^Warning: |problems with the CLI configuration/.test(l)).slice(-1)[0]?.trim() ?? "";
  const detail: string[] = [];
  let i = at + 1;
  while (i < lines.length && !lines[i]!.trim()) i++;
  for (; i < lines.length && lines[i]!.trim() && !/^(Error|Warning): /.test(lines[i]!); i++) detail.push(lines[i]!.trim());
  return [lines[at]!.trim(), detail.join(" ")].filter(Boolean).join(": ");
}

/** What an output is called in messages, and the flag that replaces it. */
export interface OutputHint {
  readonly what: string;
  readonly flag: string;
}

export async function endpointFromTerraform(
  stackDir: string,
  outputName: string,
  env: string,
  run: TerraformOutputRunner,
  hint: OutputHint = { what: "endpoint", flag: "--endpoint HOST" },
): Promise<string> {
  const deployFirst = `deploy the stack first (cdktf deploy ${env}) or pass ${hint.flag}`;
  if (!existsSync(stackDir)) {
    throw new EndpointError(`stack directory ${stackDir} does not exist: run synth and ${deployFirst}`);
  }
  let stdout: string;
  try {
    stdout = await run(stackDir);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") {
      throw new EndpointError(`terraform is not installed or not on PATH, so the ${hint.what} cannot be read; pass ${hint.flag}`);
    }
    const detail = terraformError(e.stderr || e.message || "");
    throw new EndpointError(`"terraform output -json" failed in ${stackDir}${detail ? ` (${detail})` : ""}: ${deployFirst}`);
  }
  let outputs: Record<string, { value?: unknown }>;
  try {
    outputs = JSON.parse(stdout || "{}") as Record<string, { value?: unknown }>;
  } catch {
    throw new EndpointError(`"terraform output -json" in ${stackDir} did not print JSON: ${deployFirst}`);
  }
  if (Object.keys(outputs).length === 0) {
    throw new EndpointError(`no Terraform state with outputs in ${stackDir}: ${deployFirst}`);
  }
  const value = outputs[outputName]?.value;
  if (typeof value !== "string" || !value) {
    throw new EndpointError(`Terraform output "${outputName}" is missing in ${stackDir}: ${deployFirst}`);
  }
  return value;
}
