// Entry of the cascade's scan thread (threadedScan.ts starts it): the worker runs the TypeScript
// sources themselves, as the bench, the CLI and the tests do, through tsx.
import { register } from "tsx/esm/api";

register();
await import("./scanWorker.ts");
