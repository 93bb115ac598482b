// What the scanner benchmark bundles: the file walker and the threaded scan of `tresor scan`.
export { createIgnoreTree, listFiles } from '../src/cli/commands/scan-files.ts'
export { scanFilesInParallel } from '../src/cli/commands/scan-parallel.ts'
