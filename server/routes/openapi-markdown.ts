// The OpenAPI document written out as Markdown for the /docs page: every operation with its
// request bodies, query parameters and responses, then the fields of every response schema.
// Pure: document in, Markdown out; docs-routes.ts turns it into HTML.

/** The parts of a JSON Schema (as zod-openapi emits it) that the page shows. */
interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  example?: unknown;
  description?: string;
  items?: Schema;
  /** A tuple's members, in order (zod's z.tuple). */
  prefixItems?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
}

interface Parameter {
  name: string;
  in: string;
  description?: string;
  schema?: Schema;
}

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}

/** An OpenAPI 3.1 document; paths and schemas are read as the JSON they are. */
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths?: object;
  components?: { schemas?: object };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Text for a Markdown table cell: no line breaks, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/** A schema's type in a few words: `integer 1..256`, `json \| png \| csv`, `array of integer`. */
function typeOf(schema: Schema): string {
  if (schema.$ref) return `${refName(schema.$ref)} (fields below)`;
  if (schema.enum) return schema.enum.map((v) => `\`${String(v)}\``).join(' | ');
  if (schema.type === 'array' && schema.prefixItems) return `[${schema.prefixItems.map(typeOf).join(', ')}]`;
  if (schema.type === 'array') return `array of ${schema.items ? typeOf(schema.items) : 'values'}`;
  const range = schema.minimum !== undefined && schema.maximum !== undefined ? ` ${schema.minimum}..${schema.maximum}` : '';
  return `${schema.type ?? 'any'}${schema.format ? ` (${schema.format})` : ''}${range}`;
}

/** Rows `name | type | description` for the fields of `schema`, nested objects as dotted paths. */
function fieldRows(schema: Schema, prefix: string): string[] {
  const rows: string[] = [];
  const properties = Object.entries(schema.properties ?? {});
  // An object whose properties all share one schema (the per-channel statistics) is shown once.
  const shared = properties.length > 1 && properties.every(([, s]) => JSON.stringify(s) === JSON.stringify(properties[0]![1]));
  if (shared) {
    const inner = properties[0]![1];
    const names = properties.map(([name]) => `\`${name}\``).join(', ');
    rows.push(`| \`${prefix}<name>\` | ${cell(typeOf(inner))}, one per name: ${names} | ${cell(inner.description ?? '')} |`);
    if (inner.properties) rows.push(...fieldRows(inner, `${prefix}<name>.`));
    return rows;
  }
  for (const [name, field] of properties) {
    const optional = schema.required?.includes(name) ? '' : ' (optional)';
    rows.push(`| \`${prefix}${name}\` | ${cell(typeOf(field))}${optional} | ${cell(field.description ?? '')} |`);
    if (field.properties) rows.push(...fieldRows(field, `${prefix}${name}.`));
  }
  return rows;
}

function parameterRows(parameters: Parameter[]): string[] {
  return parameters.map((p) => {
    const schema = p.schema ?? {};
    const fallback = schema.default !== undefined ? `\`${String(schema.default)}\`` : '';
    return `| \`${p.name}\` | ${p.in} | ${cell(typeOf(schema))} | ${fallback} | ${cell(p.description ?? schema.description ?? '')} |`;
  });
}

function operationMarkdown(method: string, path: string, op: Operation): string[] {
  const out = [`## \`${method.toUpperCase()} ${path}\``, ''];
  if (op.summary) out.push(op.summary, '');
  if (op.description) out.push(op.description, '');
  const bodies = Object.entries(op.requestBody?.content ?? {});
  if (bodies.length > 0) {
    out.push('Request body, one of:', '');
    for (const [type, { schema }] of bodies) {
      const fields = Object.keys(schema?.properties ?? {});
      out.push(`- \`${type}\`${fields.length > 0 ? `: field${fields.length > 1 ? 's' : ''} ${fields.map((f) => `\`${f}\``).join(', ')}` : ': the raw bytes'}`);
    }
    out.push('');
  }
  if (op.parameters?.length) {
    out.push('| parameter | in | type | default | description |', '|---|---|---|---|---|', ...parameterRows(op.parameters), '');
  }
  const responses = Object.entries(op.responses ?? {});
  if (responses.length > 0) {
    out.push('| status | content | description |', '|---|---|---|');
    for (const [status, response] of responses) {
      const content = Object.entries(response.content ?? {})
        .map(([type, { schema }]) => `\`${type}\`${schema?.$ref ? `: ${cell(typeOf(schema))}` : ''}`)
        .join(', ');
      out.push(`| ${status} | ${content} | ${cell(response.description ?? '')} |`);
    }
    out.push('');
  }
  return out;
}

/**
 * Writes `document` as Markdown: a heading per operation with its request body, query
 * parameters and responses, then a heading per component schema with a table of its fields.
 */
export function openApiMarkdown(document: OpenApiDocument): string {
  const out: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {}) as [string, Record<string, Operation>][]) {
    // A path item also holds shared fields (summary, parameters, servers): only methods are operations.
    for (const method of METHODS) if (item[method]) out.push(...operationMarkdown(method, path, item[method]));
  }
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {}) as [string, Schema][]) {
    out.push(`## ${name}`, '');
    if (schema.description) out.push(schema.description, '');
    out.push('| field | type | description |', '|---|---|---|', ...fieldRows(schema, ''), '');
  }
  return out.join('\n');
}
