import { App } from "cdktf";
import { PipelineStack } from "../modules/pipeline-stack";
import { synthWithEnvironment, useReferenceConfig } from "./support/project";
import { readVpnBootstrapScript } from "../scripts/project-assets";

const ref = useReferenceConfig();

function synth(envOverride: Record<string, unknown> = {}): any {
  return synthWithEnvironment(ref.config, envOverride);
}

describe("PipelineStack foundation", () => {
  it("is named after the environment file", () => {
    const app = new App({ outdir: ref.root + "/out" });
    const stack = new PipelineStack(app, { ...ref.config, environment: ref.config.environments[0], vpnBootstrapScript: readVpnBootstrapScript() });
    expect(stack.node.id).toBe("dev");
  });

  it("declares to_create_connector as a non-nullable bool defaulting to false", () => {
    const tf = synth();
    expect(tf.variable.to_create_connector).toMatchObject({ type: "bool", default: false, nullable: false });
  });

  it("configures the AWS provider with the environment's region and default tags", () => {
    const tf = synth();
    expect(tf.provider.aws).toHaveLength(1);
    expect(tf.provider.aws[0].region).toBe("ap-southeast-2");
    expect(tf.provider.aws[0].default_tags).toEqual([
      { tags: { Project: "msk-opensearch-pipeline", Environment: "dev", ManagedBy: "cdktf" } },
    ]);
  });

  it("follows a changed region and tags", () => {
    const tf = synth({ region: "eu-west-1", tags: { Team: "data" } });
    expect(tf.provider.aws[0].region).toBe("eu-west-1");
    expect(tf.provider.aws[0].default_tags[0].tags).toEqual({ Team: "data" });
  });

  it("declares a local backend with a relative path when the environment names no remote one", () => {
    const tf = synth();
    expect(tf.terraform.backend).toEqual({ local: { path: "../../../terraform.dev.tfstate" } });
  });

  it("uses the S3 backend with encryption and S3-native locking when configured", () => {
    const tf = synth({ backend: { s3: { bucket: "state-bucket", key: "pipeline/dev.tfstate" } } });
    expect(Object.keys(tf.terraform.backend)).toEqual(["s3"]);
    expect(tf.terraform.backend.s3).toMatchObject({
      bucket: "state-bucket",
      key: "pipeline/dev.tfstate",
      region: "ap-southeast-2",
      encrypt: true,
      use_lockfile: true,
    });
  });
});

describe("PipelineStack with vpn.enabled: false", () => {
  it("has no VPN resource, variable, output or security-group rule anywhere", () => {
    const tf = synth({ vpn: { ...structuredClone(ref.config.environments[0].spec.vpn), enabled: false } });
    const text = JSON.stringify(tf);
    expect(tf.resource.aws_instance).toBeUndefined();
    expect(tf.resource.aws_eip_association).toBeUndefined();
    expect(tf.variable.vpn_allowed_cidrs).toBeUndefined();
    expect(Object.keys(tf.output)).not.toContain("vpn_public_ip");
    const addresses = Object.entries(tf.resource as Record<string, object>).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
    expect(addresses.length).toBeGreaterThan(20);
    expect(addresses.filter((a) => /\.vpn_/.test(a))).toEqual([]);
    expect(text).not.toContain("softether");
    const ingress = Object.values(tf.resource.aws_vpc_security_group_ingress_rule ?? {}) as { description?: string }[];
    expect(ingress.length).toBeGreaterThan(0);
    for (const rule of ingress) expect(rule.description ?? "").not.toMatch(/vpn/i);
  });

  it("keeps the connectors' access to MSK and OpenSearch", () => {
    const tf = synth({ vpn: { ...structuredClone(ref.config.environments[0].spec.vpn), enabled: false } });
    const ingress = Object.values(tf.resource.aws_vpc_security_group_ingress_rule) as { from_port: number }[];
    expect(ingress.map((r) => r.from_port).sort()).toEqual([443, 9098]);
  });
});

describe("PipelineStack sign-in to OpenSearch (defaults of the reference environment)", () => {
   
  const only = (o: Record<string, any>) => {
    const values = Object.values(o);
    expect(values).toHaveLength(1);
    return values[0];
  };

  it("emits the internal user database on, an internal master from the prefix, no master ARN and no session-context lookup", () => {
    const tf = synth();
    const domain = only(tf.resource.aws_opensearch_domain);
    expect(domain.advanced_security_options).toMatchObject({ enabled: true, internal_user_database_enabled: true, anonymous_auth_enabled: false });
    expect(domain.advanced_security_options.master_user_options.master_user_name).toBe("ad-tech-dev-master");
    expect(domain.advanced_security_options.master_user_options).not.toHaveProperty("master_user_arn");
    expect(tf.data.aws_iam_session_context).toBeUndefined();
  });

  it("publishes audit logs by default to a log group with the environment's retention; audit_logs: false drops it", () => {
    const on = synth();
    const audit = Object.values(on.resource.aws_cloudwatch_log_group).find((g: any) => g.name === "/aws/opensearch/domains/ad-tech-dev-search/audit") as any;
    expect(audit.retention_in_days).toBe(30);
    const off = synth({ opensearch: { ...ref.config.environments[0].spec.opensearch, audit_logs: false } });
    expect(Object.values(off.resource.aws_cloudwatch_log_group).map((g: any) => g.name)).not.toContain("/aws/opensearch/domains/ad-tech-dev-search/audit");
  });

  it("creates the master secret and one empty secret per Dashboards user from YAML", () => {
    const tf = synth({
      opensearch: { ...ref.config.environments[0].spec.opensearch, dashboards_users: { alice: { role: "reader" } } },
    });
    const names = Object.values(tf.resource.aws_secretsmanager_secret).map((s: any) => s.name);
    expect(names).toEqual(expect.arrayContaining(["ad-tech-dev/opensearch/master", "ad-tech-dev/opensearch/dashboards/alice"]));
  });

  it("re-runs the on-deploy bootstrap when anonymous_access changes (Terraform then re-sends the initial master password)", () => {
    const runner = (tf: any) =>
      (Object.values(tf.resource.terraform_data) as any[]).find((d) => d.triggers_replace?.plan_sha256 !== undefined).triggers_replace;
    expect(runner(synth()).anonymous_access).toBe("false");
    const loose = synth({
      opensearch: { ...ref.config.environments[0].spec.opensearch, anonymous_access: true },
      security: { waivers: [{ rule: "OS-5", resource: "aws_opensearch_domain.search/domain", reason: "test" }] },
    });
    expect(runner(loose).anonymous_access).toBe("true");
    expect(runner(loose).plan_sha256).toBe(runner(synth()).plan_sha256);
  });

  it("gives the sink connector its credentials only as Secrets Manager references", () => {
    const tf = synth();
    const sink = Object.values(tf.resource.aws_mskconnect_connector).find((c: any) => /opensearch/i.test(c.connector_configuration["connector.class"] ?? "")) as any;
    const config = sink.connector_configuration;
    // `$${` is HCL's escape: MSK Connect receives `${secretsmanager:...}`, resolved by the worker's config provider.
    expect(config["connection.username"]).toBe("$${secretsmanager:ad-tech-dev/msk-connect/ad-tech-sink/opensearch:username}");
    expect(config["connection.password"]).toBe("$${secretsmanager:ad-tech-dev/msk-connect/ad-tech-sink/opensearch:password}");
  });
});
