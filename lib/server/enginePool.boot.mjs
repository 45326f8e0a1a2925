// Entry of the engine pool's threads (lib/server/enginePool.ts starts them through piscina): the
// threads run the TypeScript sources themselves, through tsx, as the block worker does.
import { register } from "tsx/esm/api";

register();
const { default: runEngineTask } = await import("./enginePool.worker.ts");
export default runEngineTask;
