/** Controls generated from the config field table: limits come from the one schema. */
import { useState } from 'react';
import { FIELDS, FIELD_KEYS, METHOD_LABELS, type FieldKey, type FieldSpec } from '../../config/fields';
import { useGrokStore } from '../store';
import { METHOD_HELP } from '../help';
import { FilesPanel } from './FilesPanel';
import type { CompareEntry } from '../state/types';

const COMPARE_DEFAULT: CompareEntry[] = [{ method: 'neuralgrok' }, { method: 'grokfast_ema' }, { method: 'adamw' }, { method: 'standard' }];

function FieldInput({ k }: { k: FieldKey }) {
  const spec: FieldSpec = FIELDS[k];
  const value = useGrokStore((s) => s.config[k]);
  const error = useGrokStore((s) => s.fieldErrors[k]);
  const pending = useGrokStore((s) => s.pendingReset.includes(k));
  const setField = useGrokStore((s) => s.setField);
  const setFieldText = useGrokStore((s) => s.setFieldText);
  const [draft, setDraft] = useState<string | null>(null);
  const id = `field-${k}`;
  const commit = (text: string) => {
    setDraft(null);
    setFieldText(k, text);
  };
  let input;
  if (spec.kind === 'enum') {
    input = (
      <select id={id} data-testid={k === 'task' ? 'task-select' : k === 'method' ? 'method-select' : `field-${k}`} value={String(value)} onChange={(e) => setField(k, e.target.value)}>
        {spec.choices.map((c) => (
          <option key={c} value={c}>
            {spec.choiceLabels?.[c] ?? c}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === 'boolean') {
    input = <input id={id} data-testid={`field-${k}`} type="checkbox" checked={Boolean(value)} onChange={(e) => setField(k, e.target.checked)} />;
  } else {
    const shown = draft ?? (Array.isArray(value) ? value.join(',') : String(value));
    input = (
      <input
        id={id}
        data-testid={`field-${k}`}
        type={spec.kind === 'number' ? 'number' : 'text'}
        min={spec.kind === 'number' ? spec.min : undefined}
        max={spec.kind === 'number' ? spec.max : undefined}
        step={spec.kind === 'number' ? (spec.integer ? 1 : 'any') : undefined}
        value={shown}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={(e) => draft !== null && commit(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && commit((e.target as HTMLInputElement).value)}
      />
    );
  }
  return (
    <div className={`field${error ? ' has-error' : ''}`} title={spec.help}>
      <label htmlFor={id}>
        {spec.label}
        {spec.live ? <span className="live-tag" title="changes apply at the next step"> live</span> : null}
      </label>
      {input}
      {pending && <span className="pending">applies on Reset</span>}
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}

export function ConfigPanel() {
  const method = useGrokStore((s) => s.config.method);
  const running = useGrokStore((s) => s.run.workerConfig !== null && s.run.stepCount > 0);
  const reset = useGrokStore((s) => s.reset);
  const hidden = useGrokStore((s) => s.hidden);
  const isHidden = (k: FieldKey) => hidden.includes(k) || hidden.includes(FIELDS[k].short) || hidden.includes(FIELDS[k].group);
  const groups: FieldSpec['group'][] = ['data', 'model', 'training', 'method']; // the backend is chosen in the toolbar
  return (
    <aside className="controls">
      {groups.filter((g) => FIELD_KEYS.some((k) => FIELDS[k].group === g && !isHidden(k))).map((g) => (
        <fieldset key={g} data-testid={`group-${g}`}>
          <legend>{g}</legend>
          {FIELD_KEYS.filter((k) => FIELDS[k].group === g && ((FIELDS[k] as FieldSpec).method ?? method) === method && k !== 'backend' && !isHidden(k)).map((k) => (
            <FieldInput key={k} k={k} />
          ))}
          {g === 'method' && (
            <>
              <p className="method-help">{METHOD_HELP[method]}</p>
              {running && <p className="note">Switching method mid-run continues from the current weights.</p>}
              <button data-testid="reset-with-method" onClick={() => reset({ method })}>
                Reset and run with {METHOD_LABELS[method]}
              </button>
              <button data-testid="compare-methods" onClick={() => useGrokStore.getState().startCompare(useGrokStore.getState().config, COMPARE_DEFAULT)}>
                Compare NeuralGrok, GrokFast, AdamW, Adam
              </button>
            </>
          )}
        </fieldset>
      ))}
      {!hidden.includes('files') && <FilesPanel />}
    </aside>
  );
}
