'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type TPutAwsTargetRequest,
  ZAwsTargetResponse,
  ZCheckAwsTargetResponse,
  ZListDeployTargetsResponse,
  ZPutAwsTargetRequest,
} from '@elasticdash/contracts/deployer/targets';
import { z } from 'zod';
import { api, isApiError } from '@/lib/api';

export const targetKeys = {
  list: (tenantId: string) => ['deploy-targets', tenantId] as const,
};

/**
 * The workspace's deploy targets (admins only; null for others, who get 403). The AWS secret half
 * is never in the answer: only the masked key id or the role ARN and the last check.
 */
export function useDeployTargets(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: targetKeys.list(tenantId),
    queryFn: async ({ signal }) => {
      try {
        return await api('/v1/deploy-targets', { schema: ZListDeployTargetsResponse, tenantId, signal });
      } catch (error) {
        if (isApiError(error, 403)) return null;
        throw error;
      }
    },
    enabled,
  });
}

/**
 * The AWS form's flat fields (`region`, `kind`, `credentials.roleArn`…) → the request body; issues
 * keep the request's paths (`credentials.roleArn`), which are also the field names, so browser and
 * server errors land on the same inputs.
 */
export const ZAwsTargetForm = z.preprocess((raw) => {
  const flat = (raw ?? {}) as Record<string, string | undefined>;
  const kind = flat.kind === 'access-key' ? 'access-key' : 'role';
  return {
    region: flat.region ?? '',
    credentials:
      kind === 'role'
        ? { kind, roleArn: flat['credentials.roleArn'] ?? '', externalId: flat['credentials.externalId'] ?? '' }
        : {
            kind,
            accessKeyId: flat['credentials.accessKeyId'] ?? '',
            secretAccessKey: flat['credentials.secretAccessKey'] ?? '',
          },
  };
}, ZPutAwsTargetRequest);

export function usePutAwsTarget(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TPutAwsTargetRequest) =>
      api('/v1/deploy-targets/aws', { method: 'PUT', body, tenantId, schema: ZAwsTargetResponse }),
    onSuccess: () => client.invalidateQueries({ queryKey: targetKeys.list(tenantId) }),
  });
}

export function useCheckAwsTarget(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api('/v1/deploy-targets/aws/check', { method: 'POST', tenantId, schema: ZCheckAwsTargetResponse }),
    onSettled: () => client.invalidateQueries({ queryKey: targetKeys.list(tenantId) }),
  });
}

export function useDeleteAwsTarget(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api('/v1/deploy-targets/aws', { method: 'DELETE', tenantId }),
    onSuccess: () => client.invalidateQueries({ queryKey: targetKeys.list(tenantId) }),
  });
}
