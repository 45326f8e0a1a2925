// Entry of the block views' helper thread (lib/server/helperThread.ts starts it): it runs the
// TypeScript sources themselves, through tsx, as the block worker does.
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { serveAsHelper } = await import("./helperThread.ts");
serveAsHelper(parentPort);
