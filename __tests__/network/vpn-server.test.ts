import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Network } from "../../modules/network/network";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { VpnServer, type VpnServerProps } from "../../modules/network/vpn-server";

type Resource = Record<string, any>;
interface Synth {
  resource: Record<string, Record<string, Resource>>;
  data: Record<string, Record<string, Resource>>;
  variable?: Record<string, Resource>;
}

const SCRIPT = [
  "#!/bin/bash",
  "set -euo pipefail",
  'echo "hub=${VPN_HUB} home=${HOME}"',
  "printf '%{not-a-directive}\\n'",
  "echo $$",
  "",
].join("\n");

function build(overrides: Partial<VpnServerProps> = {}): { tf: Synth; vpn: VpnServer } {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
  const vpn = new VpnServer(stack, "vpn", {
    namePrefix: "t",
    vpcId: "vpc-123",
    vpcCidr: "10.0.0.0/16",
    subnetId: "subnet-public-a",
    allowedCidrs: ["203.0.113.7/32", "198.51.100.0/24"],
    protocols: { l2tpIpsec: true, softether: true, openvpn: false },
    hub: "pipeline",
    username: "developer",
    clientNetwork: "192.168.30.0/24",
    bootstrapScript: SCRIPT,
    region: "ap-southeast-2",
    ...overrides,
  });
  return { tf: JSON.parse(Testing.synth(stack, true)) as Synth, vpn };
}

const only = (tf: Synth, type: string): [string, Resource] => {
  const entries = Object.entries(tf.resource[type] ?? {});
  expect(entries).toHaveLength(1);
  return entries[0];
};
const instance = (tf: Synth) => only(tf, "aws_instance")[1];
const securityGroup = (tf: Synth) => only(tf, "aws_security_group")[1];
const ports = (rules: Resource[]) => rules.map((r) => `${r.protocol}/${r.from_port}-${r.to_port}`).sort();

