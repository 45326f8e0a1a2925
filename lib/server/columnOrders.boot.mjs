// Entry of the accounts table's sorting helper thread (lib/server/columnOrders.ts starts it): it
// runs the TypeScript sources themselves, through tsx, as the block worker does.
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { claimAndOrder } = await import("./columnOrders.ts");
parentPort.on("message", (batch) => claimAndOrder(batch));
