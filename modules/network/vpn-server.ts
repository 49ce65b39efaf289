import { gzipSync } from "node:zlib";
import { type ITerraformDependable, TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { EipAssociation } from "@cdktf/provider-aws/lib/eip-association";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecurityGroup, type SecurityGroupIngress } from "@cdktf/provider-aws/lib/security-group";
import { cidrsOverlap, parseCidr } from "../validators/cidr";
import { isAwsRegion } from "../validators/aws-patterns";
import { renderVpnUserData } from "./vpn-user-data";

/** VPN protocols the server offers; each opens its own ports. */
export interface VpnProtocols {
  /** L2TP/IPsec for the OS built-in clients: UDP 500 (IKE) and UDP 4500 (NAT-T; the EIP is 1:1 NAT, so no raw ESP). */
  readonly l2tpIpsec: boolean;
  /** SoftEther's own protocol (SSL-VPN): TCP 443. */
  readonly softether: boolean;
  /** OpenVPN: UDP 1194. */
  readonly openvpn: boolean;
}

/** Ingress the server opens per protocol. */
export const VPN_PORTS: Record<keyof VpnProtocols, readonly { protocol: "tcp" | "udp"; port: number; description: string }[]> = {
  l2tpIpsec: [
    { protocol: "udp", port: 500, description: "L2TP/IPsec IKE (UDP 500)" },
    { protocol: "udp", port: 4500, description: "L2TP/IPsec NAT traversal (UDP 4500)" },
  ],
  softether: [{ protocol: "tcp", port: 443, description: "SoftEther SSL-VPN (TCP 443)" }],
  openvpn: [{ protocol: "udp", port: 1194, description: "OpenVPN (UDP 1194)" }],
};

/** Canonical's AWS account, owner of the official Ubuntu AMIs. */
export const CANONICAL_OWNER_ID = "099720109477";
export const UBUNTU_AMI_NAME = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*";
/** Name of the Terraform variable asked for when `allowedCidrs` is not given. */
export const VPN_ALLOWED_CIDRS_VARIABLE = "vpn_allowed_cidrs";
/**
 * EC2 accepts at most 16 KiB of user data (before base64). The user data is gzip-compressed by
 * Terraform (`base64gzip`, which cloud-init unpacks), so the limit applies to the compressed
 * script; this much is kept for the generated header.
 */
export const MAX_BOOTSTRAP_SCRIPT_GZIP_BYTES = 16384 - 2048;

const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];

export interface VpnServerProps {
  /** Prefix of every resource name. */
  readonly namePrefix: string;
  /** VPC of the server. */
  readonly vpcId: string;
  /** CIDR of the VPC: the destination of forwarded client traffic (egress) and of VPN routes. */
  readonly vpcCidr: string;
  /** A public subnet (default route to an internet gateway). */
  readonly subnetId: string;
  /**
   * EC2 instance type.
   * @default "t3.small"
   */
  readonly instanceType?: string;
  /**
   * IPv4 source CIDRs allowed to reach the VPN ports.
   * @default - a required Terraform variable `vpn_allowed_cidrs` (list(string), no default) the
   *   user passes at plan time; its validation rejects 0.0.0.0/0 and ::/0 unless allowOpenIngress
   */
  readonly allowedCidrs?: readonly string[];
  /**
   * Accept 0.0.0.0/0 (or ::/0) as a source: the VPN ports open to the whole internet. Without it
   * the constructor throws on such a CIDR, and the variable's validation rejects it.
   * @default false
   */
  readonly allowOpenIngress?: boolean;
  /** Which protocols to offer; at least one must be enabled. */
  readonly protocols: VpnProtocols;
  /** SoftEther virtual hub name. */
  readonly hub: string;
  /** VPN user created at first boot. */
  readonly username: string;
  /** SecureNAT network handed out to VPN clients; must not overlap the VPC. */
  readonly clientNetwork: string;
  /**
   * Text of scripts/vpn-bootstrap.sh. The construct prepends a header exporting its inputs
   * (VPN_SECRET_ID, AWS_REGION, VPN_HUB, VPN_USERNAME, VPN_CLIENT_NETWORK, VPC_CIDR,
   * VPN_PUBLIC_IP, VPN_ENABLE_L2TP/SOFTETHER/OPENVPN) and never reads files itself.
   */
  readonly bootstrapScript: string;
  /** AWS region (exported to the script as AWS_REGION for the AWS CLI). */
  readonly region: string;
  /**
   * What gives the public subnet its internet access (`Network.publicInternetAccess`). The
   * instance and the EIP association wait for it: associating an EIP fails while the VPC has no
   * internet gateway, and the first boot downloads packages.
   * @default - none (the caller guarantees the subnet already reaches the internet)
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Days Secrets Manager keeps the credentials secret after it is deleted (0 deletes at once;
   * otherwise 7 to 30). The secret is named from a prefix, so a new stack never collides with one
   * awaiting deletion either way.
   * @default 7
   */
  readonly secretRecoveryWindowDays?: number;
}

