import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Kinesisanalyticsv2Application } from "@cdktf/provider-aws/lib/kinesisanalyticsv2-application";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { policyDocument, serviceTrustStatement, type PolicyStatement } from "../iam-policy";
import { LOG_RETENTION_DAYS } from "../validators/aws-values";

/** The application JAR as the config loader found it (a manifest plugin's artifact). */
export interface FlinkApplicationCode {
  /** Manifest name of the JAR (its S3 key is applications/<name>/<file name>). */
  readonly name: string;
  /** Path of the local JAR as Terraform reads it. */
  readonly path: string;
  /**
   * sha256 of the JAR pinned in connectors/manifest.lock.json: the upload's source_hash.
   * @default - Terraform's filemd5(path)
   */
  readonly sha256?: string;
}

export interface FlinkApplicationProps {
  /** Prefix of every name (the environment's name_prefix). */
  readonly namePrefix: string;
  /** Processor name; the application is <namePrefix>-<name>. */
  readonly name: string;
  /** @default - none */
  readonly description?: string;
  /** Managed Flink runtime, e.g. FLINK-1_20. */
  readonly runtime: string;
  readonly code: FlinkApplicationCode;
  /** Artifact bucket that stores the JAR (under applications/). */
  readonly bucketName: string;
  readonly bucketArn: string;
  /** Topics it reads. */
  readonly inputTopics: readonly string[];
  /**
   * Topics it writes.
   * @default []
   */
  readonly outputTopics?: readonly string[];
  /** Consumer group it reads with. */
  readonly consumerGroup: string;
  /** MSK cluster ARN (arn:…:cluster/<name>/<uuid>). */
  readonly clusterArn: string;
  /**
   * Initial parallelism, parallelism per KPU and autoscaling.
   * @default - 1, 1, autoscaling on
   */
  readonly parallelism?: { readonly initial: number; readonly perKpu: number; readonly autoscaling: boolean };
  /**
   * Checkpoint interval and minimum pause, in ms.
   * @default - 60000 and 5000
   */
  readonly checkpoints?: { readonly intervalMs: number; readonly minPauseMs: number };
  /**
   * Snapshot on stop, restore on start.
   * @default true
   */
  readonly snapshots?: boolean;
  /**
   * Runtime properties by group id (values are Terraform strings; tokens allowed).
   * @default {}
   */
  readonly propertyGroups?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** @default "INFO" */
  readonly logLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR";
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** Private subnets the application's ENIs are placed in. */
  readonly subnetIds: readonly string[];
  /** Its security group (egress to the brokers). */
  readonly securityGroupIds: readonly string[];
  /** Whether it runs: `to_create_connector` (phase 2, like the connectors). The application exists in both phases. */
  readonly start: boolean | import("cdktf").IResolvable;
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
}

/**
 * A Managed Service for Apache Flink application: its JAR uploaded to the artifact bucket, its log
 * group and stream, and its own execution role that may read exactly its input topics with its
 * group, write exactly its output topics, read its JAR, write its log stream and manage its ENIs
 * in the named subnets and security groups only.
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/vpc-permissions.html
 */
export class FlinkApplication extends Construct {
  /** <namePrefix>-<name> */
  public readonly applicationName: string;
  public readonly jar: S3Object;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly role: IamRole;
  public readonly rolePolicy: IamRolePolicy;
  public readonly resource: Kinesisanalyticsv2Application;

