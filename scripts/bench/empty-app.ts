/** Baseline for `npm run bench`: an empty cdktf stack, synthesized the same way main.ts is. */
import { App, TerraformStack } from "cdktf";

const app = new App();
new TerraformStack(app, "empty");
app.synth();
