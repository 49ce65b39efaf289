/**
 * Firehose's rules for the S3 key prefixes of a delivery stream (`Prefix` and `ErrorOutputPrefix`
 * of ExtendedS3DestinationConfiguration), shared by the archive schema and the FirehoseArchive
 * construct.
 *
 * From "Custom Prefixes for Amazon S3 Objects" (awsdocs/amazon-kinesis-data-firehose-developer-guide,
 * doc_source/s3-prefixes.md, "Semantic rules"):
 * - expressions are `!{namespace:value}` with namespace `timestamp` (a Java DateTimeFormatter
 *   pattern) or `firehose` (`random-string`, `error-output-type`); `!{` appears nowhere else;
 * - ErrorOutputPrefix can be null only if Prefix contains no expressions;
 * - an ErrorOutputPrefix with expressions includes `!{firehose:error-output-type}`;
 * - Prefix cannot contain `!{firehose:error-output-type}`;
 * - neither is longer than 512 characters once evaluated (and hashicorp/terraform-provider-aws
 *   internal/service/firehose/delivery_stream.go refuses an error_output_prefix over 1024).
 *
 * Besides Firehose's rules, the part before the first expression (the literal prefix) must be
 * non-empty: it is what the delivery role's S3 permissions are scoped to (`<bucket>/<literal>*`).
 */

/**
 * compression_format values of an S3 destination (hashicorp/terraform-provider-aws
 * internal/service/firehose/delivery_stream.go `enum.Validate[types.CompressionFormat]`;
 * aws-sdk-go-v2 service/firehose/types: UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY).
 */
export const FIREHOSE_COMPRESSION_FORMATS = ["UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY"] as const;
export type FirehoseCompression = (typeof FIREHOSE_COMPRESSION_FORMATS)[number];

/** Longest prefix accepted here (Firehose's limit on the evaluated prefix). */
export const FIREHOSE_PREFIX_MAX = 512;

const EXPRESSION = /!\{([a-z]+):([^}]*)\}/g;

/** Characters of the literal parts: S3's "safe" key characters (letters, digits, ! - _ . * ' ( ) and /), and `=` for key=value partitions. */
const LITERAL = /^[A-Za-z0-9!_.*'()=/-]*$/;

/** The part of a prefix before its first expression (what IAM permissions can name). */
export function literalPrefix(prefix: string): string {
  const at = prefix.indexOf("!{");
  return at < 0 ? prefix : prefix.slice(0, at);
}

/** Whether a prefix uses any `!{...}` expression. */
export function hasExpressions(prefix: string): boolean {
  return prefix.includes("!{");
}

/** What is wrong with `prefix` as the given kind of prefix; empty when Firehose accepts it. */
export function firehosePrefixProblems(prefix: string, kind: "prefix" | "error_output_prefix"): string[] {
  const problems: string[] = [];
  if (prefix.length > FIREHOSE_PREFIX_MAX) problems.push(`at most ${FIREHOSE_PREFIX_MAX} characters, not ${prefix.length}`);
  if (literalPrefix(prefix) === "") problems.push("a literal part before the first !{...} expression (the delivery role may write only under it)");
  if (prefix.startsWith("/")) problems.push("no leading '/' (S3 keys do not start with one)");
  const literal = prefix.replace(EXPRESSION, "");
  if (literal.includes("!{")) problems.push("expressions of the form !{timestamp:<pattern>} or !{firehose:<value>}, each closed with '}'");
  else if (!LITERAL.test(literal)) problems.push("only letters, digits and ! - _ . * ' ( ) = / outside expressions");
  let errorType = false;
  for (const [, namespace, value] of prefix.matchAll(EXPRESSION)) {
    if (namespace === "timestamp") {
      if (value === "") problems.push("a DateTimeFormatter pattern in !{timestamp:...}");
    } else if (namespace === "firehose") {
      if (value === "error-output-type") errorType = true;
      else if (value !== "random-string") problems.push(`!{firehose:random-string} or !{firehose:error-output-type}, not !{firehose:${value}}`);
    } else {
      problems.push(`the timestamp or firehose namespace, not !{${namespace}:...}`);
    }
  }
  if (kind === "prefix" && errorType) problems.push("no !{firehose:error-output-type} (Firehose allows it in error_output_prefix only)");
  if (kind === "error_output_prefix" && hasExpressions(prefix) && !errorType) problems.push("!{firehose:error-output-type} (Firehose requires it in an error_output_prefix with expressions)");
  return problems;
}
