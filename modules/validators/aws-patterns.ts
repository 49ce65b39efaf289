/**
 * Patterns of AWS identifiers that the loader, the constructs and the bootstrap plan all check,
 * kept in one place so they cannot drift apart.
 */

/** An AWS region: `ap-southeast-2`, `us-gov-west-1`, `us-isob-east-1`. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** An availability zone name: a region followed by one letter (`ap-southeast-2a`). */
export const AWS_AZ_NAME_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/;

export function isAwsRegion(value: string): boolean {
  return AWS_REGION_PATTERN.test(value);
}

/** An RFC 3339 date-time with a zone (Z or ±hh:mm), as Terraform's validation.IsRFC3339Time accepts. */
export const RFC3339_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
