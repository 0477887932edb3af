/** Controls generated from the config field table: limits come from the one schema. */
import { useState } from 'react';
import { FIELDS, FIELD_KEYS, METHOD_LABELS, type FieldKey, type FieldSpec } from '../../config/fields';
import { useGrokStore } from '../store';
import { METHOD_HELP } from '../help';
import { HelpText } from '../layout/HelpText';
import { FilesPanel } from './FilesPanel';
import { controlFields, GROUPS, isFieldHidden } from './control-fields';
import type { CompareEntry } from '../state/types';

const COMPARE_DEFAULT: CompareEntry[] = [{ method: 'neuralgrok' }, { method: 'grokfast_ema' }, { method: 'adamw' }, { method: 'standard' }];

function FieldInput({ k }: { k: FieldKey }) {
  const spec: FieldSpec = FIELDS[k];
  const value = useGrokStore((s) => s.config[k]);
  const error = useGrokStore((s) => s.fieldErrors[k]);
  const pending = useGrokStore((s) => s.pendingReset.includes(k));
  // sent to the worker, not yet echoed: the value is what will run, not yet what runs
  const unconfirmed = useGrokStore((s) => s.run.pendingEdits.includes(k));
  const setField = useGrokStore((s) => s.setField);
  const setFieldText = useGrokStore((s) => s.setFieldText);
  const [draft, setDraft] = useState<string | null>(null);
  // A refused value stays on screen next to its error (bug 12), so the user sees what was refused.
  const [refusedText, setRefusedText] = useState<string | null>(null);
  const id = `field-${k}`;
  const refused = () => useGrokStore.getState().fieldErrors[k] !== undefined;
  const commit = (text: string) => {
    setFieldText(k, text);
    setRefusedText(refused() ? text : null);
    setDraft(null);
  };
  let input;
  if (spec.kind === 'enum') {
    const shownChoice = error && refusedText !== null ? refusedText : String(value);
    input = (
      <select
        id={id}
        data-testid={k === 'task' ? 'task-select' : k === 'method' ? 'method-select' : `field-${k}`}
        value={shownChoice}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          setField(k, e.target.value);
          setRefusedText(refused() ? e.target.value : null);
        }}
      >
        {spec.choices.map((c) => (
          <option key={c} value={c}>
            {spec.choiceLabels?.[c] ?? c}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === 'boolean') {
    input = (
      <input id={id} data-testid={`field-${k}`} type="checkbox" checked={Boolean(value)} onChange={(e) => setField(k, e.target.checked)} />
    );
  } else {
    const shown = draft ?? (error && refusedText !== null ? refusedText : Array.isArray(value) ? value.join(',') : String(value));
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
        {spec.live ? (
          <span className="live-tag" title="changes apply at the next step">
            {' '}
            live
          </span>
        ) : null}
      </label>
      {input}
      {pending && <span className="pending">applies on Reset</span>}
      {unconfirmed && (
        <span className="pending" data-testid={`pending-${k}`}>
          sent, waiting for the worker…
        </span>
      )}
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}

/** Whether a classroom link (`hide=`) left anything to show in the controls column. */
export function hasVisibleControls(hidden: readonly string[]): boolean {
  return !hidden.includes('files') || GROUPS.some((g) => FIELD_KEYS.some((k) => FIELDS[k].group === g && !isFieldHidden(hidden, k)));
}

export function ConfigPanel() {
  const method = useGrokStore((s) => s.config.method);
  const running = useGrokStore((s) => s.run.workerConfig !== null && s.run.stepCount > 0);
  const reset = useGrokStore((s) => s.reset);
  const imported = useGrokStore((s) => s.imported);
  const hidden = useGrokStore((s) => s.hidden);
  const isHidden = (k: FieldKey) => isFieldHidden(hidden, k);
  return (
    <aside className="controls">
      {GROUPS.filter((g) => FIELD_KEYS.some((k) => FIELDS[k].group === g && !isHidden(k))).map((g) => (
        <fieldset key={g} data-testid={`group-${g}`}>
          <legend>{g}</legend>
          {controlFields(g, method, hidden).map((k) => (
            <FieldInput key={k as FieldKey} k={k as FieldKey} />
          ))}
          {g === 'method' && (
            <>
              <HelpText className="method-help" text={METHOD_HELP[method]} />
              {running && !imported && (
                <p className="note" data-testid="method-switch-note">
                  Switching method mid-run continues from the current weights and sets the new method’s own weight decay.
                </p>
              )}
              <button data-testid="reset-with-method" onClick={() => reset({ method })}>
                Reset and run with {METHOD_LABELS[method]}
              </button>
              <button
                data-testid="compare-methods"
                onClick={() => useGrokStore.getState().startCompare(useGrokStore.getState().config, COMPARE_DEFAULT)}
              >
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
