/**
 * The engine side of the method catalog (src/core/methods.ts): one factory per method id. A
 * `Record` over the catalog's ids, so a catalog entry without its factory is a type error.
 */
import type { MethodId } from '../../config/fields';
import type { RunConfig } from '../../config/schema';
import { createGradNormMethod } from './gradnorm';
import { createGrokFastEmaMethod } from './grokfast-ema';
import { createGrokFastMaMethod } from './grokfast-ma';
import { NeuralGrokMethod, type NeuralGrokEnvironment } from './neuralgrok';
import { createOrthoGradMethod } from './orthograd';
import { createIdentityMethod } from './standard';
import type { GradientMethod } from './types';

export type { GradientMethod, MethodContext, MethodResult } from './types';

export type MethodFactory = (config: RunConfig, env: NeuralGrokEnvironment) => GradientMethod;

export const METHOD_FACTORIES: Readonly<Record<MethodId, MethodFactory>> = {
  standard: () => createIdentityMethod('standard'),
  adamw: () => createIdentityMethod('adamw'),
  grokfast_ema: () => createGrokFastEmaMethod(),
  grokfast_ma: (config) => createGrokFastMaMethod(config.maWindow),
  gradnorm: () => createGradNormMethod(),
  neuralgrok: (config, env) => new NeuralGrokMethod(config.ngHidden, config.seed, env),
  orthograd: () => createOrthoGradMethod(),
};

export function createMethod(config: RunConfig, env: NeuralGrokEnvironment): GradientMethod {
  return METHOD_FACTORIES[config.method](config, env);
}
