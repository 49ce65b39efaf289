/**
 * Creation order the composition must give Terraform where an implicit reference does not:
 * what depends_on says, checked on the whole stack as main.ts builds it.
 */
import { environmentSchema } from "../modules/config/schema";
import { synthWithEnvironment, useReferenceConfig } from "./support/project";

const ref = useReferenceConfig();

 
type Tf = any;

function synth(envOverride: Record<string, unknown> = {}): Tf {
  return synthWithEnvironment(ref.config, envOverride);
}

const addresses = (tf: Tf, type: string): string[] => Object.keys(tf.resource[type] ?? {}).map((n) => `${type}.${n}`);

describe("plugin uploads", () => {
  it("every plugin object waits for the bucket's versioning (else version_id reads back null and forces replacement)", () => {
    const tf = synth();
    const [versioning] = addresses(tf, "aws_s3_bucket_versioning");
    const objects = Object.values(tf.resource.aws_s3_object) as { depends_on?: string[] }[];
    expect(objects.length).toBe(ref.config.plugins.length);
    for (const o of objects) expect(o.depends_on).toContain(versioning);
  });
});

describe("the Terraform-run index bootstrap", () => {
  const runner = (tf: Tf) => Object.values(tf.resource.terraform_data).find((r: Tf) => r.provisioner) as { depends_on?: string[] };

  it("waits for the domain access policy and the VPN's ingress rule to the domain", () => {
    const tf = synth();
    const [policy] = addresses(tf, "aws_opensearch_domain_policy");
    const vpnToDomain = Object.entries(tf.resource.aws_vpc_security_group_ingress_rule)
      .filter(([, r]: [string, Tf]) => r.from_port === 443 && /from vpn/.test(r.description))
      .map(([n]) => `aws_vpc_security_group_ingress_rule.${n}`);
    expect(vpnToDomain).toHaveLength(1);
    expect(runner(tf).depends_on).toEqual(expect.arrayContaining([policy, vpnToDomain[0]]));
  });

  it("runs again when the domain is replaced: its trigger holds the domain's endpoint", () => {
    const tf = synth();
    const [domain] = addresses(tf, "aws_opensearch_domain");
    expect((runner(tf) as Tf).triggers_replace.endpoint).toBe(`\${${domain}.endpoint}`);
  });

  it("without a VPN it still waits for the access policy", () => {
    const vpn = { ...structuredClone(ref.config.environments[0].spec.vpn), enabled: false };
    const tf = synth({ vpn });
    expect(runner(tf).depends_on).toEqual(addresses(tf, "aws_opensearch_domain_policy"));
  });
});

describe("secrets and destroy + re-deploy", () => {
  const secrets = (tf: Tf) => Object.values(tf.resource.aws_secretsmanager_secret) as { name?: string; name_prefix?: string; recovery_window_in_days?: number }[];

  it("by default every secret is deleted at once on destroy, so a re-deploy can create its fixed name again", () => {
    const all = secrets(synth());
    expect(all.some((s) => s.name !== undefined)).toBe(true); // the sink secrets have fixed names
    for (const s of all) expect(s.recovery_window_in_days).toBe(0);
  });

  it("every secret takes secrets.recovery_window_days from the environment", () => {
    const all = secrets(synth({ secrets: { recovery_window_days: 14 } }));
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const s of all) expect(s.recovery_window_in_days).toBe(14);
  });

  it.each([3, 31, -1])("the environment schema refuses recovery_window_days %d", (n) => {
    const r = environmentSchema.safeParse({ ...structuredClone(ref.config.environments[0].spec), secrets: { recovery_window_days: n } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe("0 (delete at once) or 7 to 30 days");
  });
});

describe("the OpenSearch service-linked role", () => {
  const domain = (tf: Tf) => Object.values(tf.resource.aws_opensearch_domain)[0] as { depends_on: string[] };

  it("by default (auto) the domain waits for the role this stack may create", () => {
    const tf = synth();
    expect(domain(tf).depends_on).toContain("aws_iam_service_linked_role.opensearch");
    expect(tf.data.aws_iam_roles.opensearch_service_linked_role).toMatchObject({
      name_regex: "^AWSServiceRoleForAmazonOpenSearchService$",
      path_prefix: "/aws-service-role/opensearchservice.amazonaws.com/",
    });
  });

  it("with service_linked_role: existing there is no role, lookup or dependency", () => {
    const tf = synth({ opensearch: { ...structuredClone(ref.config.environments[0].spec.opensearch), service_linked_role: "existing" } });
    expect(tf.resource.aws_iam_service_linked_role).toBeUndefined();
    expect(tf.data.aws_iam_roles).toBeUndefined();
    expect(domain(tf).depends_on.some((d) => d.startsWith("aws_iam_service_linked_role"))).toBe(false);
  });
});
