// Replays sse-b.bin.gz (see replay-suite.ts).
import { replaySuite } from "./replay-suite.js";

replaySuite("sse-b.bin.gz");
