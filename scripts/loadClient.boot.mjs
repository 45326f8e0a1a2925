// Entry of runLoadApart's thread (scripts/loadClient.ts): the load measured here, its TypeScript run through tsx.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { measureLoad } = await import("./loadClient.ts");
parentPort.postMessage(await measureLoad(workerData));
