// Fault tests run last, alone (the suite runs in band) on servers of their own; the canary check
// comes after everything, to see that nothing touched the shared servers.
const Sequencer = require('@jest/test-sequencer').default;

class FaultsLastSequencer extends Sequencer {
  sort(tests) {
    const isFault = (test) => test.path.includes('.fault-spec.');
    const isCanary = (test) => test.path.endsWith('canary.e2e-spec.ts');
    const rest = tests.filter((t) => !isFault(t) && !isCanary(t));
    return [
      ...super.sort(rest),
      ...tests.filter(isFault).sort((a, b) => a.path.localeCompare(b.path)),
      ...tests.filter(isCanary),
    ];
  }
}

module.exports = FaultsLastSequencer;
