import { Annotations, IAspect, TerraformDataSource, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { Rule, RuleOptions, StackResource, type TfConfig } from "./rule";
import { ALL_RULES } from "./rules";

/**
 * An accepted violation. `resource` names the resource exactly as the guard's messages do:
 * `<terraform type>.<construct path relative to the stack>`, e.g. `aws_msk_cluster.kafka/resource`
 * for the L1 with id "resource" inside the construct with id "kafka"; data sources are prefixed
 * `data.` (`data.aws_partition.partition`). The path is built from construct ids, which
 * come from config keys, so it is stable across syntheses and readable, unlike cdktf's hashed
 * logical ids.
 */
export interface Waiver {
  /** Rule id, e.g. `SG-1`. */
  readonly rule: string;
  /** `<type>.<construct path relative to the stack>`, e.g. `aws_security_group.vpn/security-group`. */
  readonly resource: string;
  /** Why the violation is accepted; shown in the synth warning. Must not be empty. */
  readonly reason: string;
}

export interface SecurityGuardProps {
  /**
   * Rules to enforce.
   *
   * @default - all built-in rules (`ALL_RULES`)
   */
  readonly rules?: readonly Rule[];
  /**
   * Accepted violations. Each must name a known rule, have a reason, and match a violation:
   * unused waivers fail the synth.
   *
   * @default - none
   */
  readonly waivers?: readonly Waiver[];
  /**
   * The file the waivers come from, quoted in messages.
   *
   * @default - not mentioned
   */
  readonly waiverSource?: string;
  /**
   * Minimum CloudWatch log retention in days (rule LOG-1).
   *
   * @default 7
   */
  readonly minimumLogRetentionDays?: number;
  /**
   * Where the setting behind a resource comes from, e.g. `configs/environments/dev.yaml:12:3`;
   * appended to the message in parentheses when it returns something.
   *
   * @default - no source location
   */
  readonly sourceOf?: (resource: string, rule: Rule) => string | undefined;
}

/** One rule evaluated against one resource (not_applicable pairs are left out). */
export interface Finding {
  readonly rule: string;
  /** `<type>.<construct path relative to the stack>`, as in waivers. */
  readonly resource: string;
  readonly status: "compliant" | "non_compliant";
  /** For non_compliant: what is wrong. */
  readonly message?: string;
  /** For non_compliant: true when a waiver accepts it. */
  readonly waived?: boolean;
  /** The waiver's reason, when waived. */
  readonly reason?: string;
}

/** Options of `evaluateStack`; the subset of `SecurityGuardProps` that decides findings. */
export interface EvaluateOptions {
  /** @default - all built-in rules */
  readonly rules?: readonly Rule[];
  /** @default - none */
  readonly waivers?: readonly Waiver[];
  /** @default 7 */
  readonly minimumLogRetentionDays?: number;
}

export const DEFAULT_MINIMUM_LOG_RETENTION_DAYS = 7;

/** What a waiver's `resource` looks like: `<terraform type>.<construct path relative to the stack>`. */
export const RESOURCE_NAME = /^(data\.)?[a-z][a-z0-9_]*\.\S+$/;

interface Collected {
  readonly resources: StackResource[];
  /** By `address` (the waiver name). */
  readonly nodes: Map<string, IConstruct>;
}

/** Every resource and data source of the stack, with its resolved config and its waiver name. */
export function collectResources(stack: TerraformStack): Collected {
  const byTfAddress = new Map<string, IConstruct>();
  for (const node of stack.node.findAll()) {
    if (TerraformResource.isTerraformResource(node)) {
      byTfAddress.set(`${node.terraformResourceType}.${node.friendlyUniqueId}`, node);
    } else if (TerraformDataSource.isTerraformDataSource(node)) {
      byTfAddress.set(`data.${node.terraformResourceType}.${node.friendlyUniqueId}`, node);
    }
  }
  const tf = stack.toTerraform() as {
    resource?: Record<string, Record<string, TfConfig>>;
    data?: Record<string, Record<string, TfConfig>>;
  };
  const prefix = `${stack.node.path}/`;
  const resources: StackResource[] = [];
  const nodes = new Map<string, IConstruct>();
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byId] of Object.entries(tf[kind] ?? {})) {
      for (const [logicalId, raw] of Object.entries(byId)) {
        const { "//": _meta, ...config } = raw;
        const tfAddress = `${kind === "data" ? "data." : ""}${type}.${logicalId}`;
        const node = byTfAddress.get(tfAddress);
        const name = node && node.node.path.startsWith(prefix) ? node.node.path.slice(prefix.length) : logicalId;
        const address = `${kind === "data" ? "data." : ""}${type}.${name}`;
        resources.push({ kind, type, logicalId, tfAddress, address, config });
        if (node) nodes.set(address, node);
      }
    }
  }
  return { resources, nodes };
}

