import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  OPENSEARCH_SERVICE_LINKED_ROLE,
  OpenSearchServiceLinkedRole,
  type ServiceLinkedRoleMode,
} from "../../modules/search/opensearch-service-linked-role";

 
type Tf = any;

function synth(mode?: ServiceLinkedRoleMode): Tf {
  const stack = new TerraformStack(Testing.app(), "s");
  new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
  new OpenSearchServiceLinkedRole(stack, "slr", mode ? { mode } : {});
  return JSON.parse(Testing.synth(stack, true));
}

describe("OpenSearchServiceLinkedRole", () => {
  it("create: one role for opensearchservice.amazonaws.com, not counted, no lookup", () => {
    const tf = synth("create");
    expect(tf.resource.aws_iam_service_linked_role.opensearch.aws_service_name).toBe("opensearchservice.amazonaws.com");
    expect(tf.resource.aws_iam_service_linked_role.opensearch.count).toBeUndefined();
    expect(tf.data).toBeUndefined();
  });

  it("existing: nothing at all", () => {
    const tf = synth("existing");
    expect(tf.resource).toBeUndefined();
    expect(tf.data).toBeUndefined();
  });

  it("auto (the default): looks the role up, and counts the role by a remembered decision", () => {
    const tf = synth();
    expect(tf.data.aws_iam_roles.opensearch_service_linked_role).toEqual({
      name_regex: `^${OPENSEARCH_SERVICE_LINKED_ROLE}$`,
      path_prefix: "/aws-service-role/opensearchservice.amazonaws.com/",
    });
    const decision = tf.resource.terraform_data.opensearch_service_linked_role_decision;
    expect(decision.input).toBe("${(length(tolist(data.aws_iam_roles.opensearch_service_linked_role.names)) < 1)}");
    expect(decision.lifecycle).toEqual({ ignore_changes: ["input"] });
    expect(tf.resource.aws_iam_service_linked_role.opensearch.count).toBe("${terraform_data.opensearch_service_linked_role_decision.input ? 1 : 0}");
  });

  it("rejects an unknown mode", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    expect(() => new OpenSearchServiceLinkedRole(stack, "slr", { mode: "maybe" as ServiceLinkedRoleMode })).toThrow(
      'OpenSearchServiceLinkedRole: mode must be one of auto, create, existing, got "maybe"',
    );
  });

  // Terraform itself plans the auto mode's stack, with the IAM lookup replaced by a variable (what
  // the account holds) and the role by a terraform_data: the count must be known at plan time, and
  // once this stack created the role, seeing it in the account must not plan its destruction.
  const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
  describe.skipIf(terraform.status !== 0)("auto mode, planned by Terraform against a stand-in account", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), "slr-"));
      const stack = synth();
      const twin = {
        variable: { account_roles: { type: "list(string)" } },
        resource: {
          terraform_data: {
            ...stack.resource.terraform_data,
            opensearch: { ...stack.resource.aws_iam_service_linked_role.opensearch, input: "slr" },
          },
        },
      };
      delete twin.resource.terraform_data.opensearch.aws_service_name;
      delete twin.resource.terraform_data.opensearch.description;
      const text = JSON.stringify(twin).replace(/tolist\(data\.aws_iam_roles\.opensearch_service_linked_role\.names\)/g, "var.account_roles");
      writeFileSync(path.join(dir, "main.tf.json"), text);
      expect(run(["init", "-input=false"]).status).toBe(0);
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const run = (args: string[]) =>
      spawnSync("terraform", args, { cwd: dir, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" } });
    const roles = (names: string[]) => `-var=account_roles=${JSON.stringify(names)}`;

    it("a fresh account: creates the role, and the next plan (which sees it) changes nothing", () => {
      const first = run(["apply", "-auto-approve", "-input=false", roles([])]);
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/Resources: 2 added/);
      const again = run(["plan", "-input=false", "-detailed-exitcode", roles([OPENSEARCH_SERVICE_LINKED_ROLE])]);
      expect(again.stdout).toMatch(/No changes/);
      expect(again.status).toBe(0);
    });

    it("an account that has the role: creates none, and keeps it so", () => {
      const first = run(["apply", "-auto-approve", "-input=false", roles([OPENSEARCH_SERVICE_LINKED_ROLE])]);
      expect(first.stdout).toMatch(/Resources: 1 added/);
      expect(run(["state", "list"]).stdout.trim().split("\n")).toEqual(["terraform_data.opensearch_service_linked_role_decision"]);
      const again = run(["plan", "-input=false", "-detailed-exitcode", roles([])]);
      expect(again.status).toBe(0);
    });
  });
});
