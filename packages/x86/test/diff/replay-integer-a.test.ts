// Replays integer-a.bin.gz (see replay-suite.ts).
import { replaySuite } from "./replay-suite.js";

replaySuite("integer-a.bin.gz");
