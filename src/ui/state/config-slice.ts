/** The config the user edits: field edits (live ones go to the worker at once), method switches, presets, links. */
import { FIELDS, METHOD_LABELS, isLiveField, parseFieldText, type FieldKey } from '../../config/fields';
import { presetById } from '../../config/presets';
import { ConfigError, buildConfig, validateConfig, withMethod, type RunConfig } from '../../config/schema';
import { decodeConfigQuery } from '../../config/url';
import type { ConfigSlice, Slice } from './types';

/** The playground's default run: the classroom preset, ready to Play. */
export const DEFAULT_UI_CONFIG: RunConfig = buildConfig(presetById('classroom')!.config);
export const DEFAULT_PRESET_ID = 'classroom';

export const createConfigSlice: Slice<ConfigSlice> = (set, get) => ({
  config: DEFAULT_UI_CONFIG,
  fieldErrors: {},
  pendingReset: [],

  setField(key, value) {
    const s = get();
    if (key === 'method') {
      set({ fieldErrors: { ...s.fieldErrors, method: undefined } });
      get().switchMethod(value as RunConfig['method']);
      return;
    }
    let next: RunConfig;
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
    if (isLiveField(key) && workerConfig) {
      s.session?.edit({ [key]: next[key] });
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
    const config = validateConfig(withMethod(s.config, method));
    const edit = { step: s.run.stepCount, label: `${METHOD_LABELS[s.config.method]} → ${METHOD_LABELS[method]}` };
    set({ config, edits: s.run.workerConfig && s.run.stepCount > 0 ? [...s.edits, edit] : s.edits });
    if (s.run.workerConfig) s.session?.edit({ method, weightDecay: config.weightDecay, weightDecayMode: config.weightDecayMode });
  },

  applyPreset(id) {
    const preset = presetById(id);
    if (!preset) return;
    const config = buildConfig(preset.config);
    set({ presetId: id });
    get().reset(config);
    if (preset.compare) get().startCompare(config, preset.compare.map((method) => ({ method })));
    else if (get().compare.entries) get().stopCompare();
  },

  loadFromQuery(query) {
    const { config, hidden, compare, messages } = decodeConfigQuery(query, DEFAULT_UI_CONFIG);
    set({ config, hidden, presetId: query.replace(/^\?/, '') === '' ? DEFAULT_PRESET_ID : null });
    for (const m of messages) get().pushError(`Link: ${m.message}`);
    return compare;
  },
});
