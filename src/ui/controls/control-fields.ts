/**
 * Which fields the control panel shows: by group, the fields every run has and the chosen
 * method's own (from the method catalog), less what a classroom link hid. Pure, so a test can
 * ask it about a method added through the catalog alone.
 */
import { METHODS, fieldTable, type FieldKey, type FieldSpec, type MethodCatalog } from '../../config/fields';

/** The panel's sections, in order; the backend is chosen in the toolbar. */
export const GROUPS: FieldSpec['group'][] = ['data', 'model', 'training', 'method'];

/** Whether a classroom link (`hide=`) hid this field: by key, short key or group. */
export function isFieldHidden(hidden: readonly string[], k: string, catalog: MethodCatalog = METHODS): boolean {
  const spec = fieldTable(catalog)[k];
  return hidden.includes(k) || (spec !== undefined && (hidden.includes(spec.short) || hidden.includes(spec.group)));
}

/** The fields of one section for a method, in table order. */
export function controlFields(
  group: FieldSpec['group'],
  method: string,
  hidden: readonly string[] = [],
  catalog: MethodCatalog = METHODS,
): (FieldKey | string)[] {
  return Object.entries(fieldTable(catalog))
    .filter(
      ([k, spec]) => spec.group === group && (spec.method ?? method) === method && k !== 'backend' && !isFieldHidden(hidden, k, catalog),
    )
    .map(([k]) => k);
}
