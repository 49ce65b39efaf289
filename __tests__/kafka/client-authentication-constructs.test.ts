/**
 * The constructs behind kafka.client_authentication, alone: ClientCertificateAuthority,
 * ScramUsers and KafkaCluster's clientAuthentication prop (each validation branch with its
 * exact message, and the properties that matter).
 */
import { TerraformOutput, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ClientCertificateAuthority, type ClientCertificateAuthorityProps } from "../../modules/kafka/client-certificate-authority";
import { KafkaCluster, type KafkaClusterProps } from "../../modules/kafka/kafka-cluster";
import { ScramUsers, scramSecretName, type ScramUsersProps } from "../../modules/kafka/scram-users";

const CA_ARN = "arn:aws:acm-pca:ap-southeast-2:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012";

function stack() {
  const s = new TerraformStack(Testing.app(), "test");
  new AwsProvider(s, "aws", { region: "ap-southeast-2" });
  return s;
}
const synth = (s: TerraformStack) => JSON.parse(Testing.synth(s, true));

describe("ClientCertificateAuthority", () => {
  const BASE: ClientCertificateAuthorityProps = { namePrefix: "dev", partition: "aws", subject: { commonName: "dev clients" } };
  const make = (p: Partial<ClientCertificateAuthorityProps> = {}) => {
    const s = stack();
    const ca = new ClientCertificateAuthority(s, "ca", { ...BASE, ...p });
    return { s, ca, tf: synth(s) };
  };

  it("defaults to 10 years of validity, a 7-day deletion window and a subject with the common name only", () => {
    const { tf } = make();
    const ca = Object.values(tf.resource.aws_acmpca_certificate_authority)[0] as any;
    expect(ca.permanent_deletion_time_in_days).toBe(7);
    expect(ca.certificate_authority_configuration.subject).toEqual({ common_name: "dev clients" });
    expect(ca.tags).toEqual({ Name: "dev-kafka-clients-ca" });
    const cert = Object.values(tf.resource.aws_acmpca_certificate)[0] as any;
    expect(cert.validity).toEqual({ type: "YEARS", value: "10" });
    expect(cert.template_arn).toBe("arn:aws:acm-pca:::template/RootCACertificate/V1");
  });

  it("exposes the CA's ARN", () => {
    const s = stack();
    const ca = new ClientCertificateAuthority(s, "ca", BASE);
    new TerraformOutput(s, "arn", { value: ca.arn });
    expect(synth(s).output.arn.value).toBe(`\${aws_acmpca_certificate_authority.${s.getLogicalId(ca.authority)}.arn}`);
  });

  test.each<[Partial<ClientCertificateAuthorityProps>, string]>([
    [{ subject: { commonName: "" } }, 'subject.commonName must be 1-64 letters, digits, spaces, \'.\', \'_\' or \'-\', got ""'],
    [{ subject: { commonName: "a/b" } }, "subject.commonName must be 1-64 letters, digits, spaces, '.', '_' or '-', got \"a/b\""],
    [{ subject: { commonName: "ok", organization: "x".repeat(65) } }, `subject.organization must be 1-64 letters, digits, spaces or .,_-, got "${"x".repeat(65)}"`],
    [{ subject: { commonName: "ok", organizationalUnit: "a=b" } }, 'subject.organizationalUnit must be 1-64 letters, digits, spaces or .,_-, got "a=b"'],
    [{ subject: { commonName: "ok", country: "aus" } }, 'subject.country must be a two-letter code, got "aus"'],
    [{ validityYears: 0 }, "validityYears must be an integer from 1 to 30, got 0"],
    [{ permanentDeletionTimeInDays: 6 }, "permanentDeletionTimeInDays must be an integer from 7 to 30, got 6"],
    [{ permanentDeletionTimeInDays: 31 }, "permanentDeletionTimeInDays must be an integer from 7 to 30, got 31"],
  ])("refuses %j", (p, message) => {
    expect(() => make(p)).toThrow(`ClientCertificateAuthority: ${message}`);
  });
});

