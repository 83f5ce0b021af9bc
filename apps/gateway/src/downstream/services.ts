import type { TServiceName } from '@elasticdash/contracts/platform/routes';
import type { TGatewayEnv } from '../env.js';

export interface DownstreamService {
  name: TServiceName;
  /** Token audience and display name, e.g. `svc-tenants`. */
  audience: string;
  baseUrl: string;
}

export function downstreamServices(env: TGatewayEnv): Record<TServiceName, DownstreamService> {
  return {
    auth: { name: 'auth', audience: 'svc-auth', baseUrl: env.SVC_AUTH_URL.replace(/\/$/, '') },
    tenants: { name: 'tenants', audience: 'svc-tenants', baseUrl: env.SVC_TENANTS_URL.replace(/\/$/, '') },
    plans: { name: 'plans', audience: 'svc-plans', baseUrl: env.SVC_PLANS_URL.replace(/\/$/, '') },
    datasets: { name: 'datasets', audience: 'svc-datasets', baseUrl: env.SVC_DATASETS_URL.replace(/\/$/, '') },
    realtime: { name: 'realtime', audience: 'svc-realtime', baseUrl: env.SVC_REALTIME_URL.replace(/\/$/, '') },
    deployer: { name: 'deployer', audience: 'svc-deployer', baseUrl: env.SVC_DEPLOYER_URL.replace(/\/$/, '') },
    connections: {
      name: 'connections',
      audience: 'svc-connections',
      baseUrl: env.SVC_CONNECTIONS_URL.replace(/\/$/, ''),
    },
  };
}
