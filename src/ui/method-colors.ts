/** One colour per method, the same in every view and every compare set (the method catalog's). */
import { METHODS, METHOD_IDS, type MethodId } from '../config/fields';

export const METHOD_COLORS = Object.fromEntries(METHOD_IDS.map((m) => [m, METHODS[m].color])) as Readonly<Record<MethodId, string>>;

export const methodColor = (method: MethodId): string => METHOD_COLORS[method];
