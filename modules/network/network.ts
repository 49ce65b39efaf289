import { Fn, type ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { SUBNET_SLOT_AZS, parseCidr, planSubnets } from "../validators/cidr";
import { LOG_RETENTION_DAYS } from "../validators/aws-values";

/** How private subnets reach the internet. */
export type NatMode = "single" | "per_az";

export const MAX_AZ_COUNT = 6;

/** Construct-id suffix of the AZ at `index` (a, b, c, ...): AZ order is the stable key. */
export function azSuffix(index: number): string {
  return String.fromCharCode("a".charCodeAt(0) + index);
}

export interface NetworkProps {
  /** Prefix of every resource name (Name tags, log group, role). */
  readonly namePrefix: string;
  /** IPv4 CIDR of the VPC, /16 to /28. Subnets are derived from it with `planSubnets`. */
  readonly cidr: string;
  /** Number of availability zones, 1 to `azSlots`: one public and one private subnet in each. */
  readonly azCount: number;
  /**
   * How many AZs the subnet layout has room for (at most 6). Subnet CIDRs are carved for this many
   * AZs whatever `azCount` is, so changing `azCount` adds or removes that AZ's subnets and leaves
   * every other subnet where it was. Changing `azSlots` itself moves every subnet.
   * @default 3 (SUBNET_SLOT_AZS: the largest az_count the configuration supports)
   */
  readonly azSlots?: number;
  /**
   * Explicit AZ names, exactly `azCount` of them, distinct.
   * @default - the first `azCount` names of `data.aws_availability_zones` (state available,
   *   regular zones only, no Local/Wavelength zones), picked with `Fn.element`
   */
  readonly availabilityZones?: readonly string[];
  /**
   * `single`: one NAT gateway in the first public subnet shared by every AZ (cheaper).
   * `per_az`: one NAT gateway per AZ; each private subnet uses its own AZ's (survives an AZ outage).
   * @default "single"
   */
  readonly natMode?: NatMode;
  /**
   * Retention of the VPC flow log group, in days (one of CloudWatch's retention periods).
   * @default 30
   */
  readonly flowLogsRetentionDays?: number;
}

/** The props with their defaults applied, once they passed every check. */
interface NetworkSettings {
  readonly natMode: NatMode;
  readonly retention: number;
  readonly azSlots: number;
}

/** Every check of the props, in order, before any resource exists; returns them with defaults. */
function checkNetworkProps(id: string, props: NetworkProps): NetworkSettings {
  const natMode = props.natMode ?? "single";
  const retention = props.flowLogsRetentionDays ?? 30;
  const azSlots = props.azSlots ?? SUBNET_SLOT_AZS;
  if (!Number.isInteger(azSlots) || azSlots < 1 || azSlots > MAX_AZ_COUNT) {
    throw new Error(`Network "${id}": azSlots must be an integer from 1 to ${MAX_AZ_COUNT}, got ${azSlots}`);
  }
  if (!Number.isInteger(props.azCount) || props.azCount < 1 || props.azCount > MAX_AZ_COUNT) {
    throw new Error(`Network "${id}": azCount must be an integer from 1 to ${MAX_AZ_COUNT}, got ${props.azCount}`);
  }
  if (props.azCount > azSlots) {
    throw new Error(`Network "${id}": azCount (${props.azCount}) must be at most azSlots (${azSlots}); raise azSlots, which moves every subnet`);
  }
  const vpc = parseCidr(props.cidr);
  if (!vpc) {
    throw new Error(`Network "${id}": cidr must be an IPv4 CIDR such as 10.0.0.0/16 (no host bits set), got "${props.cidr}"`);
  }
  if (vpc.prefix < 16 || vpc.prefix > 28) {
    throw new Error(`Network "${id}": cidr must be between /16 and /28 (AWS's VPC limits), got "${props.cidr}"`);
  }
  if (props.availabilityZones !== undefined) {
    const azs = props.availabilityZones;
    if (azs.length !== props.azCount) {
      throw new Error(
        `Network "${id}": availabilityZones must list exactly azCount (${props.azCount}) zones, got ${azs.length}: [${azs.join(", ")}]`,
      );
    }
    const duplicate = azs.find((az, i) => !Token.isUnresolved(az) && azs.indexOf(az) !== i);
    if (duplicate !== undefined) {
      throw new Error(`Network "${id}": availabilityZones must be distinct, got "${duplicate}" twice`);
    }
  }
  if (natMode !== "single" && natMode !== "per_az") {
    throw new Error(`Network "${id}": natMode must be "single" or "per_az", got "${String(natMode)}"`);
  }
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
    throw new Error(
      `Network "${id}": flowLogsRetentionDays must be one of CloudWatch's retention periods (${LOG_RETENTION_DAYS.join(", ")}), got ${retention}`,
    );
  }
  return { natMode, retention, azSlots };
}

