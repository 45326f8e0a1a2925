// Entry of the venue bench's block worker thread (bench/blockWork.ts): its TypeScript run through tsx.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { serveBlockWork } = await import("./blockWork.ts");
serveBlockWork(workerData, parentPort);
