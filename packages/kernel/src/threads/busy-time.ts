// The host time spent running (not waiting): what the guest's CPU-time clocks count. Node's
// event-loop utilisation says how long the loop was busy; elsewhere (a browser) all time counts.

const loop = performance as typeof performance & { eventLoopUtilization?: () => { active: number } };

/** Milliseconds the host has been busy since an arbitrary start. */
export const busyMs: () => number = typeof loop.eventLoopUtilization === "function" ? () => loop.eventLoopUtilization!().active : () => performance.now();
