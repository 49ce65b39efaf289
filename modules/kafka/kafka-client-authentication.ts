/**
 * Client authentication of the MSK cluster beside IAM (which is always on): mutual TLS with AWS
 * Private CA certificates (port 9094) and SASL/SCRAM (port 9096). Not a construct: KafkaCluster's
 * builders call these for its `client_authentication` block and the extra listeners' ingress rules,
 * which admit the same client groups as 9098.
 */
import { Token } from "cdktf";
import { Construct } from "constructs";
import type { MskClusterClientAuthentication } from "@cdktf/provider-aws/lib/msk-cluster";
import type { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { addClientIngressRules, type ClientSecurityGroups } from "../network/client-security-groups";

/** Port of the mutual-TLS listener inside the VPC. */
export const MSK_TLS_PORT = 9094;
/** Port of the SASL/SCRAM listener inside the VPC. */
export const MSK_SCRAM_PORT = 9096;

const PRIVATE_CA_ARN = /^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What clients may authenticate with besides IAM. */
export interface KafkaClientAuthentication {
  /**
   * AWS Private CA ARNs whose certificates the brokers accept (mutual TLS on 9094).
   * @default - no mutual TLS
   */
  readonly tlsCertificateAuthorityArns?: readonly string[];
  /**
   * SASL/SCRAM on 9096 (the users' secrets are associated separately, e.g. by ScramUsers).
   * @default false
   */
  readonly scram?: boolean;
}

/** Throws on an empty CA list or a literal value that is not a Private CA ARN. */
export function validateClientAuthentication(construct: string, auth: KafkaClientAuthentication): void {
  const arns = auth.tlsCertificateAuthorityArns;
  if (arns === undefined) return;
  if (arns.length === 0) throw new Error(`${construct}: tlsCertificateAuthorityArns must name at least one CA (leave it out for no mutual TLS)`);
  for (const arn of arns) {
    if (!Token.isUnresolved(arn) && !PRIVATE_CA_ARN.test(arn)) {
      throw new Error(`${construct}: tlsCertificateAuthorityArns must be AWS Private CA ARNs (arn:aws:acm-pca:...:certificate-authority/<uuid>), got "${arn}"`);
    }
  }
}

/** The cluster's `client_authentication`: IAM always, SCRAM and mTLS when asked, never unauthenticated. */
export function clientAuthenticationBlock(auth: KafkaClientAuthentication): MskClusterClientAuthentication {
  const arns = auth.tlsCertificateAuthorityArns;
  return {
    sasl: { iam: true, scram: auth.scram ?? false },
    unauthenticated: false,
    ...(arns !== undefined ? { tls: { certificateAuthorityArns: [...arns] } } : {}),
  };
}

/** Ingress rules of the extra listeners, each in its own scope (`mtls/ingress-<key>`, `scram/ingress-<key>`). */
export interface AuthenticationIngressRules {
  readonly tls?: Readonly<Record<string, VpcSecurityGroupIngressRule>>;
  readonly scram?: Readonly<Record<string, VpcSecurityGroupIngressRule>>;
}

/** 9094 and 9096 from the same client groups as 9098, only for the methods that are on. */
export function addAuthenticationIngressRules(
  scope: Construct,
  securityGroupId: string,
  clients: ClientSecurityGroups,
  auth: KafkaClientAuthentication,
  clusterName: string,
): AuthenticationIngressRules {
  const tls = auth.tlsCertificateAuthorityArns
    ? addClientIngressRules(new Construct(scope, "mtls"), securityGroupId, clients, MSK_TLS_PORT, "Kafka mutual TLS", `${clusterName}-mtls`)
    : undefined;
  const scram = auth.scram
    ? addClientIngressRules(new Construct(scope, "scram"), securityGroupId, clients, MSK_SCRAM_PORT, "Kafka SASL/SCRAM", `${clusterName}-scram`)
    : undefined;
  return { tls, scram };
}
