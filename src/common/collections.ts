/** Groups items by a key, keeping their order within each group and the order groups first appear in. */
export function groupBy<K, T>(items: readonly T[], keyOf: (item: T, index: number) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  items.forEach((item, index) => {
    const key = keyOf(item, index);
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  });
  return map;
}

/**
 * A list argument's values once each, in a stable order: `[OPEN, OPEN, …]` is `[OPEN]`, so a filter's SQL
 * takes as many parameters as the enum has values, however long the list a client sent.
 */
export function distinct<T extends string>(values: readonly T[]): T[] {
  return [...new Set(values)].sort();
}