function typeKey(r: StackResource): string {
  return r.kind === "data" ? `data.${r.type}` : r.type;
}

/** Rule × resource evaluation for a set of collected resources. */
function evaluateResources(resources: readonly StackResource[], options: EvaluateOptions): Finding[] {
  const rules = options.rules ?? ALL_RULES;
  const ruleOptions: RuleOptions = {
    minimumLogRetentionDays: options.minimumLogRetentionDays ?? DEFAULT_MINIMUM_LOG_RETENTION_DAYS,
  };
  const waivers = options.waivers ?? [];
  const findings: Finding[] = [];
  for (const self of resources) {
    for (const rule of rules) {
      if (!rule.resourceTypes.includes(typeKey(self))) continue;
      const result = rule.check(self.config, { self, resources, options: ruleOptions });
      if (result.status === "not_applicable") continue;
      if (result.status === "compliant") {
        findings.push({ rule: rule.id, resource: self.address, status: "compliant" });
        continue;
      }
      const waiver = waivers.find((w) => w.rule === rule.id && w.resource === self.address);
      findings.push({
        rule: rule.id,
        resource: self.address,
        status: "non_compliant",
        message: result.message ?? rule.title,
        ...(waiver ? { waived: true, reason: waiver.reason } : {}),
      });
    }
  }
  return findings;
}

/**
 * Evaluates every rule against every resource of the stack: one finding per applicable
 * (rule, resource) pair, compliant or not, with `waived` set where a waiver accepts a violation.
 * Pure apart from reading the stack; used by the aspect and by `npm run check`.
 */
export function evaluateStack(stack: TerraformStack, options: EvaluateOptions = {}): Finding[] {
  return evaluateResources(collectResources(stack).resources, options);
}

/** Why each waiver that accepted nothing is unused, as `waiver -> explanation`. */
export function unusedWaivers(
  findings: readonly Finding[],
  resources: readonly StackResource[],
  waivers: readonly Waiver[],
  rules: readonly Rule[] = ALL_RULES,
): { waiver: Waiver; why: string }[] {
  const out: { waiver: Waiver; why: string }[] = [];
  for (const w of waivers) {
    if (findings.some((f) => f.rule === w.rule && f.resource === w.resource && f.status === "non_compliant")) continue;
    const r = resources.find((x) => x.address === w.resource);
    const rule = rules.find((x) => x.id === w.rule);
    let why: string;
    if (!r) why = "no such resource in the stack";
    else if (!rule || !rule.resourceTypes.includes(typeKey(r))) why = `rule ${w.rule} does not apply to ${typeKey(r)}`;
    else why = `the resource complies with ${w.rule}; remove the waiver`;
    out.push({ waiver: w, why });
  }
  return out;
}

/** Checks props; returns every problem (empty when valid). */
export function validateGuardProps(props: SecurityGuardProps): string[] {
  const problems: string[] = [];
  const rules = props.rules ?? ALL_RULES;
  const ids = new Set<string>();
  for (const r of rules) {
    if (!r.id || typeof r.check !== "function") problems.push(`rule ${JSON.stringify(r.id)} needs an id and a check function`);
    if (ids.has(r.id)) problems.push(`rule id ${r.id} is used twice`);
    ids.add(r.id);
  }
  const min = props.minimumLogRetentionDays;
  if (min !== undefined && !(Number.isInteger(min) && min >= 1)) {
    problems.push(`minimumLogRetentionDays must be a whole number >= 1, got ${min}`);
  }
  const seen = new Set<string>();
  (props.waivers ?? []).forEach((w, i) => {
    const label = `waiver ${i + 1} (${w.rule} ${w.resource})`;
    if (!ids.has(w.rule)) {
      problems.push(`${label}: unknown rule ${JSON.stringify(w.rule)}; known rules: ${[...ids].join(", ")}`);
    }
    if (typeof w.resource !== "string" || !RESOURCE_NAME.test(w.resource)) {
      problems.push(
        `${label}: resource must be "<terraform type>.<construct path relative to the stack>", e.g. "aws_msk_cluster.kafka/resource", got ${JSON.stringify(w.resource)}`,
      );
    }
    if (typeof w.reason !== "string" || w.reason.trim() === "") problems.push(`${label}: reason is empty; say why the violation is accepted`);
    const key = `${w.rule} ${w.resource}`;
    if (seen.has(key)) problems.push(`${label}: duplicate waiver`);
    seen.add(key);
  });
  return problems;
}