describe("VpnServer", () => {
  describe("instance", () => {
    it("requires IMDSv2 with a hop limit of 1", () => {
      expect(instance(build().tf).metadata_options).toMatchObject({
        http_tokens: "required",
        http_endpoint: "enabled",
        http_put_response_hop_limit: 1,
      });
    });

    it("has an encrypted gp3 root volume", () => {
      expect(instance(build().tf).root_block_device).toMatchObject({ encrypted: true, volume_type: "gp3" });
    });

    it("has no key pair", () => {
      expect(instance(build().tf)).not.toHaveProperty("key_name");
    });

    it("runs in the given public subnet with the VPN security group and t3.small by default", () => {
      const { tf } = build();
      const [sgName] = only(tf, "aws_security_group");
      expect(instance(tf)).toMatchObject({
        subnet_id: "subnet-public-a",
        instance_type: "t3.small",
        vpc_security_group_ids: [`\${aws_security_group.${sgName}.id}`],
      });
    });

    it("keeps source/dest check on (SecureNAT is user-mode NAT)", () => {
      expect(instance(build().tf).source_dest_check).toBe(true);
    });

    it("uses the latest Ubuntu 24.04 AMI from Canonical and ignores later AMI releases", () => {
      const { tf } = build();
      const [[amiName, ami]] = Object.entries(tf.data.aws_ami);
      expect(ami.owners).toEqual(["099720109477"]);
      expect(ami.most_recent).toBe(true);
      expect(ami.filter).toContainEqual({ name: "name", values: ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"] });
      expect(instance(tf).ami).toBe(`\${data.aws_ami.${amiName}.id}`);
      expect(instance(tf).lifecycle).toEqual({ ignore_changes: ["ami"] });
    });

    it("replaces the instance when the user data changes", () => {
      expect(instance(build().tf).user_data_replace_on_change).toBe(true);
    });

    it("gets its address from a separate EIP and association that outlive the instance", () => {
      const { tf } = build();
      const [instanceName] = only(tf, "aws_instance");
      const [eipName, eip] = only(tf, "aws_eip");
      const [, association] = only(tf, "aws_eip_association");
      expect(eip.domain).toBe("vpc");
      expect(association).toEqual({
        // no dependsOn given in this test
        allocation_id: `\${aws_eip.${eipName}.allocation_id}`,
        instance_id: `\${aws_instance.${instanceName}.id}`,
      });
      expect(instance(tf).associate_public_ip_address).toBe(false);
    });
  });

  describe("dependencies", () => {
    it("makes the instance and the EIP association wait for the given internet access", () => {
      const stack = new TerraformStack(Testing.app(), "test");
      new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
      const network = new Network(stack, "network", { namePrefix: "t", cidr: "10.0.0.0/16", azCount: 2 });
      new VpnServer(stack, "vpn", {
        namePrefix: "t",
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        subnetId: network.publicSubnetIds[0],
        allowedCidrs: ["203.0.113.7/32"],
        protocols: { l2tpIpsec: true, softether: true, openvpn: false },
        hub: "pipeline",
        username: "developer",
        clientNetwork: "192.168.30.0/24",
        bootstrapScript: SCRIPT,
        region: "ap-southeast-2",
        dependsOn: network.publicInternetAccess,
      });
      const tf = JSON.parse(Testing.synth(stack, true)) as Synth;
      const [igwName] = only(tf, "aws_internet_gateway");
      expect(instance(tf).depends_on).toContain(`aws_internet_gateway.${igwName}`);
      expect(only(tf, "aws_eip_association")[1].depends_on).toContain(`aws_internet_gateway.${igwName}`);
      expect(instance(tf).depends_on.filter((d: string) => d.startsWith("aws_route.")).length).toBe(1);
    });
  });

  describe("user data", () => {
    const SCRIPT_WITH_TRAPS = SCRIPT + 'echo "a \\ backslash" "quotes" %{x} ${y} $$ \t tab\n';

    it("is gzip-compressed by Terraform, joining literal text and apply-time values", () => {
      const { tf } = build();
      const ud: string = instance(tf).user_data_base64;
      expect(instance(tf).user_data).toBeUndefined();
      expect(ud.startsWith('${base64gzip(join("", [')).toBe(true);
      const [secretName] = only(tf, "aws_secretsmanager_secret");
      const [eipName] = only(tf, "aws_eip");
      expect(ud).toContain(`"export VPN_SECRET_ID='", aws_secretsmanager_secret.${secretName}.arn, "'\\n"`);
      expect(ud).toContain(`"export VPN_PUBLIC_IP='", aws_eip.${eipName}.public_ip, "'\\n"`);
    });

    it("refuses a script that would not fit EC2's 16 KiB even compressed", () => {
      const random = Array.from({ length: 20000 }, (_, i) => ((i * 2654435761) >>> 0).toString(36)).join("\n");
      expect(() => build({ bootstrapScript: `#!/bin/bash\n${random}` })).toThrow(/bytes gzip-compressed; EC2 user data holds 16384/);
    });

    // The proof that matters: what Terraform makes of the expression is exactly header + script.
    const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
    it.skipIf(terraform.status !== 0)("decodes, through Terraform itself, to the header followed by the script byte for byte", () => {
      const { tf } = build({ bootstrapScript: SCRIPT_WITH_TRAPS, protocols: { l2tpIpsec: true, softether: false, openvpn: true } });
      const [secretName] = only(tf, "aws_secretsmanager_secret");
      const [eipName] = only(tf, "aws_eip");
      const expression = (instance(tf).user_data_base64 as string)
        .replace(`aws_secretsmanager_secret.${secretName}.arn`, '"arn:aws:secretsmanager:ap-southeast-2:111122223333:secret:t-vpn"')
        .replace(`aws_eip.${eipName}.public_ip`, '"192.0.2.10"');
      const dir = mkdtempSync(path.join(tmpdir(), "userdata-"));
      try {
        writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ output: { ud: { value: expression } } }));
        const run = (...args: string[]) => spawnSync("terraform", args, { cwd: dir, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" } });
        expect(run("init", "-input=false", "-backend=false").status).toBe(0);
        expect(run("apply", "-auto-approve", "-input=false").status).toBe(0);
        const applied = run("output", "-raw", "ud");
        expect(applied.status).toBe(0);
        const decoded = gunzipSync(Buffer.from(applied.stdout, "base64")).toString("utf8");
        expect(decoded.startsWith("#!/bin/bash\n")).toBe(true);
        for (const line of [
          "export VPN_SECRET_ID='arn:aws:secretsmanager:ap-southeast-2:111122223333:secret:t-vpn'",
          "export AWS_REGION='ap-southeast-2'",
          "export VPN_HUB='pipeline'",
          "export VPN_USERNAME='developer'",
          "export VPN_CLIENT_NETWORK='192.168.30.0/24'",
          "export VPC_CIDR='10.0.0.0/16'",
          "export VPN_PUBLIC_IP='192.0.2.10'",
          "export VPN_ENABLE_L2TP='1'",
          "export VPN_ENABLE_SOFTETHER='0'",
          "export VPN_ENABLE_OPENVPN='1'",
        ]) {
          expect(decoded).toContain(`${line}\n`);
        }
        expect(decoded.endsWith(`# ---- scripts/vpn-bootstrap.sh ----\n${SCRIPT_WITH_TRAPS}`)).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("security group", () => {
    it("opens no port 22 anywhere", () => {
      const sg = securityGroup(build({ protocols: { l2tpIpsec: true, softether: true, openvpn: true } }).tf);
      for (const rule of [...sg.ingress, ...sg.egress]) {
        expect(rule.from_port <= 22 && rule.to_port >= 22 && rule.protocol !== "-1" ? rule : undefined).toBeUndefined();
      }
      for (const rule of sg.ingress) expect(rule.protocol).not.toBe("-1");
    });

    it("has no ingress from 0.0.0.0/0 or ::/0", () => {
      const sg = securityGroup(build().tf);
      for (const rule of sg.ingress) {
        expect(rule.cidr_blocks).not.toContain("0.0.0.0/0");
        expect(rule.ipv6_cidr_blocks ?? []).not.toContain("::/0");
      }
    });

    it("opens exactly UDP 500, UDP 4500 and TCP 443 for L2TP/IPsec + SoftEther", () => {
      const sg = securityGroup(build().tf);
      expect(ports(sg.ingress)).toEqual(["tcp/443-443", "udp/4500-4500", "udp/500-500"]);
    });

    it("opens exactly UDP 1194 for OpenVPN alone", () => {
      const sg = securityGroup(build({ protocols: { l2tpIpsec: false, softether: false, openvpn: true } }).tf);
      expect(ports(sg.ingress)).toEqual(["udp/1194-1194"]);
    });

    it("admits only the allowed CIDRs, with a description on every rule", () => {
      const sg = securityGroup(build().tf);
      for (const rule of sg.ingress) {
        expect(rule.cidr_blocks).toEqual(["203.0.113.7/32", "198.51.100.0/24"]);
        expect(rule.description).toMatch(/\S/);
      }
    });

    it("admits the vpn_allowed_cidrs variable when allowedCidrs is absent", () => {
      const sg = securityGroup(build({ allowedCidrs: undefined }).tf);
      for (const rule of sg.ingress) expect(rule.cidr_blocks).toBe("${var.vpn_allowed_cidrs}");
    });

    it("declares vpn_allowed_cidrs as a required list(string) with validations rejecting open CIDRs", () => {
      const { tf } = build({ allowedCidrs: undefined });
      const variable = tf.variable!.vpn_allowed_cidrs;
      expect(variable.type).toBe("list(string)");
      expect(variable).not.toHaveProperty("default");
      expect(variable.nullable).toBe(false);
      // In Terraform JSON a condition must be a ${...} template; a bare string is a literal.
      for (const v of variable.validation) expect(v.condition).toMatch(/^\$\{[^]*\}$/);
      const conditions = variable.validation.map((v: Resource) => v.condition).join("\n");
      expect(conditions).toContain('contains(["0.0.0.0/0","::/0"], c)');
      expect(conditions).toContain("can(cidrnetmask(c))");
    });

    it("drops only the open-CIDR validation of the variable when allowOpenIngress", () => {
      const { tf } = build({ allowedCidrs: undefined, allowOpenIngress: true });
      const validation = tf.variable!.vpn_allowed_cidrs.validation;
      expect(validation).toHaveLength(1);
      expect(validation[0].condition).not.toContain("0.0.0.0/0");
    });

    it("declares no variable when allowedCidrs is given", () => {
      expect(build().tf.variable).toBeUndefined();
    });

    it("allows egress to HTTPS/HTTP anywhere and everything into the VPC CIDR only", () => {
      const sg = securityGroup(build().tf);
      const open = sg.egress.filter((r: Resource) => r.cidr_blocks.includes("0.0.0.0/0"));
      expect(ports(open)).toEqual(["tcp/443-443", "tcp/80-80"]);
      const all = sg.egress.filter((r: Resource) => r.protocol === "-1");
      expect(all).toHaveLength(1);
      expect(all[0].cidr_blocks).toEqual(["10.0.0.0/16"]);
    });
  });

  describe("credentials secret and role", () => {
    it("creates the secret without any secret version (no credentials in state)", () => {
      const { tf } = build();
      only(tf, "aws_secretsmanager_secret");
      expect(tf.resource.aws_secretsmanager_secret_version).toBeUndefined();
    });

    it("keeps a deleted secret recoverable for 7 days", () => {
      expect(only(build().tf, "aws_secretsmanager_secret")[1].recovery_window_in_days).toBe(7);
    });

    it("takes the recovery window from secretRecoveryWindowDays (0 deletes at once)", () => {
      expect(only(build({ secretRecoveryWindowDays: 0 }).tf, "aws_secretsmanager_secret")[1].recovery_window_in_days).toBe(0);
      expect(() => build({ secretRecoveryWindowDays: 5 })).toThrow('VpnServer "vpn": secretRecoveryWindowDays must be 0 or 7-30, got 5');
    });

    it("attaches only AmazonSSMManagedInstanceCore to the role", () => {
      const { tf } = build();
      const [roleName] = only(tf, "aws_iam_role");
      const [, attachment] = only(tf, "aws_iam_role_policy_attachment");
      expect(attachment.role).toBe(`\${aws_iam_role.${roleName}.name}`);
      expect(attachment.policy_arn).toMatch(/^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:iam::aws:policy\/AmazonSSMManagedInstanceCore$/);
    });

    it("lets the role Get/Put/Describe exactly its own secret and nothing else", () => {
      const { tf } = build();
      const [secretName] = only(tf, "aws_secretsmanager_secret");
      const [, inline] = only(tf, "aws_iam_role_policy");
      const policy = JSON.parse(inline.policy);
      expect(policy.Statement).toEqual([
        {
          Sid: "OwnCredentialsSecret",
          Effect: "Allow",
          Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
          Resource: `\${aws_secretsmanager_secret.${secretName}.arn}`,
        },
      ]);
    });

    it("lets only EC2 assume the role, through the instance profile", () => {
      const { tf } = build();
      const [roleName, role] = only(tf, "aws_iam_role");
      expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      const [profileName, profile] = only(tf, "aws_iam_instance_profile");
      expect(profile.role).toBe(`\${aws_iam_role.${roleName}.name}`);
      expect(instance(tf).iam_instance_profile).toBe(`\${aws_iam_instance_profile.${profileName}.name}`);
    });

    it("exposes the outputs as references", () => {
      const { vpn } = build();
      for (const value of [vpn.securityGroupId, vpn.publicIp, vpn.secretArn, vpn.instanceId]) {
        expect(value).toMatch(/\$\{TfToken\[/);
      }
    });
  });

  describe("validation", () => {
    it("throws on 0.0.0.0/0 without allowOpenIngress", () => {
      expect(() => build({ allowedCidrs: ["203.0.113.7/32", "0.0.0.0/0"] })).toThrow(
        'VpnServer "vpn": allowedCidrs contains 0.0.0.0/0, which opens the VPN ports to the whole internet; ' +
          "name the CIDRs that need access, or set allowOpenIngress (vpn.allow_open_ingress) to accept it",
      );
    });

    it("accepts 0.0.0.0/0 with allowOpenIngress", () => {
      const sg = securityGroup(build({ allowedCidrs: ["0.0.0.0/0"], allowOpenIngress: true }).tf);
      expect(sg.ingress[0].cidr_blocks).toEqual(["0.0.0.0/0"]);
    });

    it("throws on a malformed allowed CIDR", () => {
      expect(() => build({ allowedCidrs: ["203.0.113.7"] })).toThrow(
        'VpnServer "vpn": allowedCidrs must be IPv4 CIDRs such as 203.0.113.7/32 (no host bits set), got "203.0.113.7"',
      );
    });

    it("throws on an empty allowedCidrs", () => {
      expect(() => build({ allowedCidrs: [] })).toThrow(
        'VpnServer "vpn": allowedCidrs must name at least one CIDR, got []; leave it out to ask for vpn_allowed_cidrs at plan time',
      );
    });

    it("throws when no protocol is enabled", () => {
      expect(() => build({ protocols: { l2tpIpsec: false, softether: false, openvpn: false } })).toThrow(
        'VpnServer "vpn": enable at least one of protocols.l2tpIpsec, .softether, .openvpn; got {"l2tpIpsec":false,"softether":false,"openvpn":false}',
      );
    });

    it("throws when the client network overlaps the VPC", () => {
      expect(() => build({ clientNetwork: "10.0.30.0/24" })).toThrow(
        'VpnServer "vpn": clientNetwork 10.0.30.0/24 overlaps the VPC CIDR 10.0.0.0/16; pick a range outside the VPC',
      );
    });

    it("throws on a hub name the shell header cannot carry", () => {
      expect(() => build({ hub: "a'b" })).toThrow(`VpnServer "vpn": hub must be 1 to 64 letters, digits, '_' or '-', got "a'b"`);
    });

    it("throws on an empty bootstrap script", () => {
      expect(() => build({ bootstrapScript: "  \n" })).toThrow(
        'VpnServer "vpn": bootstrapScript is empty; pass the text of scripts/vpn-bootstrap.sh',
      );
    });

  });
});
