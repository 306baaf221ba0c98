// Replays sse-a.bin.gz (see replay-suite.ts).
import { replaySuite } from "./replay-suite.js";

replaySuite("sse-a.bin.gz");
