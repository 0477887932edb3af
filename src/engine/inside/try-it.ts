/**
 * "Try it": the model's answer for one row of the table, through the model's own `forward`
 * (one row, one readback).
 */
import * as tf from '@tensorflow/tfjs';
import { SPLIT_NAMES, SPLIT_OUTER, SPLIT_TRAIN, tokenLabel, type TryItQuery, type TryItResult } from '../../core/inside';
import { TASKS } from '../../core/tasks';
import { forward } from '../model';
import type { InsideInput } from './snapshot';
import { rowIndex, splitTags, validateOperands } from './table';

/** Throws a RangeError for operands or a variant out of the task's range. */
/** `outerIsTraining`: every method but NeuralGrok trains on the outer rows too. */
export async function tryIt(input: InsideInput, query: TryItQuery, outerIsTraining = true): Promise<TryItResult> {
  const { dataset, split, modelConfig } = input;
  const variant = query.variant ?? 0;
  validateOperands(dataset, query.operands, variant);
  const row = rowIndex(dataset, query.operands, variant);
  const T = dataset.seqLen;
  const k = Math.min(3, dataset.vocabSize);
  const packed = tf.tidy(() => {
    const tokens = tf.tensor2d(dataset.inputs.slice(row * T, row * T + T), [1, T], 'int32');
    const probs = tf.softmax(forward(input.params, tokens, modelConfig));
    const { values, indices } = tf.topk(probs, k);
    return tf.concat([tf.reshape(values, [k]), tf.cast(tf.reshape(indices, [k]), 'float32')]);
  });
  const data = await packed.data();
  packed.dispose();
  const ops = TASKS[dataset.task].operatorTokens;
  const top = Array.from({ length: k }, (_, i) => {
    const token = data[k + i]!;
    return { token, label: tokenLabel(token, dataset.p, ops), prob: data[i]! };
  });
  const trueAnswer = dataset.targets[row]!;
  return {
    operands: [...query.operands],
    variant,
    answer: top[0]!.token,
    answerLabel: top[0]!.label,
    top,
    trueAnswer,
    correct: top[0]!.token === trueAnswer,
    split:
      SPLIT_NAMES[
        outerIsTraining && splitTags(split, dataset.size)[row] === SPLIT_OUTER ? SPLIT_TRAIN : splitTags(split, dataset.size)[row]!
      ]!,
  };
}
