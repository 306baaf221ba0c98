export { runSuites, type Contender, type Phases, type Suite } from "./run-suites.js";
export { formatRate, formatReport, type ContenderResult, type SuiteResult } from "./report.js";
export { median } from "./stats.js";
export { mulberry32 } from "./random.js";
