# syntax=docker/dockerfile:1
# The bot in a container: built with the dev dependencies, run with the production ones only, as a
# non-root user. See README, "Deploy". The test tests/deploy/production-install.test.ts follows
# this file's COPY and RUN steps in a scratch folder, so keep them simple (one COPY source list
# and destination per line, RUN commands that work in any shell).

# ── build: compile TypeScript, then drop the dev dependencies ──────────────────────────────────
FROM node:20-bookworm-slim AS build
WORKDIR /app
# .npmrc keeps onnxruntime-node from downloading CUDA binaries at install time.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# ── run: the compiled program and its production dependencies ─────────────────────────────────
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    MODEL_CACHE_DIR=/app/.cache/models \
    EMBEDDINGS_DIR=/app/embeddings \
    FEEDBACK_PATH=/app/data/feedback.jsonl
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY scripts ./scripts
COPY articles ./articles
# The node image's unprivileged user owns only what the bot writes: the model cache, the passage
# vectors and the feedback file, each a volume so that they outlive the container.
RUN mkdir -p .cache/models embeddings data && chown -R node:node .cache embeddings data
USER node
VOLUME ["/app/.cache/models", "/app/embeddings", "/app/data"]
# With METRICS_PORT set, healthy means /healthz answers 200; without it the check always passes.
# The start period covers the first start, which downloads the model and embeds the article.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
# Plain node (no npm in between), so SIGTERM reaches the bot and it disconnects cleanly.
CMD ["node", "--enable-source-maps", "dist/main.js"]
