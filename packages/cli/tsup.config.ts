import { packageBuild } from "../../tsup.shared.js";

// The library entry and the `nanots` executable.
export default packageBuild({ entry: ["src/index.ts", "src/bin.ts"] });
