// The scenario picker: the built-in scenarios (digits 1..9 pick them from the keyboard), a free
// run, and the scenarios the simulator cannot show yet, listed but disabled, each saying why.
import { builtInScenarios, scenariosMissing } from '../scenarios/catalog';
import { leaveScenario, loadScenario } from '../store/presentation-actions';
import { useAppStore } from './use-app-store';
import { migrationScenarios } from '../migration/migration-catalog';
import { formatEnginesUrl, formatMigrationUrl, defaultEnginesNemesis } from '../migration/migration-url';

const freeRun = '';

export function ScenarioPicker() {
  const scenarioId = useAppStore((state) => state.config.scenario?.id ?? freeRun);
  return (
    <label className="scenario-picker">
      Scenario
      <select
        data-testid="scenario-picker"
        value={scenarioId}
        onChange={(event) => {
          const id = event.target.value;
          // The migration scenarios and the engines side by side open the migration page (src/ui/migration).
          if (id.startsWith('?')) window.location.assign(id);
          else if (id === freeRun) leaveScenario();
          else loadScenario(id);
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
        <optgroup label="Migration hashicorp → etcd (opens the migration view)">
          {migrationScenarios.map((scenario) => (
            <option key={scenario.id} value={formatMigrationUrl({ scenario: scenario.id, seed: 1, step: 0 })} title={scenario.caption}>
              {scenario.title}
            </option>
          ))}
          <option value={formatEnginesUrl({ seed: 1, nemesis: defaultEnginesNemesis, timeMs: 0 })}>
            Engines side by side: etcd | hashicorp (--engine)
          </option>
        </optgroup>
        <optgroup label="Not yet in the simulator">
          {scenariosMissing.map((missing) => (
            <option key={missing.title} disabled title={missing.why}>
              {missing.title}: {missing.why}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}
