/**
 * KafkaClientHost: an EC2 instance in a private subnet with the Apache Kafka command-line tools and
 * the MSK IAM auth library, reached with SSM Session Manager only, whose role may use exactly the
 * topics and consumer groups it is given.
 */
import { gzipSync } from "node:zlib";
import { Fn, type ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { policyDocument, type PolicyStatement } from "../iam-policy";
import { isAwsRegion } from "../validators/aws-patterns";
import { MSK_IAM_PORT } from "./kafka-cluster";
import { renderKafkaClientUserData } from "./kafka-client-user-data";

/** What the host may do with a topic. */
export const KAFKA_TOPIC_ACCESS = ["read", "write", "read_write"] as const;
export type KafkaTopicAccess = (typeof KAFKA_TOPIC_ACCESS)[number];

/** A download the boot script verifies before it installs anything. */
export interface KafkaCliDownload {
  /** https URL of `kafka_<scala>-<version>.tgz`. */
  readonly url: string;
  /** sha512 of the file, 128 hex digits (Apache publishes `<file>.sha512` beside each release). */
  readonly sha512: string;
}

export interface MskIamAuthDownload {
  /** https URL of `aws-msk-iam-auth-<version>-all.jar` (the shaded jar with its dependencies). */
  readonly url: string;
  /** sha256 of the file, 64 hex digits. */
  readonly sha256: string;
}

/**
 * Apache Kafka 3.9.1 (Scala 2.13), the last 3.x release: its tools run on Java 17 and talk to every
 * MSK version this project offers. The sha512 is the one Apache publishes at
 * https://archive.apache.org/dist/kafka/3.9.1/kafka_2.13-3.9.1.tgz.sha512, as recorded by Strimzi's
 * kafka-versions.yaml and two other independent pins; this network cannot reach Apache to re-read it.
 */
export const KAFKA_CLI_DOWNLOAD: KafkaCliDownload = {
  url: "https://archive.apache.org/dist/kafka/3.9.1/kafka_2.13-3.9.1.tgz",
  sha512: "1ea204ba73411737a275429ca976d440f007ff0957b90b19be41dc5a4bae52617267769be9f0b5791714d0b3c4c760605bd426faea39edd90763585523fa2cfe",
};

/**
 * aws-msk-iam-auth 2.3.2, shaded ("-all") jar from Maven Central. GitHub's release page publishes
 * no checksum; this sha256 is the one pinned for this exact Maven Central file by an independent
 * project (one source: confirm it with `sha256sum` on a machine that can reach Maven Central, see
 * the README). A wrong pin fails the boot script closed, never installs an unverified jar.
 */
export const MSK_IAM_AUTH_DOWNLOAD: MskIamAuthDownload = {
  url: "https://repo1.maven.org/maven2/software/amazon/msk/aws-msk-iam-auth/2.3.2/aws-msk-iam-auth-2.3.2-all.jar",
  sha256: "746f7a331eb02fd92fcad43935a97ce3d219e5f8a97a643012b2bb14c9020011",
};

/** Amazon's AL2023 AMIs (owner alias `amazon`): SSM agent and AWS CLI preinstalled. */
export const AL2023_AMI_NAME = "al2023-ami-2023.*-kernel-6.1-x86_64";
/** EC2 user data limit (16 KiB) minus room for the generated header, for the gzip-compressed script. */
export const MAX_CLIENT_SCRIPT_GZIP_BYTES = 16384 - 2048;

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
/** A consumer group id, or a prefix of ids ending in `*`. */
const GROUP_PATTERN = /^[A-Za-z0-9._-]{1,200}\*?$/;

export interface KafkaClientHostProps {
  /** Prefix of every name: the host is `<namePrefix>-kafka-client`. */
  readonly namePrefix: string;
  readonly vpcId: string;
  /** A private subnet whose default route goes through a NAT gateway (the boot script downloads). */
  readonly subnetId: string;
  /**
   * EC2 instance type (the Kafka tools are JVM processes: 2 GiB of memory is comfortable).
   * @default "t3.small"
   */
  readonly instanceType?: string;
  /**
   * Root volume size, GiB (gp3, encrypted). AL2023's AMI needs 8 or more.
   * @default 10
   */
  readonly volumeGb?: number;
  /** Security group of the brokers: the host's only egress besides HTTPS is TCP 9098 to it. */
  readonly kafkaSecurityGroupId: string;
  /** The cluster: its ARN scopes the role, its SASL/IAM bootstrap string goes to the client configuration. */
  readonly cluster: { readonly arn: string; readonly bootstrapBrokersSaslIam: string };
  /** Topics the role may use, by name, each `read`, `write` or `read_write` (DescribeTopic with each). */
  readonly topics: Readonly<Record<string, KafkaTopicAccess>>;
  /**
   * Consumer groups the role may join and commit offsets for (DescribeGroup, AlterGroup): ids, or
   * prefixes ending in `*` (e.g. `console-consumer-*`, the console consumer's generated ids).
   * @default [] - no group: reading is limited to assigned partitions without committed offsets
   */
  readonly consumerGroups?: readonly string[];
  /** Text of scripts/kafka-client-bootstrap.sh; the construct never reads files. */
  readonly bootstrapScript: string;
  /** AWS region of the cluster (the IAM library signs for it). */
  readonly region: string;
  /**
   * The Kafka release the boot script installs.
   * @default KAFKA_CLI_DOWNLOAD (Apache Kafka 3.9.1)
   */
  readonly kafkaCli?: KafkaCliDownload;
  /**
   * The MSK IAM auth library the boot script installs.
   * @default MSK_IAM_AUTH_DOWNLOAD (aws-msk-iam-auth 2.3.2)
   */
  readonly mskIamAuth?: MskIamAuthDownload;
  /**
   * What gives the private subnet its way out (`Network.privateInternetAccess`); the instance waits for it.
   * @default - none (the caller guarantees the route exists)
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

interface Settings {
  readonly instanceType: string;
  readonly volumeGb: number;
  readonly kafkaCli: KafkaCliDownload;
  readonly mskIamAuth: MskIamAuthDownload;
  readonly readTopics: string[];
  readonly writeTopics: string[];
  readonly groups: string[];
}

function checkDownload(where: string, field: string, url: string, file: { pattern: RegExp; name: string }, hashName: string, hash: string, hexDigits: number): void {
  if (!/^https:\/\/\S+$/.test(url) || !file.pattern.test(url.split("/").pop() ?? "")) {
    throw new Error(`${where}: ${field}.url must be an https URL of ${file.name}, got "${url}"`);
  }
  if (!new RegExp(`^[0-9a-fA-F]{${hexDigits}}$`).test(hash)) {
    throw new Error(`${where}: ${field}.${hashName} must be ${hexDigits} hex digits, got "${hash}"`);
  }
}

/** Every check of the props before any resource exists; returns them with defaults applied. */
function checkProps(id: string, props: KafkaClientHostProps): Settings {
  const where = `KafkaClientHost "${id}"`;
  const instanceType = props.instanceType ?? "t3.small";
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(instanceType)) {
    throw new Error(`${where}: instanceType must be an EC2 instance type such as t3.small, got "${instanceType}"`);
  }
  const volumeGb = props.volumeGb ?? 10;
  if (!Number.isInteger(volumeGb) || volumeGb < 8 || volumeGb > 1024) {
    throw new Error(`${where}: volumeGb must be a whole number from 8 to 1024, got ${volumeGb}`);
  }
  if (!isAwsRegion(props.region)) {
    throw new Error(`${where}: region must be an AWS region such as eu-west-1, got "${props.region}"`);
  }
  for (const [name, access] of Object.entries(props.topics)) {
    if (!TOPIC_NAME.test(name) || name === "." || name === "..") throw new Error(`${where}: topics has "${name}", which is not a Kafka topic name`);
    if (!(KAFKA_TOPIC_ACCESS as readonly string[]).includes(access)) {
      throw new Error(`${where}: topics["${name}"] must be one of ${KAFKA_TOPIC_ACCESS.join(", ")}, got "${access}"`);
    }
  }
  const groups = [...(props.consumerGroups ?? [])];
  for (const g of groups) {
    if (!GROUP_PATTERN.test(g)) throw new Error(`${where}: consumerGroups has "${g}"; expected a group id of letters, digits, '.', '_', '-', optionally ending in '*'`);
  }
  const duplicate = groups.find((g, i) => groups.indexOf(g) !== i);
  if (duplicate !== undefined) throw new Error(`${where}: consumerGroups lists "${duplicate}" twice`);
  const kafkaCli = props.kafkaCli ?? KAFKA_CLI_DOWNLOAD;
  checkDownload(where, "kafkaCli", kafkaCli.url, { pattern: /^kafka_[0-9.]+-[0-9][A-Za-z0-9.-]*\.tgz$/, name: "kafka_<scala>-<version>.tgz" }, "sha512", kafkaCli.sha512, 128);
  const mskIamAuth = props.mskIamAuth ?? MSK_IAM_AUTH_DOWNLOAD;
  checkDownload(where, "mskIamAuth", mskIamAuth.url, { pattern: /^aws-msk-iam-auth-[0-9][A-Za-z0-9.-]*\.jar$/, name: "aws-msk-iam-auth-<version>-all.jar" }, "sha256", mskIamAuth.sha256, 64);
  if (props.bootstrapScript.trim() === "") throw new Error(`${where}: bootstrapScript is empty; pass the text of scripts/kafka-client-bootstrap.sh`);
  const gz = gzipSync(props.bootstrapScript, { level: 9 }).length;
  if (gz > MAX_CLIENT_SCRIPT_GZIP_BYTES) {
    throw new Error(`${where}: bootstrapScript is ${gz} bytes gzip-compressed; EC2 user data leaves at most ${MAX_CLIENT_SCRIPT_GZIP_BYTES} for it`);
  }
  const sorted = Object.keys(props.topics).sort();
  return {
    instanceType,
    volumeGb,
    kafkaCli,
    mskIamAuth,
    readTopics: sorted.filter((t) => props.topics[t] !== "write"),
    writeTopics: sorted.filter((t) => props.topics[t] !== "read"),
    groups: groups.sort(),
  };
}

/**
 * A Kafka client host for operators: `kafka-topics.sh`, `kafka-console-consumer.sh` and friends,
 * signed in with the instance role.
 *
 * - Reached only through SSM Session Manager: no key pair, no public address, a security group
 *   without any ingress rule. Egress: TCP 9098 to the brokers' group, TCP 443 anywhere (SSM,
 *   the AWS APIs and the two pinned downloads through the NAT gateway). The VPC resolver and the
 *   instance metadata service are not filtered by security groups.
 * - IMDSv2 only (hop limit 1), encrypted gp3 root volume, Amazon Linux 2023 (SSM agent preinstalled),
 *   `ignore_changes = [ami]` so a newer AMI does not replace the host on every apply.
 * - Role: AmazonSSMManagedInstanceCore and one inline policy naming the cluster, exactly the given
 *   topics (DescribeTopic plus ReadData and/or WriteData) and consumer groups; writing adds
 *   WriteDataIdempotently on the cluster, which Kafka 3 producers need (idempotence is their default).
 * - The user data runs scripts/kafka-client-bootstrap.sh, which installs Java 17 from the AL2023
 *   repository and the pinned, checksum-verified Kafka release and IAM library, and writes
 *   /etc/kafka-client/client.properties. It changes (and so replaces the host) when the brokers
 *   or the pins change.
 */
export class KafkaClientHost extends Construct {
  public readonly instanceId: string;
  public readonly securityGroupId: string;
  public readonly roleName: string;
  public readonly roleArn: string;
  public readonly instance: Instance;

  constructor(scope: Construct, id: string, props: KafkaClientHostProps) {
    super(scope, id);
    const settings = checkProps(id, props);
    const name = `${props.namePrefix}-kafka-client`;
    const securityGroup = this.buildSecurityGroup(name, props);
    this.securityGroupId = securityGroup.id;
    const role = this.buildRole(name, props, settings);
    this.roleName = role.role.name;
    this.roleArn = role.role.arn;
    const ami = new DataAwsAmi(this, "al2023", {
      owners: ["amazon"],
      mostRecent: true,
      filter: [
        { name: "name", values: [AL2023_AMI_NAME] },
        { name: "architecture", values: ["x86_64"] },
        { name: "virtualization-type", values: ["hvm"] },
        { name: "root-device-type", values: ["ebs"] },
      ],
    });
    this.instance = new Instance(this, "instance", {
      ami: ami.id,
      instanceType: settings.instanceType,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [securityGroup.id],
      iamInstanceProfile: role.profile.name,
      associatePublicIpAddress: false,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      rootBlockDevice: { volumeType: "gp3", volumeSize: settings.volumeGb, encrypted: true, deleteOnTermination: true },
      userDataBase64: renderKafkaClientUserData({
        bootstrapBrokers: props.cluster.bootstrapBrokersSaslIam,
        region: props.region,
        kafkaCli: settings.kafkaCli,
        mskIamAuth: settings.mskIamAuth,
        bootstrapScript: props.bootstrapScript,
      }),
      userDataReplaceOnChange: true,
      tags: { Name: name },
      // The role's permissions and the way out exist before first boot, when the script runs.
      dependsOn: [...role.permissions, ...(props.dependsOn ?? [])],
      lifecycle: { ignoreChanges: ["ami"] },
    });
    this.instanceId = this.instance.id;
  }

  /** No ingress at all; egress to the brokers (9098) and HTTPS only, as separate rules. */
  private buildSecurityGroup(name: string, props: KafkaClientHostProps): SecurityGroup {
    const group = new SecurityGroup(this, "security-group", {
      name,
      description: `Kafka client host: no ingress (SSM Session Manager only); egress to MSK (${MSK_IAM_PORT}) and HTTPS`,
      vpcId: props.vpcId,
      tags: { Name: name },
    });
    new VpcSecurityGroupEgressRule(this, "to-kafka", {
      securityGroupId: group.id,
      description: "Kafka SASL/IAM to the MSK brokers",
      ipProtocol: "tcp",
      fromPort: MSK_IAM_PORT,
      toPort: MSK_IAM_PORT,
      referencedSecurityGroupId: props.kafkaSecurityGroupId,
    });
    new VpcSecurityGroupEgressRule(this, "to-https", {
      securityGroupId: group.id,
      description: "HTTPS through the NAT gateway: SSM, AWS APIs, the pinned Kafka and IAM library downloads, AL2023 repositories",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });
    return group;
  }

  /** The role (SSM + the topics and groups it is given), its profile, and what must exist before boot. */
  private buildRole(name: string, props: KafkaClientHostProps, s: Settings): { role: IamRole; profile: IamInstanceProfile; permissions: ITerraformDependable[] } {
    const partition = new DataAwsPartition(this, "partition");
    const role = new IamRole(this, "role", {
      name,
      description: "Kafka client host: SSM Session Manager and the topics and groups the environment file names",
      assumeRolePolicy: policyDocument([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]),
    });
    const ssm = new IamRolePolicyAttachment(this, "ssm-managed-instance-core", {
      role: role.name,
      policyArn: `arn:${partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    const kafka = new IamRolePolicy(this, "kafka-access", {
      name: "kafka-topics",
      role: role.id,
      policy: policyDocument(clientHostStatements(props.cluster.arn, s)),
    });
    const profile = new IamInstanceProfile(this, "instance-profile", { name, role: role.name });
    return { role, profile, permissions: [ssm, kafka] };
  }
}

/** The host's Kafka permissions: the cluster, then its topics by access, then its groups. */
function clientHostStatements(clusterArn: string, s: Settings): PolicyStatement[] {
  // arn:…:cluster/<name>/<uuid> -> arn:…:topic/<name>/<uuid>/<topic> and …:group/<name>/<uuid>/<group>
  const arnOf = (kind: string, n: string) =>
    Token.isUnresolved(clusterArn) ? `${Fn.replace(clusterArn, ":cluster/", `:${kind}/`)}/${n}` : `${clusterArn.replace(":cluster/", `:${kind}/`)}/${n}`;
  const clusterActions = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"];
  if (s.writeTopics.length > 0) clusterActions.push("kafka-cluster:WriteDataIdempotently");
  const statements: PolicyStatement[] = [{ Sid: "Cluster", Effect: "Allow", Action: clusterActions, Resource: [clusterArn] }];
  if (s.readTopics.length > 0) {
    statements.push({ Sid: "ReadTopics", Effect: "Allow", Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], Resource: s.readTopics.map((t) => arnOf("topic", t)) });
  }
  if (s.writeTopics.length > 0) {
    statements.push({ Sid: "WriteTopics", Effect: "Allow", Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"], Resource: s.writeTopics.map((t) => arnOf("topic", t)) });
  }
  if (s.groups.length > 0) {
    statements.push({ Sid: "ConsumerGroups", Effect: "Allow", Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], Resource: s.groups.map((g) => arnOf("group", g)) });
  }
  return statements;
}
