/**
 * OpenSearchServiceLinkedRole: `AWSServiceRoleForAmazonOpenSearchService`, which a VPC domain needs
 * before `CreateDomain` succeeds ("Before you can proceed, you must enable a service-linked role
 * to give Amazon OpenSearch Service permissions to access your VPC"). The console creates it; the
 * API, and so Terraform, does not. There is one per account, shared by every domain, and creating it
 * when it exists fails ("Service role name AWSServiceRoleForAmazonOpenSearchService has been taken
 * in this account").
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr.html
 */
import { DataResource, Fn, type ITerraformDependable, Op, Token } from "cdktf";
import { Construct } from "constructs";
import { DataAwsIamRoles } from "@cdktf/provider-aws/lib/data-aws-iam-roles";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";

export const OPENSEARCH_SERVICE_NAME = "opensearchservice.amazonaws.com";
export const OPENSEARCH_SERVICE_LINKED_ROLE = "AWSServiceRoleForAmazonOpenSearchService";

/**
 * - `auto`: create the role only if the account lacks it when the stack is first deployed. The
 *   answer is kept in state (a `terraform_data` whose input is never updated), so a later plan,
 *   which sees the role this stack created, does not flip to destroying it.
 * - `create`: this stack creates and owns the role (fails if the account has it already).
 * - `existing`: the account has it; nothing is created.
 */
export type ServiceLinkedRoleMode = "auto" | "create" | "existing";
export const SERVICE_LINKED_ROLE_MODES: readonly ServiceLinkedRoleMode[] = ["auto", "create", "existing"];

export interface OpenSearchServiceLinkedRoleProps {
  /**
   * Whether the stack creates the role; see ServiceLinkedRoleMode.
   * @default "auto"
   */
  readonly mode?: ServiceLinkedRoleMode;
}

/**
 * Addresses are fixed (not construct-path hashes): the README tells users to name them in
 * `terraform state rm` / `-replace`, and an account has one such role, so one per stack.
 */
export class OpenSearchServiceLinkedRole extends Construct {
  public readonly mode: ServiceLinkedRoleMode;
  /** The role resource (counted 0 or 1 in `auto` mode); undefined in `existing` mode. */
  public readonly role?: IamServiceLinkedRole;
  /** `auto` mode: the remembered answer to "does this stack create the role?". */
  public readonly decision?: DataResource;
  /** What a VPC domain must wait for (empty in `existing` mode). */
  public readonly dependables: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: OpenSearchServiceLinkedRoleProps = {}) {
    super(scope, id);
    const mode = props.mode ?? "auto";
    if (!SERVICE_LINKED_ROLE_MODES.includes(mode)) {
      throw new Error(`OpenSearchServiceLinkedRole: mode must be one of ${SERVICE_LINKED_ROLE_MODES.join(", ")}, got "${String(mode)}"`);
    }
    this.mode = mode;
    if (mode === "existing") {
      this.dependables = [];
      return;
    }

    let count: number | undefined;
    if (mode === "auto") {
      const found = new DataAwsIamRoles(this, "existing", {
        pathPrefix: `/aws-service-role/${OPENSEARCH_SERVICE_NAME}/`,
        nameRegex: `^${OPENSEARCH_SERVICE_LINKED_ROLE}$`,
      });
      found.overrideLogicalId("opensearch_service_linked_role");
      // `input` is known at plan time (from the configuration when created, from state after), so
      // `count` may depend on it; ignore_changes keeps the first answer.
      this.decision = new DataResource(this, "decision", {
        // (`< 1`, not `== 0`: cdktf 0.21 renders a literal 0 operand of Op.eq as `undefined`.)
        input: Token.asAnyMap(Op.lt(Fn.lengthOf(found.names), 1)),
        lifecycle: { ignoreChanges: ["input"] },
      });
      this.decision.overrideLogicalId("opensearch_service_linked_role_decision");
      count = Token.asNumber(Fn.conditional(this.decision.input, 1, 0));
    }
    this.role = new IamServiceLinkedRole(this, "role", {
      awsServiceName: OPENSEARCH_SERVICE_NAME,
      description: "Lets Amazon OpenSearch Service manage the network interfaces of VPC domains",
      count,
    });
    this.role.overrideLogicalId("opensearch");
    this.dependables = [this.role];
  }
}
