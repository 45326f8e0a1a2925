/**
 * The scan thread of threadedScan.ts: the upper half of a cascade's rows (engine/cascade/rowScan),
 * a round at a time — its screens prepared from the round's prices exactly as the cascade's
 * thread prepares its own, the columns and flags read and written in shared memory — its answer
 * posted on its port, then the shared signal the cascade's thread waits on raised. A failure is
 * answered, in words.
 */

import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import type { ColumnarSnapshot } from "../../engine/columnar/columnarSnapshot.ts";
import { createRowScan, type RowScan } from "../../engine/cascade/rowScan.ts";
import { prepareMarginScreen, type Prices } from "../../engine/screen/marginScreen.ts";
import { columnsOf, type ScanMessage, type ScanReply } from "./threadedScan.ts";
import { replyTo } from "./keptThread.ts";

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
let scan: RowScan | undefined;
let prices: Prices;
let columns: ColumnarSnapshot;
let cleared: Uint8Array;
let parked: Uint8Array;

const answer = (reply: ScanReply) => replyTo(port, signal, reply);

parentPort!.on("message", (message: ScanMessage) => {
  if (message.type === "release") return void scan?.release();
  if (message.type === "begin") {
    ({ prices, columns, cleared, parked } = message);
    scan = createRowScan(message.setup, message.nM);
    return;
  }
  try {
    message.marksWad.forEach((mark, i) => (prices.markets[i]!.markPriceWad = mark));
    message.collateralPricesWad.forEach((price, i) => (prices.collaterals[i]!.priceWad = price));
    if (message.columns) columns = message.columns;
    const all = columnsOf(columns);
    for (const [column, row, value] of message.wide) all[column]!.wide.set(row, value);
    const { listed, safe } = scan!.round({ columns, screen: prepareMarginScreen(prices), equity: prepareMarginScreen(prices, { maintenance: false }), cleared, parked, touched: message.touched, moved: message.moved });
    answer({ listed, safe: Int32Array.from(safe) });
  } catch (error) {
    answer({ error: error instanceof Error ? error.message : String(error) });
  }
});
