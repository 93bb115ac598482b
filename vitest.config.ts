import { defineConfig } from 'vitest/config'
import { SummaryReporter } from './test/helpers/summary-reporter.ts'

const config = defineConfig({
  define: { __TRESOR_VERSION__: JSON.stringify('0.0.0-test') },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', new SummaryReporter()],
  },
})
// vitest loads the default export; the named-exports rule is waived for this one config file.
// eslint-disable-next-line no-restricted-syntax
export default config
