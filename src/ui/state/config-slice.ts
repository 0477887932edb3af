/** The config the user edits: field edits (live ones go to the worker at once), method switches, presets, links. */
import { FIELDS, FIELD_KEYS, METHOD_LABELS, isLiveField, parseFieldText, type FieldKey } from '../../config/fields';
import { compareArms, presetById, presetConfig } from '../../config/presets';
import { ConfigError, validateConfig, withMethod, type RunConfig, type ValidConfig } from '../../config/schema';
import { decodeLink } from '../../config/url';
import type { RunPool } from '../pool/run-pool';
import type { ConfigSlice, Slice } from './types';

/** The playground's default run: the classroom preset, ready to Play. */
export const DEFAULT_UI_CONFIG: ValidConfig = presetConfig(presetById('classroom')!);
export const DEFAULT_PRESET_ID = 'classroom';

/** "1 (decoupled) → 0.001 (coupled)", or null when the method switch keeps the decay. */
export function weightDecayChange(from: RunConfig, to: RunConfig): string | null {
  if (from.weightDecay === to.weightDecay && from.weightDecayMode === to.weightDecayMode) return null;
  return `${from.weightDecay} (${from.weightDecayMode}) → ${to.weightDecay} (${to.weightDecayMode})`;
}

/** Link `hide=` entries the controls know: groups, files, field ids and their link names. */
export function isKnownHideEntry(entry: string): boolean {
  return (
    ['data', 'model', 'training', 'method', 'files'].includes(entry) || FIELD_KEYS.some((k) => k === entry || FIELDS[k].short === entry)
  );
}

