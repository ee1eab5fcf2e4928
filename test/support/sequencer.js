// Fault tests stop MariaDB and flush Redis: they run last, alone (the suite runs in band).
const Sequencer = require('@jest/test-sequencer').default;

class FaultsLastSequencer extends Sequencer {
  sort(tests) {
    const isFault = (test) => test.path.includes('.fault-spec.');
    return [...super.sort(tests.filter((t) => !isFault(t))), ...tests.filter(isFault).sort((a, b) => a.path.localeCompare(b.path))];
  }
}

module.exports = FaultsLastSequencer;
