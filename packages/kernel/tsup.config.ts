import { packageBuild } from "../../tsup.shared.js";

// Two entry points: the portable kernel and the Node image builder (`@nanots/kernel/node`).
export default packageBuild({ entry: ["src/index.ts", "src/node.ts"] });