describe("ScramUsers", () => {
  const BASE: ScramUsersProps = {
    namePrefix: "dev",
    clusterArn: "arn:aws:kafka:ap-southeast-2:123456789012:cluster/dev-msk/abc",
    users: ["alice"],
    region: "ap-southeast-2",
    accountId: "123456789012",
    partition: "aws",
  };
  const make = (p: Partial<ScramUsersProps> = {}) => {
    const s = stack();
    const u = new ScramUsers(s, "scram", { ...BASE, ...p });
    return { s, u, tf: synth(s) };
  };

  it("names each secret AmazonMSK_<prefix>_<user>", () => {
    expect(scramSecretName("dev", "alice")).toBe("AmazonMSK_dev_alice");
    const { tf } = make({ users: ["bob", "alice"] });
    expect((Object.values(tf.resource.aws_secretsmanager_secret) as any[]).map((x) => x.name)).toEqual(["AmazonMSK_dev_alice", "AmazonMSK_dev_bob"]);
  });

  it("deletes the secrets at once by default and follows secretRecoveryWindowDays", () => {
    expect((Object.values(make().tf.resource.aws_secretsmanager_secret)[0] as any).recovery_window_in_days).toBe(0);
    expect((Object.values(make({ secretRecoveryWindowDays: 14 }).tf.resource.aws_secretsmanager_secret)[0] as any).recovery_window_in_days).toBe(14);
  });

  it("keeps the key 30 days after a destroy, so a restored secret can still be decrypted", () => {
    expect((Object.values(make().tf.resource.aws_kms_key)[0] as any).deletion_window_in_days).toBe(30);
  });

  test.each<[Partial<ScramUsersProps>, string]>([
    [{ users: [] }, "users must name at least one user"],
    [{ users: ["Alice"] }, 'a user name must be 1-64 lowercase letters, digits, \'.\', \'_\' or \'-\', starting with a letter, got "Alice"'],
    [{ users: ["alice", "alice"] }, 'user "alice" is listed twice'],
    [{ kmsKeyArn: "alias/my-key" }, 'kmsKeyArn must be a KMS key ARN (not an alias), got "alias/my-key"'],
    [{ secretRecoveryWindowDays: 3 }, "secretRecoveryWindowDays must be 0 or 7 to 30, got 3"],
  ])("refuses %j", (p, message) => {
    expect(() => make(p)).toThrow(`ScramUsers: ${message}`);
  });
});

describe("KafkaCluster clientAuthentication", () => {
  const BASE: KafkaClusterProps = {
    namePrefix: "dev",
    vpcId: "vpc-123",
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    clientSecurityGroups: { connectors: "sg-0fedcba9876543210", vpn: "sg-0123456789abcdef0" },
  };
  const make = (p: Partial<KafkaClusterProps> = {}) => {
    const s = stack();
    const k = new KafkaCluster(s, "kafka", { ...BASE, ...p });
    return { s, k, tf: synth(s) };
  };

  it("is IAM only without it, with no extra listener rules or broker strings", () => {
    const { k, tf } = make();
    expect((Object.values(tf.resource.aws_msk_cluster)[0] as any).client_authentication).toEqual({ sasl: { iam: true, scram: false }, unauthenticated: false });
    expect(k.authenticationIngressRules).toEqual({ tls: undefined, scram: undefined });
    expect(k.bootstrapBrokersTls).toBeUndefined();
    expect(k.bootstrapBrokersSaslScram).toBeUndefined();
  });

  it("adds one 9094 and one 9096 rule per client group, keyed like clientSecurityGroups", () => {
    const s = stack();
    const k = new KafkaCluster(s, "kafka", { ...BASE, clientAuthentication: { tlsCertificateAuthorityArns: [CA_ARN], scram: true } });
    new TerraformOutput(s, "tls", { value: k.bootstrapBrokersTls });
    new TerraformOutput(s, "scram", { value: k.bootstrapBrokersSaslScram });
    const tf = synth(s);
    expect(Object.keys(k.authenticationIngressRules.tls!)).toEqual(["connectors", "vpn"]);
    const vpnScram = tf.resource.aws_vpc_security_group_ingress_rule[s.getLogicalId(k.authenticationIngressRules.scram!.vpn)];
    expect(vpnScram).toMatchObject({ from_port: 9096, to_port: 9096, ip_protocol: "tcp", referenced_security_group_id: "sg-0123456789abcdef0", tags: { Name: "dev-msk-scram-from-vpn" } });
    expect(tf.output.tls.value).toBe(`\${aws_msk_cluster.${s.getLogicalId(k.cluster)}.bootstrap_brokers_tls}`);
    expect(tf.output.scram.value).toBe(`\${aws_msk_cluster.${s.getLogicalId(k.cluster)}.bootstrap_brokers_sasl_scram}`);
  });

  it("keeps the broker group's description (changing it would replace the group, and with it the cluster)", () => {
    const off = make().tf;
    const on = make({ clientAuthentication: { tlsCertificateAuthorityArns: [CA_ARN], scram: true } }).tf;
    const desc = (tf: any) => (Object.values(tf.resource.aws_security_group)[0] as any).description;
    expect(desc(on)).toBe(desc(off));
  });

  test.each<[KafkaClusterProps["clientAuthentication"], string]>([
    [{ tlsCertificateAuthorityArns: [] }, "tlsCertificateAuthorityArns must name at least one CA (leave it out for no mutual TLS)"],
    [{ tlsCertificateAuthorityArns: ["arn:aws:acm:ap-southeast-2:123456789012:certificate/x"] }, 'tlsCertificateAuthorityArns must be AWS Private CA ARNs (arn:aws:acm-pca:...:certificate-authority/<uuid>), got "arn:aws:acm:ap-southeast-2:123456789012:certificate/x"'],
  ])("refuses %j", (auth, message) => {
    expect(() => make({ clientAuthentication: auth })).toThrow(`KafkaCluster: ${message}`);
  });
});
