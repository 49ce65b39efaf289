import { StackResource, type TfConfig } from "./rule";

/**
 * cdktf synthesizes a single nested block (max_items = 1) as an object and a repeatable block as
 * an array; both may be absent or null. `block` returns the one object (or undefined).
 */
export function block(value: unknown): TfConfig | undefined {
  if (Array.isArray(value)) return value.length > 0 ? block(value[0]) : undefined;
  if (value !== null && typeof value === "object") return value as TfConfig;
  return undefined;
}

/** Every element of a repeatable block (an object counts as a list of one). */
export function blocks(value: unknown): TfConfig[] {
  if (Array.isArray(value)) return value.filter((v) => v !== null && typeof v === "object");
  if (value !== null && typeof value === "object") return [value as TfConfig];
  return [];
}

/** A list attribute as an array of its non-null elements (a scalar counts as a list of one). */
export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.filter((v) => v !== null && v !== undefined) : [value];
}

/** True when the value is (or contains) a Terraform expression `${...}` we cannot evaluate here. */
export function isExpression(value: unknown): value is string {
  return typeof value === "string" && value.includes("${");
}

/** Terraform booleans may arrive as `true` or `"true"`. Undefined when absent or not a literal. */
export function bool(value: unknown): boolean | undefined {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return undefined;
}

/** Renders a value for a message: strings quoted, absent as `absent`. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return "absent";
  return JSON.stringify(value);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * True when `value` (a string, or any string nested in arrays/objects) references `target`,
 * e.g. `"${aws_s3_bucket.bucket_1A2B.id}"` or `"${aws_vpc.main.id}"` inside a larger expression.
 */
export function refersTo(value: unknown, target: StackResource): boolean {
  const re = new RegExp(`(^|[^\\w.])${escapeRegExp(target.tfAddress)}(\\.|\\[|\\}|$)`);
  const visit = (v: unknown): boolean => {
    if (typeof v === "string") return v.includes("${") && re.test(v);
    if (Array.isArray(v)) return v.some(visit);
    if (v !== null && typeof v === "object") return Object.values(v).some(visit);
    return false;
  };
  return visit(value);
}

/** Resources of `type` whose attribute `attr` references `target`. */
export function referencing(
  resources: readonly StackResource[],
  type: string,
  attr: string,
  target: StackResource,
): StackResource[] {
  return resources.filter((r) => r.kind === "resource" && r.type === type && refersTo(r.config[attr], target));
}

/**
 * Resources of `type` that point at an S3 bucket through their `bucket` attribute: either a
 * reference to the bucket resource or the bucket's literal name.
 */
export function bucketCompanions(
  resources: readonly StackResource[],
  type: string,
  bucket: StackResource,
): StackResource[] {
  const name = bucket.config.bucket;
  return resources.filter(
    (r) =>
      r.kind === "resource" &&
      r.type === type &&
      (refersTo(r.config.bucket, bucket) ||
        (typeof name === "string" && !isExpression(name) && r.config.bucket === name)),
  );
}
