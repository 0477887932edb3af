/** "Inside the model" (issue 9): what the worker computes at evaluation steps. See docs/inside.md. */
export { computeInsideSnapshot, operandBounds, positionLabels, type InsideInput, type InsideOptions } from './snapshot';
export { tryIt } from './try-it';
export { forwardWithAttention } from './attention';
export { embeddingClock, embeddingSpectrum, fourierCoefficients, keyFrequencies } from './fourier';
export { progressLosses } from './progress';
export { defaultSlice, rowIndex, sliceGeometry, splitTags } from './table';
