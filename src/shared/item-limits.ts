/**
 * An agenda item's limits, apart from the schemas that enforce them: the quick-add window checks a
 * line against them as it is typed without loading zod or building the contract's schemas.
 */
export const ITEM_TITLE_MAX = 500;
export const ITEM_CONTEXT_MAX = 10_000;
