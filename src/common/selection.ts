/**
 * The sub-fields a query selected under the current field (fragments and inline fragments included),
 * e.g. ["rating", "taxGrade", "history"] under `creditProfile` — what an audit record names as read.
 */
import { GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

export function selectedFieldNames(info: GraphQLResolveInfo): string[] {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) names.add(selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return [...names].sort();
}
