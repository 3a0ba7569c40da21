/**
 * Administrative division codes (GB/T 2260): six digits, the first two a province-level code. A
 * product's region prefix `1101` covers every code starting with it (R3).
 */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
]);

export function isRegionCode(code: string): boolean {
  return /^[0-9]{6}$/.test(code) && PROVINCES.has(code.slice(0, 2));
}

/** 2, 4 or 6 digits starting with a province code. */
export function isRegionPrefix(prefix: string): boolean {
  return /^([0-9]{2}|[0-9]{4}|[0-9]{6})$/.test(prefix) && PROVINCES.has(prefix.slice(0, 2));
}
