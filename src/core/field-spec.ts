/**
 * The shape of a run-config field: the contract the field table (src/config/fields.ts) and the
 * method catalog (src/core/methods.ts, which owns each method's own fields) are written in.
 */

export interface FieldBase {
  /** Short key for share URLs. */
  short: string;
  /** What the UI calls it (ids stay in URLs and the CLI). */
  label: string;
  /** The method this field belongs to (a method id of the catalog); the UI shows it only for that method. */
  method?: string;
  /** Group, for help listings and UI sections. */
  group: 'data' | 'model' | 'training' | 'method' | 'runtime';
  help: string;
  /** Live-editable: takes effect at the next step without resetting weights or optimizer state. */
  live?: boolean;
}
export interface NumberField extends FieldBase {
  kind: 'number';
  default: number;
  min: number;
  max: number;
  integer?: boolean;
}
export interface EnumField extends FieldBase {
  kind: 'enum';
  default: string;
  choices: readonly string[];
  /** Readable names of the choices, where the ids are not. */
  choiceLabels?: Readonly<Record<string, string>>;
}
export interface BooleanField extends FieldBase {
  kind: 'boolean';
  default: boolean;
}
export interface IntListField extends FieldBase {
  kind: 'intList';
  default: readonly number[];
  /** Range of each entry and of the list length. */
  min: number;
  max: number;
  maxLength: number;
}
export type FieldSpec = NumberField | EnumField | BooleanField | IntListField;