/** Account, partition and region, for ARNs and the flow-log role's confused-deputy condition. */
interface AwsContext {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * The VPC of the pipeline: a public and a private subnet in each AZ, an internet gateway, NAT
 * gateway(s), VPC flow logs (ALL traffic) to CloudWatch, an S3 gateway endpoint on the private
 * route tables and a default security group with every rule removed.
 *
 * Construct ids of per-AZ resources end in the AZ's position letter (`public-subnet-a`,
 * `private-subnet-b`, `nat-gateway-a`, ...). AZ order is the stable key here: the subnet CIDRs are
 * assigned by position too, in a layout carved for `azSlots` AZs whatever `azCount` is (see
 * `planSubnets`), so adding an AZ appends resources and changes none, and removing the last AZ
 * removes only its own.
 *
 * Every private subnet has its own route table, whatever the NAT mode; in `single` mode they all
 * point at the one NAT gateway. Switching modes therefore changes routes only, never associations.
 *
 * Nothing here depends on the VPN: the VPN server is optional and only consumes these outputs.
 */
export class Network extends Construct {
  public readonly vpcId: string;
  /** The VPC CIDR as given (a plain string, usable in synth-time checks). */
  public readonly vpcCidr: string;
  /** Public subnet ids, in AZ order. */
  public readonly publicSubnetIds: string[];
  /** Private subnet ids, in AZ order. */
  public readonly privateSubnetIds: string[];
  /** AZ names, in AZ order (tokens when not given explicitly). */
  public readonly availabilityZones: string[];
  /** Private route table ids, in AZ order (one per AZ). */
  public readonly privateRouteTableIds: string[];
  /** NAT gateway ids: one (`single`) or one per AZ (`per_az`). */
  public readonly natGatewayIds: string[];
  public readonly flowLogGroupName: string;
  /**
   * What makes the public subnets reach the internet (internet gateway, default route, route
   * table associations). Pass it as `dependsOn` to resources that need the internet or an EIP at
   * creation, e.g. the VPN server.
   */
  public readonly publicInternetAccess: ITerraformDependable[];
  /**
   * What makes the private subnets reach the internet through NAT (NAT gateways, default routes,
   * route table associations): `dependsOn` for instances that download at first boot.
   */
  public readonly privateInternetAccess: ITerraformDependable[];

  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { natMode, retention, azSlots } = checkNetworkProps(id, props);
    // Throws with a clear message when the CIDR cannot hold 2 × azSlots subnets of /28 or larger.
    const plan = planSubnets(props.cidr, props.azCount, azSlots);
    this.prefix = props.namePrefix;

