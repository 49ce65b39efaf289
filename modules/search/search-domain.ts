/**
 * SearchDomain: an Amazon OpenSearch Service domain in private subnets with encryption at rest,
 * node-to-node encryption, HTTPS only (TLS 1.2+ with forward secrecy), fine-grained access control
 * with the internal user database on and an internal break-glass master user, log publishing
 * (audit logs included by default), and a security group that names its clients.
 */
import { Fn, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { DataAwsSecretsmanagerRandomPassword } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password";
import { OpensearchDomain } from "@cdktf/provider-aws/lib/opensearch-domain";
import { OpensearchDomainPolicy } from "@cdktf/provider-aws/lib/opensearch-domain-policy";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import type { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { addClientIngressRules, validateClientSecurityGroups, type ClientSecurityGroups } from "../network/client-security-groups";
import { LOG_RETENTION_DAYS } from "../validators/aws-values";
import { policyDocument } from "../iam-policy";

/** TLS 1.2 and 1.3 with perfect-forward-secrecy ciphers only (accepted by AWS provider 6.x). */
export const TLS_SECURITY_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";

/** Log types published to CloudWatch, with the slug used in ids and log group names. */
const LOG_TYPES = [
  { type: "INDEX_SLOW_LOGS", slug: "index-slow" },
  { type: "SEARCH_SLOW_LOGS", slug: "search-slow" },
  { type: "ES_APPLICATION_LOGS", slug: "application" },
  { type: "AUDIT_LOGS", slug: "audit" },
] as const;

export type SearchLogType = (typeof LOG_TYPES)[number]["type"];

/**
 * Staging label of the master secret's first version, the throwaway password Terraform created the
 * domain with. It never moves: the bootstrap recognises that version (rotation still due, or the
 * domain was reset to it by a re-sent or replaced domain) and repairs. It also keeps Secrets
 * Manager from deleting that version once it is no longer AWSCURRENT or AWSPREVIOUS.
 */
export const MASTER_INITIAL_STAGE = "TERRAFORM_INITIAL";

/** The internal master user's name: from the environment prefix. */
export function masterUsername(namePrefix: string): string {
  return `${namePrefix}-master`;
}

/** Secrets Manager secret of the internal master user ({"username","password"}). */
export function masterSecretName(namePrefix: string): string {
  return `${namePrefix}/opensearch/master`;
}

/** Secrets Manager secret of a Dashboards user ({"username","password"}, written by the bootstrap). */
export function dashboardsUserSecretName(namePrefix: string, user: string): string {
  return `${namePrefix}/opensearch/dashboards/${user}`;
}

export interface SearchDomainProps {
  /** Prefix of every name (the environment's `name_prefix`). */
  readonly namePrefix: string;
  /**
   * Domain name: 3 to 28 characters, lowercase letters, digits and '-', starting with a letter.
   * @default `<namePrefix>-search`
   */
  readonly domainName?: string;
  /** VPC of the domain's security group. */
  readonly vpcId: string;
  /** Private subnets, one per AZ; the domain uses the first `zoneCount` of them. */
  readonly subnetIds: readonly string[];
  /**
   * Security groups allowed to reach the domain on 443, keyed by a stable name used in the rule's
   * id and description, e.g. `{ connectors: sg, vpn: sg }`.
   */
  readonly clientSecurityGroups: ClientSecurityGroups;
  /**
   * Engine version, `OpenSearch_<major>.<minor>`.
   * @default "OpenSearch_2.19"
   */
  readonly engineVersion?: string;
  /**
   * Data node instance type.
   * @default "m6g.large.search"
   */
  readonly instanceType?: string;
  /**
   * Data nodes; a multiple of zoneCount.
   * @default 2
   */
  readonly instanceCount?: number;
  /**
   * AZs the domain spans (1 turns zone awareness off).
   * @default 2
   */
  readonly zoneCount?: number;
  /**
   * Turns on three dedicated master nodes of this type.
   * @default - no dedicated masters
   */
  readonly dedicatedMasterType?: string;
  /**
   * gp3 EBS volume per data node, GiB.
   * @default 20
   */
  readonly ebsVolumeGb?: number;
  /**
   * Dashboards users (internal users the bootstrap creates): one empty secret each, named
   * `<namePrefix>/opensearch/dashboards/<user>`, keyed by the YAML key.
   * @default - none
   */
  readonly dashboardsUsers?: readonly string[];
  /**
   * Days Secrets Manager keeps a deleted master or Dashboards user secret (0 deletes at once; 7-30).
   * @default 7
   */
  readonly secretRecoveryWindowDays?: number;
  /**
   * Retention of the domain's log groups, days (one of CloudWatch's periods).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Publish audit logs (AUDIT_LOGS) to their own log group; the bootstrap turns audit logging on in
   * the security plugin. false publishes none (and the bootstrap turns it off).
   * @default true
   */
  readonly auditLogs?: boolean;
  /**
   * Loose option: FGAC anonymous access (the reference design). Requests without credentials then
   * get the anonymous role's permissions.
   * @default false
   */
  readonly anonymousAccess?: boolean;
  /**
   * What the domain waits for besides its own resources, e.g. the OpenSearch service-linked role
   * (`OpenSearchServiceLinkedRole.dependables`), without which a VPC domain cannot be created.
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** SearchDomainProps with every default applied. */
interface ResolvedSearchDomainProps {
  readonly namePrefix: string;
  readonly domainName: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly clientSecurityGroups: ClientSecurityGroups;
  readonly engineVersion: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly zoneCount: number;
  readonly dedicatedMasterType?: string;
  readonly ebsVolumeGb: number;
  readonly dashboardsUsers: readonly string[];
  readonly secretRecoveryWindowDays: number;
  readonly logRetentionDays: number;
  readonly auditLogs: boolean;
  readonly anonymousAccess: boolean;
  readonly dependsOn: readonly ITerraformDependable[];
}

function withDefaults(props: SearchDomainProps): ResolvedSearchDomainProps {
  return {
    ...props,
    domainName: props.domainName ?? `${props.namePrefix}-search`,
    engineVersion: props.engineVersion ?? "OpenSearch_2.19",
    instanceType: props.instanceType ?? "m6g.large.search",
    instanceCount: props.instanceCount ?? 2,
    zoneCount: props.zoneCount ?? 2,
    ebsVolumeGb: props.ebsVolumeGb ?? 20,
    logRetentionDays: props.logRetentionDays ?? 30,
    auditLogs: props.auditLogs ?? true,
    secretRecoveryWindowDays: props.secretRecoveryWindowDays ?? 7,
    dashboardsUsers: props.dashboardsUsers ?? [],
    anonymousAccess: props.anonymousAccess ?? false,
    dependsOn: props.dependsOn ?? [],
  };
}

/** Refuses props OpenSearch or this construct would not accept, naming the value received. */
function validate(p: ResolvedSearchDomainProps): void {
  const { domainName, engineVersion, instanceType, instanceCount, zoneCount, ebsVolumeGb, logRetentionDays, dashboardsUsers } = p;
  const recoveryWindow = p.secretRecoveryWindowDays;
  if (domainName.length > 28) {
    throw new Error(`SearchDomain: domain name "${domainName}" is ${domainName.length} characters long; OpenSearch allows at most 28`);
  }
  if (!/^[a-z][a-z0-9-]{2,27}$/.test(domainName)) {
    throw new Error(
      `SearchDomain: domain name must be 3-28 lowercase letters, digits or '-', starting with a letter, got "${domainName}"`,
    );
  }
  if (!/^OpenSearch_\d+\.\d+$/.test(engineVersion)) {
    throw new Error(`SearchDomain: engineVersion must look like OpenSearch_2.19, got "${engineVersion}"`);
  }
  const instanceTypePattern = /^[a-z0-9]+\.[a-z0-9]+\.search$/;
  if (!instanceTypePattern.test(instanceType)) {
    throw new Error(`SearchDomain: instanceType must look like m6g.large.search, got "${instanceType}"`);
  }
  if (p.dedicatedMasterType !== undefined && !instanceTypePattern.test(p.dedicatedMasterType)) {
    throw new Error(`SearchDomain: dedicatedMasterType must look like m6g.large.search, got "${p.dedicatedMasterType}"`);
  }
  if (!Number.isInteger(zoneCount) || zoneCount < 1 || zoneCount > 3) {
    throw new Error(`SearchDomain: zoneCount must be 1, 2 or 3, got ${zoneCount}`);
  }
  if (zoneCount > p.subnetIds.length) {
    throw new Error(`SearchDomain: zoneCount (${zoneCount}) needs as many subnets, got ${p.subnetIds.length}`);
  }
  if (!Number.isInteger(instanceCount) || instanceCount < 1) {
    throw new Error(`SearchDomain: instanceCount must be a positive integer, got ${instanceCount}`);
  }
  if (instanceCount % zoneCount !== 0) {
    throw new Error(`SearchDomain: instanceCount (${instanceCount}) must be a multiple of zoneCount (${zoneCount})`);
  }
  if (!Number.isInteger(ebsVolumeGb) || ebsVolumeGb < 10 || ebsVolumeGb > 16384) {
    throw new Error(`SearchDomain: ebsVolumeGb must be an integer from 10 to 16384, got ${ebsVolumeGb}`);
  }
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new Error(`SearchDomain: logRetentionDays must be one of CloudWatch's periods (${LOG_RETENTION_DAYS.join(", ")}), got ${logRetentionDays}`);
  }
  if (!Number.isInteger(recoveryWindow) || (recoveryWindow !== 0 && (recoveryWindow < 7 || recoveryWindow > 30))) {
    throw new Error(`SearchDomain: secretRecoveryWindowDays must be 0 or 7-30, got ${recoveryWindow}`);
  }
  for (const user of dashboardsUsers) {
    if (!/^[a-z][a-z0-9._-]{1,31}$/.test(user)) {
      throw new Error(`SearchDomain: Dashboards user names must be 2-32 lowercase letters, digits, '.', '_' or '-', got "${user}"`);
    }
  }
  if (new Set(dashboardsUsers).size !== dashboardsUsers.length) {
    throw new Error(`SearchDomain: Dashboards user names must be unique, got ${dashboardsUsers.join(", ")}`);
  }
  if (dashboardsUsers.includes(masterUsername(p.namePrefix))) {
    throw new Error(`SearchDomain: Dashboards user "${masterUsername(p.namePrefix)}" is the master user's name`);
  }
  validateClientSecurityGroups("SearchDomain", p.clientSecurityGroups);
}

/** Caller identity, region and partition: the parts of ARNs built before their resources exist. */
interface AccountData {
  readonly caller: DataAwsCallerIdentity;
  readonly region: DataAwsRegion;
  readonly partition: DataAwsPartition;
}

/**
 * OpenSearch domain.
 *
 * Security group: ingress 443 from each named client group only. No egress rule: the domain
 * initiates nothing through its VPC interfaces (replies need none; groups are stateful), and
 * Terraform removes the default allow-all egress rule when it creates the group.
 */
export class SearchDomain extends Construct {
  public readonly domain: OpensearchDomain;
  public readonly domainPolicy: OpensearchDomainPolicy;
  public readonly securityGroup: SecurityGroup;
  /** One rule per client, keyed like `clientSecurityGroups`. */
  public readonly ingressRules: Readonly<Record<string, VpcSecurityGroupIngressRule>>;
  /** Log group per published log type. */
  public readonly logGroups: Readonly<Partial<Record<SearchLogType, CloudwatchLogGroup>>>;
  public readonly logResourcePolicy: CloudwatchLogResourcePolicy;
  /** The internal master user (break-glass only). */
  public readonly masterUsername: string;
  /** Secret holding the master's `{"username","password"}`; the bootstrap rotates it. */
  public readonly masterSecret: SecretsmanagerSecret;
  /** Its first version: the throwaway initial password, labelled MASTER_INITIAL_STAGE. */
  public readonly masterInitialVersion: SecretsmanagerSecretVersion;
  /** Empty secret per Dashboards user, keyed by user name. */
  public readonly dashboardsUserSecrets: Readonly<Record<string, SecretsmanagerSecret>>;

  /** Domain endpoint (host name, no scheme). */
  public readonly endpoint: string;
  /** `https://<endpoint>/_dashboards` */
  public readonly dashboardUrl: string;
  public readonly domainArn: string;
  public readonly domainName: string;
  /** The domain name as a plain string, for data read outside Terraform (the bootstrap plan). */
  public readonly name: string;
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: SearchDomainProps) {
    super(scope, id);
    const p = withDefaults(props);
    validate(p);

    const account = this.buildAccountData();
    this.masterUsername = masterUsername(p.namePrefix);
    this.securityGroup = this.buildSecurityGroup(p);
    this.ingressRules = addClientIngressRules(
      this, this.securityGroup.id, p.clientSecurityGroups, 443, "OpenSearch HTTPS", p.domainName,
    );
    this.logGroups = this.buildLogGroups(p);
    this.logResourcePolicy = this.buildLogResourcePolicy(p, account);
    this.masterSecret = this.buildMasterSecret(p);
    this.masterInitialVersion = this.buildMasterInitialVersion();
    this.dashboardsUserSecrets = this.buildDashboardsUserSecrets(p);
    this.domain = this.buildDomain(p);
    this.domainPolicy = this.buildDomainPolicy();

    this.endpoint = this.domain.endpoint;
    this.dashboardUrl = `https://${this.domain.endpoint}/_dashboards`;
    this.domainArn = this.domain.arn;
    this.domainName = this.domain.domainName;
    this.name = p.domainName;
    this.securityGroupId = this.securityGroup.id;
  }

  private buildAccountData(): AccountData {
    return {
      caller: new DataAwsCallerIdentity(this, "caller"),
      region: new DataAwsRegion(this, "region"),
      partition: new DataAwsPartition(this, "partition"),
    };
  }

  /** Ingress rules are added per client (addClientIngressRules); no egress rule (see the class). */
  private buildSecurityGroup({ domainName, vpcId }: ResolvedSearchDomainProps): SecurityGroup {
    return new SecurityGroup(this, "security-group", {
      name: `${domainName}-domain`,
      description: `OpenSearch domain ${domainName}: HTTPS (443) from named clients only`,
      vpcId,
      tags: { Name: `${domainName}-domain` },
    });
  }

  /** One log group per published log type (audit logs only when they are on). */
  private buildLogGroups({ domainName, auditLogs, logRetentionDays }: ResolvedSearchDomainProps): Partial<Record<SearchLogType, CloudwatchLogGroup>> {
    const logGroups: Partial<Record<SearchLogType, CloudwatchLogGroup>> = {};
    for (const { type, slug } of LOG_TYPES) {
      if (type === "AUDIT_LOGS" && !auditLogs) continue;
      logGroups[type] = new CloudwatchLogGroup(this, `log-${slug}`, {
        name: `/aws/opensearch/domains/${domainName}/${slug}`,
        retentionInDays: logRetentionDays,
      });
    }
    return logGroups;
  }

  /** Log types with a log group, in LOG_TYPES order, with their group. */
  private publishedLogs(): { type: SearchLogType; group: CloudwatchLogGroup }[] {
    return LOG_TYPES.flatMap(({ type }) => {
      const group = this.logGroups[type];
      return group ? [{ type, group }] : [];
    });
  }

  /**
   * One resource policy for all of the domain's log groups (an account has at most 10), limited
   * to this domain through SourceAccount/SourceArn.
   */
  private buildLogResourcePolicy({ domainName }: ResolvedSearchDomainProps, { caller, region, partition }: AccountData): CloudwatchLogResourcePolicy {
    // Built from parts, not from the domain: the log policy must exist before the domain.
    const domainArn = `arn:${partition.partition}:es:${region.region}:${caller.accountId}:domain/${domainName}`;
    return new CloudwatchLogResourcePolicy(this, "log-policy", {
      policyName: `${domainName}-opensearch-logs`,
      policyDocument: policyDocument([
        {
          Sid: "OpenSearchLogPublishing",
          Effect: "Allow",
          Principal: { Service: "es.amazonaws.com" },
          Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
          Resource: this.publishedLogs().map(({ group }) => `${group.arn}:*`),
          Condition: {
            StringEquals: { "aws:SourceAccount": caller.accountId },
            ArnLike: { "aws:SourceArn": domainArn },
          },
        },
      ]),
    });
  }

  // ---- the break-glass master ---------------------------------------------------------------
  // The provider has no write-only master password (terraform-provider-aws PR #43621), so the
  // value Terraform sets is in state. It is a throwaway: the bootstrap rotates it away at its
  // first run. Chain: the random password (read at every plan; a new throwaway in state each
  // time, never used after the first) -> the secret's first version, created once and never
  // updated (ignore_changes) -> the domain reads its password from that version's state. So
  // whatever Terraform ever (re-)sends to the domain is always that same initial password, and
  // the version keeps the MASTER_INITIAL_STAGE label so the bootstrap can recognise a reset.

  private buildMasterSecret({ namePrefix, domainName, secretRecoveryWindowDays }: ResolvedSearchDomainProps): SecretsmanagerSecret {
    return new SecretsmanagerSecret(this, "master-secret", {
      name: masterSecretName(namePrefix),
      description:
        `Break-glass master user ${this.masterUsername} of OpenSearch domain ${domainName}: {"username","password"}. ` +
        `The first version (${MASTER_INITIAL_STAGE}) is Terraform's throwaway; the bootstrap rotates AWSCURRENT.`,
      recoveryWindowInDays: secretRecoveryWindowDays,
    });
  }

  /** The random throwaway password and the master secret's first version that keeps it. */
  private buildMasterInitialVersion(): SecretsmanagerSecretVersion {
    const initialPassword = new DataAwsSecretsmanagerRandomPassword(this, "master-initial-password", {
      passwordLength: 32,
      requireEachIncludedType: true,
      // Leaves the punctuation the bootstrap's own passwords use (!#%&*+-.:=?@^_~): no quotes,
      // backslash, slash, space, $, braces, brackets, backtick — nothing JSON or a shell mangles.
      excludeCharacters: "\"'\\/ $`{}[]()<>,;|",
    });
    return new SecretsmanagerSecretVersion(this, "master-initial", {
      secretId: this.masterSecret.id,
      secretString: Fn.jsonencode({ username: this.masterUsername, password: initialPassword.randomPassword }),
      versionStages: ["AWSCURRENT", MASTER_INITIAL_STAGE],
      lifecycle: {
        // secret_string: the random password changes at every plan; the first one stays.
        // version_stages: the bootstrap moves AWSCURRENT to its rotated version; Terraform must
        // never move it back to the throwaway.
        ignoreChanges: ["secret_string", "version_stages"],
      },
    });
  }

  /** An empty secret per Dashboards user (the bootstrap writes it), in name order. */
  private buildDashboardsUserSecrets(p: ResolvedSearchDomainProps): Record<string, SecretsmanagerSecret> {
    const secrets: Record<string, SecretsmanagerSecret> = {};
    for (const user of [...p.dashboardsUsers].sort()) {
      secrets[user] = new SecretsmanagerSecret(this, `dashboards-user-${user}`, {
        name: dashboardsUserSecretName(p.namePrefix, user),
        description: `Dashboards sign-in of internal user ${user} on ${p.domainName}: {"username","password"}, written by the bootstrap. No version is managed by Terraform.`,
        recoveryWindowInDays: p.secretRecoveryWindowDays,
      });
    }
    return secrets;
  }

  private buildDomain(p: ResolvedSearchDomainProps): OpensearchDomain {
    const { domainName, zoneCount, dedicatedMasterType } = p;
    return new OpensearchDomain(this, "domain", {
      domainName,
      engineVersion: p.engineVersion,
      clusterConfig: {
        instanceType: p.instanceType,
        instanceCount: p.instanceCount,
        zoneAwarenessEnabled: zoneCount > 1,
        ...(zoneCount > 1 ? { zoneAwarenessConfig: { availabilityZoneCount: zoneCount } } : {}),
        dedicatedMasterEnabled: dedicatedMasterType !== undefined,
        ...(dedicatedMasterType !== undefined
          ? { dedicatedMasterType, dedicatedMasterCount: 3 }
          : {}),
      },
      vpcOptions: {
        subnetIds: p.subnetIds.slice(0, zoneCount),
        securityGroupIds: [this.securityGroup.id],
      },
      ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: p.ebsVolumeGb },
      encryptAtRest: { enabled: true },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: TLS_SECURITY_POLICY },
      advancedSecurityOptions: {
        enabled: true,
        anonymousAuthEnabled: p.anonymousAccess,
        // On: the sinks and Dashboards users sign in with HTTP basic auth as internal users, which
        // AWS rejects under an IAM master. IAM principals still work: the bootstrap maps them as
        // backend roles. No ignore_changes: see MASTER_INITIAL_STAGE (re-send, then repair).
        internalUserDatabaseEnabled: true,
        masterUserOptions: {
          masterUserName: this.masterUsername,
          masterUserPassword: Fn.lookup(Fn.jsondecode(this.masterInitialVersion.secretString), "password", ""),
        },
      },
      logPublishingOptions: this.publishedLogs().map(({ type, group }) => ({
        logType: type,
        cloudwatchLogGroupArn: group.arn,
        enabled: true,
      })),
      tags: { Name: domainName },
      dependsOn: [this.logResourcePolicy, ...p.dependsOn],
    });
  }

  /**
   * Access policy: any principal, but only the HTTP data-plane actions (es:ESHttp*) on this
   * domain's paths — never es:*, so nobody gains configuration rights (es:UpdateDomainConfig,
   * es:DeleteDomain, ...) through it. Why "AWS": "*" and not a list of roles: the sink connector
   * signs nothing; it uses HTTP basic auth as an FGAC user, and a principal-restricted resource
   * policy rejects every unsigned request before FGAC sees it. AWS pairs FGAC with exactly this
   * open-to-ESHttp policy: the VPC and the security group decide who can connect, and FGAC
   * authenticates and authorizes every request (anonymous access off).
   */
  private buildDomainPolicy(): OpensearchDomainPolicy {
    return new OpensearchDomainPolicy(this, "access-policy", {
      domainName: this.domain.domainName,
      accessPolicies: policyDocument([
        { Sid: "HttpDataPlaneThroughFgac", Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttp*", Resource: `${this.domain.arn}/*` },
      ]),
    });
  }
}
