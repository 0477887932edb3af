/** Builds the app once before the browser tests, so they test what `npm start` serves. */
import { buildApp } from '../../tools/browser';

export default function setup(): void {
  buildApp();
}
