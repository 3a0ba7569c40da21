/** Lengths a whitelist batch's own fields may have, for the GraphQL input and the import command alike. */
export const WHITELIST_NAME_MAX = 200;
export const BATCH_MAX = 100;
export const PUBLISHER_MAX = 200;
