// In the last tier the fault tests run first, on servers of their own; the canary check comes
// after everything, to see that nothing touched the shared servers.
const Sequencer = require('@jest/test-sequencer').default;

class CanaryLastSequencer extends Sequencer {
  sort(tests) {
    const isCanary = (test) => test.path.endsWith('.last-spec.ts');
    return [
      ...tests.filter((t) => !isCanary(t)).sort((a, b) => a.path.localeCompare(b.path)),
      ...tests.filter(isCanary),
    ];
  }
}

module.exports = CanaryLastSequencer;
