'use client';

import dynamic from 'next/dynamic';
import type { TChartData } from '@/lib/datasets/panel-query';
import { Skeleton } from '@/components/ui/skeleton';

export interface TChartSpec {
  type: 'line' | 'bar' | 'area' | 'pie';
  data: TChartData;
  /** Display labels of the x values (same order as data.xs). */
  labels: string[];
  /** Sparkline style: no axes, legend or labels. */
  compact?: boolean;
}

/** ECharts is loaded in the browser only, in its own chunk, when a chart is first shown. */
export const Chart = dynamic(() => import('./echarts-view'), {
  ssr: false,
  loading: () => <Skeleton className="h-full w-full" />,
});
