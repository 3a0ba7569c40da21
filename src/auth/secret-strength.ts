/**
 * Whether a JWT_SECRET is fit for production (issue 11, §2): not the development secret printed in
 * config.ts, at least 32 characters, and not guessable by its shape — one character repeated (`aaaa…`),
 * a short word repeated (`changemechangeme…`), an alphabet or digit run (`abcdef…`, `123456…`), or too
 * few distinct characters. The estimate (below) charges each character the string's Shannon entropy
 * per character, and a repeat of earlier text only its position and length: 32 random hex digits score
 * about 115 bits (never under 85 in 100,000 draws), `openssl rand -base64 32` about 210; we ask for 80.
 */

/** Least estimated entropy, in bits, of a production secret. */
export const MIN_SECRET_BITS = 80;
export const MIN_SECRET_LENGTH = 32;

/** Shannon entropy of the character distribution, in bits per character. */
function bitsPerCharacter(chars: string[]): number {
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / chars.length) * Math.log2(n / chars.length);
  return bits;
}

/**
 * Estimated entropy in bits, LZ77-style: a character costs the string's bits per character, unless it
 * starts a repeat of 3 or more earlier characters, which costs only where and how long (so
 * `changeme` × 4 is worth one `changeme`). Only the first 256 characters are weighed.
 */
export function estimatedBits(secret: string): number {
  const chars = [...secret].slice(0, 256);
  const perChar = bitsPerCharacter(chars);
  let bits = 0;
  for (let i = 0; i < chars.length; ) {
    let longest = 0;
    for (let j = 0; j < i; j++) {
      let k = 0;
      while (i + k < chars.length && chars[j + k] === chars[i + k]) k += 1;
      longest = Math.max(longest, k);
    }
    if (longest >= 3) {
      bits += Math.log2(i) + Math.log2(longest);
      i += longest;
    } else {
      bits += perChar;
      i += 1;
    }
  }
  return bits;
}

/** Share of neighbouring characters that repeat or step by one code point (`aaaa`, `abcd`, `4321`). */
function runShare(secret: string): number {
  let runs = 0;
  for (let i = 1; i < secret.length; i++) if (Math.abs(secret.charCodeAt(i) - secret.charCodeAt(i - 1)) <= 1) runs += 1;
  return runs / Math.max(1, secret.length - 1);
}

/** Why `secret` may not sign production tokens, or null when it may. */
export function weakSecretProblem(secret: string, developmentSecret: string): string | null {
  if (secret.includes(developmentSecret)) return 'is the development secret printed in src/config.ts';
  if (secret.length < MIN_SECRET_LENGTH) return `must be at least ${MIN_SECRET_LENGTH} characters in production`;
  if (runShare(secret) > 0.5) return 'is mostly runs of repeated or consecutive characters';
  const bits = estimatedBits(secret);
  if (bits < MIN_SECRET_BITS) return `is too predictable (about ${Math.floor(bits)} bits, at least ${MIN_SECRET_BITS} needed): use e.g. \`openssl rand -base64 32\``;
  return null;
}
