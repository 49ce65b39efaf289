import "vitest";

declare module "vitest" {
  interface Matchers<T = any> {
    toHaveResource(construct: { tfResourceType: string }): T;
    toHaveResourceWithProperties(construct: { tfResourceType: string }, properties: Record<string, unknown>): T;
    toHaveDataSource(construct: { tfResourceType: string }): T;
  }
}
