/** Exact modular arithmetic on small integers (p ≤ 257, so every product fits a double). */

export function mod(x: number, p: number): number {
  return ((x % p) + p) % p;
}

export function modPow(base: number, exp: number, p: number): number {
  let result = 1;
  let b = mod(base, p);
  let e = exp;
  while (e > 0) {
    if (e & 1) result = (result * b) % p;
    b = (b * b) % p;
    e >>= 1;
  }
  return result;
}

/** b⁻¹ mod p for prime p, by Fermat's little theorem. */
export function modInverse(b: number, p: number): number {
  if (mod(b, p) === 0) throw new Error(`0 has no inverse mod ${p}`);
  return modPow(b, p - 2, p);
}
