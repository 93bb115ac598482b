import type { Target } from './types.ts'

const seg = encodeURIComponent

/** `/v1/projects/{project}`. */
export function projectPath(project: string): string {
  return `/v1/projects/${seg(project)}`
}

/** `/v1/projects/{project}/environments/{env}`. */
export function environmentPath(project: string, env: string): string {
  return `${projectPath(project)}/environments/${seg(env)}`
}

/** The base path of a target's variables: an environment's, or the project's shared ones. */
export function targetPath(target: Target): string {
  return target.env === undefined
    ? projectPath(target.project)
    : environmentPath(target.project, target.env)
}

/** `…/vars/{KEY}`. */
export function keyPath(target: Target, key: string): string {
  return `${targetPath(target)}/vars/${seg(key)}`
}
