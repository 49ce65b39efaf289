/**
 * S3's general purpose bucket naming rules, shared by the configuration schema (an existing
 * bucket named in YAML) and the constructs (a bucket the stack creates).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */

/** Longest bucket name S3 accepts. */
export const S3_BUCKET_NAME_MAX = 63;

/** What is wrong with a bucket name, or undefined when S3 accepts it. */
export function s3BucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > S3_BUCKET_NAME_MAX) return `3 to ${S3_BUCKET_NAME_MAX} characters, not ${name.length}`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return "lowercase letters, digits, '.' and '-', starting and ending with a letter or digit";
  if (name.includes("..")) return "no two adjacent periods";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "not formatted as an IP address";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return "no reserved prefix (xn--, sthree-, amzn-s3-demo-)";
  if (/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name)) return "no reserved suffix (-s3alias, --ol-s3, --x-s3, --table-s3)";
  return undefined;
}
