/** Every incident replay, by the name `npm run replay -- <name>` takes. */

import { adl20251010 } from "./adl-2025-10-10.ts";
import { beanstalk2022 } from "./beanstalk-2022.ts";
import { blackThursday } from "./black-thursday.ts";
import { jelly2025 } from "./jelly-2025.ts";
import { mango2022 } from "./mango-2022.ts";
import type { Replay } from "./replay.ts";
import { tornado2023 } from "./tornado-2023.ts";
import { yfi2023 } from "./yfi-2023.ts";

export const replays: readonly Replay<unknown>[] = [blackThursday, yfi2023, jelly2025, adl20251010, beanstalk2022, tornado2023, mango2022] as Replay<unknown>[];
