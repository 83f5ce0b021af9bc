# syntax=docker/dockerfile:1
#
# One image recipe for every app in apps/. Pick the app with build args and the runtime with
# the target:
#
#   docker build --target service --build-arg APP=svc-auth --build-arg PORT=4010 -t elasticdash/svc-auth .
#   docker build --target web     --build-arg APP=web      --build-arg PORT=3000 -t elasticdash/web .
#
# `service` runs a NestJS app (`node dist/main.js`; the same image runs `node dist/migrate.js`),
# `web` runs Next.js (`next start`). docker-compose.yaml passes these args for each app, and
# tests/unit/compose.test.ts checks this file against apps/*/package.json and the compose file.

ARG NODE_IMAGE=node:20-bookworm-slim

# ── base: Node + the repo's pinned pnpm ──────────────────────────────────────────────────────
FROM ${NODE_IMAGE} AS base
# Must equal package.json "packageManager" (the unit test checks it). corepack cannot verify
# registry signatures on our machines, so pnpm comes from plain npm, as in scripts/lib/pnpm.mjs.
ARG PNPM_VERSION=10.34.9
RUN npm install -g pnpm@${PNPM_VERSION} && npm cache clean --force
ENV CI=true NEXT_TELEMETRY_DISABLED=1
WORKDIR /repo

# ── deps: download every package in the lockfile into pnpm's store ───────────────────────────
# `pnpm fetch` needs only the lockfile (no package.json of any app), so this layer is shared by
# every app and rebuilt only when pnpm-lock.yaml changes; adding an app needs no edit here.
FROM base AS deps
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
RUN pnpm fetch

# ── build: install from the store, build one app and its workspace deps, deploy it to /out ──
FROM deps AS build
COPY . .
RUN pnpm install --offline --frozen-lockfile
# Declared after the install so that layer stays shared between apps.
ARG APP
RUN test -n "$APP" && test -f "apps/$APP/package.json" \
    || { echo "build with --build-arg APP=<a directory of apps/>" >&2; exit 1; }
RUN pnpm exec turbo run build --filter="@elasticdash/${APP}..." --output-logs=errors-only
# pnpm 10 `deploy` needs inject-workspace-packages=true (which changes how the whole workspace
# links its packages and the lockfile) or --legacy; we use --legacy and leave the workspace as
# it is. It copies the app (package.json "files" / .npmignore / .gitignore rules; .gitignore is
# kept out of the build context, see .dockerignore) plus its production dependencies, workspace
# packages included with their dist/, into a self-contained /out.
RUN pnpm --filter="@elasticdash/${APP}" --prod deploy --legacy --offline /out \
    && rm -rf /out/.turbo /out/.next/cache
# deploy silently drops build output that an ignore file excludes: fail here, not at runtime.
RUN test -f /out/dist/main.js || test -f /out/.next/BUILD_ID \
    || { echo "pnpm deploy left no dist/main.js or .next/ in /out for ${APP}" >&2; exit 1; }

# ── service: a NestJS app (svc-*, gateway) ───────────────────────────────────────────────────
FROM ${NODE_IMAGE} AS service
ARG APP
ARG PORT
LABEL org.opencontainers.image.title="elasticdash-${APP}"
# PORT is only used by the HEALTHCHECK below; the app reads <APP>_PORT, whose default is the
# same number. docker-compose.yaml sets NODE_ENV=development because it uses the dev keys.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=${PORT}
WORKDIR /app
# Root-owned and read-only for the `node` user that runs the app.
COPY --from=build /out ./
USER node
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:' + process.env.PORT + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/main.js"]

# ── web: the Next.js app ─────────────────────────────────────────────────────────────────────
FROM ${NODE_IMAGE} AS web
ARG PORT=3000
LABEL org.opencontainers.image.title="elasticdash-web"
# `next start` listens on PORT. GATEWAY_URL is read at request time (apps/web/proxy.ts), so one
# image serves every environment.
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=${PORT}
WORKDIR /app
COPY --from=build /out ./
# Next writes its image/fetch cache under .next/cache at runtime.
RUN mkdir -p .next/cache && chown node:node .next/cache
USER node
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:' + process.env.PORT + '/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "node_modules/next/dist/bin/next", "start", "--hostname", "0.0.0.0"]
