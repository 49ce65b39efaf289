/**
 * OpenSearch bootstrap CLI, from the plan synth writes (cdktf.out/bootstrap/<env>/plan.json): on
 * MSK Serverless (the plan has kafka_topics) first creates and keeps in step the Kafka topics over
 * the Kafka protocol with SASL/IAM (scripts/bootstrap/kafka-topics.ts); then rotates the break-glass master password into its secret (and repairs a reset), creates the
 * Dashboards users, maps IAM roles to all_access / the read-only role, turns audit logging on or
 * off, creates/updates the indexes (settings, mappings, aliases), and each sink connector's FGAC
 * user, role and role mapping.
 *
 *   npx tsx scripts/bootstrap-indexes.ts --env dev [--plan FILE] [--endpoint HOST] [--kafka-brokers HOST:PORT,...]
 *     [--dry-run] [--rotate] [--timeout-ms N]
 *
 * Run after the first deploy (to_create_connector=false), with the VPN connected, signed in to AWS
 * with any identity allowed to read and rotate the master secret (it becomes an OpenSearch admin),
 * and before the sink connector is created.
 *
 * Why a TypeScript CLI and not bash + curl: it reuses the project's toolchain (tsx, strict tsc,
 * vitest), the official OpenSearch client with its SigV4 signer and the AWS SDK's credential chain
 * (profiles, SSO, env, IMDS — curl's --aws-sigv4 needs raw keys and no session-token handling), the
 * Secrets Manager client, and it is testable in-process against local stand-ins.
 *
 * Exit codes: 0 all fine; 1 a topic, index or sink failed or was refused (the others are still
 * applied), or the domain or the Kafka brokers could not be reached or found; 2 usage error (bad
 * flags, missing or invalid plan).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { runTerraformOutput } from "./bootstrap/endpoint";
import { EXIT_FAILED, runCli } from "./bootstrap/run";
import { secretsManagerStore } from "./bootstrap/secrets";

async function main(): Promise<number> {
  // The AWS SDK warns at every run on Node 20 that its releases from January 2027 need Node 22.
  // The locked SDK versions work on Node 20 and the project states its Node versions (package.json
  // engines, .nvmrc), so that notice is not actionable in a bootstrap run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const credentials = defaultProvider();
  return runCli(process.argv.slice(2), {
    credentials,
    // AWS_ENDPOINT_URL_SECRETS_MANAGER (standard SDK setting) can point this at a stand-in.
    secrets: (region) => secretsManagerStore(new SecretsManagerClient({ region, credentials })),
    terraformOutput: runTerraformOutput,
    sleep: (ms) => sleep(ms),
    random: Math.random,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Not a user mistake (those are handled with a message), but still no stack trace unless asked.
    const err = e as Error;
    process.stderr.write(`error: ${err?.message ?? String(e)}\n`);
    if (process.env.DEBUG) process.stderr.write(`${err?.stack ?? ""}\n`);
    process.exitCode = EXIT_FAILED;
  },
);
