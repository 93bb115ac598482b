// What the parallel-scan test bundles: the walker and the threaded scan of `tresor scan`.
export { createIgnoreTree, listFiles } from '../../../src/cli/commands/scan-files.ts'
export { scanFilesInParallel } from '../../../src/cli/commands/scan-parallel.ts'