/**
 * An HCL expression in Terraform JSON: a plain JSON string is a literal there, so a variable
 * validation `condition` must be a `${...}` template or Terraform rejects it as checking nothing.
 */
function tfExpression(expression: string): string {
  return `\${${expression}}`;
}

/** The props with their defaults applied, once they passed every check. */
interface VpnServerSettings {
  readonly instanceType: string;
  readonly allowOpenIngress: boolean;
  /** The enabled protocols, in `VPN_PORTS` order. */
  readonly enabled: readonly (keyof VpnProtocols)[];
  readonly recoveryWindow: number;
}

/** Checks `allowedCidrs` when given: IPv4, distinct, and open to the internet only if allowed. */
function checkAllowedCidrs(where: string, allowedCidrs: readonly string[], allowOpenIngress: boolean): void {
  if (allowedCidrs.length === 0) {
    throw new Error(`${where}: allowedCidrs must name at least one CIDR, got []; leave it out to ask for ${VPN_ALLOWED_CIDRS_VARIABLE} at plan time`);
  }
  for (const cidr of allowedCidrs) {
    if (OPEN_CIDRS.includes(cidr)) {
      if (!allowOpenIngress) {
        throw new Error(
          `${where}: allowedCidrs contains ${cidr}, which opens the VPN ports to the whole internet; ` +
            "name the CIDRs that need access, or set allowOpenIngress (vpn.allow_open_ingress) to accept it",
        );
      }
      if (cidr === "::/0") throw new Error(`${where}: allowedCidrs must be IPv4 CIDRs, got "::/0"`);
    } else if (!parseCidr(cidr)) {
      throw new Error(`${where}: allowedCidrs must be IPv4 CIDRs such as 203.0.113.7/32 (no host bits set), got "${cidr}"`);
    }
  }
  const duplicate = allowedCidrs.find((c, i) => allowedCidrs.indexOf(c) !== i);
  if (duplicate !== undefined) throw new Error(`${where}: allowedCidrs lists "${duplicate}" twice`);
}

/** Checks the client network: an IPv4 CIDR outside the VPC (when the VPC CIDR is known at synth). */
function checkClientNetwork(where: string, clientNetwork: string, vpcCidr: string): void {
  const client = parseCidr(clientNetwork);
  if (!client) {
    throw new Error(`${where}: clientNetwork must be an IPv4 CIDR such as 192.168.30.0/24, got "${clientNetwork}"`);
  }
  if (!Token.isUnresolved(vpcCidr)) {
    const vpc = parseCidr(vpcCidr);
    if (!vpc) throw new Error(`${where}: vpcCidr must be an IPv4 CIDR, got "${vpcCidr}"`);
    if (cidrsOverlap(vpc, client)) {
      throw new Error(`${where}: clientNetwork ${clientNetwork} overlaps the VPC CIDR ${vpcCidr}; pick a range outside the VPC`);
    }
  }
}

/** Checks the bootstrap script: not empty, and small enough for EC2 user data once compressed. */
function checkBootstrapScript(where: string, bootstrapScript: string): void {
  if (bootstrapScript.trim() === "") {
    throw new Error(`${where}: bootstrapScript is empty; pass the text of scripts/vpn-bootstrap.sh`);
  }
  const scriptBytes = gzipSync(bootstrapScript, { level: 9 }).length;
  if (scriptBytes > MAX_BOOTSTRAP_SCRIPT_GZIP_BYTES) {
    throw new Error(
      `${where}: bootstrapScript is ${scriptBytes} bytes gzip-compressed; EC2 user data holds 16384 and ${16384 - MAX_BOOTSTRAP_SCRIPT_GZIP_BYTES} are kept for the header, so at most ${MAX_BOOTSTRAP_SCRIPT_GZIP_BYTES}`,
    );
  }
}

