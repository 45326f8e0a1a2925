// Entry of the block worker thread (lib/server/blockReader.ts starts it): the worker runs the
// TypeScript sources themselves, as the CLI, the keeper and the scripts do, through tsx.
import { register } from "tsx/esm/api";

register();
await import("./blockWorker.ts");
