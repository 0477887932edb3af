/**
 * A race's arms: a method id with optional CLI flags (`grokfast_ma+weight-decay=0.01`,
 * `neuralgrok+ng-hidden=32,32`), and how an arm becomes the CLI's arguments.
 */
import { METHOD_IDS } from '../config/fields';

/** `a,b+x=1,2,c` → ['a', 'b+x=1,2', 'c']: a comma inside an arm's flag value stays with it. */
export function splitArms(text: string): string[] {
  if (text === 'all') return [...METHOD_IDS];
  const out: string[] = [];
  for (const part of text.split(',')) {
    if ((METHOD_IDS as readonly string[]).includes(part.split('+')[0]!) || out.length === 0) out.push(part);
    else out[out.length - 1] += `,${part}`;
  }
  return out;
}

/**
 * `method+flag=value+flag` → CLI arguments. `{seed}` in a flag becomes the run's seed, so one
 * arm names a per-seed file (the amplifier each seed's source run trained, for the transfer claim).
 */
export function armArgs(arm: string, seed?: number): string[] {
  const [method, ...flags] = (seed === undefined ? arm : arm.replaceAll('{seed}', String(seed))).split('+');
  return [
    '--method',
    method!,
    ...flags.flatMap((f) => (f.includes('=') ? [`--${f.slice(0, f.indexOf('='))}`, f.slice(f.indexOf('=') + 1)] : [`--${f}`])),
  ];
}
