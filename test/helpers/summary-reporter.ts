import type { SerializedError } from 'vitest'
import type { Reporter, TestModule } from 'vitest/node'

/**
 * Prints one plain closing line `Tests: N passed, N failed, N skipped` after vitest's own
 * summary, so that CI (which reads a runner's last lines) counts this run's tests. A failure
 * outside any test (a file that does not load, a failing beforeAll/afterAll hook, an unhandled
 * error) counts as one failed each, so that the line never reads "0 failed" on a failed run.
 */
export class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError> = [],
  ): void {
    let passed = 0
    let failed = unhandledErrors.length
    let skipped = 0
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped++
      }
      for (const suite of [mod, ...mod.children.allSuites()]) {
        if (suite.errors().length > 0) failed++
      }
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`)
  }
}
