/** Builds the app once before the browser tests, so they test what `npm start` serves. */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('node_modules/.bin/vite', ['build', '--logLevel', 'warn'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  }); // vitest sets NODE_ENV=test, which would build React's development bundle
}
