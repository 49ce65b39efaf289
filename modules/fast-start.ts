/**
 * Imported first by main.ts. cdktf captures a stack trace for every token it creates; under tsx,
 * source maps are on and each capture is mapped through them, which costs ~150 ms per synth for
 * traces nobody reads. They stay on with DEBUG set, for readable stack traces.
 */
if (!process.env.DEBUG) process.setSourceMapsEnabled(false);

export {};
