// Public surface of the SECURITY GUARD rule pack. See RULES.md.
export * from "./rule";
export * from "./security-guard";
export { ALL_RULES } from "./rules";
export { rulesTable } from "./rules-table";
