/**
 * ClientCertificateAuthority: a root CA in AWS Private CA whose certificates the MSK brokers accept
 * for mutual TLS (port 9094), with its own self-signed certificate issued and installed so the CA
 * is ACTIVE before the cluster names it.
 */
import { Construct } from "constructs";
import { AcmpcaCertificate } from "@cdktf/provider-aws/lib/acmpca-certificate";
import { AcmpcaCertificateAuthority } from "@cdktf/provider-aws/lib/acmpca-certificate-authority";
import { AcmpcaCertificateAuthorityCertificate } from "@cdktf/provider-aws/lib/acmpca-certificate-authority-certificate";

/** Key and signing algorithm of the root: what MSK's own mTLS guide uses, and every Kafka client's JVM accepts. */
export const CA_KEY_ALGORITHM = "RSA_2048";
export const CA_SIGNING_ALGORITHM = "SHA256WITHRSA";

/** Subject of the root CA certificate. */
export interface CertificateAuthoritySubject {
  /** CN, 1-64 characters. */
  readonly commonName: string;
  /**
   * O
   * @default - none
   */
  readonly organization?: string;
  /**
   * OU
   * @default - none
   */
  readonly organizationalUnit?: string;
  /**
   * C, two letters.
   * @default - none
   */
  readonly country?: string;
}

export interface ClientCertificateAuthorityProps {
  /** Prefix of every name (the environment's `name_prefix`): the CA is tagged `<namePrefix>-kafka-clients-ca`. */
  readonly namePrefix: string;
  /** AWS partition (`aws`, `aws-cn`, ...): part of the root certificate template's ARN. */
  readonly partition: string;
  readonly subject: CertificateAuthoritySubject;
  /**
   * Validity of the root CA certificate, years.
   * @default 10
   */
  readonly validityYears?: number;
  /**
   * Days a deleted CA stays restorable (7-30). AWS bills the CA again for that time if restored.
   * @default 7
   */
  readonly permanentDeletionTimeInDays?: number;
}

/**
 * A general-purpose ROOT CA (RSA_2048 / SHA256WITHRSA), its self-signed certificate from AWS's
 * RootCACertificate/V1 template, and that certificate installed. No CRL or OCSP: MSK does not
 * check revocation; a compromised client certificate is dealt with by replacing the CA.
 *
 * Cost: AWS Private CA bills about 400 USD a month per general-purpose CA (pro-rated, the first CA
 * of an account and region free for 30 days), plus a fee per certificate issued.
 */
export class ClientCertificateAuthority extends Construct {
  public readonly authority: AcmpcaCertificateAuthority;
  public readonly certificate: AcmpcaCertificate;
  /** The installed root certificate: the CA is ACTIVE once this exists. */
  public readonly installation: AcmpcaCertificateAuthorityCertificate;
  /** ARN of the CA (what `client_authentication.tls.certificate_authority_arns` names). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: ClientCertificateAuthorityProps) {
    super(scope, id);
    const validityYears = props.validityYears ?? 10;
    const deletionDays = props.permanentDeletionTimeInDays ?? 7;
    const s = props.subject;
    if (!/^[A-Za-z0-9 ._-]{1,64}$/.test(s.commonName)) {
      throw new Error(`ClientCertificateAuthority: subject.commonName must be 1-64 letters, digits, spaces, '.', '_' or '-', got "${s.commonName}"`);
    }
    for (const [field, value] of [["organization", s.organization], ["organizationalUnit", s.organizationalUnit]] as const) {
      if (value !== undefined && !/^[A-Za-z0-9 .,_-]{1,64}$/.test(value)) {
        throw new Error(`ClientCertificateAuthority: subject.${field} must be 1-64 letters, digits, spaces or .,_-, got "${value}"`);
      }
    }
    if (s.country !== undefined && !/^[A-Z]{2}$/.test(s.country)) {
      throw new Error(`ClientCertificateAuthority: subject.country must be a two-letter code, got "${s.country}"`);
    }
    if (!Number.isInteger(validityYears) || validityYears < 1 || validityYears > 30) {
      throw new Error(`ClientCertificateAuthority: validityYears must be an integer from 1 to 30, got ${validityYears}`);
    }
    if (!Number.isInteger(deletionDays) || deletionDays < 7 || deletionDays > 30) {
      throw new Error(`ClientCertificateAuthority: permanentDeletionTimeInDays must be an integer from 7 to 30, got ${deletionDays}`);
    }

    this.authority = new AcmpcaCertificateAuthority(this, "resource", {
      type: "ROOT",
      usageMode: "GENERAL_PURPOSE",
      permanentDeletionTimeInDays: deletionDays,
      certificateAuthorityConfiguration: {
        keyAlgorithm: CA_KEY_ALGORITHM,
        signingAlgorithm: CA_SIGNING_ALGORITHM,
        subject: {
          commonName: s.commonName,
          ...(s.organization !== undefined ? { organization: s.organization } : {}),
          ...(s.organizationalUnit !== undefined ? { organizationalUnit: s.organizationalUnit } : {}),
          ...(s.country !== undefined ? { country: s.country } : {}),
        },
      },
      tags: { Name: `${props.namePrefix}-kafka-clients-ca` },
    });
    this.certificate = new AcmpcaCertificate(this, "root-certificate", {
      certificateAuthorityArn: this.authority.arn,
      certificateSigningRequest: this.authority.certificateSigningRequest,
      signingAlgorithm: CA_SIGNING_ALGORITHM,
      templateArn: `arn:${props.partition}:acm-pca:::template/RootCACertificate/V1`,
      validity: { type: "YEARS", value: String(validityYears) },
    });
    this.installation = new AcmpcaCertificateAuthorityCertificate(this, "installed-certificate", {
      certificateAuthorityArn: this.authority.arn,
      certificate: this.certificate.certificate,
      certificateChain: this.certificate.certificateChain,
    });
    this.arn = this.authority.arn;
  }
}