    this.availabilityZones = props.availabilityZones ? [...props.availabilityZones] : this.lookupAvailabilityZones(props.azCount);
    const vpc = this.buildVpc(props.cidr);
    this.vpcId = vpc.id;
    this.vpcCidr = props.cidr;
    this.lockDefaultSecurityGroup(vpc);
    const igw = new InternetGateway(this, "internet-gateway", { vpcId: vpc.id, tags: { Name: `${this.prefix}-igw` } });
    const publicTier = this.buildPublicSubnets(vpc, igw, plan.publicCidrs);
    this.publicSubnetIds = publicTier.subnets.map((s) => s.id);
    this.publicInternetAccess = publicTier.internetAccess;
    const natGateways = this.buildNatGateways(natMode, publicTier.subnets, igw);
    this.natGatewayIds = natGateways.map((n) => n.id);
    const privateTier = this.buildPrivateSubnets(vpc, plan.privateCidrs, (i) => natGateways[natMode === "per_az" ? i : 0]);
    this.privateSubnetIds = privateTier.map((p) => p.subnet.id);
    this.privateRouteTableIds = privateTier.map((p) => p.table.id);
    this.privateInternetAccess = [...natGateways, ...privateTier.flatMap((p) => p.internetAccess)];
    const region = new DataAwsRegion(this, "region");
    this.buildS3GatewayEndpoint(vpc, region.region);
    const aws = this.lookupAwsContext(region.region);
    const logGroup = this.buildFlowLogGroup(retention);
    this.flowLogGroupName = logGroup.name;
    const flowLogRole = this.buildFlowLogRole(logGroup, aws);
    this.buildFlowLog(vpc, logGroup, flowLogRole);
  }

  /** The first `azCount` regular zones of the region that are available, picked with `Fn.element`. */
  private lookupAvailabilityZones(azCount: number): string[] {
    const zones = new DataAwsAvailabilityZones(this, "available-azs", {
      state: "available",
      // Regular zones only: Local and Wavelength zones lack NAT gateways, MSK and OpenSearch.
      filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    return azIndexes(azCount).map((i) => Token.asString(Fn.element(zones.names, i)));
  }

  private buildVpc(cidr: string): Vpc {
    return new Vpc(this, "vpc", {
      cidrBlock: cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: `${this.prefix}-vpc` },
    });
  }

  /**
   * No ingress or egress blocks: Terraform removes every rule AWS puts on the default group, so
   * anything launched without an explicit security group can talk to nothing.
   */
  private lockDefaultSecurityGroup(vpc: Vpc): DefaultSecurityGroup {
    return new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: vpc.id,
      tags: { Name: `${this.prefix}-default-locked` },
    });
  }

  /**
   * Public subnets, one per AZ, sharing one route table whose default route is the internet
   * gateway; `internetAccess` is what they need in place to reach the internet.
   */
  private buildPublicSubnets(
    vpc: Vpc,
    igw: InternetGateway,
    cidrs: readonly string[],
  ): { subnets: Subnet[]; internetAccess: ITerraformDependable[] } {
    const publicRouteTable = new RouteTable(this, "public-route-table", {
      vpcId: vpc.id,
      tags: { Name: `${this.prefix}-public` },
    });
    const publicDefaultRoute = new Route(this, "public-default-route", {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    const publicAssociations: RouteTableAssociation[] = [];
    const subnets = azIndexes(this.availabilityZones.length).map((i) => {
      const s = azSuffix(i);
      const subnet = new Subnet(this, `public-subnet-${s}`, {
        vpcId: vpc.id,
        cidrBlock: cidrs[i],
        availabilityZone: this.availabilityZones[i],
        // Nothing gets a public address by accident: NAT gateways and the VPN use Elastic IPs.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${this.prefix}-public-${s}`, Tier: "public" },
      });
      publicAssociations.push(
        new RouteTableAssociation(this, `public-route-table-association-${s}`, {
          subnetId: subnet.id,
          routeTableId: publicRouteTable.id,
        }),
      );
      return subnet;
    });
    return { subnets, internetAccess: [igw, publicDefaultRoute, ...publicAssociations] };
  }

  /** NAT gateways with their Elastic IPs: one in the first public subnet, or one per AZ. */
  private buildNatGateways(natMode: NatMode, publicSubnets: readonly Subnet[], igw: InternetGateway): NatGateway[] {
    const natIndexes = natMode === "per_az" ? azIndexes(publicSubnets.length) : [0];
    return natIndexes.map((i) => {
      const s = azSuffix(i);
      const eip = new Eip(this, `nat-eip-${s}`, {
        domain: "vpc",
        tags: { Name: `${this.prefix}-nat-${s}` },
        dependsOn: [igw],
      });
      return new NatGateway(this, `nat-gateway-${s}`, {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[i].id,
        connectivityType: "public",
        tags: { Name: `${this.prefix}-nat-${s}` },
        dependsOn: [igw],
      });
    });
  }

  /** Private subnets, each with its own route table whose default route is `natFor(az index)`. */
  private buildPrivateSubnets(
    vpc: Vpc,
    cidrs: readonly string[],
    natFor: (azIndex: number) => NatGateway,
  ): { subnet: Subnet; table: RouteTable; internetAccess: ITerraformDependable[] }[] {
    return azIndexes(this.availabilityZones.length).map((i) => {
      const s = azSuffix(i);
      const subnet = new Subnet(this, `private-subnet-${s}`, {
        vpcId: vpc.id,
        cidrBlock: cidrs[i],
        availabilityZone: this.availabilityZones[i],
        mapPublicIpOnLaunch: false,
        tags: { Name: `${this.prefix}-private-${s}`, Tier: "private" },
      });
      const table = new RouteTable(this, `private-route-table-${s}`, {
        vpcId: vpc.id,
        tags: { Name: `${this.prefix}-private-${s}` },
      });
      const route = new Route(this, `private-default-route-${s}`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: natFor(i).id,
      });
      const association = new RouteTableAssociation(this, `private-route-table-association-${s}`, {
        subnetId: subnet.id,
        routeTableId: table.id,
      });
      return { subnet, table, internetAccess: [route, association] };
    });
  }

  /** S3 gateway endpoint on the private route tables: S3 traffic from private subnets bypasses the NAT. */
  private buildS3GatewayEndpoint(vpc: Vpc, region: string): VpcEndpoint {
    return new VpcEndpoint(this, "s3-gateway-endpoint", {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: this.privateRouteTableIds,
      tags: { Name: `${this.prefix}-s3` },
    });
  }

  private lookupAwsContext(region: string): AwsContext {
    const partition = new DataAwsPartition(this, "partition");
    const caller = new DataAwsCallerIdentity(this, "caller");
    return { partition: partition.partition, accountId: caller.accountId, region };
  }

  private buildFlowLogGroup(retention: number): CloudwatchLogGroup {
    return new CloudwatchLogGroup(this, "flow-log-group", {
      name: `/${this.prefix}/vpc-flow-logs`,
      retentionInDays: retention,
    });
  }

  /** The role VPC Flow Logs assumes, and its policy: write to `logGroup` only. */
  private buildFlowLogRole(logGroup: CloudwatchLogGroup, aws: AwsContext): IamRole {
    const flowLogRole = new IamRole(this, "flow-log-role", {
      name: `${this.prefix}-vpc-flow-logs`,
      description: "Lets VPC Flow Logs write to its own log group",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            // Confused-deputy guard: only flow logs of this account and region may assume it.
            Condition: {
              StringEquals: { "aws:SourceAccount": aws.accountId },
              ArnLike: {
                "aws:SourceArn": `arn:${aws.partition}:ec2:${aws.region}:${aws.accountId}:vpc-flow-log/*`,
              },
            },
          },
        ],
      }),
    });
    // Least privilege: the log group exists already (Terraform creates it), so no
    // logs:CreateLogGroup. Stream actions on this group only. DescribeLogGroups is a list action
    // that IAM cannot scope to one group; it is limited to this account and region's groups.
    new IamRolePolicy(this, "flow-log-policy", {
      name: "write-flow-logs",
      role: flowLogRole.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WriteOwnLogGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [logGroup.arn, `${logGroup.arn}:*`],
          },
          {
            Sid: "FindLogGroup",
            Effect: "Allow",
            Action: ["logs:DescribeLogGroups"],
            Resource: `arn:${aws.partition}:logs:${aws.region}:${aws.accountId}:log-group:*`,
          },
        ],
      }),
    });
    return flowLogRole;
  }

  /** VPC flow log of ALL traffic to CloudWatch Logs, one-minute aggregation. */
  private buildFlowLog(vpc: Vpc, logGroup: CloudwatchLogGroup, role: IamRole): FlowLog {
    return new FlowLog(this, "flow-log", {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${this.prefix}-vpc-flow-logs` },
    });
  }
}

/** 0 .. count-1: the AZ positions. */
function azIndexes(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}
