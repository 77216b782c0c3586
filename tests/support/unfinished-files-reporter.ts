/**
 * Names the test files that started but never finished. When a worker process dies under a file
 * (a native crash, an abort), Vitest reports only "Worker exited unexpectedly", without the file,
 * and CI keeps only the end of the output: this line, printed last, says where to look.
 */
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export default class UnfinishedFilesReporter implements Reporter {
  private readonly running = new Set<string>();

  onTestModuleQueued(module: TestModule): void {
    this.running.add(module.moduleId);
  }

  onTestModuleEnd(module: TestModule): void {
    this.running.delete(module.moduleId);
  }

  onTestRunEnd(): void {
    if (this.running.size === 0) return;
    console.error(
      `Test files that never finished (their worker ended under them): ${[...this.running].map((id) => relative(process.cwd(), id)).join(', ')}`,
    );
  }
}
