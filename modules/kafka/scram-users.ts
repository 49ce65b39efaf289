/**
 * ScramUsers: the SASL/SCRAM users of an MSK cluster. One Secrets Manager secret per user, named
 * `AmazonMSK_<namePrefix>_<user>` and encrypted with a customer-managed KMS key (both required by
 * MSK), its password generated into it at deploy by `scripts/scram-passwords.ts` (never in YAML
 * or Terraform state), and all of them associated with the cluster.
 */
import { DataResource, Token } from "cdktf";
import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { MskScramSecretAssociation } from "@cdktf/provider-aws/lib/msk-scram-secret-association";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { policyDocument } from "../iam-policy";
import { PROJECT_ROOT_FROM_STACK } from "../stack-layout";

/** MSK only reads secrets whose name starts with this. */
export const SCRAM_SECRET_PREFIX = "AmazonMSK_";

/** The secret of one SCRAM user. */
export function scramSecretName(namePrefix: string, user: string): string {
  return `${SCRAM_SECRET_PREFIX}${namePrefix}_${user}`;
}

/** The command that fills the users' secrets (run from the project root). */
export function scramPasswordsCommand(region: string, secrets: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(secrets)
    .sort()
    .map((user) => `--secret '${secrets[user]}=${user}'`);
  return `npx tsx scripts/scram-passwords.ts --region ${region} ${pairs.join(" ")}`;
}

export interface ScramUsersProps {
  /** Prefix of every name (the environment's `name_prefix`). */
  readonly namePrefix: string;
  /** The cluster the secrets are associated with (SASL/SCRAM on). */
  readonly clusterArn: string;
  /** User names: 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter. */
  readonly users: readonly string[];
  /** Region of the stack: the key policy limits use to Secrets Manager there, and the password command calls it there. */
  readonly region: string;
  /** Account of the stack (the key policy's only caller account). */
  readonly accountId: string;
  /** AWS partition, for the key administrators' ARN. */
  readonly partition: string;
  /**
   * An existing customer-managed key for the secrets.
   * @default - a new key (rotation on) with alias `alias/<namePrefix>-msk-scram`
   */
  readonly kmsKeyArn?: string;
  /**
   * Days Secrets Manager keeps a deleted user secret (0 deletes at once; 7-30 otherwise).
   * @default 0
   */
  readonly secretRecoveryWindowDays?: number;
}

const USER = /^[a-z][a-z0-9_.-]{0,63}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-f0-9-]+$/;

/**
 * The users' key (unless one is given), their secrets, the password run and the association.
 *
 * Key policy (created key): the account's IAM policies administer the key (AWS's default
 * statement; without it the key could become unmanageable), and any principal of this account may
 * encrypt and decrypt with it only through Secrets Manager in this region (`kms:ViaService`,
 * `kms:CallerAccount`): the password run writes the secrets, MSK reads them through the
 * association. No direct use of the key by anyone.
 *
 * The secrets get no Terraform-managed version: `terraform_data.passwords` runs the password
 * command, which generates a password into each secret that has none (and leaves the others), so
 * a re-run converges and no password is ever in state. The association waits for it: MSK refuses
 * a secret without a value.
 */
export class ScramUsers extends Construct {
  /** The key this construct created (absent when `kmsKeyArn` was given). */
  public readonly key?: KmsKey;
  public readonly kmsKeyArn: string;
  /** Secret per user, keyed by user name. */
  public readonly secrets: Readonly<Record<string, SecretsmanagerSecret>>;
  /** Secret name per user. */
  public readonly secretNames: Readonly<Record<string, string>>;
  /** `terraform_data` whose local-exec fills the secrets. */
  public readonly passwords: DataResource;
  public readonly association: MskScramSecretAssociation;

  constructor(scope: Construct, id: string, props: ScramUsersProps) {
    super(scope, id);
    if (props.users.length === 0) throw new Error("ScramUsers: users must name at least one user");
    for (const user of props.users) {
      if (!USER.test(user)) {
        throw new Error(`ScramUsers: a user name must be 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter, got "${user}"`);
      }
    }
    const dup = props.users.find((u, i) => props.users.indexOf(u) !== i);
    if (dup !== undefined) throw new Error(`ScramUsers: user "${dup}" is listed twice`);
    if (props.kmsKeyArn !== undefined && !Token.isUnresolved(props.kmsKeyArn) && !KMS_KEY_ARN.test(props.kmsKeyArn)) {
      throw new Error(`ScramUsers: kmsKeyArn must be a KMS key ARN (not an alias), got "${props.kmsKeyArn}"`);
    }
    const recovery = props.secretRecoveryWindowDays ?? 0;
    if (!Number.isInteger(recovery) || (recovery !== 0 && (recovery < 7 || recovery > 30))) {
      throw new Error(`ScramUsers: secretRecoveryWindowDays must be 0 or 7 to 30, got ${recovery}`);
    }

    if (props.kmsKeyArn === undefined) {
      this.key = this.buildKey(props);
      new KmsAlias(this, "key-alias", { name: `alias/${props.namePrefix}-msk-scram`, targetKeyId: this.key.keyId });
    }
    this.kmsKeyArn = props.kmsKeyArn ?? this.key!.arn;

    const users = [...props.users].sort();
    const secrets: Record<string, SecretsmanagerSecret> = {};
    const names: Record<string, string> = {};
    for (const user of users) {
      names[user] = scramSecretName(props.namePrefix, user);
      secrets[user] = new SecretsmanagerSecret(this, `secret-${user}`, {
        name: names[user],
        description: `SASL/SCRAM credentials of Kafka user ${user}: {"username","password"}, the password generated by scripts/scram-passwords.ts at deploy. No version is managed by Terraform.`,
        kmsKeyId: this.kmsKeyArn,
        recoveryWindowInDays: recovery,
      });
    }
    this.secrets = secrets;
    this.secretNames = names;

    this.passwords = new DataResource(this, "passwords", {
      // A new user (a new secret) or another key runs it again; existing passwords are kept.
      triggersReplace: { secrets: users.map((u) => secrets[u].arn), kms_key: this.kmsKeyArn },
      provisioners: [{ type: "local-exec", workingDir: PROJECT_ROOT_FROM_STACK, command: scramPasswordsCommand(props.region, names) }],
    });
    this.association = new MskScramSecretAssociation(this, "association", {
      clusterArn: props.clusterArn,
      secretArnList: users.map((u) => secrets[u].arn),
      dependsOn: [this.passwords],
    });
  }

  private buildKey(props: ScramUsersProps): KmsKey {
    return new KmsKey(this, "key", {
      description: `SASL/SCRAM user secrets (AmazonMSK_${props.namePrefix}_*) of MSK cluster ${props.namePrefix}-msk`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        {
          Sid: "AccountIamPoliciesAdministerKey",
          Effect: "Allow",
          Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "UseThroughSecretsManagerInThisAccountOnly",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
          Resource: "*",
          Condition: {
            StringEquals: {
              "kms:ViaService": `secretsmanager.${props.region}.amazonaws.com`,
              "kms:CallerAccount": props.accountId,
            },
          },
        },
      ]),
      tags: { Name: `${props.namePrefix}-msk-scram` },
    });
  }
}
