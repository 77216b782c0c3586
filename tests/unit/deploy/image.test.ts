/**
 * The relay image builds and starts: where a Docker daemon answers, build deploy/Dockerfile, run
 * the image, and wait for its own healthcheck to say healthy. Skipped, saying why, where none does.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;
const IMAGE = 'tandem-relay:test';

function dockerMissing(): string | null {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (info.error) return 'docker is not installed';
  if (info.status !== 0) return `no Docker daemon answers here (${info.stderr.trim().split('\n')[0]})`;
  return null;
}

const missing = dockerMissing();
if (missing) console.warn(`deploy image test skipped: ${missing}`);

const docker = (...args: string[]) => spawnSync('docker', args, { cwd: ROOT, encoding: 'utf8' });

describe.skipIf(missing)('relay image', () => {
  it('builds, runs as a non-root user and reports healthy', { timeout: 15 * 60_000 }, async () => {
    const build = docker('build', '-f', 'deploy/Dockerfile', '-t', IMAGE, '.');
    expect(build.status, build.stderr).toBe(0);
    expect(docker('image', 'inspect', IMAGE, '--format', '{{.Config.User}}').stdout.trim()).toBe('node');
    const run = docker('run', '-d', '--rm', IMAGE);
    expect(run.status, run.stderr).toBe(0);
    const id = run.stdout.trim();
    try {
      const deadline = Date.now() + 60_000;
      let health = '';
      while (health !== 'healthy' && Date.now() < deadline) {
        health = docker('inspect', id, '--format', '{{.State.Health.Status}}').stdout.trim();
        if (health !== 'healthy') await new Promise((r) => setTimeout(r, 500));
      }
      expect(health).toBe('healthy');
    } finally {
      docker('rm', '-f', id);
    }
  });
});
