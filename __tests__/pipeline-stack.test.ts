import { App, Testing } from "cdktf";
import { environmentSchema } from "../modules/config/schema";
import { PipelineStack } from "../modules/pipeline-stack";
import { useReferenceConfig, vpnBootstrapScript } from "./support/project";

const ref = useReferenceConfig();

function synth(envOverride: Record<string, unknown> = {}): any {
  const base = ref.config.environments[0];
  const spec = environmentSchema.parse({ ...structuredClone(base.spec), ...envOverride });
  const stack = new PipelineStack(Testing.app(), {
    environment: { ...base, spec },
    topics: ref.config.topics,
    connectors: ref.config.connectors,
    plugins: ref.config.plugins,
    vpnBootstrapScript: vpnBootstrapScript(),
  });
  return JSON.parse(Testing.synth(stack));
}

describe("PipelineStack foundation", () => {
  it("is named after the environment file", () => {
    const app = new App({ outdir: ref.root + "/out" });
    const stack = new PipelineStack(app, { ...ref.config, environment: ref.config.environments[0], vpnBootstrapScript: vpnBootstrapScript() });
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
