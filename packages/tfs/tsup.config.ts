import { packageBuild } from "../../tsup.shared.js";

// Two entry points: the portable core and the Node backends (`@nanots/tfs/node`).
export default packageBuild({ entry: ["src/index.ts", "src/node.ts"] });
