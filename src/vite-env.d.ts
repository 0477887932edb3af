/// <reference types="vite/client" />

/** The race results reduced at build time (scripts/site-content.ts): a PaperBundle of src/paper/bundle.ts. */
declare module 'virtual:paper-results' {
  const bundle: unknown;
  export default bundle;
}
