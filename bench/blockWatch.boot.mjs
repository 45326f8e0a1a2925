// Entry of the venue bench's block watch thread (bench/blockWatch.ts): its TypeScript run through tsx.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { watchBlocks } = await import("./blockWatch.ts");
let watching = true;
parentPort.once("message", () => (watching = false));
await watchBlocks(workerData, (news) => parentPort.postMessage(news), () => watching);
parentPort.close();
