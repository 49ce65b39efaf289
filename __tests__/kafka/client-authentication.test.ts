/**
 * Client authentication beside IAM, from the environment YAML to the synthesized stack: mutual TLS
 * with an AWS Private CA (created or given) on 9094 and SASL/SCRAM on 9096, each opened to the
 * peers of 9098; IAM stays on and the connectors keep IAM; off by default.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { loadPipelineConfig } from "../../modules/config/load";
import { makeProjectCopy, pipelineStack, removeProjectCopy, REPO_ROOT, synthWithEnvironment, useReferenceConfig } from "../support/project";

const ref = useReferenceConfig();
const CA_ARN = "arn:aws:acm-pca:ap-southeast-2:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012";
const KEY_ARN = "arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** The reference environment with `kafka.client_authentication` set. */
function synth(clientAuthentication: Record<string, unknown> | undefined): any {
  const kafka = structuredClone(ref.config.environments[0].spec.kafka) as Record<string, unknown>;
  delete kafka.client_authentication;
  return synthWithEnvironment(ref.config, { kafka: clientAuthentication ? { ...kafka, client_authentication: clientAuthentication } : kafka });
}

const only = (tf: any, type: string): any => {
  const all = Object.values(tf.resource[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0];
};
const cluster = (tf: any) => only(tf, "aws_msk_cluster");
const address = (tf: any, type: string, pattern: RegExp): string => {
  const names = Object.keys(tf.resource[type] ?? {}).filter((n) => pattern.test(n));
  expect(names).toHaveLength(1);
  return `${type}.${names[0]}`;
};
/** Ingress rules of the broker group on `port`: referenced group -> description. */
function brokerIngress(tf: any, port: number): Record<string, string> {
  const sg = `\${${address(tf, "aws_security_group", /^kafka_security-group/)}.id}`;
  const out: Record<string, string> = {};
  for (const r of Object.values(tf.resource.aws_vpc_security_group_ingress_rule) as any[]) {
    if (r.security_group_id === sg && r.from_port === port) {
      expect(r.to_port).toBe(port);
      expect(r.ip_protocol).toBe("tcp");
      out[r.referenced_security_group_id] = r.description;
    }
  }
  return out;
}

describe("kafka.client_authentication off (the default)", () => {
  it("leaves the reference stack without CA, key, SCRAM secret or association, and the cluster IAM only", () => {
    const tf = synth(undefined);
    for (const t of [
      "aws_acmpca_certificate_authority",
      "aws_acmpca_certificate",
      "aws_acmpca_certificate_authority_certificate",
      "aws_kms_key",
      "aws_kms_alias",
      "aws_msk_scram_secret_association",
    ]) {
      expect(tf.resource[t], t).toBeUndefined();
    }
    expect(Object.values(tf.resource.aws_secretsmanager_secret).filter((s: any) => String(s.name).startsWith("AmazonMSK_"))).toEqual([]);
    expect(cluster(tf).client_authentication).toEqual({ sasl: { iam: true, scram: false }, unauthenticated: false });
    expect(brokerIngress(tf, 9094)).toEqual({});
    expect(brokerIngress(tf, 9096)).toEqual({});
    expect(Object.keys(tf.output).filter((o) => /tls|scram|certificate/.test(o))).toEqual([]);
  });
});

describe("kafka.client_authentication.tls", () => {
  const created = { certificate_authority: { create: { common_name: "dev Kafka clients", organization: "Example", country: "AU", validity_years: 5, permanent_deletion_days: 14 } } };

  it("creates a general-purpose ROOT CA (RSA_2048, SHA256WITHRSA) with the subject, deletion window and its certificate installed", () => {
    const tf = synth({ tls: created });
    const ca = only(tf, "aws_acmpca_certificate_authority");
    expect(ca.type).toBe("ROOT");
    expect(ca.usage_mode).toBe("GENERAL_PURPOSE");
    expect(ca.permanent_deletion_time_in_days).toBe(14);
    expect(ca.certificate_authority_configuration).toEqual({
      key_algorithm: "RSA_2048",
      signing_algorithm: "SHA256WITHRSA",
      subject: { common_name: "dev Kafka clients", organization: "Example", country: "AU" },
    });
    const caAddress = address(tf, "aws_acmpca_certificate_authority", /^kafka-client-ca/);
    const cert = only(tf, "aws_acmpca_certificate");
    expect(cert.certificate_authority_arn).toBe(`\${${caAddress}.arn}`);
    expect(cert.certificate_signing_request).toBe(`\${${caAddress}.certificate_signing_request}`);
    expect(cert.template_arn).toBe("arn:${data.aws_partition.partition.partition}:acm-pca:::template/RootCACertificate/V1");
    expect(cert.validity).toEqual({ type: "YEARS", value: "5" });
    const certAddress = address(tf, "aws_acmpca_certificate", /root-certificate/);
    const installed = only(tf, "aws_acmpca_certificate_authority_certificate");
    expect(installed).toMatchObject({
      certificate_authority_arn: `\${${caAddress}.arn}`,
      certificate: `\${${certAddress}.certificate}`,
      certificate_chain: `\${${certAddress}.certificate_chain}`,
    });
  });

  it("names the created CA on the cluster, keeps IAM on, and creates the cluster only after the CA's certificate is installed", () => {
    const tf = synth({ tls: created });
    const c = cluster(tf);
    const caAddress = address(tf, "aws_acmpca_certificate_authority", /^kafka-client-ca/);
    expect(c.client_authentication).toEqual({
      sasl: { iam: true, scram: false },
      tls: { certificate_authority_arns: [`\${${caAddress}.arn}`] },
      unauthenticated: false,
    });
    expect(c.depends_on).toContain(address(tf, "aws_acmpca_certificate_authority_certificate", /installed-certificate/));
  });

  it("takes an existing CA by ARN without creating one", () => {
    const tf = synth({ tls: { certificate_authority: { arn: CA_ARN } } });
    expect(tf.resource.aws_acmpca_certificate_authority).toBeUndefined();
    expect(cluster(tf).client_authentication.tls).toEqual({ certificate_authority_arns: [CA_ARN] });
    expect(tf.output.msk_client_certificate_authority_arn.value).toBe(CA_ARN);
  });

  it("opens 9094 to exactly the peers of 9098 (connectors and VPN), and nothing for SCRAM", () => {
    const tf = synth({ tls: created });
    const iam = brokerIngress(tf, 9098);
    const tls = brokerIngress(tf, 9094);
    expect(Object.keys(iam)).toHaveLength(2);
    expect(Object.keys(tls).sort()).toEqual(Object.keys(iam).sort());
    expect(Object.values(tls).sort()).toEqual(["Kafka mutual TLS (9094) from connectors", "Kafka mutual TLS (9094) from vpn"]);
    expect(brokerIngress(tf, 9096)).toEqual({});
  });

  it("outputs the TLS bootstrap brokers and the CA", () => {
    const tf = synth({ tls: created });
    const clusterAddress = address(tf, "aws_msk_cluster", /^kafka_cluster/);
    expect(tf.output.msk_bootstrap_brokers_tls.value).toBe(`\${${clusterAddress}.bootstrap_brokers_tls}`);
    expect(tf.output.msk_client_certificate_authority_arn.value).toBe(`\${${address(tf, "aws_acmpca_certificate_authority", /^kafka-client-ca/)}.arn}`);
    expect(tf.output.msk_bootstrap_brokers_sasl_scram).toBeUndefined();
  });
});

describe("kafka.client_authentication.scram", () => {
  const scram = { users: ["reports", "analytics"] };

  it("turns SASL/SCRAM on beside IAM and opens 9096 to exactly the peers of 9098", () => {
    const tf = synth({ scram });
    expect(cluster(tf).client_authentication).toEqual({ sasl: { iam: true, scram: true }, unauthenticated: false });
    const iam = brokerIngress(tf, 9098);
    const sc = brokerIngress(tf, 9096);
    expect(Object.keys(sc).sort()).toEqual(Object.keys(iam).sort());
    expect(Object.values(sc).sort()).toEqual(["Kafka SASL/SCRAM (9096) from connectors", "Kafka SASL/SCRAM (9096) from vpn"]);
    expect(brokerIngress(tf, 9094)).toEqual({});
  });

  it("creates one customer-managed key with rotation, usable only through Secrets Manager of this region and account", () => {
    const tf = synth({ scram });
    const key = only(tf, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    const policy = JSON.parse(key.policy);
    expect(policy.Statement).toHaveLength(2);
    const [admin, use] = policy.Statement;
    expect(admin.Principal).toEqual({ AWS: "arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.caller.account_id}:root" });
    expect(use.Principal).toEqual({ AWS: "*" });
    expect(use.Action).toEqual(["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]);
    expect(use.Condition).toEqual({
      StringEquals: { "kms:ViaService": "secretsmanager.ap-southeast-2.amazonaws.com", "kms:CallerAccount": "${data.aws_caller_identity.caller.account_id}" },
    });
    expect(only(tf, "aws_kms_alias").name).toBe("alias/ad-tech-dev-msk-scram");
  });

  it("creates an AmazonMSK_ secret per user with that key and no Terraform-managed version (no password in state)", () => {
    const tf = synth({ scram });
    const keyArn = `\${${address(tf, "aws_kms_key", /^kafka-scram/)}.arn}`;
    const secrets = Object.values(tf.resource.aws_secretsmanager_secret).filter((s: any) => String(s.name).startsWith("AmazonMSK_")) as any[];
    expect(secrets.map((s) => s.name).sort()).toEqual(["AmazonMSK_ad-tech-dev_analytics", "AmazonMSK_ad-tech-dev_reports"]);
    for (const s of secrets) expect(s.kms_key_id).toBe(keyArn);
    const versions = Object.values(tf.resource.aws_secretsmanager_secret_version ?? {}) as any[];
    expect(versions.filter((v) => /kafka-scram/.test(String(v.secret_id)))).toEqual([]);
    expect(JSON.stringify(tf.data ?? {})).not.toMatch(/kafka-scram/);
  });

  it("fills the secrets with the password command before associating all of them with the cluster", () => {
    const tf = synth({ scram });
    const passwords = address(tf, "terraform_data", /^kafka-scram_passwords/);
    const run = tf.resource.terraform_data[passwords.split(".")[1]];
    expect(run.provisioner[0]["local-exec"].command).toBe(
      "npx tsx scripts/scram-passwords.ts --region ap-southeast-2 --secret 'AmazonMSK_ad-tech-dev_analytics=analytics' --secret 'AmazonMSK_ad-tech-dev_reports=reports'",
    );
    expect(run.provisioner[0]["local-exec"].working_dir).toBe("${path.module}/../../..");
    const assoc = only(tf, "aws_msk_scram_secret_association");
    expect(assoc.cluster_arn).toBe(`\${${address(tf, "aws_msk_cluster", /^kafka_cluster/)}.arn}`);
    expect(assoc.secret_arn_list).toEqual([
      `\${${address(tf, "aws_secretsmanager_secret", /secret-analytics/)}.arn}`,
      `\${${address(tf, "aws_secretsmanager_secret", /secret-reports/)}.arn}`,
    ]);
    expect(assoc.depends_on).toEqual([passwords]);
  });

  it("uses an existing key when kms_key_arn names one, and creates none", () => {
    const tf = synth({ scram: { ...scram, kms_key_arn: KEY_ARN } });
    expect(tf.resource.aws_kms_key).toBeUndefined();
    expect(tf.resource.aws_kms_alias).toBeUndefined();
    const secrets = Object.values(tf.resource.aws_secretsmanager_secret).filter((s: any) => String(s.name).startsWith("AmazonMSK_")) as any[];
    expect(secrets.map((s) => s.kms_key_id)).toEqual([KEY_ARN, KEY_ARN]);
  });

  it("outputs the SCRAM bootstrap brokers and each user's secret name", () => {
    const tf = synth({ scram });
    expect(tf.output.msk_bootstrap_brokers_sasl_scram.value).toBe(`\${${address(tf, "aws_msk_cluster", /^kafka_cluster/)}.bootstrap_brokers_sasl_scram}`);
    expect(tf.output.msk_scram_secret_names.value).toEqual({ analytics: "AmazonMSK_ad-tech-dev_analytics", reports: "AmazonMSK_ad-tech-dev_reports" });
  });

  it("does not rename a user's resources when users are added or reordered", () => {
    const a = synth({ scram: { users: ["analytics"] } });
    const b = synth({ scram: { users: ["zeta", "analytics"] } });
    const nameOf = (tf: any) => Object.keys(tf.resource.aws_secretsmanager_secret).find((n) => n.includes("secret-analytics"));
    expect(nameOf(b)).toBe(nameOf(a));
  });
});

describe("with both methods on", () => {
  it("connectors still authenticate with IAM on 9098", () => {
    const tf = synth({ tls: { certificate_authority: { arn: CA_ARN } }, scram: { users: ["analytics"] } });
    const connectors = Object.values(tf.resource.aws_mskconnect_connector) as any[];
    expect(connectors.length).toBeGreaterThan(0);
    for (const c of connectors) {
      expect(c.kafka_cluster_client_authentication).toEqual({ authentication_type: "IAM" });
      expect(c.kafka_cluster.apache_kafka_cluster.bootstrap_servers).toMatch(/bootstrap_brokers_sasl_iam/);
    }
    expect(cluster(tf).client_authentication).toEqual({
      sasl: { iam: true, scram: true },
      tls: { certificate_authority_arns: [CA_ARN] },
      unauthenticated: false,
    });
  });
});

describe("from the YAML file, through the loader and the security guard", () => {
  const DEV = "configs/environments/dev.yaml";
  const devYaml = readFileSync(path.join(REPO_ROOT, DEV), "utf8");

  it("a dev.yaml with both methods passes the guard with no waiver and synthesizes them", () => {
    const yaml = devYaml.replace(
      /^( {2}allow_topic_replacement: .*\n)/m,
      "$1  client_authentication:\n    tls: { certificate_authority: { create: { common_name: dev clients } } }\n    scram: { users: [analytics] }\n",
    );
    expect(yaml).not.toBe(devYaml);
    const root = makeProjectCopy({ files: { [DEV]: yaml } });
    try {
      const stack = pipelineStack(loadPipelineConfig({ rootDir: root, cwd: root }));
      const report = stack.securityReport();
      expect(report.errors).toEqual([]);
      expect(report.warnings).toEqual([]);
      const msk4 = report.findings.filter((f) => f.rule === "MSK-4");
      expect(msk4.map((f) => f.status)).toEqual(["compliant"]);
      const tf = JSON.parse(Testing.synth(stack));
      expect(cluster(tf).client_authentication.sasl).toEqual({ iam: true, scram: true });
      expect(Object.values(tf.resource.aws_acmpca_certificate_authority)).toHaveLength(1);
    } finally {
      removeProjectCopy(root);
    }
  });
});
