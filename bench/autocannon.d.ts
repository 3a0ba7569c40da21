/** autocannon ships no types; bench/api.ts reads the few result fields it uses. */
declare module 'autocannon';