/**
 * The SECURITY GUARD aspect: `Aspects.of(stack).add(new SecurityGuard({ waivers }))`.
 *
 * When it first meets a stack (the stack node itself, which aspects visit before its children, or
 * the first resource of a stack when the aspect sits lower in the tree) it evaluates the whole
 * stack once from `stack.toTerraform()`. Unused waivers are known at that point, so they become
 * error annotations on the stack right away. Each resource node, when visited, gets its own
 * findings as annotations: an error per unwaived violation, a warning per waived one. `app.synth()`
 * and `Testing.fullSynth()` then fail on the errors (plain `Testing.synth()` does not).
 *
 * Add it to each stack (`Aspects.of(stack)`), not to the App: cdktf 0.21 starts aspect invocation
 * at each stack with no inherited aspects, so an App-level guard never runs. One guard instance may
 * be shared by several stacks; each stack is evaluated, and its waivers checked, on its own.
 * Add it after any aspect that changes resources: it reads the config as it is when it first
 * visits the stack.
 */
export class SecurityGuard implements IAspect {
  private readonly rules: readonly Rule[];
  private readonly waivers: readonly Waiver[];
  private readonly evaluated = new Map<
    TerraformStack,
    { findings: Finding[]; nodes: Map<string, IConstruct>; unused: { waiver: Waiver; why: string }[] }
  >();

  constructor(private readonly props: SecurityGuardProps = {}) {
    const problems = validateGuardProps(props);
    if (problems.length > 0) {
      const from = props.waiverSource ? ` (waivers from ${props.waiverSource})` : "";
      throw new Error(`SecurityGuard: invalid props${from}:\n  - ${problems.join("\n  - ")}`);
    }
    this.rules = props.rules ?? ALL_RULES;
    this.waivers = props.waivers ?? [];
  }

  public visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) {
      this.ensure(node);
      return;
    }
    if (!TerraformResource.isTerraformResource(node) && !TerraformDataSource.isTerraformDataSource(node)) return;
    const done = this.ensure(TerraformStack.of(node));
    for (const f of done.findings) {
      if (f.status !== "non_compliant" || done.nodes.get(f.resource) !== node) continue;
      const rule = this.rules.find((r) => r.id === f.rule)!;
      const src = this.props.sourceOf?.(f.resource, rule);
      const at = src ? ` (${src})` : "";
      if (f.waived) {
        Annotations.of(node).addWarning(`waived ${f.rule} ${f.resource}: ${f.reason}${this.from()} [violation: ${f.message}]${at}`);
      } else {
        Annotations.of(node).addError(`${f.rule} ${f.resource}: ${f.message}${at}`);
      }
    }
  }

  /**
   * The findings and unused waivers of a stack, evaluated once and shared with the aspect's
   * visit at synth (so checking before synth costs no second evaluation). Evaluate only once the
   * stack is complete.
   */
  public evaluate(stack: TerraformStack): {
    readonly findings: readonly Finding[];
    readonly unused: readonly { readonly waiver: Waiver; readonly why: string }[];
  } {
    const { findings, unused } = this.ensure(stack);
    return { findings, unused };
  }

  private from(): string {
    return this.props.waiverSource ? ` (waiver in ${this.props.waiverSource})` : "";
  }

  private ensure(stack: TerraformStack) {
    let done = this.evaluated.get(stack);
    if (done) return done;
    const { resources, nodes } = collectResources(stack);
    const findings = evaluateResources(resources, {
      rules: this.rules,
      waivers: this.waivers,
      minimumLogRetentionDays: this.props.minimumLogRetentionDays,
    });
    const unused = unusedWaivers(findings, resources, this.waivers, this.rules);
    done = { findings, nodes, unused };
    this.evaluated.set(stack, done);
    for (const { waiver, why } of unused) {
      Annotations.of(stack).addError(`unused waiver ${waiver.rule} ${waiver.resource}${this.from()}: ${why}`);
    }
    // A violation on a resource cdktf has no construct for (e.g. added by an override) still fails.
    for (const f of findings) {
      if (f.status === "non_compliant" && !f.waived && !nodes.has(f.resource)) {
        Annotations.of(stack).addError(`${f.rule} ${f.resource}: ${f.message}`);
      }
    }
    return done;
  }
}
