/** The one syntax for stack values and secret references in connector and processor files. */
import { escapeTerraformText, isOnlySecretReference, parseTemplate, resolveTemplate, secretsReferenced, type StackValues } from "../../modules/config/stack-values";

const VALUES = { region: "eu-west-1", artifact_bucket: "${aws_s3_bucket.a.bucket}" } as unknown as StackValues;

describe("stack values", () => {
  it("escapes Terraform's own template markers in literal text", () => {
    expect(escapeTerraformText("a ${b} %{c} $d")).toBe("a $${b} %%{c} $d");
  });

  it("resolves stack values (tokens stay tokens) and keeps secret references for the config provider", () => {
    expect(resolveTemplate("s3://${stack:artifact_bucket}/x %{y}", VALUES)).toBe("s3://${aws_s3_bucket.a.bucket}/x %%{y}");
    expect(resolveTemplate("${secretsmanager:db/creds:password}", VALUES)).toBe("$${secretsmanager:db/creds:password}");
    expect(secretsReferenced("u=${secretsmanager:a:u} p=${secretsmanager:b:p}")).toEqual(["a", "b"]);
    expect(isOnlySecretReference("${secretsmanager:a:u}")).toBe(true);
    expect(isOnlySecretReference("x${secretsmanager:a:u}")).toBe(false);
  });

  it("refuses every other reference, saying what it expected", () => {
    expect(parseTemplate("${env:HOME}").problems).toEqual([{ expected: "${stack:<name>} or ${secretsmanager:<secret>:<key>}", found: '"${env:HOME}"' }]);
    expect(parseTemplate("${stack:nope}").problems[0]?.expected).toMatch(/^a stack value \(name_prefix, region/);
    expect(parseTemplate("${secretsmanager:bad name:k}").problems[0]?.expected).toMatch(/secret name/);
    expect(() => resolveTemplate("${file:/etc/passwd:x}", VALUES)).toThrow(/unresolvable reference/);
  });
});
