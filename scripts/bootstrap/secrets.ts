/**
 * Passwords live only in Secrets Manager. Sink and Dashboards user secrets are created empty by
 * Terraform and written by the bootstrap; the master secret's first version is Terraform's throwaway,
 * and the bootstrap rotates it with staging labels (AWSPENDING -> change password -> AWSCURRENT).
 */
import { randomInt } from "node:crypto";
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";

export interface SinkCredentials {
  readonly username: string;
  readonly password: string;
}

export interface SecretDescription {
  /** Staging labels by version id. */
  readonly versions: Readonly<Record<string, readonly string[]>>;
}

export interface SecretStore {
  /** The AWSCURRENT credentials, or undefined when the secret has no usable value yet. */
  read(secretId: string): Promise<SinkCredentials | undefined>;
  /** A new version that becomes AWSCURRENT. */
  write(secretId: string, value: SinkCredentials): Promise<void>;
  /** The versions and their labels; fails clearly when the secret is missing or scheduled for deletion. */
  describe(secretId: string): Promise<SecretDescription>;
  /** One version's credentials, or undefined when it holds no usable value. */
  readVersion(secretId: string, versionId: string): Promise<SinkCredentials | undefined>;
  /** A new version labelled AWSPENDING only; `token` makes a retried call a no-op. Returns its id. */
  putPending(secretId: string, value: SinkCredentials, token: string): Promise<string>;
  /** Move `stage` to `toVersionId` (from `fromVersionId`, which must hold it). AWSCURRENT's move labels the old one AWSPREVIOUS. */
  moveStage(secretId: string, stage: string, toVersionId: string, fromVersionId: string | undefined): Promise<void>;
  /** Take `stage` off `fromVersionId`. */
  removeStage(secretId: string, stage: string, fromVersionId: string): Promise<void>;
}

/** Minimal view of the SDK client, so a test can pass the real client pointed at a stand-in. */
type SecretsClient = Pick<SecretsManagerClient, "send">;

/** "Marked for deletion": Secrets Manager refuses reads and writes until the secret is restored. */
function deletionHint(err: unknown, secretId: string): string {
  const e = err as { name?: string; message?: string };
  if (e.name === "InvalidRequestException" && /marked for deletion|scheduled for deletion/i.test(e.message ?? "")) {
    return ` (the secret is scheduled for deletion: restore it with "aws secretsmanager restore-secret --secret-id ${secretId}", then re-run)`;
  }
  return "";
}

export function secretsManagerStore(client: SecretsClient): SecretStore {
  const fail = (what: string, secretId: string, err: unknown): never => {
    const missing = (err as { name?: string }).name === "ResourceNotFoundException" ? " (deploy the stack first: Terraform creates it)" : "";
    throw new Error(`cannot ${what} secret ${secretId}: ${safeMessage(err)}${deletionHint(err, secretId) || missing}`);
  };
  return {
    async read(secretId) {
      try {
        const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
        return parseCredentials(out.SecretString);
      } catch (err) {
        // A secret Terraform created but never gave a value has no AWSCURRENT version: that is "empty".
        if ((err as { name?: string }).name === "ResourceNotFoundException") return undefined;
        return fail("read", secretId, err);
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
        const e = err as { name?: string };
        if (e.name === "ResourceNotFoundException") {
          throw new Error(`cannot store the password in secret ${secretId}: ${safeMessage(err)} (deploy the stack first: Terraform creates it)`, { cause: err });
        }
        throw new Error(`cannot store the password in secret ${secretId}: ${safeMessage(err)}${deletionHint(err, secretId)}`, { cause: err });
      }
    },
    async describe(secretId) {
      try {
        const out = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
        if (out.DeletedDate) {
          throw Object.assign(new Error("You can't perform this operation on the secret because it was marked for deletion."), {
            name: "InvalidRequestException",
          });
        }
        const versions: Record<string, string[]> = {};
        for (const [id, stages] of Object.entries(out.VersionIdsToStages ?? {})) versions[id] = [...(stages ?? [])];
        return { versions };
      } catch (err) {
        return fail("describe", secretId, err);
      }
    },
    async readVersion(secretId, versionId) {
      try {
        const out = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: versionId }));
        return parseCredentials(out.SecretString);
      } catch (err) {
        return fail("read", secretId, err);
      }
    },
    async putPending(secretId, value, token) {
      try {
        const out = await client.send(
          new PutSecretValueCommand({
            SecretId: secretId,
            ClientRequestToken: token,
            SecretString: JSON.stringify({ username: value.username, password: value.password }),
            VersionStages: ["AWSPENDING"],
          }),
        );
        return out.VersionId ?? token;
      } catch (err) {
        return fail("write AWSPENDING to", secretId, err);
      }
    },
    async moveStage(secretId, stage, toVersionId, fromVersionId) {
      try {
        await client.send(
          new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: stage, MoveToVersionId: toVersionId, RemoveFromVersionId: fromVersionId }),
        );
      } catch (err) {
        return fail(`move ${stage} in`, secretId, err);
      }
    },
    async removeStage(secretId, stage, fromVersionId) {
      try {
        await client.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: stage, RemoveFromVersionId: fromVersionId }));
      } catch (err) {
        return fail(`remove ${stage} in`, secretId, err);
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
