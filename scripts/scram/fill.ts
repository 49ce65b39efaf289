/**
 * Fills the SASL/SCRAM users' secrets (Terraform creates them empty, encrypted with a
 * customer-managed key) with a generated password each, before Terraform associates them with the
 * cluster. A secret that already holds credentials is left as it is, so a re-run converges and a
 * rotated password is never overwritten; one that holds another user's name is refused.
 */
import { generatePassword, type SecretStore } from "../bootstrap/secrets";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface ScramSecret {
  readonly secretId: string;
  readonly username: string;
}

export interface ScramOptions {
  readonly region: string;
  readonly secrets: readonly ScramSecret[];
}

export const USAGE = "usage: npx tsx scripts/scram-passwords.ts --region REGION --secret SECRET_NAME=USER [--secret ...]";

/** The options, or undefined (with the problem written to `err`) for a usage error. */
export function parseScramArgs(argv: readonly string[], err: (line: string) => void): ScramOptions | undefined {
  let region: string | undefined;
  const secrets: ScramSecret[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === "--region" || flag === "--secret") && (value === undefined || value.startsWith("--"))) {
      err(`${flag} needs a value\n${USAGE}`);
      return undefined;
    }
    if (flag === "--region") {
      region = value;
      i++;
    } else if (flag === "--secret") {
      const m = /^(AmazonMSK_[0-9A-Za-z/_+=.@-]+)=([a-z][a-z0-9_.-]{0,63})$/.exec(value);
      if (!m) {
        err(`--secret must be AmazonMSK_<name>=<user>, got "${value}"\n${USAGE}`);
        return undefined;
      }
      secrets.push({ secretId: m[1], username: m[2] });
      i++;
    } else {
      err(`unknown argument "${flag}"\n${USAGE}`);
      return undefined;
    }
  }
  if (!region) {
    err(`--region is required\n${USAGE}`);
    return undefined;
  }
  if (secrets.length === 0) {
    err(`at least one --secret is required\n${USAGE}`);
    return undefined;
  }
  return { region, secrets };
}

/** Each secret: kept when it holds this user's credentials, generated when empty, refused otherwise. Every secret is tried. */
export async function fillScramSecrets(
  store: SecretStore,
  secrets: readonly ScramSecret[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let failed = false;
  for (const { secretId, username } of secrets) {
    try {
      const current = await store.read(secretId);
      if (current && current.username === username) {
        out(`${username}: secret ${secretId} already holds a password; kept`);
      } else if (current) {
        err(`${username}: secret ${secretId} holds credentials of user "${current.username}"; not changed (fix or empty the secret, then re-run)`);
        failed = true;
      } else {
        await store.write(secretId, { username, password: generatePassword() });
        out(`${username}: password generated into secret ${secretId} (value not shown)`);
      }
    } catch (e) {
      err(`${username}: ${(e as Error).message}`);
      failed = true;
    }
  }
  return failed ? EXIT_FAILED : EXIT_OK;
}
