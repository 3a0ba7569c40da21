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
