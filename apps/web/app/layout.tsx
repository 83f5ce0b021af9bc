import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { GeistSans } from 'geist/font/sans';
import { Providers } from '@/components/providers';
import { THEME_SCRIPT } from '@/lib/theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'ElasticDash', template: '%s · ElasticDash' },
  description:
    'ElasticDash: browse and edit your PostgreSQL data without SQL, deploy PostgreSQL in one click with best practices applied, and build dashboards from your CSVs.',
  applicationName: 'ElasticDash',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f8fafc' },
    { media: '(prefers-color-scheme: dark)', color: '#0b1020' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // data-theme / data-scheme are defaults for the HTML; the inline script replaces them from
    // localStorage before first paint, so React must accept the DOM's values on hydration.
    <html lang="en" data-theme="light" data-scheme="indigo" className={GeistSans.variable} suppressHydrationWarning>
      <head>
        <script id="ed-theme" dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <a
          href="#main"
          className="sr-only z-[200] rounded-md bg-accent px-3 py-2 text-accent-fg focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
        >
          Skip to content
        </a>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
