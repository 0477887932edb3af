/**
 * Try it: choose the operands (and mix's operator), ask the model through a callback (the
 * worker runs the forward pass), show its answer, top-3 probabilities, the truth and the split.
 */
import { useState } from 'react';
import { OPERAND_NAMES, type TryItQuery, type TryItResult } from '../../core/inside';
import type { TaskId } from '../../core/tasks';
import { OperatorSelect, operandBoundsOf } from './SliceControls';

interface Props {
  task: TaskId;
  p: number;
  onTry: (query: TryItQuery) => Promise<TryItResult>;
  /** Operands to show (e.g. a cell picked in the answer table); changes replace the inputs. */
  initial?: TryItQuery;
}

export function TryIt({ task, p, onTry, initial }: Props) {
  const bounds = operandBoundsOf(task, p);
  const [operands, setOperands] = useState<number[]>(() => initial?.operands ?? bounds.map(([lo]) => lo));
  const [variant, setVariant] = useState(initial?.variant ?? 0);
  const [result, setResult] = useState<TryItResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A new `initial` (a cell picked in the table) replaces the inputs, adjusted during render.
  const [shown, setShown] = useState(initial);
  if (initial !== shown) {
    setShown(initial);
    if (initial) {
      setOperands(initial.operands);
      setVariant(initial.variant ?? 0);
    }
  }
  const valid =
    operands.length === bounds.length && operands.every((v, i) => Number.isInteger(v) && v >= bounds[i]![0] && v <= bounds[i]![1]);
  const ask = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await onTry({ operands, variant }));
    } catch (e) {
      setResult(null);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="try-it" className="inside-try">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && !busy) void ask();
        }}
      >
        {bounds.map(([lo, hi], i) => (
          <label key={i}>
            {OPERAND_NAMES[i]}{' '}
            <input
              type="number"
              min={lo}
              max={hi}
              value={Number.isNaN(operands[i]) ? '' : operands[i]}
              data-testid={`try-${OPERAND_NAMES[i]}`}
              onChange={(e) => {
                const next = operands.slice();
                next[i] = e.target.value === '' ? NaN : Number(e.target.value);
                setOperands(next);
              }}
            />
          </label>
        ))}
        <OperatorSelect task={task} value={variant} onChange={setVariant} testId="try-variant" />
        <button type="submit" disabled={!valid || busy} data-testid="try-ask">
          Ask the model
        </button>
      </form>
      {!valid && (
        <p className="note field-error">
          Each operand must be a whole number in its range ({bounds.map(([lo, hi], i) => `${OPERAND_NAMES[i]}: ${lo}…${hi}`).join(', ')}).
        </p>
      )}
      {error && <p className="note field-error">{error}</p>}
      {result && (
        <div
          className="inside-try-result"
          data-testid="try-result"
          data-answer={result.answer}
          data-correct={result.correct ? 'yes' : 'no'}
        >
          <p>
            The model answers <b data-testid="try-answer">{result.answerLabel}</b>; the true answer is{' '}
            <b data-testid="try-truth">{result.trueAnswer}</b>{' '}
            <span className={result.correct ? 'inside-right' : 'inside-wrong'}>{result.correct ? '✓ right' : '✗ wrong'}</span>. This is a{' '}
            <b data-testid="try-split">
              {result.split === 'val' ? 'validation' : result.split === 'outer' ? 'outer (NeuralGrok’s meta split)' : 'training'}
            </b>{' '}
            row
            {result.split === 'val' ? ': the model never trained on it.' : '.'}
          </p>
          <ol className="inside-top3">
            {result.top.map((t) => (
              <li key={t.token}>
                {t.label}: {(100 * t.prob).toFixed(1)}%
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
