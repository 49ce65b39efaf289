/**
 * IPv4 CIDR arithmetic used by config validation and by the Network construct, so both agree on
 * which subnets a VPC CIDR yields.
 */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const m = CIDR_PATTERN.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((address & mask) >>> 0 !== address) return undefined;
  return { network: address, prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  const a = cidr.network;
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${cidr.prefix}`;
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return ((a.network & mask) >>> 0) === ((b.network & mask) >>> 0);
}

/** AWS allows subnets from /16 down to /28. */
export const SMALLEST_SUBNET_PREFIX = 28;

/**
 * The largest AZ count the configuration supports (`network.az_count`: 2 or 3, what MSK and
 * OpenSearch zone awareness span). Subnet slots are carved for this many AZs whatever az_count is,
 * so changing az_count never moves an existing subnet.
 */
export const SUBNET_SLOT_AZS = 3;

export interface SubnetPlan {
  readonly publicCidrs: readonly string[];
  readonly privateCidrs: readonly string[];
}

/**
 * Splits a VPC CIDR into one public and one private subnet per AZ, deterministically and
 * independently of how many AZs are in use: the VPC is cut into the smallest power of two of
 * equal blocks that holds 2 × `slots` subnets; the public subnet of AZ i takes block i and the
 * private one block `slots` + i. Adding or removing an AZ (up to `slots`) therefore adds or
 * removes that AZ's two subnets and leaves every other subnet's CIDR as it was.
 * Throws when the blocks would be smaller than AWS's /28 minimum, or when azCount exceeds slots.
 */
export function planSubnets(vpcCidr: string, azCount: number, slots: number = SUBNET_SLOT_AZS): SubnetPlan {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new Error(`"${vpcCidr}" is not an IPv4 CIDR`);
  if (azCount > slots) throw new Error(`${azCount} AZs do not fit in ${slots} subnet slots per tier`);
  const newBits = Math.ceil(Math.log2(2 * slots));
  const prefix = vpc.prefix + newBits;
  if (prefix > SMALLEST_SUBNET_PREFIX) {
    throw new Error(
      `${vpcCidr} is too small: subnets are carved for ${slots} AZs (${2 * slots} subnets), each would be /${prefix}, ` +
        `AWS needs /${SMALLEST_SUBNET_PREFIX} or larger; use a VPC CIDR of /${SMALLEST_SUBNET_PREFIX - newBits} or larger`,
    );
  }
  const size = 2 ** (32 - prefix);
  const block = (i: number) => formatCidr({ network: (vpc.network + i * size) >>> 0, prefix });
  return {
    publicCidrs: Array.from({ length: azCount }, (_, i) => block(i)),
    privateCidrs: Array.from({ length: azCount }, (_, i) => block(slots + i)),
  };
}
