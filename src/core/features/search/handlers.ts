/** Search across every 1:1 (the index is the search projection's; see projection/search-query.ts). */
import { SearchInput } from '../../../shared/schemas.js';
import { handler } from '../define.js';

export const searchHandlers = {
  search: handler(SearchInput, async ({ core }, input) => {
    await core.flushProjection();
    return core.search(input);
  }),
};
