// Replays integer-b.bin.gz (see replay-suite.ts).
import { replaySuite } from "./replay-suite.js";

replaySuite("integer-b.bin.gz");
