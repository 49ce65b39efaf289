/**
 * The offline Terraform stage can fail: small stacks with one known defect each, and the stage
 * must report every one of them (with the step that found it).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DataResource, TerraformOutput, TerraformStack, Testing, Token, ref } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { MskScramSecretAssociation } from "@cdktf/provider-aws/lib/msk-scram-secret-association";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { checkAttributes } from "./attribute-check";
import { runStage, terraformVersion } from "./offline-stage";
import { buildTwin } from "./twin";

const version = terraformVersion();
if (!version) console.log("offline Terraform stage skipped: no terraform binary on PATH");

/** Synthesizes a one-off stack into a directory of its own, as cdktf.out/stacks/<name>. */
function stackDir(build: (stack: TerraformStack) => void): string {
  const app = Testing.app();
  const stack = new TerraformStack(app, "t");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  build(stack);
  const dir = mkdtempSync(path.join(tmpdir(), "stage-fails-"));
  writeFileSync(path.join(dir, "cdk.tf.json"), Testing.synth(stack));
  return dir;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe.skipIf(!version)("the stage reports each defect", () => {
  test('a construct in replace_triggered_by ("${...}", terraform-cdk#3196) fails terraform providers', () => {
    const dir = stackDir((stack) => {
      const hash = new DataResource(stack, "hash", { input: { v: "x" } });
      new IamRole(stack, "role", { name: "r", assumeRolePolicy: "{}", lifecycle: { replaceTriggeredBy: [hash] } });
    });
    dirs.push(dir);
    const { problems } = runStage(dir);
    expect(problems.filter((p) => p.startsWith("terraform providers: Error: Invalid character")).join("\n")).toMatch(
      /replace_triggered_by.*"\$\{terraform_data\.hash\}"/,
    );
  });

  test("the plain address in replace_triggered_by passes", () => {
    const dir = stackDir((stack) => {
      const hash = new DataResource(stack, "hash", { input: { v: "x" } });
      new IamRole(stack, "role", { name: "r", assumeRolePolicy: "{}", lifecycle: { replaceTriggeredBy: [`terraform_data.${hash.friendlyUniqueId}`] } });
    });
    dirs.push(dir);
    expect(runStage(dir).problems).toEqual([]);
  });

  describe("a stack with a bad description, an unknown attribute and a reference to a missing attribute", () => {
    let problems: string[];
    beforeAll(() => {
      const dir = stackDir((stack) => {
        const sg = new SecurityGroup(stack, "sg", {
          name: "web",
          description: "the web tier's group",
          egress: [{ description: "HTTPS out", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
        });
        sg.addOverride("no_such_argument", true);
        new TerraformOutput(stack, "bogus", { value: Token.asString(ref(`aws_security_group.${sg.friendlyUniqueId}.no_such_attribute`, stack)) });
      });
      dirs.push(dir);
      problems = runStage(dir).problems;
    });

    test("the description EC2 rejects", () => {
      expect(problems).toContainEqual(
        expect.stringMatching(/^validators: aws_security_group\.sg\.description: "the web tier's group" allows only a-zA-Z0-9, .* \(found "'"\)$/),
      );
    });

    test("the argument set through addOverride", () => {
      expect(problems).toContain('attributes: aws_security_group.sg: unknown attribute "no_such_argument"');
    });

    test("the reference to an attribute the resource does not have: named by the twin, and the plan fails on it", () => {
      expect(problems).toContainEqual(expect.stringMatching(/^twin: aws_security_group\.sg\.no_such_attribute: aws_security_group has no attribute/));
      expect(problems).toContainEqual(expect.stringMatching(/^twin plan \(defaults\): Error: Unsupported attribute .*no_such_attribute/));
    });
  });

  test("a count that depends on a value known only after apply fails the apply-time-unknowns plan only", () => {
    const dir = stackDir((stack) => {
      const vpc = new Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
      const role = new IamRole(stack, "role", { name: "r", assumeRolePolicy: "{}" });
      role.addOverride("count", `\${length(${vpc.terraformResourceType}.${vpc.friendlyUniqueId}.default_security_group_id) > 0 ? 1 : 0}`);
    });
    dirs.push(dir);
    const { problems, plans } = runStage(dir);
    expect(plans).toEqual(["defaults", "defaults, apply-time values unknown"]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^twin plan \(defaults, apply-time values unknown\): Error: Invalid count argument/);
  });

  test("a SCRAM secret MSK would refuse (no AmazonMSK_ prefix) is found in the planned ARN", () => {
    const dir = stackDir((stack) => {
      const good = new SecretsmanagerSecret(stack, "good", { name: "AmazonMSK_t_alice" });
      const bad = new SecretsmanagerSecret(stack, "bad", { name: "t/bob" });
      new MskScramSecretAssociation(stack, "assoc", {
        clusterArn: "arn:aws:kafka:eu-west-1:111122223333:cluster/c/12345678-1234-1234-1234-123456789012-2",
        secretArnList: [good.arn, bad.arn],
      });
    });
    dirs.push(dir);
    expect(runStage(dir).problems).toEqual([
      expect.stringMatching(/^validators: aws_msk_scram_secret_association\.assoc\.secret_arn_list\[1\]: ".*:secret:t\/bob-[0-9a-f]{6}" names secret "t\/bob", which MSK refuses/),
    ]);
  });

  test("a missing required attribute (a raw override removing it) is reported", () => {
    const dir = stackDir((stack) => {
      const role = new IamRole(stack, "role", { name: "r", assumeRolePolicy: "{}" });
      role.addOverride("assume_role_policy", null);
    });
    dirs.push(dir);
    expect(runStage(dir).problems).toContain('attributes: aws_iam_role.role: missing required attribute "assume_role_policy"');
  });
});

describe("without Terraform: the twin and the attribute check", () => {
  test("a type in neither the bindings nor CUSTOM_RESOURCE_SCHEMAS fails clearly", () => {
    expect(checkAttributes({ resource: { aws_msk_no_such_thing: { x: {} } } })).toEqual([
      "aws_msk_no_such_thing: resource type aws_msk_no_such_thing is neither in @cdktf/provider-aws 21.22.1 (lib/msk-no-such-thing) nor in modules/custom-resources.ts (CUSTOM_RESOURCE_SCHEMAS)",
    ]);
  });

  test("references, counts, depends_on and provisioners are rewritten to the twin", () => {
    const twin = buildTwin({
      provider: { aws: [{ region: "eu-west-1" }] },
      resource: {
        aws_msk_cluster: { k: { cluster_name: "c", kafka_version: "3.8.x", number_of_broker_nodes: 3, broker_node_group_info: {} } },
        aws_iam_role: { r: { count: "${var.n}", name: "${aws_msk_cluster.k.cluster_name}-role", depends_on: ["aws_msk_cluster.k"] } },
        terraform_data: { run: { provisioner: [{ "local-exec": { command: "echo ${aws_msk_cluster.k.arn} $${HOME}" } }] } },
      },
      output: { arn: { value: "${aws_iam_role.r[*].arn}" } },
    });
    const r = twin.json.resource.terraform_data;
    expect(r.aws_iam_role__r.input.name).toBe("${terraform_data.aws_msk_cluster__k.input.cluster_name}-role");
    expect(r.aws_iam_role__r.count).toBe("${var.n}");
    expect(r.aws_iam_role__r.depends_on).toEqual(["terraform_data.aws_msk_cluster__k"]);
    expect(r.aws_msk_cluster__k.input.arn).toMatch(/^arn:aws:kafka:eu-west-1:111122223333:cluster\/c\/[0-9a-f-]{36}-2$/);
    expect(r.run.provisioner[0]["local-exec"].command).toBe("true");
    expect(r.run.provisioner[0]["local-exec"].environment.ORIGINAL_COMMAND).toBe("echo ${terraform_data.aws_msk_cluster__k.input.arn} $${HOME}");
    expect(twin.json.output.arn.value).toBe("${terraform_data.aws_iam_role__r[*].input.arn}");
    expect(twin.json.provider).toBeUndefined();
    expect(twin.json.terraform).toBeUndefined();
  });
});
