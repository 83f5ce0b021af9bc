'use client';

import { useEffect, useRef } from 'react';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { TChartSpec } from './chart';

// Only what the panels draw: line/area, bar, pie, with grid, tooltip and legend, on canvas.
use([LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type TOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
>;

interface TPalette {
  text: string;
  muted: string;
  border: string;
  colors: string[];
}

const SERIES_COLORS = ['#10b981', '#f59e0b', '#ef4444', '#06b6d4', '#a855f7', '#84cc16', '#ec4899', '#64748b'];

/** Colours from the theme's CSS variables, so charts follow light/dark and the accent. */
function readPalette(): TPalette {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const accent = read('--accent', SERIES_COLORS[0] ?? '#6366f1');
  return {
    text: read('--fg', '#0f172a'),
    muted: read('--fg-muted', '#475569'),
    border: read('--border', '#e2e8f0'),
    colors: [accent, ...SERIES_COLORS.filter((color) => color.toLowerCase() !== accent.toLowerCase())],
  };
}

function buildOption(spec: TChartSpec, palette: TPalette): TOption {
  const { data, labels } = spec;
  const many = data.series.length > 1;
  const textStyle = { color: palette.muted };
  if (spec.type === 'pie') {
    const first = data.series[0];
    return {
      color: palette.colors,
      tooltip: { trigger: 'item', valueFormatter: (value) => String(value ?? '—') },
      legend: spec.compact ? undefined : { type: 'scroll', bottom: 0, textStyle },
      series: [
        {
          type: 'pie',
          radius: ['35%', '70%'],
          center: ['50%', spec.compact ? '50%' : '45%'],
          label: { color: palette.text, show: !spec.compact },
          data: labels.map((label, index) => ({ name: label, value: first?.values[index] ?? 0 })),
        },
      ],
      animation: false,
    };
  }
  const seriesType = spec.type === 'bar' ? 'bar' : 'line';
  return {
    color: palette.colors,
    animation: false,
    tooltip: { trigger: 'axis', confine: true },
    legend: many && !spec.compact ? { type: 'scroll', bottom: 0, textStyle } : undefined,
    grid: spec.compact
      ? { left: 4, right: 4, top: 6, bottom: 4, containLabel: false }
      : { left: 8, right: 16, top: 16, bottom: many ? 36 : 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: labels,
      show: !spec.compact,
      axisLabel: { color: palette.muted, hideOverlap: true },
      axisLine: { lineStyle: { color: palette.border } },
    },
    yAxis: {
      type: 'value',
      show: !spec.compact,
      axisLabel: { color: palette.muted },
      splitLine: { lineStyle: { color: palette.border } },
    },
    series: data.series.map((series) =>
      seriesType === 'bar'
        ? ({
            type: 'bar',
            name: series.name,
            data: series.values,
            stack: many ? 'total' : undefined,
          } satisfies BarSeriesOption)
        : ({
            type: 'line',
            name: series.name,
            data: series.values,
            showSymbol: labels.length <= 40,
            connectNulls: false,
            areaStyle: spec.type === 'area' ? { opacity: 0.25 } : undefined,
            stack: spec.type === 'area' && many ? 'total' : undefined,
          } satisfies LineSeriesOption),
    ),
  };
}

/** One ECharts instance on a canvas that follows its box size and the theme. Client only. */
export default function EChartsView({ spec, label }: { spec: TChartSpec; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const specRef = useRef(spec);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const instance = init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.setOption(buildOption(specRef.current, readPalette()), { notMerge: true });
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(element);
    // Theme or accent changed: redraw with the new colours.
    const theme = new MutationObserver(() =>
      instance.setOption(buildOption(specRef.current, readPalette()), { notMerge: true }),
    );
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'data-scheme'] });
    return () => {
      resize.disconnect();
      theme.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (specRef.current === spec) return;
    specRef.current = spec;
    chart.current?.setOption(buildOption(spec, readPalette()), { notMerge: true });
  }, [spec]);

  return <div ref={ref} role="img" aria-label={label} className="h-full min-h-0 w-full" data-testid="chart-canvas" />;
}
