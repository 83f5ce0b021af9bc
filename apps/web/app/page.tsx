import Link from 'next/link';
import { ArrowRight, BarChart3, Database, Mail, Rocket, ShieldCheck, Table2, Users } from 'lucide-react';
import { HeaderAuthLinks } from '@/components/auth/header-auth-links';
import { Logo } from '@/components/logo';
import { ThemeMenu } from '@/components/theme/theme-menu';
import { Button } from '@/components/ui/button';
import { SITE } from '@/lib/site';

const FEATURES = [
  {
    icon: Table2,
    title: 'Your data, without SQL',
    body: 'Connect an existing PostgreSQL database and browse, filter, sort and edit its rows in a spreadsheet-like grid. Only connection details are stored; passwords live in a secret store.',
  },
  {
    icon: Rocket,
    title: 'PostgreSQL in one click',
    body: 'Drag a PostgreSQL node onto a canvas, pick size, disk, version and backups, and deploy. Memory, connections and WAL settings are tuned for the machine, with best practices applied.',
  },
  {
    icon: BarChart3,
    title: 'Dashboards from your CSVs',
    body: 'Upload a CSV straight from the browser, watch it ingest live, then chart it. Share dashboards with your team in the same workspace.',
  },
] as const;

export default function LandingPage() {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-30 border-b border-border bg-surface/95 backdrop-blur">
        <div className="mx-auto flex h-16 max-w-6xl items-center gap-2 px-4 sm:px-6">
          <Link href="/" aria-label="ElasticDash home" className="rounded-md">
            <Logo />
          </Link>
          <nav aria-label="Sections" className="ml-6 hidden items-center gap-1 md:flex">
            <Button asChild variant="ghost" size="sm">
              <a href="#features">Product</a>
            </Button>
            <Button asChild variant="ghost" size="sm">
              <a href="#about">About</a>
            </Button>
            <Button asChild variant="ghost" size="sm">
              <a href="#contact">Contact</a>
            </Button>
          </nav>
          <div className="ml-auto flex items-center gap-1 sm:gap-2">
            <ThemeMenu persistToServer={false} />
            <HeaderAuthLinks />
          </div>
        </div>
      </header>

      <main id="main" className="flex-1">
        <section className="mx-auto max-w-6xl px-4 pt-16 pb-20 sm:px-6 sm:pt-24">
          <p className="inline-flex items-center gap-2 rounded-full bg-accent-soft px-3 py-1 text-sm font-medium text-accent-text">
            <Database className="size-4" aria-hidden /> One workspace for your PostgreSQL data
          </p>
          <h1 className="mt-6 max-w-3xl text-4xl font-semibold tracking-tight text-fg sm:text-5xl">
            Work with your data. Skip the SQL and the ops.
          </h1>
          <p className="mt-6 max-w-2xl text-lg text-fg-muted">
            ElasticDash lets your whole team read and edit databases, deploy tuned PostgreSQL servers and turn CSV files
            into dashboards — from the browser, with roles and workspaces built in.
          </p>
          <div className="mt-10 flex flex-wrap gap-3">
            <Button asChild size="lg">
              <Link href="/signup">
                Get started free <ArrowRight aria-hidden />
              </Link>
            </Button>
            <Button asChild size="lg" variant="outline">
              <Link href="/login">Log in</Link>
            </Button>
          </div>
        </section>

        <section id="features" aria-labelledby="features-title" className="border-y border-border bg-surface">
          <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
            <h2 id="features-title" className="text-2xl font-semibold tracking-tight text-fg">
              What ElasticDash offers
            </h2>
            <ul className="mt-10 grid gap-6 md:grid-cols-3">
              {FEATURES.map(({ icon: Icon, title, body }) => (
                <li key={title} className="rounded-lg border border-border bg-bg p-6">
                  <div className="flex size-10 items-center justify-center rounded-md bg-accent-soft text-accent-text">
                    <Icon className="size-5" aria-hidden />
                  </div>
                  <h3 className="mt-4 text-lg font-semibold text-fg">{title}</h3>
                  <p className="mt-2 text-sm leading-6 text-fg-muted">{body}</p>
                </li>
              ))}
            </ul>
          </div>
        </section>

        <section id="about" aria-labelledby="about-title" className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
          <div className="grid gap-10 md:grid-cols-2">
            <div>
              <h2 id="about-title" className="text-2xl font-semibold tracking-tight text-fg">
                About ElasticDash
              </h2>
              <p className="mt-4 text-fg-muted">
                We build ElasticDash for teams whose data lives in PostgreSQL but whose people do not all write SQL.
                Analysts, operations and support get a safe, familiar grid; engineers keep a real database they can
                reach with any tool.
              </p>
            </div>
            <ul className="grid gap-4 text-sm">
              <li className="flex gap-3">
                <Users className="mt-0.5 size-5 shrink-0 text-accent-text" aria-hidden />
                <span className="text-fg-muted">
                  <strong className="font-medium text-fg">Workspaces and roles.</strong> Invite teammates as viewers,
                  editors or admins; each workspace is isolated.
                </span>
              </li>
              <li className="flex gap-3">
                <ShieldCheck className="mt-0.5 size-5 shrink-0 text-accent-text" aria-hidden />
                <span className="text-fg-muted">
                  <strong className="font-medium text-fg">Secure by default.</strong> Secrets never sit in our tables,
                  every change is audited, and sessions can be revoked from any device.
                </span>
              </li>
            </ul>
          </div>
        </section>

        <section id="contact" aria-labelledby="contact-title" className="border-t border-border bg-surface">
          <div className="mx-auto flex max-w-6xl flex-col items-start gap-4 px-4 py-16 sm:px-6 md:flex-row md:items-center md:justify-between">
            <div>
              <h2 id="contact-title" className="text-2xl font-semibold tracking-tight text-fg">
                Contact us
              </h2>
              <p className="mt-2 text-fg-muted">Questions, a demo, or help moving your data? We answer within a day.</p>
            </div>
            <Button asChild variant="outline" size="lg">
              <a href={`mailto:${SITE.contactEmail}`}>
                <Mail aria-hidden /> {SITE.contactEmail}
              </a>
            </Button>
          </div>
        </section>
      </main>

      <footer className="border-t border-border">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-6 text-sm text-fg-muted sm:px-6">
          <span>© {new Date().getFullYear()} ElasticDash</span>
          <span>PostgreSQL made approachable.</span>
        </div>
      </footer>
    </div>
  );
}
