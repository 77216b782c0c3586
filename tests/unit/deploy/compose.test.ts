/**
 * The deployment files stay whole: the compose file runs two relays, Redis, PostgreSQL and a
 * reverse proxy, each with a healthcheck, wired to one another; the proxy balances over both relays
 * by their /readyz; the image is multi-stage, runs as a non-root user and checks /healthz.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RELAY_NODE_OPTIONS } from '../../../vite.relay.config.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
// js-yaml reads YAML 1.2 with merge keys, as Compose does.
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const Healthcheck = z.object({ test: z.array(z.string()).min(2), interval: z.string(), retries: z.number().int().positive() });
const Service = z.object({
  image: z.string().optional(),
  build: z.object({ context: z.string(), dockerfile: z.string() }).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  ports: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  healthcheck: Healthcheck,
});
const Compose = z.object({ services: z.record(z.string(), Service) });

describe('deployment files', () => {
  it("starts the relay with its node options from the npm script and the README's start lines, as the image does", () => {
    const started = `node ${RELAY_NODE_OPTIONS.join(' ')} `;
    expect(JSON.parse(read('package.json')).scripts.relay).toContain(`${started}out/relay/relay.js`);
    const readme = read('README.md');
    expect(readme).toContain(`${started}relay.js --data`);
    expect(readme).toContain(`ExecStart=/usr/bin/${started}/opt/tandem-relay/relay.js`);
  });

  const compose = Compose.parse(load(read('deploy/compose.yaml')));
  const { services } = compose;

  it('runs two relays built from deploy/Dockerfile, each reaching Redis and PostgreSQL by service name', () => {
    for (const name of ['relay1', 'relay2']) {
      const relay = services[name];
      expect(relay, name).toBeDefined();
      expect(relay!.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
      expect(relay!.environment!.TANDEM_RELAY_REDIS_URL).toBe('redis://redis:6379');
      expect(relay!.environment!.TANDEM_RELAY_POSTGRES_URL).toMatch(/^postgres:\/\/tandem:.*@postgres:5432\/tandem$/);
      expect(relay!.environment!.TANDEM_RELAY_KEY).toMatch(/^\$\{TANDEM_RELAY_KEY:\?/);
      expect(relay!.healthcheck.test.join(' ')).toContain('/healthz');
      expect(relay!.depends_on).toEqual({ redis: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } });
    }
  });

  it('has Redis, PostgreSQL and a proxy, every service with a healthcheck', () => {
    expect(Object.keys(services).sort()).toEqual(['postgres', 'proxy', 'redis', 'relay1', 'relay2']);
    expect(services.redis!.image).toMatch(/^redis:7/);
    expect(services.redis!.healthcheck.test).toContain('ping');
    expect(services.postgres!.image).toMatch(/^postgres:15/);
    expect(services.postgres!.healthcheck.test).toContain('pg_isready');
    expect(services.proxy!.image).toMatch(/^caddy:/);
    expect(services.proxy!.ports).toEqual(['8080:80']);
    expect(services.proxy!.volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
  });

  it('has the proxy balance WebSockets over both relays, sending newcomers only to ready ones', () => {
    const caddyfile = read('deploy/Caddyfile');
    expect(caddyfile).toMatch(/reverse_proxy relay1:4455 relay2:4455 \{/);
    expect(caddyfile).toMatch(/health_uri \/readyz/);
    expect(caddyfile).toMatch(/respond @internal 404/);
    expect(caddyfile).toMatch(/respond \/proxyz "ok" 200/);
    expect(services.proxy!.healthcheck.test.join(' ')).toContain('/proxyz');
  });

  it('builds a multi-stage image from the relay bundle that runs as a non-root user and checks /healthz', () => {
    const dockerfile = read('deploy/Dockerfile');
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^RUN npm run build:relay$/m);
    expect(JSON.parse(read('package.json')).scripts['build:relay']).toBeDefined();
    const user = /^USER (\S+)$/m.exec(dockerfile)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\\\n\s+CMD .*\/healthz/m);
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(entrypoint ?? 'null')).toEqual(['node', ...RELAY_NODE_OPTIONS, 'relay.js']);
    // The relay's threads run bundles of their own beside relay.js (vite.relay.config.ts).
    expect(dockerfile).toMatch(/^COPY --from=build \/src\/out\/relay\/\*\.js \.\/$/m);
  });
});
