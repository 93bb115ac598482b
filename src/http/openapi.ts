import swagger from '@fastify/swagger'
import type { FastifyInstance } from 'fastify'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ProblemSchema } from '../api/errors.ts'

type TransformInput = Parameters<typeof jsonSchemaTransform>[0]

const { $schema: _, ...problemJsonSchema } = z.toJSONSchema(ProblemSchema, {
  target: 'draft-2020-12',
})
const problemResponse = {
  description: 'An RFC 9457 problem (application/problem+json)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
}
const PROBLEM_REF = { $ref: '#/components/responses/Problem' }
// What the generator sees per route; replaced by PROBLEM_REF in the finished document.
const inlineProblem = {
  description: problemResponse.description,
  content: { 'application/problem+json': { schema: problemJsonSchema } },
}

// Adds what every route shares to its generated operation: the problem response, and an
// empty security list on public routes (the document's default is the bearer token).
function transform(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  const result = jsonSchemaTransform(input)
  const schema = (result.schema ?? {}) as Record<string, unknown>
  if (schema['hide'] === true) return result
  const response = schema['response'] as Record<string, unknown> | undefined
  // Without a response schema the generator writes its own default 200; keep it.
  if (response !== undefined) schema['response'] = { ...response, default: inlineProblem }
  if (input.route.config?.public === true) schema['security'] = []
  return { ...result, schema }
}

type Document = ReturnType<typeof jsonSchemaTransformObject>
type Operations = Record<string, { responses?: Record<string, unknown> }>

// The generator inlines the problem schema in every route; one shared component keeps the
// document small.
function transformObject(input: Parameters<typeof jsonSchemaTransformObject>[0]): Document {
  const doc = jsonSchemaTransformObject(input) as {
    paths?: Record<string, Operations>
    components?: Record<string, Record<string, unknown>>
  }
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      if (operation.responses?.['default'] !== undefined)
        operation.responses['default'] = PROBLEM_REF
    }
  }
  const components = doc.components ?? {}
  components['schemas'] = { ...components['schemas'], Problem: problemJsonSchema }
  components['responses'] = { ...components['responses'], Problem: problemResponse }
  return { ...doc, components }
}

/**
 * Registers OpenAPI 3.1 generation from the routes' zod schemas and serves the document at
 * `GET /v1/openapi.json` without authentication. Must be registered before any route.
 */
export function registerOpenApi(app: FastifyInstance, version: string): void {
  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tresor API',
        version,
        description: 'Environment variables and secrets for deployed apps',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform,
    transformObject,
  })
  app.get('/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, () =>
    app.swagger(),
  )
}
