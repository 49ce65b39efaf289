/**
 * Values of the stack that a connector file may refer to instead of hard-coding an ARN, a bucket
 * or an endpoint, and the one syntax for it. In a connector's `config` (and a custom kind's `iam`
 * resources):
 *
 *   ${stack:<name>}                   a value of this environment's stack (table below), resolved at synth
 *   ${secretsmanager:<secret>:<key>}  a key of a Secrets Manager secret, read by the worker's config
 *                                     provider at run time (the role may read exactly that secret)
 *
 * Anything else written `${...}` is refused: Terraform would read it as an interpolation, and Kafka
 * Connect as a config provider the workers do not have. Literal text is escaped for Terraform
 * (`${` -> `$${`, `%{` -> `%%{`), so what the YAML says reaches MSK Connect as written.
 */

/** The names `${stack:<name>}` accepts, with what each is. */
export const STACK_VALUES = {
  name_prefix: "the environment's name_prefix",
  region: "the stack's AWS region, e.g. eu-west-1",
  account_id: "the AWS account id of the deployment",
  partition: "the AWS partition, e.g. aws",
  artifact_bucket: "name of the artifact bucket (plugins and logs)",
  artifact_bucket_arn: "ARN of the artifact bucket",
  cluster_arn: "ARN of the MSK cluster",
  bootstrap_brokers: "the cluster's SASL/IAM bootstrap brokers (host:9098,...)",
  opensearch_endpoint: "the OpenSearch domain's endpoint (host name, no scheme)",
} as const;

export type StackValueName = keyof typeof STACK_VALUES;

/** The value behind every name: literals or Terraform tokens. */
export type StackValues = Readonly<Record<StackValueName, string>>;

/** One piece of a template. */
export type TemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "stack"; readonly name: StackValueName }
  | { readonly kind: "secret"; readonly secret: string; readonly key: string };

/** A reference that cannot be resolved, with what was expected. */
export interface TemplateProblem {
  readonly expected: string;
  readonly found: string;
}

/** Secrets Manager secret names: letters, digits and /_+=.@- (1-512). */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** The JSON key inside the secret. */
const SECRET_KEY_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

const REFERENCE = /\$\{([^}]*)\}/g;

const EXPECTED_REFERENCE = "${stack:<name>} or ${secretsmanager:<secret>:<key>}";

function isStackValueName(name: string): name is StackValueName {
  return Object.prototype.hasOwnProperty.call(STACK_VALUES, name);
}

/** Splits a YAML value into text, stack values and secret references; problems for the rest. */
export function parseTemplate(value: string): { parts: TemplatePart[]; problems: TemplateProblem[] } {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  let at = 0;
  for (const m of value.matchAll(REFERENCE)) {
    if (m.index > at) parts.push({ kind: "text", text: value.slice(at, m.index) });
    at = m.index + m[0].length;
    const fields = m[1].split(":");
    if (fields[0] === "stack" && fields.length === 2) {
      if (isStackValueName(fields[1])) parts.push({ kind: "stack", name: fields[1] });
      else problems.push({ expected: `a stack value (${Object.keys(STACK_VALUES).join(", ")})`, found: `"${m[0]}"` });
    } else if (fields[0] === "secretsmanager" && fields.length === 3) {
      const [, secret, key] = fields;
      if (!SECRET_NAME.test(secret)) problems.push({ expected: "a Secrets Manager secret name (letters, digits, /_+=.@-)", found: `"${m[0]}"` });
      else if (!SECRET_KEY_NAME.test(key)) problems.push({ expected: "a key of the secret's JSON (letters, digits, _.-)", found: `"${m[0]}"` });
      else parts.push({ kind: "secret", secret, key });
    } else {
      problems.push({ expected: EXPECTED_REFERENCE, found: `"${m[0]}"` });
    }
  }
  if (at < value.length) parts.push({ kind: "text", text: value.slice(at) });
  return { parts, problems };
}

/** Literal text as a Terraform string: its own `${`/`%{` are not interpolations. */
export function escapeTerraformText(text: string): string {
  // Replacement functions: in a replacement string "$$" would mean one "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/**
 * The value as it goes into Terraform JSON: text escaped, stack values substituted (tokens stay
 * tokens), secret references kept for the config provider (`$${secretsmanager:...}` reaches MSK
 * Connect as `${secretsmanager:...}`). Throws on a problem: the loader has reported those already.
 */
export function resolveTemplate(value: string, values: StackValues): string {
  const { parts, problems } = parseTemplate(value);
  if (problems.length > 0) throw new Error(`unresolvable reference in "${value}": expected ${problems[0].expected}`);
  return parts
    .map((p) => {
      if (p.kind === "text") return escapeTerraformText(p.text);
      if (p.kind === "stack") return values[p.name];
      return `$\${secretsmanager:${p.secret}:${p.key}}`;
    })
    .join("");
}

/** Secret names a value refers to through `${secretsmanager:...}`. */
export function secretsReferenced(value: string): string[] {
  return parseTemplate(value).parts.flatMap((p) => (p.kind === "secret" ? [p.secret] : []));
}

/** Whether the value is exactly one secret reference and nothing else (a credential given the right way). */
export function isOnlySecretReference(value: string): boolean {
  const { parts, problems } = parseTemplate(value);
  return problems.length === 0 && parts.length === 1 && parts[0].kind === "secret";
}