  constructor(scope: Construct, id: string, props: FlinkApplicationProps) {
    super(scope, id);
    this.validate(props);
    this.applicationName = `${props.namePrefix}-${props.name}`;
    this.jar = this.buildJarUpload(props);
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/kinesis-analytics/${this.applicationName}`,
      retentionInDays: props.logRetentionDays ?? 30,
    });
    const logStream = new CloudwatchLogStream(this, "log-stream", { name: "application", logGroupName: this.logGroup.name });
    this.role = this.buildRole(props);
    this.rolePolicy = new IamRolePolicy(this, "policy", {
      name: "application",
      role: this.role.id,
      policy: policyDocument(this.statements(props, logStream)),
    });
    this.resource = this.buildApplication(props, logStream);
  }

  /** S3 key of the JAR (known at synth, so the role's policy names it literally). */
  private jarKey(props: FlinkApplicationProps): string {
    return `applications/${props.code.name}/${props.code.path.split("/").pop()!}`;
  }

  private buildJarUpload(props: FlinkApplicationProps): S3Object {
    return new S3Object(this, "jar", {
      bucket: props.bucketName,
      key: this.jarKey(props),
      source: props.code.path,
      sourceHash: props.code.sha256 ?? Fn.filemd5(props.code.path),
      contentType: "application/java-archive",
    });
  }

  /** Assumable only by this account's Managed Flink, for this application. */
  private buildRole(props: FlinkApplicationProps): IamRole {
    const trust = serviceTrustStatement(
      "kinesisanalytics.amazonaws.com",
      props.accountId,
      `arn:${props.partition}:kinesisanalytics:${props.region}:${props.accountId}:application/${this.applicationName}`,
    );
    return new IamRole(this, "role", {
      name: `${this.applicationName}-flink`,
      description: `Execution role of Managed Flink application ${this.applicationName}`,
      assumeRolePolicy: policyDocument([trust]),
    });
  }

  private statements(props: FlinkApplicationProps, logStream: CloudwatchLogStream): PolicyStatement[] {
    const topicArn = (t: string) => `${Fn.replace(props.clusterArn, ":cluster/", ":topic/")}/${t}`;
    const groupArn = (g: string) => `${Fn.replace(props.clusterArn, ":cluster/", ":group/")}/${g}`;
    const ec2 = (type: string, ids: readonly string[]) => ids.map((i) => `arn:${props.partition}:ec2:${props.region}:${props.accountId}:${type}/${i}`);
    const eni = `arn:${props.partition}:ec2:${props.region}:${props.accountId}:network-interface/*`;
    const outputs = props.outputTopics ?? [];
    return [
      { Sid: "Cluster", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: [props.clusterArn] },
      { Sid: "ReadInputTopics", Effect: "Allow", Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], Resource: props.inputTopics.map(topicArn) },
      ...(outputs.length
        ? [{ Sid: "WriteOutputTopics", Effect: "Allow" as const, Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"], Resource: outputs.map(topicArn) }]
        : []),
      { Sid: "OwnGroup", Effect: "Allow", Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], Resource: [groupArn(props.consumerGroup)] },
      { Sid: "ReadJar", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: [`${props.bucketArn}/${this.jarKey(props)}`] },
      { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [`${this.logGroup.arn}:log-stream:*`, logStream.arn] },
      { Sid: "DescribeNetwork", Effect: "Allow", Action: ["ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces"], Resource: ["*"] },
      {
        Sid: "OwnNetworkInterfaces",
        Effect: "Allow",
        // ENIs only in its own subnets, with its own security groups.
        Action: ["ec2:CreateNetworkInterface"],
        Resource: [eni, ...ec2("subnet", props.subnetIds), ...ec2("security-group", props.securityGroupIds)],
      },
      {
        Sid: "ManageOwnNetworkInterfaces",
        Effect: "Allow",
        Action: ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"],
        Resource: [eni],
        Condition: { ArnEquals: { "ec2:Subnet": ec2("subnet", props.subnetIds) } },
      },
    ];
  }

  private buildApplication(props: FlinkApplicationProps, logStream: CloudwatchLogStream): Kinesisanalyticsv2Application {
    const p = props.parallelism ?? { initial: 1, perKpu: 1, autoscaling: true };
    const c = props.checkpoints ?? { intervalMs: 60000, minPauseMs: 5000 };
    const groups = Object.entries(props.propertyGroups ?? {});
    return new Kinesisanalyticsv2Application(this, "resource", {
      name: this.applicationName,
      description: props.description,
      runtimeEnvironment: props.runtime,
      serviceExecutionRole: this.role.arn,
      startApplication: props.start as boolean,
      applicationConfiguration: {
        applicationCodeConfiguration: {
          codeContentType: "ZIPFILE",
          codeContent: { s3ContentLocation: { bucketArn: props.bucketArn, fileKey: this.jar.key, objectVersion: this.jar.versionId } },
        },
        applicationSnapshotConfiguration: { snapshotsEnabled: props.snapshots ?? true },
        environmentProperties: groups.length
          ? { propertyGroup: groups.map(([id, map]) => ({ propertyGroupId: id, propertyMap: { ...map } })) }
          : undefined,
        flinkApplicationConfiguration: {
          checkpointConfiguration: { configurationType: "CUSTOM", checkpointingEnabled: true, checkpointInterval: c.intervalMs, minPauseBetweenCheckpoints: c.minPauseMs },
          monitoringConfiguration: { configurationType: "CUSTOM", logLevel: props.logLevel ?? "INFO", metricsLevel: "APPLICATION" },
          parallelismConfiguration: { configurationType: "CUSTOM", parallelism: p.initial, parallelismPerKpu: p.perKpu, autoScalingEnabled: p.autoscaling },
        },
        vpcConfiguration: { subnetIds: [...props.subnetIds], securityGroupIds: [...props.securityGroupIds] },
      },
      cloudwatchLoggingOptions: { logStreamArn: logStream.arn },
      // The role's policy must exist before the application starts.
      dependsOn: [this.rolePolicy],
    });
  }

  private validate(props: FlinkApplicationProps): void {
    const where = `FlinkApplication ${props.name}`;
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(props.name)) throw new Error(`${where}: name must be lowercase letters, digits and '-', got "${props.name}"`);
    const roleName = `${props.namePrefix}-${props.name}-flink`;
    if (!Token.isUnresolved(props.namePrefix) && roleName.length > 64) throw new Error(`${where}: IAM role name "${roleName}" is longer than 64 characters`);
    if (props.inputTopics.length === 0) throw new Error(`${where}: inputTopics must name at least one topic`);
    const both = props.inputTopics.filter((t) => (props.outputTopics ?? []).includes(t));
    if (both.length) throw new Error(`${where}: ${both.join(", ")} is both an input and an output topic`);
    const retention = props.logRetentionDays ?? 30;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) throw new Error(`${where}: log retention must be one of ${LOG_RETENTION_DAYS.join(", ")} days, got ${retention}`);
    if (props.subnetIds.length === 0 || props.securityGroupIds.length === 0) throw new Error(`${where}: subnetIds and securityGroupIds must each name at least one`);
    if (Object.keys(props.propertyGroups ?? {}).length > 50) throw new Error(`${where}: at most 50 property groups`);
  }
}
