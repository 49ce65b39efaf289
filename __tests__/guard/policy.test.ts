// The guard's one policy reader: JSON strings in which Terraform interpolations stand inside string values.
import { describe, expect, test } from "vitest";
import { parsePolicyJson, readPolicy } from "../../modules/guard/policy";

describe("parsePolicyJson", () => {
  test("an interpolation with quotes and braces of its own stays one string value", () => {
    const policy = '{"Statement":[{"Resource":["${replace(aws_msk_cluster.k.arn, ":cluster/", ":topic/")}/t","${lookup({a = "}"}, "a")}"]}]}';
    expect(parsePolicyJson(policy)).toEqual({
      Statement: [{ Resource: ['${replace(aws_msk_cluster.k.arn, ":cluster/", ":topic/")}/t', '${lookup({a = "}"}, "a")}'] }],
    });
  });

  test("a template nested in an HCL string, and Terraform's $${ escape, are kept as written", () => {
    const policy = '{"Sid":"${format("%s", "${var.x}")}","Note":"$${literal}"}';
    expect(parsePolicyJson(policy)).toEqual({ Sid: '${format("%s", "${var.x}")}', Note: "$${literal}" });
  });

  test("an interpolation that is not closed is not JSON", () => {
    expect(() => parsePolicyJson('{"Resource":"${replace(x, "a", "b")"}')).toThrow(SyntaxError);
  });
});

describe("readPolicy", () => {
  test("reads statements whose values are interpolations", () => {
    const read = readPolicy('{"Statement":[{"Sid":"S","Effect":"Allow","Action":"kafka-cluster:ReadData","Resource":"${replace(a, ":cluster/", ":topic/")}/t"}]}');
    expect(read).toMatchObject({ ok: true, statements: [{ label: 'statement 1 (Sid "S")', actions: ["kafka-cluster:ReadData"], resources: ['${replace(a, ":cluster/", ":topic/")}/t'] }] });
  });

  test.each(["${data.aws_iam_policy_document.d.json}", "${jsonencode(local.p)}", "${var.policy}"])("fails closed on %s", (value) => {
    expect(readPolicy(value)).toEqual({ ok: false, error: `policy ${JSON.stringify(value)} cannot be analysed (write it as a JSON string)` });
  });
});
