'use client';

import { useMemo } from 'react';
import type { TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import { tuningFor } from '@elasticdash/pg-knowledge/tuning-preview';
import { Badge } from '@/components/ui/badge';

/** pgtune's settings for the chosen size and workload, with the overrides on top (marked). */
export function TunedSettings({ component }: { component: TPostgresComponent | null }) {
  const preview = useMemo(() => (component ? tuningFor(component) : null), [component]);
  if (!preview) {
    return (
      <p className="text-xs text-fg-muted" data-testid="tuned-settings-unavailable">
        Fix the errors above to preview the tuned settings.
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <div className="relative overflow-x-auto rounded-md border border-border">
        <table className="w-full text-xs" data-testid="tuned-settings">
          <caption className="sr-only">postgresql.conf settings for this size and workload</caption>
          <thead className="bg-muted/60 text-left text-fg-muted">
            <tr>
              <th scope="col" className="px-2 py-1.5 font-medium">
                Setting
              </th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                Value
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.entries.map((entry) => (
              <tr
                key={entry.name}
                className="border-t border-border"
                data-setting={entry.name}
                data-source={entry.source}
              >
                <th scope="row" className="px-2 py-1 text-left font-mono font-normal break-all text-fg">
                  {entry.name}
                </th>
                <td className="px-2 py-1 font-mono break-all text-fg">
                  <span className="inline-flex flex-wrap items-center gap-1.5">
                    {entry.value}
                    {entry.source === 'override' ? (
                      <Badge variant="accent" className="font-sans">
                        override
                      </Badge>
                    ) : null}
                  </span>
                  {entry.tunedValue !== undefined ? (
                    <span className="block font-sans text-fg-muted">tuned: {entry.tunedValue}</span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.warnings.map((warning) => (
        <p key={warning} className="text-xs text-warning-text">
          {warning}
        </p>
      ))}
    </div>
  );
}
