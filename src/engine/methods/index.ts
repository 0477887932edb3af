/** Builds the gradient method named by a config. */
import type { RunConfig } from '../../config/schema';
import { createGradNormMethod } from './gradnorm';
import { createGrokFastEmaMethod } from './grokfast-ema';
import { createGrokFastMaMethod } from './grokfast-ma';
import { NeuralGrokMethod, type NeuralGrokEnvironment } from './neuralgrok';
import { createIdentityMethod } from './standard';
import type { GradientMethod } from './types';

export type { GradientMethod, MethodContext, MethodResult } from './types';

export function createMethod(config: RunConfig, env: NeuralGrokEnvironment): GradientMethod {
  switch (config.method) {
    case 'standard':
    case 'adamw':
      return createIdentityMethod(config.method);
    case 'grokfast_ema':
      return createGrokFastEmaMethod();
    case 'grokfast_ma':
      return createGrokFastMaMethod(config.maWindow);
    case 'gradnorm':
      return createGradNormMethod();
    case 'neuralgrok':
      return new NeuralGrokMethod(config.ngHidden, config.seed, env);
  }
}
