/**
 * Selectors for the answer table's slice on tasks with more than two operands (poly5) or
 * several operators (mix): the two axes, the values of the other operands, the operator.
 * Two-operand single-operator tasks need none (the slice is the whole table).
 */
import { OPERAND_NAMES, type TableSliceSpec } from '../../core/inside';
import { operandRangesOf, TASKS, type TaskId } from '../../core/tasks';

export function operandBoundsOf(task: TaskId, p: number): [number, number][] {
  return operandRangesOf(task, p).map((r) => [r.lo, r.lo + r.size - 1]);
}

/** Whether the task's table has more than one 2-D slice. */
export function hasSlices(task: TaskId): boolean {
  return TASKS[task].operands.length > 2 || TASKS[task].variants.length > 1;
}

export function variantLabel(task: TaskId, variant: number): string {
  const spec = TASKS[task];
  return spec.variants[variant]!.map((t) => spec.operatorTokens[t]).join(' ');
}

/** The operator picker of a multitask table (mix), shared by the slice controls and Try it. */
export function OperatorSelect({
  task,
  value,
  onChange,
  testId,
}: {
  task: TaskId;
  value: number;
  onChange: (v: number) => void;
  testId: string;
}) {
  const spec = TASKS[task];
  if (spec.variants.length <= 1) return null;
  return (
    <label>
      operator{' '}
      <select value={value} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId}>
        {spec.variants.map((_, v) => (
          <option key={v} value={v}>
            {variantLabel(task, v)}
          </option>
        ))}
      </select>
    </label>
  );
}

interface Props {
  task: TaskId;
  p: number;
  slice: TableSliceSpec;
  onChange: (slice: TableSliceSpec) => void;
}

export function SliceControls({ task, p, slice, onChange }: Props) {
  const spec = TASKS[task];
  const bounds = operandBoundsOf(task, p);
  const names = OPERAND_NAMES.slice(0, spec.operands.length);
  const set = (patch: Partial<TableSliceSpec>) => onChange({ ...slice, ...patch });
  return (
    <div className="inside-slice" data-testid="slice-controls">
      {names.length > 2 && (
        <>
          <label>
            rows{' '}
            <select value={slice.rowOperand} onChange={(e) => set({ rowOperand: Number(e.target.value) })} data-testid="slice-rows">
              {names.map((n, i) => (
                <option key={n} value={i} disabled={i === slice.colOperand}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label>
            columns{' '}
            <select value={slice.colOperand} onChange={(e) => set({ colOperand: Number(e.target.value) })} data-testid="slice-cols">
              {names.map((n, i) => (
                <option key={n} value={i} disabled={i === slice.rowOperand}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          {names.map((n, i) =>
            i === slice.rowOperand || i === slice.colOperand ? null : (
              <label key={n}>
                {n} ={' '}
                <input
                  type="number"
                  min={bounds[i]![0]}
                  max={bounds[i]![1]}
                  value={slice.fixed[i] ?? bounds[i]![0]}
                  data-testid={`slice-fixed-${n}`}
                  onChange={(e) => {
                    const v = Math.round(Number(e.target.value));
                    if (v < bounds[i]![0] || v > bounds[i]![1]) return;
                    const fixed = slice.fixed.slice();
                    fixed[i] = v;
                    set({ fixed });
                  }}
                />
              </label>
            ),
          )}
        </>
      )}
      <OperatorSelect task={task} value={slice.variant} onChange={(variant) => set({ variant })} testId="slice-variant" />
    </div>
  );
}
