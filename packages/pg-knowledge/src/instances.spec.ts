import { describe, expect, it } from 'vitest';
import { describeInstanceType, INSTANCE_TYPES, instanceTypeFor, type TComputeRequest } from './instances.js';

const pick = (request: TComputeRequest, preference?: Parameters<typeof instanceTypeFor>[1]) =>
  instanceTypeFor(request, preference).instanceType?.name ?? null;

describe('instance catalog', () => {
  it('has unique names and sane sizes', () => {
    expect(new Set(INSTANCE_TYPES.map((t) => t.name)).size).toBe(INSTANCE_TYPES.length);
    expect(describeInstanceType('m6i.large')).toEqual({
      name: 'm6i.large',
      family: 'm6i',
      size: 'large',
      vcpu: 2,
      memoryGiB: 8,
      architecture: 'x86_64',
      purpose: 'general',
    });
    expect(describeInstanceType('r7g.16xlarge')).toMatchObject({ vcpu: 64, memoryGiB: 512, architecture: 'arm64' });
    expect(describeInstanceType('t4g.nano')).toMatchObject({ vcpu: 2, memoryGiB: 0.5, purpose: 'burstable' });
    expect(describeInstanceType('c6i.4xlarge')).toMatchObject({ vcpu: 16, memoryGiB: 32, purpose: 'compute' });
    expect(describeInstanceType(' M6I.Large ')?.name).toBe('m6i.large');
    expect(describeInstanceType('m9z.large')).toBeNull();
  });
});

describe('instanceTypeFor', () => {
  it.each<[TComputeRequest, string]>([
    // least memory first: t3.micro is the only x86 type with exactly 1 GiB
    [{ vcpu: 1, memoryGiB: 1, architecture: 'x86_64' }, 't3.micro'],
    [{ vcpu: 1, memoryGiB: 0.5, architecture: 'arm64' }, 't4g.nano'],
    // 2/8: m6i.large and t3.large tie → general before burstable
    [{ vcpu: 2, memoryGiB: 8, architecture: 'x86_64' }, 'm6i.large'],
    [{ vcpu: 2, memoryGiB: 8, architecture: 'arm64' }, 'm7g.large'],
    // 4/8: only compute has 4 vCPU with 8 GiB
    [{ vcpu: 4, memoryGiB: 8, architecture: 'x86_64' }, 'c6i.xlarge'],
    // 2/12: 16 GiB is the least memory; r6i.large (2 vCPU) beats m6i.xlarge (4 vCPU)
    [{ vcpu: 2, memoryGiB: 12, architecture: 'x86_64' }, 'r6i.large'],
    // 3/10: 16 GiB with 4 vCPU: m7g.xlarge and t4g.xlarge tie → general
    [{ vcpu: 3, memoryGiB: 10, architecture: 'arm64' }, 'm7g.xlarge'],
    [{ vcpu: 16, memoryGiB: 64, architecture: 'x86_64' }, 'm6i.4xlarge'],
    [{ vcpu: 96, memoryGiB: 100, architecture: 'x86_64' }, 'c6i.24xlarge'],
    [{ vcpu: 128, memoryGiB: 1024, architecture: 'x86_64' }, 'r6i.32xlarge'],
    [{ vcpu: 64, memoryGiB: 512, architecture: 'arm64' }, 'r7g.16xlarge'],
  ])('%j → %s', (request, expected) => {
    expect(pick(request)).toBe(expected);
  });

  it('a preference picks the smallest type of that purpose', () => {
    expect(pick({ vcpu: 2, memoryGiB: 8, architecture: 'x86_64' }, 'memory')).toBe('r6i.large');
    expect(pick({ vcpu: 2, memoryGiB: 8, architecture: 'x86_64' }, 'burstable')).toBe('t3.large');
    expect(pick({ vcpu: 2, memoryGiB: 8, architecture: 'arm64' }, 'burstable')).toBe('t4g.large');
    expect(pick({ vcpu: 1, memoryGiB: 1, architecture: 'x86_64' }, 'general')).toBe('m6i.large');
  });

  it('falls back to every purpose when the preferred one has nothing big enough', () => {
    expect(pick({ vcpu: 16, memoryGiB: 64, architecture: 'x86_64' }, 'burstable')).toBe('m6i.4xlarge');
  });

  it('returns null with a reason when nothing is big enough', () => {
    expect(instanceTypeFor({ vcpu: 128, memoryGiB: 1024, architecture: 'arm64' })).toEqual({
      instanceType: null,
      reason:
        'no arm64 instance type has 128 vCPU and 1024 GiB; the largest arm64 types offer up to 64 vCPU and 512 GiB',
    });
    expect(instanceTypeFor({ vcpu: 2, memoryGiB: 1000, architecture: 'x86_64' }).instanceType?.name).toBe(
      'r6i.32xlarge',
    );
  });
});
