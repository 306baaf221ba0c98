// Replays x87-a.bin.gz (see replay-suite.ts).
import { replaySuite } from "./replay-suite.js";

replaySuite("x87-a.bin.gz");
