# The Cluster SIS app image: one image for the app nodes and for the one-shot `migrate` / `seed` steps.
# Build: docker build -t cluster-sis:local .   (compose does this for you: docker compose build)

# --- build: compile TypeScript, then drop the dev dependencies -------------------------------------
FROM node:20.20.2-bookworm-slim AS build
# better-sqlite3 normally installs a prebuilt linux-x64 binary (@node-rs/argon2 always does); the compilers are the
# fallback for when a prebuilt one cannot be fetched, and they never reach the final image.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY seeds ./seeds
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: production dependencies, compiled code, views and static files -----------------------
FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production \
  PORT=3000
WORKDIR /app
# Owned by root and read-only to the app user: the running process cannot rewrite its own code.
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY views ./views
COPY public ./public
# Only the embedded default (no DATABASE_URL) writes here: the SQLite file.
RUN mkdir -p /app/data && chown node:node /app/data
# The image's `node` user, written as numbers so Kubernetes' runAsNonRoot can verify it is not root.
USER 1000:1000
EXPOSE 3000
# slim has no curl; node's own fetch probes liveness.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# node is PID 1, so SIGTERM from `docker stop` / Kubernetes reaches the app's graceful shutdown.
# The entry is dist/src/server.js because migrations/ and seeds/ compile beside src/.
CMD ["node", "dist/src/server.js"]
