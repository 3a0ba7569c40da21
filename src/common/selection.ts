/**
 * The sub-fields a query selected under the current field (fragments and inline fragments included),
 * e.g. ["rating", "taxGrade", "history"] under `creditProfile` — what an audit record names as read.
 */
import { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

type Fragments = Record<string, FragmentDefinitionNode>;

/** The fields directly under `nodes` (through fragments), each with the nodes selecting it. */
function fieldsUnder(nodes: readonly FieldNode[], fragments: Fragments): FieldNode[] {
  const fields: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else visit(fragments[selection.name.value]?.selectionSet);
    }
  };
  for (const node of nodes) visit(node.selectionSet);
  return fields;
}

function namesUnder(nodes: readonly FieldNode[], fragments: Fragments): string[] {
  const names = new Set(fieldsUnder(nodes, fragments).map((f) => f.name.value).filter((n) => !n.startsWith('__')));
  return [...names].sort();
}

export function selectedFieldNames(info: GraphQLResolveInfo): string[] {
  return namesUnder(info.fieldNodes, info.fragments);
}

/**
 * Looking ahead from the current field down `path` (field names): the sub-field names selected at its
 * end — what `selectedFieldNames` will say there — or null when the path is not selected. `ambiguous`
 * when a step is selected under two response names (aliases) or with arguments or directives, whose
 * resolvers would run apart: then a caller must not act for them.
 */
export function selectedAt(info: GraphQLResolveInfo, path: readonly string[]): { names: string[] } | null | 'ambiguous' {
  let nodes: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    const matches = fieldsUnder(nodes, info.fragments).filter((f) => f.name.value === name);
    if (!matches.length) return null;
    const keys = new Set(matches.map((f) => f.alias?.value ?? f.name.value));
    if (keys.size > 1 || matches.some((f) => f.arguments?.length || f.directives?.length)) return 'ambiguous';
    nodes = matches;
  }
  return { names: namesUnder(nodes, info.fragments) };
}
