import { Testing } from "cdktf";

// Registers cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...) on vitest's expect.
Testing.setupJest();