export const createConfigSlice =
  (pool: RunPool): Slice<ConfigSlice> =>
  (set, get) => {
    /** The main run, if it has a worker to send live edits to (they go even while it starts: the worker applies messages in order). */
    const liveMain = (): number | null => {
      const id = pool.idOf('main');
      return id !== undefined && pool.isLive(id) && get().run.runId > 0 && !get().imported ? id : null;
    };
    /**
     * While comparing, a field applies to every run: the comparison restarts with the new base
     * config. The method and its weight decay are what is being compared, so they are refused
     * (each run uses its method's reference decay); a comparison read from a file is refused too.
     */
    const editWhileComparing = (key: FieldKey, value: unknown) => {
      const s = get();
      const refuse = (message: string) => {
        set({ fieldErrors: { ...s.fieldErrors, [key]: message } });
        get().pushError(message);
      };
      if (!s.compare.runs.some((r) => r.live))
        return refuse(`${FIELDS[key].label}: this is a saved comparison; exit compare to change settings.`);
      if (key === 'method' || key === 'weightDecay' || key === 'weightDecayMode')
        return refuse(
          `${FIELDS[key].label}: each compared run uses its method's reference weight decay; exit compare to change the method or the decay.`,
        );
      let next: ValidConfig;
      try {
        next = validateConfig({ ...s.config, [key]: value });
      } catch (e) {
        set({
          fieldErrors: {
            ...s.fieldErrors,
            [key]: e instanceof ConfigError ? e.issues.map((i) => i.message).join('; ') : (e as Error).message,
          },
        });
        return;
      }
      const fieldErrors = { ...s.fieldErrors };
      delete fieldErrors[key];
      set({ config: next, fieldErrors });
      get().startCompare(next, s.compare.entries!);
      get().pushInfo(
        `${FIELDS[key].label} ${String(s.config[key])} → ${String(next[key])}: the comparison restarted with it for every run.`,
        'compare-edit',
      );
    };
    return {
      config: DEFAULT_UI_CONFIG,
      fieldErrors: {},
      pendingReset: [],

      setField(key, value) {
        const s = get();
        if (s.compare.entries) return editWhileComparing(key, value);
        if (key === 'method') {
          set({ fieldErrors: { ...s.fieldErrors, method: undefined } });
          get().switchMethod(value as RunConfig['method']);
          return;
        }
        let next: ValidConfig;
        try {
          next = validateConfig({ ...s.config, [key]: value });
        } catch (e) {
          const message = e instanceof ConfigError ? e.issues.map((i) => i.message).join('; ') : (e as Error).message;
          set({ fieldErrors: { ...s.fieldErrors, [key]: message } });
          return;
        }
        const fieldErrors = { ...s.fieldErrors };
        delete fieldErrors[key];
        const workerConfig = s.run.workerConfig;
        // the value it already has (e.g. typed back after a refused one): nothing to send, no marker
        if (isLiveField(key) && JSON.stringify(s.config[key]) === JSON.stringify(next[key])) return set({ fieldErrors });
        // a live field goes to the worker even while it starts: the worker applies messages in order
        const id = liveMain();
        if (isLiveField(key) && id !== null) {
          pool.edit(id, { [key]: next[key] });
          const edit = { step: s.run.stepCount, label: `${FIELDS[key].label} ${String(s.config[key])} → ${String(next[key])}` };
          set({ config: next, fieldErrors, edits: s.run.stepCount > 0 ? [...s.edits, edit] : s.edits });
        } else {
          const changed = JSON.stringify(next[key]) !== JSON.stringify(workerConfig?.[key]);
          const pendingReset = changed ? [...new Set([...s.pendingReset, key])] : s.pendingReset.filter((k) => k !== key);
          set({ config: next, fieldErrors, pendingReset });
        }
      },

      setFieldText(key: FieldKey, text: string) {
        const r = parseFieldText(FIELDS[key], text);
        if ('error' in r) set({ fieldErrors: { ...get().fieldErrors, [key]: r.error } });
        else get().setField(key, r.value);
      },

      switchMethod(method) {
        // Mid-run: continue from the current weights with the new method and its reference decay.
        const s = get();
        let config: ValidConfig;
        try {
          config = validateConfig(withMethod(s.config, method));
        } catch (e) {
          // e.g. GrokFast-MA's window would not fit this model: refused at the method box, with why
          const message =
            e instanceof ConfigError
              ? e.issues.map((i) => `${FIELDS[i.field as FieldKey]?.label ?? i.field}: ${i.message}`).join('; ')
              : (e as Error).message;
          set({ fieldErrors: { ...s.fieldErrors, method: message } });
          return;
        }
        const decayChange = weightDecayChange(s.config, config);
        const midRun = s.run.workerConfig !== null && s.run.stepCount > 0 && !s.imported;
        const edit = {
          step: s.run.stepCount,
          label: `${METHOD_LABELS[s.config.method]} → ${METHOD_LABELS[method]}${decayChange ? `, wd ${decayChange}` : ''}`,
        };
        set({ config, edits: midRun ? [...s.edits, edit] : s.edits });
        // sent even while the worker starts or re-times backends (it applies messages in order)
        const id = liveMain();
        if (id !== null) pool.edit(id, { method, weightDecay: config.weightDecay, weightDecayMode: config.weightDecayMode });
        // Say it where it happens: the decay is part of the method's reference setup.
        if (decayChange)
          get().pushInfo(
            `${METHOD_LABELS[method]} brings its own weight decay: ${decayChange} (${METHOD_LABELS[method]}'s reference value). Change it under training › Weight decay.`,
            'method-decay',
          );
      },

      applyPreset(id) {
        const preset = presetById(id);
        if (!preset) return;
        const config = presetConfig(preset);
        set({ presetId: id });
        get().reset(config);
        if (preset.compare) get().startCompare(config, compareArms(preset));
        else if (get().compare.entries) get().stopCompare();
      },

      refuseEdit(changes, message) {
        const s = get();
        const running = s.run.workerConfig;
        const keys = Object.keys(changes) as FieldKey[];
        // the fields go back to what the worker runs: a new config, validated here (kept as it was if the mix does not fit)
        let config = s.config;
        if (running)
          try {
            config = validateConfig({ ...s.config, ...Object.fromEntries(keys.map((k) => [k, running[k]])) });
          } catch {
            /* keep the edited config; the fields say why they were not applied */
          }
        const fieldErrors = { ...s.fieldErrors };
        for (const k of keys) fieldErrors[k] = `not applied: ${message}`;
        set({ config, fieldErrors });
        get().pushError(`${keys.map((k) => FIELDS[k].label).join(', ')} not applied: ${message}`);
      },

      loadFromQuery(query) {
        const decoded = decodeLink(query, DEFAULT_UI_CONFIG);
        const hidden = decoded.hidden.filter(isKnownHideEntry);
        const unknownHidden = decoded.hidden.filter((h) => !isKnownHideEntry(h));
        set({ config: decoded.config, hidden, presetId: decoded.statesConfig ? null : DEFAULT_PRESET_ID });
        for (const m of decoded.messages) get().pushError(`Link: ${m.message}`, 'link');
        for (const h of unknownHidden)
          get().pushError(
            `Link: hide: unknown entry "${h}" was ignored (known: data, model, training, method, files, or a field's name)`,
            'link',
          );
        return { compare: decoded.compare, seeds: decoded.seeds, page: decoded.page };
      },
    };
  };
