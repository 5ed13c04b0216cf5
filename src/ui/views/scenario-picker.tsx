// The scenario picker: the built-in scenarios (digits 1..9 pick them from the keyboard), the
// datadriven scenarios (a reviewed interaction file played in the datadriven panel), the durable
// ones (durable mode at a chosen seed), a free run, and the migration views.
import { builtInScenarios } from '../scenarios/catalog';
import { datadrivenScenarioById, datadrivenScenarios } from '../scenarios/datadriven-scenarios';
import { durableScenarios, durableScenarioUrl } from '../scenarios/durable-scenarios';
import {
  leaveDatadrivenScenario,
  openDatadrivenScenario,
  shownDatadrivenScenarioId,
} from '../scenarios/open-datadriven-scenario';
import { leaveScenario, loadScenario } from '../store/presentation-actions';
import { useAppStore } from './use-app-store';
import { migrationScenarios } from '../migration/migration-catalog';
import { formatEnginesUrl, formatMigrationUrl, defaultEnginesNemesis } from '../migration/migration-url';
import { membershipScenarios } from '../migration/membership-scenarios';

const freeRun = '';

function choose(id: string): void {
  // The migration scenarios, the engines side by side and the durable scenarios open other pages.
  if (id.startsWith('?')) window.location.assign(id);
  else if (datadrivenScenarioById(id) !== undefined) {
    void openDatadrivenScenario(id);
    window.history.replaceState(null, '', `?scenario=${id}`);
  } else {
    leaveDatadrivenScenario();
    if (id === freeRun) leaveScenario();
    else loadScenario(id);
  }
}

export function ScenarioPicker() {
  const scenarioId = useAppStore(
    (state) => shownDatadrivenScenarioId(state.datadriven) ?? state.config.scenario?.id ?? freeRun,
  );
  return (
    <label className="scenario-picker">
      Scenario
      <select
        data-testid="scenario-picker"
        value={scenarioId}
        onChange={(event) => {
          choose(event.target.value);
          event.target.blur();
        }}
      >
        <option value={freeRun}>Free run (seed, nodes, faults)</option>
        <optgroup label="Built-in scenarios">
          {builtInScenarios.map((scenario, index) => (
            <option key={scenario.id} value={scenario.id} title={scenario.summary}>
              {index < 9 ? `${index + 1} · ` : ''}
              {scenario.title}
            </option>
          ))}
        </optgroup>
        <optgroup label="Datadriven (an interaction file, played in the datadriven panel)">
          {datadrivenScenarios.map((scenario) => (
            <option key={scenario.id} value={scenario.id} title={scenario.caption}>
              {scenario.title}
            </option>
          ))}
        </optgroup>
        <optgroup label="Durable nodes (opens durable mode: Web Workers on IndexedDB disks)">
          {durableScenarios.map((scenario) => (
            <option key={scenario.id} value={durableScenarioUrl(scenario)} title={scenario.caption}>
              {scenario.title}
            </option>
          ))}
        </optgroup>
        <optgroup label="Migration hashicorp → etcd (opens the migration view)">
          {migrationScenarios.map((scenario) => (
            <option key={scenario.id} value={formatMigrationUrl({ scenario: scenario.id, seed: 1, step: 0 })} title={scenario.caption}>
              {scenario.title}
            </option>
          ))}
          <option value={formatEnginesUrl({ seed: 1, nemesis: defaultEnginesNemesis, timeMs: 0 })}>
            Engines side by side: etcd | hashicorp (--engine)
          </option>
          {membershipScenarios.map((scenario) => (
            <option
              key={scenario.id}
              value={formatEnginesUrl({ seed: 1, nemesis: [], timeMs: 0, scenario: scenario.id })}
              title={scenario.lookFor}
            >
              Side by side, membership: {scenario.title}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}
