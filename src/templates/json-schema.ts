import { SchemaNode } from '../common/schema-node';

export function hasType(node: SchemaNode, type: string): boolean {
  return Array.isArray(node.type) ? node.type.includes(type) : node.type === type;
}

const ANY: SchemaNode = {};

/** The schema of a property of `node`, or undefined when the property is not declared. */
export function propertySchema(node: SchemaNode, name: string): SchemaNode | undefined {
  if (node.type === undefined && !node.properties && !node.items) return ANY;
  if (hasType(node, 'object') || node.properties) {
    const declared = node.properties?.[name];
    if (declared) return declared;
    if (node.additionalProperties === true) return ANY;
    if (typeof node.additionalProperties === 'object') return node.additionalProperties;
  }
  if (hasType(node, 'array')) {
    if (/^\d+$/.test(name)) return node.items ?? ANY;
    if (name === 'length') return { type: 'integer' };
  }
  if (hasType(node, 'string') && name === 'length') return { type: 'integer' };
  return undefined;
}

/** The schema of the values that {{#each}} visits in `node`. */
export function elementSchema(node: SchemaNode): SchemaNode {
  if (hasType(node, 'array')) return node.items ?? ANY;
  if (typeof node.additionalProperties === 'object') return node.additionalProperties;
  return ANY;
}
