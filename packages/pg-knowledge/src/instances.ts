import type { TArchitecture } from '@elasticdash/contracts/plans/cs-json';

/*
 * A realistic subset of AWS EC2 instance types for PostgreSQL hosts. vCPU and memory as AWS
 * publishes them (memory in GiB). Pure data: no pricing, no regional availability.
 */

export const INSTANCE_PURPOSES = ['general', 'burstable', 'compute', 'memory'] as const;
export type TInstancePurpose = (typeof INSTANCE_PURPOSES)[number];
export type TInstancePreference = TInstancePurpose;

export interface TInstanceType {
  /** e.g. `m6i.large` */
  name: string;
  /** e.g. `m6i` */
  family: string;
  /** e.g. `large` */
  size: string;
  vcpu: number;
  memoryGiB: number;
  architecture: TArchitecture;
  purpose: TInstancePurpose;
}

interface TFamily {
  family: string;
  architecture: TArchitecture;
  purpose: TInstancePurpose;
  /** size → [vCPU, memory GiB] */
  sizes: readonly (readonly [string, number, number])[];
}

const BURSTABLE_SIZES = [
  ['nano', 2, 0.5],
  ['micro', 2, 1],
  ['small', 2, 2],
  ['medium', 2, 4],
  ['large', 2, 8],
  ['xlarge', 4, 16],
  ['2xlarge', 8, 32],
] as const;

/** ratio = GiB per vCPU: general 4, compute 2, memory 8. */
function standardSizes(ratio: number, sizes: readonly string[]): [string, number, number][] {
  const vcpus: Record<string, number> = {
    large: 2,
    xlarge: 4,
    '2xlarge': 8,
    '4xlarge': 16,
    '8xlarge': 32,
    '12xlarge': 48,
    '16xlarge': 64,
    '24xlarge': 96,
    '32xlarge': 128,
  };
  return sizes.map((size) => {
    const vcpu = vcpus[size]!;
    return [size, vcpu, vcpu * ratio];
  });
}

const X86_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge'];
const GRAVITON3_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];

const FAMILIES: readonly TFamily[] = [
  { family: 't3', architecture: 'x86_64', purpose: 'burstable', sizes: BURSTABLE_SIZES },
  { family: 't4g', architecture: 'arm64', purpose: 'burstable', sizes: BURSTABLE_SIZES },
  { family: 'm6i', architecture: 'x86_64', purpose: 'general', sizes: standardSizes(4, X86_SIZES) },
  { family: 'm7g', architecture: 'arm64', purpose: 'general', sizes: standardSizes(4, GRAVITON3_SIZES) },
  { family: 'c6i', architecture: 'x86_64', purpose: 'compute', sizes: standardSizes(2, X86_SIZES) },
  { family: 'c7g', architecture: 'arm64', purpose: 'compute', sizes: standardSizes(2, GRAVITON3_SIZES) },
  { family: 'r6i', architecture: 'x86_64', purpose: 'memory', sizes: standardSizes(8, X86_SIZES) },
  { family: 'r7g', architecture: 'arm64', purpose: 'memory', sizes: standardSizes(8, GRAVITON3_SIZES) },
];

export const INSTANCE_TYPES: readonly TInstanceType[] = FAMILIES.flatMap((f) =>
  f.sizes.map(([size, vcpu, memoryGiB]) => ({
    name: `${f.family}.${size}`,
    family: f.family,
    size,
    vcpu,
    memoryGiB,
    architecture: f.architecture,
    purpose: f.purpose,
  })),
);

const BY_NAME = new Map(INSTANCE_TYPES.map((t) => [t.name, t]));

/** The catalog entry for an instance type name, or null when it is not in the catalog. */
export function describeInstanceType(name: string): TInstanceType | null {
  return BY_NAME.get(name.trim().toLowerCase()) ?? null;
}

export interface TComputeRequest {
  vcpu: number;
  memoryGiB: number;
  architecture: TArchitecture;
}

export type TInstanceMatch = { instanceType: TInstanceType; reason: null } | { instanceType: null; reason: string };

/** Tie-break order of purposes when no preference is given (or as the fallback order). */
const DEFAULT_PURPOSE_ORDER: readonly TInstancePurpose[] = ['general', 'burstable', 'compute', 'memory'];

function bySize(order: readonly TInstancePurpose[]) {
  return (a: TInstanceType, b: TInstanceType) =>
    a.memoryGiB - b.memoryGiB || a.vcpu - b.vcpu || order.indexOf(a.purpose) - order.indexOf(b.purpose);
}

/**
 * The smallest catalog type of the right architecture with at least `vcpu` and `memoryGiB`.
 *
 * "Smallest" = least memory, then fewest vCPU (memory drives both price and PostgreSQL sizing).
 * Tie-breaks between purposes with the same size: general, burstable, compute, memory.
 * With a `preference`, only that purpose's types are considered first; when none of them is big
 * enough, the search falls back to every purpose. Null with a reason when nothing fits.
 */
export function instanceTypeFor(request: TComputeRequest, preference?: TInstancePreference): TInstanceMatch {
  const sameArch = INSTANCE_TYPES.filter((t) => t.architecture === request.architecture);
  const fits = sameArch.filter((t) => t.vcpu >= request.vcpu && t.memoryGiB >= request.memoryGiB);
  const preferred = preference ? fits.filter((t) => t.purpose === preference) : [];
  const pool = preferred.length > 0 ? preferred : fits;
  const best = [...pool].sort(bySize(DEFAULT_PURPOSE_ORDER))[0];
  if (best) return { instanceType: best, reason: null };
  const maxVcpu = Math.max(...sameArch.map((t) => t.vcpu));
  const maxMemory = Math.max(...sameArch.map((t) => t.memoryGiB));
  return {
    instanceType: null,
    reason: `no ${request.architecture} instance type has ${request.vcpu} vCPU and ${request.memoryGiB} GiB; the largest ${request.architecture} types offer up to ${maxVcpu} vCPU and ${maxMemory} GiB`,
  };
}
