import { packageBuild } from "../../tsup.shared.js";

// Two entries: the portable core, and the Node backends (node:fs, node:crypto).
export default packageBuild({ entry: ["src/index.ts", "src/node.ts"] });
