/**
 * The shape of a SECURITY GUARD rule (cdk-nag style: one pure function per rule, see RULES.md).
 *
 * A rule reads ONE resource's synthesized, snake_case Terraform config (what
 * `stack.toTerraform().resource[type][logicalId]` holds) and answers compliant / non_compliant /
 * not_applicable. Where the answer depends on a sibling resource (an S3 bucket's public access block,
 * a VPC's flow log) the rule looks it up in `ctx.resources`.
 */

/** One resource or data source of the stack, as the rules see it. */
export interface StackResource {
  /** `resource` for `resource "aws_x" ...`, `data` for `data "aws_x" ...`. */
  readonly kind: "resource" | "data";
  /** Terraform type, e.g. `aws_s3_bucket` (no `data.` prefix). */
  readonly type: string;
  /** Terraform logical name (cdktf friendlyUniqueId), e.g. `bucket_resource_1A2B3C4D`. */
  readonly logicalId: string;
  /**
   * Terraform address, e.g. `aws_s3_bucket.bucket_resource_1A2B3C4D` or
   * `data.aws_partition.partition`: what a `${...}` reference to it starts with.
   */
  readonly tfAddress: string;
  /**
   * The name used in messages and waivers: `<type>.<construct path relative to the stack>`,
   * e.g. `aws_s3_bucket.artifacts/resource`; data sources get a `data.` prefix.
   */
  readonly address: string;
  /** Synthesized snake_case config, without cdktf's `//` metadata. */
  readonly config: TfConfig;
}

/**
 * A resource's synthesized snake_case configuration. It is schemaless JSON (any resource type,
 * blocks as objects or arrays, `${...}` expressions anywhere), so rules read it defensively through
 * util.ts's block()/blocks()/list() rather than through a type that would only pretend to know it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: schemaless synthesized JSON
export type TfConfig = Record<string, any>;

/** Settings a rule may read. */
export interface RuleOptions {
  /** Minimum CloudWatch log retention, in days. */
  readonly minimumLogRetentionDays: number;
}

/** What a rule gets besides the resource's own config. */
export interface RuleContext {
  /** The resource being checked. */
  readonly self: StackResource;
  /** Every resource and data source in the stack (including `self`). */
  readonly resources: readonly StackResource[];
  readonly options: RuleOptions;
}

export type RuleStatus = "compliant" | "non_compliant" | "not_applicable";

export interface RuleResult {
  readonly status: RuleStatus;
  /** For non_compliant: what is wrong, naming the attribute and the value found. */
  readonly message?: string;
}

export interface Rule {
  /** Stable id used in messages and waivers, e.g. `MSK-2`. */
  readonly id: string;
  /** One line: what the rule requires. */
  readonly title: string;
  /** Terraform types it applies to (`aws_msk_cluster`); data sources are written `data.aws_x`. */
  readonly resourceTypes: readonly string[];
  /** Pure: same config and context, same answer. */
  check(config: TfConfig, ctx: RuleContext): RuleResult;
  /** Why it matters (shown in RULES.md and `npm run check`). */
  readonly why: string;
  /** Closest checkov check ids, if any. */
  readonly checkov?: readonly string[];
  /** Closest trivy (AVD) check ids, if any. */
  readonly trivy?: readonly string[];
}

export const COMPLIANT: RuleResult = { status: "compliant" };
export const NOT_APPLICABLE: RuleResult = { status: "not_applicable" };

export function nonCompliant(message: string): RuleResult {
  return { status: "non_compliant", message };
}

/** Joins several problems found by one rule into one result. */
export function fromProblems(problems: readonly string[]): RuleResult {
  return problems.length === 0 ? COMPLIANT : nonCompliant(problems.join("; "));
}
