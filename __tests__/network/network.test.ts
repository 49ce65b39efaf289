import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { planSubnets } from "../../modules/validators/cidr";
import { Network, type NetworkProps } from "../../modules/network/network";

type Resource = Record<string, any>;
interface Synth {
  resource: Record<string, Record<string, Resource>>;
  data?: Record<string, Record<string, Resource>>;
}

function build(overrides: Partial<NetworkProps> = {}): { tf: Synth; network: Network } {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
  const network = new Network(stack, "network", {
    namePrefix: "t",
    cidr: "10.0.0.0/16",
    azCount: 3,
    ...overrides,
  });
  return { tf: JSON.parse(Testing.synth(stack, true)) as Synth, network };
}

const all = (tf: Synth, type: string): Resource[] => Object.values(tf.resource[type] ?? {});
const named = (tf: Synth, type: string): [string, Resource][] => Object.entries(tf.resource[type] ?? {});
const tier = (tf: Synth, t: string) => all(tf, "aws_subnet").filter((s) => s.tags.Tier === t);
const ref = (type: string, name: string, attr = "id") => `\${${type}.${name}.${attr}}`;

describe("Network", () => {
  describe("subnets", () => {
    it("creates one public and one private subnet per AZ for 3 AZs", () => {
      const { tf } = build();
      expect(tier(tf, "public")).toHaveLength(3);
      expect(tier(tf, "private")).toHaveLength(3);
    });

    it("spreads each tier over distinct AZs", () => {
      const { tf } = build();
      for (const t of ["public", "private"]) {
        const azs = tier(tf, t).map((s) => s.availability_zone);
        expect(new Set(azs).size).toBe(3);
      }
    });

    it("defaults the AZs to the first azCount available regular zones", () => {
      const { tf } = build();
      const zones = Object.entries(tf.data!.aws_availability_zones);
      expect(zones).toHaveLength(1);
      const [name, zone] = zones[0];
      expect(zone.state).toBe("available");
      expect(zone.filter).toEqual([{ name: "opt-in-status", values: ["opt-in-not-required"] }]);
      expect(tier(tf, "public").map((s) => s.availability_zone).sort()).toEqual(
        [0, 1, 2].map((i) => `\${element(data.aws_availability_zones.${name}.names, ${i})}`),
      );
    });

    it("uses the CIDRs planSubnets gives, in AZ order", () => {
      const { tf } = build({ availabilityZones: ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"] });
      const plan = planSubnets("10.0.0.0/16", 3);
      const byAz = (t: string) =>
        tier(tf, t)
          .sort((a, b) => a.availability_zone.localeCompare(b.availability_zone))
          .map((s) => s.cidr_block);
      expect(byAz("public")).toEqual(plan.publicCidrs);
      expect(byAz("private")).toEqual(plan.privateCidrs);
    });

    it("keeps every common subnet's CIDR when az_count goes from 2 to 3 (slots are carved for 3)", () => {
      const subnets = (tf: Synth) => Object.fromEntries(named(tf, "aws_subnet").map(([n, r]) => [n, r.cidr_block]));
      const two = subnets(build({ azCount: 2, availabilityZones: ["ap-southeast-2a", "ap-southeast-2b"] }).tf);
      const three = subnets(build({ azCount: 3, availabilityZones: ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"] }).tf);
      expect(Object.keys(two)).toHaveLength(4);
      for (const [name, cidr] of Object.entries(two)) expect(three[name]).toBe(cidr);
      expect(Object.keys(three).filter((n) => !(n in two))).toHaveLength(2);
    });

    it("with more slots, the layout is carved for them", () => {
      const { tf } = build({ azCount: 2, azSlots: 4, availabilityZones: ["ap-southeast-2a", "ap-southeast-2b"] });
      expect(tier(tf, "private").map((s) => s.cidr_block).sort()).toEqual(["10.0.128.0/19", "10.0.160.0/19"]);
    });

    it("uses explicit AZs without the availability-zones data source", () => {
      const { tf, network } = build({ availabilityZones: ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"] });
      expect(tf.data?.aws_availability_zones).toBeUndefined();
      expect(network.availabilityZones).toEqual(["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"]);
    });

    it("creates 2 public + 2 private subnets in 2 distinct AZs for azCount 2", () => {
      const { tf } = build({ azCount: 2, availabilityZones: ["ap-southeast-2a", "ap-southeast-2b"] });
      const plan = planSubnets("10.0.0.0/16", 2);
      expect(tier(tf, "public").map((s) => s.cidr_block).sort()).toEqual([...plan.publicCidrs].sort());
      expect(tier(tf, "private").map((s) => s.cidr_block).sort()).toEqual([...plan.privateCidrs].sort());
      expect(new Set(tier(tf, "private").map((s) => s.availability_zone))).toEqual(
        new Set(["ap-southeast-2a", "ap-southeast-2b"]),
      );
    });

    it("never maps public IPs on launch", () => {
      const { tf } = build();
      expect(all(tf, "aws_subnet").every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    });

    it("names per-AZ resources by AZ position letter", () => {
      const { tf } = build();
      const ids = named(tf, "aws_subnet").map(([n]) => n.replace(/_[0-9A-F]{8}$/, ""));
      expect(ids.sort()).toEqual(
        ["a", "b", "c"].flatMap((s) => [`network_private-subnet-${s}`, `network_public-subnet-${s}`]).sort(),
      );
    });

    it("exposes subnet ids in AZ order", () => {
      const { network } = build();
      expect(network.publicSubnetIds).toHaveLength(3);
      expect(network.privateSubnetIds).toHaveLength(3);
      expect(network.privateRouteTableIds).toHaveLength(3);
      expect(network.vpcCidr).toBe("10.0.0.0/16");
    });
  });

  describe("VPC and internet access", () => {
    it("enables DNS support and hostnames on the VPC", () => {
      const { tf } = build();
      const [vpc] = all(tf, "aws_vpc");
      expect(vpc).toMatchObject({ cidr_block: "10.0.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
    });

    it("routes the public route table's 0.0.0.0/0 to the internet gateway, for every public subnet", () => {
      const { tf } = build();
      const [[igwName]] = named(tf, "aws_internet_gateway");
      const igwRoutes = all(tf, "aws_route").filter((r) => r.gateway_id !== undefined);
      expect(igwRoutes).toHaveLength(1);
      expect(igwRoutes[0]).toMatchObject({ destination_cidr_block: "0.0.0.0/0", gateway_id: ref("aws_internet_gateway", igwName) });
      const publicTable = igwRoutes[0].route_table_id;
      const publicSubnetRefs = named(tf, "aws_subnet")
        .filter(([, s]) => s.tags.Tier === "public")
        .map(([n]) => ref("aws_subnet", n));
      const associated = all(tf, "aws_route_table_association")
        .filter((a) => a.route_table_id === publicTable)
        .map((a) => a.subnet_id);
      expect(associated.sort()).toEqual(publicSubnetRefs.sort());
    });
  });

  describe("NAT", () => {
    it("single: one NAT gateway with an EIP, in the first public subnet", () => {
      const { tf } = build({ natMode: "single" });
      const nats = all(tf, "aws_nat_gateway");
      expect(nats).toHaveLength(1);
      expect(all(tf, "aws_eip")).toHaveLength(1);
      const firstPublic = named(tf, "aws_subnet").find(([n]) => n.startsWith("network_public-subnet-a_"))![0];
      expect(nats[0].subnet_id).toBe(ref("aws_subnet", firstPublic));
    });

    it("single: every private route table sends 0.0.0.0/0 to that NAT gateway", () => {
      const { tf } = build({ natMode: "single" });
      const [[natName]] = named(tf, "aws_nat_gateway");
      const natRoutes = all(tf, "aws_route").filter((r) => r.nat_gateway_id !== undefined);
      expect(natRoutes).toHaveLength(3);
      expect(new Set(natRoutes.map((r) => r.route_table_id)).size).toBe(3);
      for (const r of natRoutes) {
        expect(r).toMatchObject({ destination_cidr_block: "0.0.0.0/0", nat_gateway_id: ref("aws_nat_gateway", natName) });
      }
    });

    it("defaults to single", () => {
      const { tf } = build();
      expect(all(tf, "aws_nat_gateway")).toHaveLength(1);
    });

    it("per_az: one NAT gateway per AZ, each in its own AZ's public subnet", () => {
      const { tf } = build({ natMode: "per_az" });
      const nats = named(tf, "aws_nat_gateway");
      expect(nats).toHaveLength(3);
      expect(all(tf, "aws_eip")).toHaveLength(3);
      for (const s of ["a", "b", "c"]) {
        const nat = nats.find(([n]) => n.startsWith(`network_nat-gateway-${s}_`))![1];
        const subnet = named(tf, "aws_subnet").find(([n]) => n.startsWith(`network_public-subnet-${s}_`))![0];
        expect(nat.subnet_id).toBe(ref("aws_subnet", subnet));
      }
    });

    it("per_az: each private subnet's route table sends 0.0.0.0/0 to its own AZ's NAT gateway", () => {
      const { tf } = build({ natMode: "per_az" });
      const find = (type: string, prefix: string) => named(tf, type).find(([n]) => n.startsWith(prefix))!;
      for (const s of ["a", "b", "c"]) {
        const [subnetName, subnet] = find("aws_subnet", `network_private-subnet-${s}_`);
        const association = all(tf, "aws_route_table_association").find((a) => a.subnet_id === ref("aws_subnet", subnetName))!;
        const route = all(tf, "aws_route").find((r) => r.route_table_id === association.route_table_id)!;
        const [natName, nat] = find("aws_nat_gateway", `network_nat-gateway-${s}_`);
        expect(route.nat_gateway_id).toBe(ref("aws_nat_gateway", natName));
        const [publicName, publicSubnet] = find("aws_subnet", `network_public-subnet-${s}_`);
        expect(nat.subnet_id).toBe(ref("aws_subnet", publicName));
        expect(publicSubnet.availability_zone).toBe(subnet.availability_zone);
      }
    });
  });

  describe("flow logs", () => {
    it("logs ALL traffic of the VPC to a CloudWatch log group", () => {
      const { tf } = build();
      const [[vpcName]] = named(tf, "aws_vpc");
      const [[groupName]] = named(tf, "aws_cloudwatch_log_group");
      const [flowLog] = all(tf, "aws_flow_log");
      expect(flowLog).toMatchObject({
        vpc_id: ref("aws_vpc", vpcName),
        traffic_type: "ALL",
        log_destination_type: "cloud-watch-logs",
        log_destination: ref("aws_cloudwatch_log_group", groupName, "arn"),
      });
    });

    it("keeps the flow logs for 30 days by default", () => {
      const { tf } = build();
      expect(all(tf, "aws_cloudwatch_log_group")[0].retention_in_days).toBe(30);
    });

    it("keeps the flow logs for flowLogsRetentionDays", () => {
      const { tf } = build({ flowLogsRetentionDays: 90 });
      expect(all(tf, "aws_cloudwatch_log_group")[0].retention_in_days).toBe(90);
    });

    it("lets only vpc-flow-logs of this account assume the flow-log role", () => {
      const { tf } = build();
      const [[roleName, role]] = named(tf, "aws_iam_role");
      const trust = JSON.parse(role.assume_role_policy);
      expect(trust.Statement).toHaveLength(1);
      expect(trust.Statement[0].Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
      expect(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"]).toMatch(/aws_caller_identity/);
      expect(all(tf, "aws_flow_log")[0].iam_role_arn).toBe(ref("aws_iam_role", roleName, "arn"));
    });

    it("grants the flow-log role stream writes on its own log group only", () => {
      const { tf } = build();
      const [[groupName]] = named(tf, "aws_cloudwatch_log_group");
      const policy = JSON.parse(all(tf, "aws_iam_role_policy")[0].policy);
      const write = policy.Statement.find((s: Resource) => s.Sid === "WriteOwnLogGroup");
      expect(write.Action.sort()).toEqual(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
      const arn = ref("aws_cloudwatch_log_group", groupName, "arn");
      expect(write.Resource).toEqual([arn, `${arn}:*`]);
      expect(JSON.stringify(policy)).not.toContain('"Resource":"*"');
      expect(JSON.stringify(policy)).not.toContain("logs:CreateLogGroup");
    });
  });

  describe("default security group and S3 endpoint", () => {
    it("locks the VPC's default security group: no ingress, no egress", () => {
      const { tf } = build();
      const [[vpcName]] = named(tf, "aws_vpc");
      const groups = all(tf, "aws_default_security_group");
      expect(groups).toHaveLength(1);
      expect(groups[0].vpc_id).toBe(ref("aws_vpc", vpcName));
      expect(groups[0].ingress).toBeUndefined();
      expect(groups[0].egress).toBeUndefined();
    });

    it("adds an S3 gateway endpoint on every private route table and no public one", () => {
      const { tf } = build();
      const [endpoint] = all(tf, "aws_vpc_endpoint");
      expect(endpoint.vpc_endpoint_type).toBe("Gateway");
      expect(endpoint.service_name).toMatch(/^com\.amazonaws\.\$\{data\.aws_region\.[^}]+\.region\}\.s3$/);
      const privateTables = named(tf, "aws_route_table")
        .filter(([n]) => n.startsWith("network_private-route-table-"))
        .map(([n]) => ref("aws_route_table", n));
      expect(privateTables).toHaveLength(3);
      expect([...endpoint.route_table_ids].sort()).toEqual(privateTables.sort());
    });
  });

  describe("validation", () => {
    it("rejects a CIDR too small for the subnets", () => {
      expect(() => build({ cidr: "10.0.0.0/26", azCount: 3 })).toThrow(
        "10.0.0.0/26 is too small: subnets are carved for 3 AZs (6 subnets), each would be /29, AWS needs /28 or larger; use a VPC CIDR of /25 or larger",
      );
    });

    it("rejects more AZs than subnet slots", () => {
      expect(() => build({ azCount: 4 })).toThrow('Network "network": azCount (4) must be at most azSlots (3); raise azSlots, which moves every subnet');
    });

    it("rejects an azCount out of 1-6", () => {
      expect(() => build({ azCount: 7 })).toThrow('Network "network": azCount must be an integer from 1 to 6, got 7');
      expect(() => build({ azCount: 0 })).toThrow('Network "network": azCount must be an integer from 1 to 6, got 0');
    });

    it("rejects a malformed CIDR", () => {
      expect(() => build({ cidr: "10.0.0.1/16" })).toThrow(
        'Network "network": cidr must be an IPv4 CIDR such as 10.0.0.0/16 (no host bits set), got "10.0.0.1/16"',
      );
    });

    it("rejects a VPC CIDR larger than /16", () => {
      expect(() => build({ cidr: "10.0.0.0/8" })).toThrow(
        'Network "network": cidr must be between /16 and /28 (AWS\'s VPC limits), got "10.0.0.0/8"',
      );
    });

    it("rejects availabilityZones of the wrong length", () => {
      expect(() => build({ azCount: 3, availabilityZones: ["ap-southeast-2a", "ap-southeast-2b"] })).toThrow(
        'Network "network": availabilityZones must list exactly azCount (3) zones, got 2: [ap-southeast-2a, ap-southeast-2b]',
      );
    });

    it("rejects duplicate availabilityZones", () => {
      expect(() => build({ azCount: 2, availabilityZones: ["ap-southeast-2a", "ap-southeast-2a"] })).toThrow(
        'Network "network": availabilityZones must be distinct, got "ap-southeast-2a" twice',
      );
    });

    it("rejects a retention CloudWatch does not offer", () => {
      expect(() => build({ flowLogsRetentionDays: 10 })).toThrow(/flowLogsRetentionDays must be one of CloudWatch's retention periods \(1, 3, .*\), got 10$/);
    });
  });
});
