/**
 * The sink's password lives only in Secrets Manager (Terraform creates the secret with no value).
 */
import { randomInt } from "node:crypto";
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";

export interface SinkCredentials {
  readonly username: string;
  readonly password: string;
}

export interface SecretStore {
  /** The stored credentials, or undefined when the secret has no usable value yet. */
  read(secretId: string): Promise<SinkCredentials | undefined>;
  write(secretId: string, value: SinkCredentials): Promise<void>;
}

/** Minimal view of the SDK client, so a test can pass the real client pointed at a stand-in. */
type SecretsClient = Pick<SecretsManagerClient, "send">;

export function secretsManagerStore(client: SecretsClient): SecretStore {
  return {
    async read(secretId) {
      try {
        const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
        return parseCredentials(out.SecretString);
      } catch (err) {
        // A secret Terraform created but never gave a value has no AWSCURRENT version: that is "empty".
        if ((err as { name?: string }).name === "ResourceNotFoundException") return undefined;
        throw new Error(`cannot read secret ${secretId}: ${safeMessage(err)}`);
      }
    },
    async write(secretId, value) {
      try {
        await client.send(
          new PutSecretValueCommand({
            SecretId: secretId,
            SecretString: JSON.stringify({ username: value.username, password: value.password }),
          }),
        );
      } catch (err) {
        const hint =
          (err as { name?: string }).name === "ResourceNotFoundException" ? " (deploy the stack first: Terraform creates it)" : "";
        throw new Error(`cannot store the password in secret ${secretId}: ${safeMessage(err)}${hint}`);
      }
    },
  };
}

function parseCredentials(secretString: string | undefined): SinkCredentials | undefined {
  if (!secretString) return undefined;
  try {
    const v = JSON.parse(secretString) as { username?: unknown; password?: unknown };
    if (typeof v.username === "string" && typeof v.password === "string" && v.password.length > 0) {
      return { username: v.username, password: v.password };
    }
  } catch {
    // not JSON: treat as no usable value
  }
  return undefined;
}

/** SDK error messages never contain the secret value, but keep them to the first line. */
function safeMessage(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? "Error"}: ${(e.message ?? String(err)).split("\n")[0]}`;
}

const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER = "abcdefghijkmnopqrstuvwxyz";
const DIGIT = "23456789";
// No quotes, backslash, `$`, `{`, `}` or spaces: the password travels through JSON, Kafka Connect
// config-provider substitution (`${secretsmanager:...}`) and shells without escaping surprises.
const SPECIAL = "!#%&*+-.:=?@^_~";
const ALL = UPPER + LOWER + DIGIT + SPECIAL;

/**
 * A 32-character password from the OS CSPRNG with at least one upper, lower, digit and special
 * character: it satisfies OpenSearch's default policy (≥ 8 chars, all four classes) and its
 * strength check with a wide margin (~190 bits).
 */
export function generatePassword(length = 32): string {
  if (length < 8) throw new Error("password length must be at least 8");
  for (;;) {
    let out = "";
    for (let i = 0; i < length; i++) out += ALL[randomInt(ALL.length)];
    if ([UPPER, LOWER, DIGIT, SPECIAL].every((set) => [...out].some((c) => set.includes(c)))) return out;
  }
}
