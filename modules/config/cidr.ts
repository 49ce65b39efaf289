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

export interface SubnetPlan {
  readonly publicCidrs: readonly string[];
  readonly privateCidrs: readonly string[];
}

/**
 * Splits a VPC CIDR into one public and one private subnet per AZ, deterministically: the VPC is
 * cut into the smallest power of two of equal blocks that holds 2 × azCount subnets; public
 * subnets take blocks 0..n-1 and private subnets blocks n..2n-1, in AZ order.
 * Throws when the blocks would be smaller than AWS's /28 minimum.
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new Error(`"${vpcCidr}" is not an IPv4 CIDR`);
  const newBits = Math.ceil(Math.log2(2 * azCount));
  const prefix = vpc.prefix + newBits;
  if (prefix > SMALLEST_SUBNET_PREFIX) {
    throw new Error(
      `${vpcCidr} is too small for ${azCount} AZs: ${2 * azCount} subnets would each be /${prefix}, ` +
        `AWS needs /${SMALLEST_SUBNET_PREFIX} or larger; use a VPC CIDR of /${SMALLEST_SUBNET_PREFIX - newBits} or larger`,
    );
  }
  const size = 2 ** (32 - prefix);
  const block = (i: number) => formatCidr({ network: (vpc.network + i * size) >>> 0, prefix });
  return {
    publicCidrs: Array.from({ length: azCount }, (_, i) => block(i)),
    privateCidrs: Array.from({ length: azCount }, (_, i) => block(azCount + i)),
  };
}