/** Every check of the props, in order, before any resource exists; returns them with defaults. */
function checkVpnServerProps(id: string, props: VpnServerProps): VpnServerSettings {
  const where = `VpnServer "${id}"`;
  const instanceType = props.instanceType ?? "t3.small";
  const allowOpenIngress = props.allowOpenIngress ?? false;
  if (props.allowedCidrs !== undefined) checkAllowedCidrs(where, props.allowedCidrs, allowOpenIngress);
  const enabled = (Object.keys(VPN_PORTS) as (keyof VpnProtocols)[]).filter((p) => props.protocols[p]);
  if (enabled.length === 0) {
    throw new Error(`${where}: enable at least one of protocols.l2tpIpsec, .softether, .openvpn; got ${JSON.stringify(props.protocols)}`);
  }
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(instanceType)) {
    throw new Error(`${where}: instanceType must be an EC2 instance type such as t3.small, got "${instanceType}"`);
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(props.hub)) {
    throw new Error(`${where}: hub must be 1 to 64 letters, digits, '_' or '-', got "${props.hub}"`);
  }
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(props.username)) {
    throw new Error(`${where}: username must be 1 to 64 letters, digits, '_', '.' or '-', got "${props.username}"`);
  }
  if (!isAwsRegion(props.region)) {
    throw new Error(`${where}: region must be an AWS region such as ap-southeast-2, got "${props.region}"`);
  }
  checkClientNetwork(where, props.clientNetwork, props.vpcCidr);
  const recoveryWindow = props.secretRecoveryWindowDays ?? 7;
  if (!Number.isInteger(recoveryWindow) || (recoveryWindow !== 0 && (recoveryWindow < 7 || recoveryWindow > 30))) {
    throw new Error(`${where}: secretRecoveryWindowDays must be 0 or 7-30, got ${recoveryWindow}`);
  }
  checkBootstrapScript(where, props.bootstrapScript);
  return { instanceType, allowOpenIngress, enabled, recoveryWindow };
}

/**
 * A SoftEther VPN server on EC2 (Ubuntu 24.04) in a public subnet, reached through an Elastic IP.
 *
 * - Security group: ingress only on the enabled protocols' ports, only from the allowed CIDRs (or
 *   the `vpn_allowed_cidrs` variable); no SSH (administration is through SSM Session Manager).
 *   Egress: TCP 443 anywhere (SSM, Secrets Manager and other AWS APIs, HTTPS downloads), TCP 80
 *   anywhere (Ubuntu's EC2 apt mirrors are plain HTTP; packages are signature-checked), and every
 *   protocol into the VPC CIDR (the clients' forwarded traffic and the VPC DNS resolver).
 * - SecureNAT is user-mode NAT: forwarded packets leave with the instance's own address, so
 *   `source_dest_check` stays true.
 * - Instance: IMDSv2 only (hop limit 1), encrypted gp3 root volume, no key pair, no public IP of
 *   its own: the header waits until the EIP is associated before the script runs.
 * - `lifecycle.ignore_changes = ["ami"]`: a new Ubuntu release of the AMI does not replace the
 *   server (and change its host keys/state) on the next apply; unattended-upgrades patches it.
 *   Take a new AMI deliberately with `terraform apply -replace=<instance address>`.
 * - Credentials: Terraform creates an EMPTY Secrets Manager secret (no secret version), so no
 *   password is ever in Terraform state or YAML; the instance generates them at first boot and
 *   puts them there. Its role may only Get/Put/Describe that one secret, plus
 *   AmazonSSMManagedInstanceCore.
 */
export class VpnServer extends Construct {
  public readonly securityGroupId: string;
  /** The Elastic IP clients connect to; it survives instance replacement. */
  public readonly publicIp: string;
  /** ARN of the secret the instance writes the VPN credentials to. */
  public readonly secretArn: string;
  public readonly instanceId: string;
  /** The `vpn_allowed_cidrs` variable, when `allowedCidrs` was not given. */
  public readonly allowedCidrsVariable?: TerraformVariable;

