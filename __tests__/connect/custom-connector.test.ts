/**
 * A custom connector in the whole stack: its `iam` list becomes statements of its own role policy
 * with stack values resolved to the stack's resources, `${stack:...}` in config becomes the
 * resource's attribute, `${secretsmanager:...}` reaches MSK Connect literally with read access to
 * exactly that secret, and literal text that Terraform would interpolate is escaped.
 */
import { parsePolicyJson } from "../../modules/guard/policy";
import { resourceNamed, synthProjectWith } from "../support/project";

type Resource = Record<string, any>;

const ARCHIVE = `
name: archive
kind: custom
plugin: opensearch-sink
connector_class: io.aiven.kafka.connect.opensearch.OpensearchSinkConnector
direction: sink
topics: [clicks]
iam:
  - sid: ArchiveWrite
    actions: [s3:PutObject, s3:AbortMultipartUpload]
    resources: ["arn:\${stack:partition}:s3:::\${stack:artifact_bucket}/archive/*"]
  - actions: [s3:ListBucket]
    resources: ["\${stack:artifact_bucket_arn}"]
config:
  connection.url: "https://\${stack:opensearch_endpoint}"
  connection.username: "\${secretsmanager:ad-tech/archive:username}"
  connection.password: "\${secretsmanager:ad-tech/archive:password}"
  region.hint: "\${stack:region}"
  literal.template: "%{not-a-directive} and $ sign"
`;

const synthWith = (files: Record<string, string>) => synthProjectWith(files).tf;
const byName = resourceNamed;

describe("a custom connector with iam and stack values", () => {
  const tf = synthWith({ "configs/connectors/archive.yaml": ARCHIVE });
  const connector = byName(tf, "aws_mskconnect_connector", "ad-tech-dev-archive");
  const config = connector.connector_configuration as Record<string, string>;
  const role = byName(tf, "aws_iam_role", "ad-tech-dev-archive-connect");
  const policy = Object.values(tf.resource.aws_iam_role_policy).find((p) => String(p.role).includes("archive_role"))!;
  const statements = (parsePolicyJson(policy.policy as string) as { Statement: Resource[] }).Statement;
  const sid = (s: string) => statements.find((x) => x.Sid === s);

  it("its iam statements join its role's policy, stack values resolved to the artifact bucket", () => {
    expect(role).toBeTruthy();
    expect(sid("ArchiveWrite")).toEqual({
      Sid: "ArchiveWrite",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: [expect.stringMatching(/^arn:\$\{data\.aws_partition\.partition\.partition\}:s3:::\$\{aws_s3_bucket\.artifacts_[^}]+\.bucket\}\/archive\/\*$/)],
    });
    // A statement without sid is numbered by its position.
    expect(sid("Custom2")?.Resource).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\.artifacts_[^}]+\.arn\}$/)]);
  });

  it("it may read exactly the secret its config references, by ARN pattern", () => {
    expect(sid("ReferencedSecrets")?.Action).toEqual(["secretsmanager:GetSecretValue"]);
    expect(sid("ReferencedSecrets")?.Resource).toEqual([
      expect.stringMatching(/^arn:\$\{data\.aws_partition\.partition\.partition\}:secretsmanager:ap-southeast-2:\$\{data\.aws_caller_identity\.caller\.account_id\}:secret:ad-tech\/archive-\?{6}$/),
    ]);
  });

  it("config: stack values become references, secret references and template text reach MSK Connect literally", () => {
    expect(config["connection.url"]).toMatch(/^https:\/\/\$\{aws_opensearch_domain\.[^}]+\.endpoint\}$/);
    expect(config["region.hint"]).toBe("ap-southeast-2");
    // $${ and %%{ are Terraform's escapes: MSK Connect receives ${secretsmanager:...} and %{...}.
    expect(config["connection.username"]).toBe("$${secretsmanager:ad-tech/archive:username}");
    expect(config["connection.password"]).toBe("$${secretsmanager:ad-tech/archive:password}");
    expect(config["literal.template"]).toBe("%%{not-a-directive} and $ sign");
  });

  it("it runs on the worker configuration that declares the Secrets Manager config provider", () => {
    const [id] = /aws_mskconnect_worker_configuration\.([^.]+)\.arn/.exec(String(connector.worker_configuration.arn))!.slice(1);
    expect(tf.resource.aws_mskconnect_worker_configuration[id].properties_file_content).toMatch(/^config\.providers=secretsmanager$/m);
  });
});
