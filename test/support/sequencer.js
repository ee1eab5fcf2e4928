// Jest's own order (slowest first) for the parallel tiers; in the last tier the fault tests, on
// servers of their own, then the canary check, to see that nothing touched the shared servers.
const Sequencer = require('@jest/test-sequencer').default;

class CanaryLastSequencer extends Sequencer {
  sort(tests) {
    const isCanary = (test) => test.path.endsWith('.last-spec.ts');
    return [...super.sort(tests.filter((t) => !isCanary(t))), ...tests.filter(isCanary)];
  }
}

module.exports = CanaryLastSequencer;
