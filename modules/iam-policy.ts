/**
 * IAM policy documents as JSON strings: the one way constructs write policies (the security
 * guard reads exactly this form; see modules/guard/policy.ts). Values may be tokens (ARNs,
 * account ids): cdktf resolves them inside the string to `${...}` interpolations.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */

/** One or several values (IAM accepts a string where a list of one is meant). */
type OneOrMore = string | readonly string[];

/** One statement, with IAM's own key names. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  /** `"*"` or e.g. `{ Service: "kafkaconnect.amazonaws.com" }`, `{ AWS: "*" }`. */
  readonly Principal?: "*" | Readonly<Record<string, OneOrMore>>;
  readonly Action?: OneOrMore;
  readonly NotAction?: OneOrMore;
  readonly Resource?: OneOrMore;
  readonly NotResource?: OneOrMore;
  /** Operator -> condition key -> values, e.g. `{ StringEquals: { "aws:SourceAccount": id } }`. */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, OneOrMore>>>>;
}

/** The policy document `{"Version":"2012-10-17","Statement":[...]}` as a JSON string. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * The trust statement of a service role: `service` may assume it only for this account
 * (`aws:SourceAccount`) and only on behalf of resources matching `sourceArn` (the confused-deputy
 * guard AWS recommends for service principals).
 */
export function serviceTrustStatement(service: string, accountId: string, sourceArn: string): PolicyStatement {
  return {
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": sourceArn } },
  };
}
