/** Set by proxy.ts on every page request: the path, for the pages that get no params (not-found). */
export const REQUEST_PATH_HEADER = "x-backstop-path";
