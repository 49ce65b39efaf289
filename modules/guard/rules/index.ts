import { Rule } from "../rule";
import ec2EbsEncryption from "./ec2-ebs-encryption";
import ec2Imdsv2 from "./ec2-imdsv2";
import ec2NoKeyPair from "./ec2-no-key-pair";
import iamNoFullAccessManagedPolicy from "./iam-no-full-access-managed-policy";
import iamNoWildcardAction from "./iam-no-wildcard-action";
import iamNoWildcardResourceWrite from "./iam-no-wildcard-resource-write";
import firehoseErrorLogging from "./firehose-error-logging";
import firehoseMskPrivate from "./firehose-msk-private";
import kmsKeyRotation from "./kms-key-rotation";
import logGroupRetention from "./log-group-retention";
import mskAuthentication from "./msk-authentication";
import mskBrokerLogging from "./msk-broker-logging";
import mskClusterPolicy from "./msk-cluster-policy";
import mskEncryptionAtRest from "./msk-encryption-at-rest";
import mskScramSecrets from "./msk-scram-secrets";
import mskServerlessNetwork from "./msk-serverless-network";
import mskTlsClientBroker from "./msk-tls-client-broker";
import mskTlsInCluster from "./msk-tls-in-cluster";
import mskconnectIamAuth from "./mskconnect-iam-auth";
import mskconnectTls from "./mskconnect-tls";
import mskconnectMirrorSourceSecured from "./mskconnect-mirror-source-secured";
import opensearchAccessPolicy from "./opensearch-access-policy";
import opensearchEncryptionAtRest from "./opensearch-encryption-at-rest";
import opensearchFineGrainedAccess from "./opensearch-fine-grained-access";
import opensearchHttps from "./opensearch-https";
import opensearchInVpc from "./opensearch-in-vpc";
import opensearchLogPublishing from "./opensearch-log-publishing";
import opensearchMasterPasswordGenerated from "./opensearch-master-password-generated";
import opensearchNodeToNode from "./opensearch-node-to-node";
import opensearchNoAnonymousAuth from "./opensearch-no-anonymous-auth";
import s3Encryption from "./s3-encryption";
import s3PublicAccessBlock from "./s3-public-access-block";
import s3TlsOnly from "./s3-tls-only";
import s3Versioning from "./s3-versioning";
import sgDescription from "./sg-description";
import sgNoPublicIngress from "./sg-no-public-ingress";
import vpcFlowLogs from "./vpc-flow-logs";

/** The built-in pack, in the order RULES.md lists it. Ids are unique (checked by the guard). */
export const ALL_RULES: readonly Rule[] = [
  mskEncryptionAtRest, // MSK-1
  mskTlsClientBroker, // MSK-2
  mskTlsInCluster, // MSK-3
  mskAuthentication, // MSK-4
  mskBrokerLogging, // MSK-5
  mskClusterPolicy, // MSK-6
  mskScramSecrets, // MSK-7
  mskServerlessNetwork, // MSK-8
  opensearchEncryptionAtRest, // OS-1
  opensearchNodeToNode, // OS-2
  opensearchHttps, // OS-3
  opensearchFineGrainedAccess, // OS-4
  opensearchNoAnonymousAuth, // OS-5
  opensearchAccessPolicy, // OS-6
  opensearchLogPublishing, // OS-7
  opensearchInVpc, // OS-8
  opensearchMasterPasswordGenerated, // OS-9
  sgNoPublicIngress, // SG-1
  sgDescription, // SG-2
  ec2Imdsv2, // EC2-1
  ec2EbsEncryption, // EC2-2
  ec2NoKeyPair, // EC2-3
  s3PublicAccessBlock, // S3-1
  s3Encryption, // S3-2
  s3Versioning, // S3-3
  s3TlsOnly, // S3-4
  iamNoWildcardAction, // IAM-1
  iamNoWildcardResourceWrite, // IAM-2
  iamNoFullAccessManagedPolicy, // IAM-3
  logGroupRetention, // LOG-1
  kmsKeyRotation, // KMS-1
  mskconnectIamAuth, // MSKC-1
  mskconnectTls, // MSKC-2
  mskconnectMirrorSourceSecured, // MSKC-3
  vpcFlowLogs, // VPC-1
  firehoseMskPrivate, // FH-1
  firehoseErrorLogging, // FH-2
];
