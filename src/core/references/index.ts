export {
  escapeReferences,
  findReferences,
  parseTemplate,
  type Reference,
  type TemplatePart,
} from './scan.ts'
export { resolveReferences, type VarSource } from './resolve.ts'