  constructor(scope: Construct, id: string, props: VpnServerProps) {
    super(scope, id);
    const settings = checkVpnServerProps(id, props);
    const prefix = props.namePrefix;

    if (props.allowedCidrs === undefined) this.allowedCidrsVariable = this.buildAllowedCidrsVariable(settings.allowOpenIngress);
    const sources = this.allowedCidrsVariable?.listValue ?? [...(props.allowedCidrs ?? [])];
    const securityGroup = this.buildSecurityGroup(prefix, props.vpcId, props.vpcCidr, settings.enabled, sources);
    this.securityGroupId = securityGroup.id;
    const secret = this.buildCredentialsSecret(props, settings.recoveryWindow);
    this.secretArn = secret.arn;
    const role = this.buildInstanceRole(prefix, secret.arn);
    // Allocated before the instance, so the instance knows its address and the address outlives it.
    const eip = new Eip(this, "eip", { domain: "vpc", tags: { Name: `${prefix}-vpn` } });
    this.publicIp = eip.publicIp;
    const userDataBase64 = renderVpnUserData({ ...props, secretArn: secret.arn, publicIp: eip.publicIp });
    const ami = this.lookupUbuntuAmi();
    const instance = this.buildInstance(props, {
      amiId: ami.id,
      instanceType: settings.instanceType,
      securityGroupId: securityGroup.id,
      instanceProfileName: role.profile.name,
      userDataBase64,
      // The role's permissions must exist before first boot, when the script uses them.
      dependsOn: [...role.permissions, ...(props.dependsOn ?? [])],
    });
    this.instanceId = instance.id;
    new EipAssociation(this, "eip-association", {
      allocationId: eip.allocationId,
      instanceId: instance.id,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }

  /** Who may connect when `allowedCidrs` is not given: a required variable, asked for at plan time. */
  private buildAllowedCidrsVariable(allowOpenIngress: boolean): TerraformVariable {
    const checks = [
      {
        condition: tfExpression(
          `length(var.${VPN_ALLOWED_CIDRS_VARIABLE}) > 0 && alltrue([for c in var.${VPN_ALLOWED_CIDRS_VARIABLE} : can(cidrnetmask(c)) && try(cidrhost(c, 0) == split("/", c)[0], false)])`,
        ),
        errorMessage: `${VPN_ALLOWED_CIDRS_VARIABLE} must be a non-empty list of IPv4 CIDRs without host bits, e.g. ["203.0.113.7/32"].`,
      },
    ];
    if (!allowOpenIngress) {
      checks.push({
        condition: tfExpression(`!anytrue([for c in var.${VPN_ALLOWED_CIDRS_VARIABLE} : contains(${JSON.stringify(OPEN_CIDRS)}, c)])`),
        errorMessage:
          `${VPN_ALLOWED_CIDRS_VARIABLE} must not contain 0.0.0.0/0 or ::/0: name the networks that need the VPN ` +
          "(set vpn.allow_open_ingress in the environment YAML to accept an open VPN).",
      });
    }
    const variable = new TerraformVariable(this, "allowed-cidrs", {
      type: "list(string)",
      nullable: false,
      description:
        "IPv4 CIDRs allowed to reach the VPN server's ports (e.g. [\"203.0.113.7/32\"]). Required: there is no default, " +
        "and 0.0.0.0/0 is refused unless vpn.allow_open_ingress is set.",
      validation: checks,
    });
    // A stable, documented name for `-var vpn_allowed_cidrs=...` (no construct-path hash).
    variable.overrideLogicalId(VPN_ALLOWED_CIDRS_VARIABLE);
    return variable;
  }

  /** The enabled protocols' ports from `sources`; egress to HTTPS, HTTP and the VPC only. */
  private buildSecurityGroup(
    prefix: string,
    vpcId: string,
    vpcCidr: string,
    enabled: readonly (keyof VpnProtocols)[],
    sources: string[],
  ): SecurityGroup {
    const ingress: SecurityGroupIngress[] = enabled.flatMap((p) =>
      VPN_PORTS[p].map((rule) => ({
        description: rule.description,
        protocol: rule.protocol,
        fromPort: rule.port,
        toPort: rule.port,
        cidrBlocks: sources,
      })),
    );
    return new SecurityGroup(this, "security-group", {
      name: `${prefix}-vpn`,
      description: "SoftEther VPN server: VPN ports from the allowed CIDRs only, no SSH",
      vpcId,
      ingress,
      egress: [
        {
          description: "HTTPS: SSM, Secrets Manager and other AWS APIs, HTTPS downloads",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ["0.0.0.0/0"],
        },
        {
          description: "HTTP: the Ubuntu EC2 apt mirrors (packages are signature-checked)",
          protocol: "tcp",
          fromPort: 80,
          toPort: 80,
          cidrBlocks: ["0.0.0.0/0"],
        },
        {
          description: "Traffic the VPN clients forward into the VPC (SecureNAT) and the VPC DNS resolver",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: [vpcCidr],
        },
      ],
      tags: { Name: `${prefix}-vpn` },
    });
  }

  /** The credentials secret, created EMPTY: the instance fills it at first boot. */
  private buildCredentialsSecret(props: VpnServerProps, recoveryWindow: number): SecretsmanagerSecret {
    const prefix = props.namePrefix;
    return new SecretsmanagerSecret(this, "credentials", {
      namePrefix: `${prefix}-vpn-credentials-`,
      description: `SoftEther VPN credentials of ${prefix} (hub ${props.hub}, user ${props.username}); written by the VPN server at first boot`,
      // name_prefix lets a new stack reuse the prefix while an old secret awaits deletion.
      recoveryWindowInDays: recoveryWindow,
      tags: { Name: `${prefix}-vpn-credentials` },
    });
  }

  /**
   * The instance role (SSM Session Manager and this one secret) and its profile; `permissions` are
   * what the first boot needs in place.
   */
  private buildInstanceRole(prefix: string, secretArn: string): { profile: IamInstanceProfile; permissions: ITerraformDependable[] } {
    const partition = new DataAwsPartition(this, "partition");
    const role = new IamRole(this, "role", {
      name: `${prefix}-vpn`,
      description: "SoftEther VPN server: SSM Session Manager and its own credentials secret",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    const ssm = new IamRolePolicyAttachment(this, "ssm-managed-instance-core", {
      role: role.name,
      policyArn: `arn:${partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    const secretAccess = new IamRolePolicy(this, "secret-access", {
      name: "vpn-credentials-secret",
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "OwnCredentialsSecret",
            Effect: "Allow",
            Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
            Resource: secretArn,
          },
        ],
      }),
    });
    const profile = new IamInstanceProfile(this, "instance-profile", {
      name: `${prefix}-vpn`,
      role: role.name,
    });
    return { profile, permissions: [ssm, secretAccess] };
  }

  /** The newest official Ubuntu 24.04 amd64 AMI (Canonical's account). */
  private lookupUbuntuAmi(): DataAwsAmi {
    return new DataAwsAmi(this, "ubuntu", {
      owners: [CANONICAL_OWNER_ID],
      mostRecent: true,
      filter: [
        { name: "name", values: [UBUNTU_AMI_NAME] },
        { name: "architecture", values: ["x86_64"] },
        { name: "virtualization-type", values: ["hvm"] },
        { name: "root-device-type", values: ["ebs"] },
      ],
    });
  }

  /** The instance: IMDSv2 only, encrypted root volume, no public IP of its own, AMI pinned after creation. */
  private buildInstance(
    props: VpnServerProps,
    parts: {
      amiId: string;
      instanceType: string;
      securityGroupId: string;
      instanceProfileName: string;
      userDataBase64: string;
      dependsOn: ITerraformDependable[];
    },
  ): Instance {
    return new Instance(this, "instance", {
      ami: parts.amiId,
      instanceType: parts.instanceType,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [parts.securityGroupId],
      iamInstanceProfile: parts.instanceProfileName,
      associatePublicIpAddress: false,
      // SecureNAT is user-mode NAT: forwarded packets carry the instance's own address.
      sourceDestCheck: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      rootBlockDevice: {
        volumeType: "gp3",
        volumeSize: 10,
        encrypted: true,
        deleteOnTermination: true,
      },
      userDataBase64: parts.userDataBase64,
      userDataReplaceOnChange: true,
      tags: { Name: `${props.namePrefix}-vpn` },
      dependsOn: parts.dependsOn,
      lifecycle: { ignoreChanges: ["ami"] },
    });
  }
}
