/**
 * The schemas of every YAML file the user edits, one file per kind. They are the single source of
 * truth: the loader validates with them, the TypeScript types are inferred from them, and their
 * descriptions are what editors show.
 */
export * from "./common";
export * from "./environment";
export * from "./client-host";
export * from "./topic";
export * from "./connector";
export * from "./plugin-manifest";
export * from "./processor";
export * from "./schema-registry";
export * from "./archive";
