/**
 * Generates the SASL/SCRAM users' passwords into their secrets (AmazonMSK_<name_prefix>_<user>),
 * so no password is ever in YAML or Terraform state. Terraform runs it (terraform_data.passwords of
 * ScramUsers) before it associates the secrets with the cluster; running it by hand is harmless:
 * secrets that hold a password are kept.
 *
 *   npx tsx scripts/scram-passwords.ts --region REGION --secret SECRET_NAME=USER [--secret ...]
 *
 * Signed in to AWS with an identity that may write the secrets (secretsmanager:GetSecretValue,
 * PutSecretValue) and use their KMS key through Secrets Manager. AWS_ENDPOINT_URL_SECRETS_MANAGER
 * (standard SDK setting) can point it at a stand-in.
 *
 * Exit codes: 0 every secret holds its user's password; 1 a secret could not be read or written,
 * or holds another user's credentials; 2 usage error.
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secretsManagerStore } from "./bootstrap/secrets";
import { EXIT_FAILED, EXIT_USAGE, fillScramSecrets, parseScramArgs } from "./scram/fill";

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const options = parseScramArgs(process.argv.slice(2), err);
  if (!options) return EXIT_USAGE;
  const store = secretsManagerStore(new SecretsManagerClient({ region: options.region }));
  return fillScramSecrets(store, options.secrets, (line) => process.stdout.write(`${line}\n`), err);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = EXIT_FAILED;
  },
);
