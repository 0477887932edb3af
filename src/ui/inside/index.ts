/** "Inside the model" views (issue 9): presentational components over an InsideSnapshot. */
export { AnswerTable, answerTablePaths, sliceAccuracy, type AnswerColouring } from './AnswerTable';
export { AttentionMap } from './AttentionMap';
export { EmbeddingClock } from './EmbeddingClock';
export { FourierSpectrum } from './FourierSpectrum';
export { INSIDE_HELP, fourierNote } from './help';
export { InsideView, type InsideHistory, type InsideViewProps } from './InsideView';
export { PHASE_COLOURS, PhaseLabel } from './PhaseLabel';
export { SliceControls, hasSlices, operandBoundsOf } from './SliceControls';
export { TryIt } from './TryIt';
