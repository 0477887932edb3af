/**
 * The one way a library function may touch the process environment: for the length of a call,
 * and put back as it was afterwards (thrown or not). Some native libraries read only the
 * environment (the Vulkan loader reads VK_ICD_FILENAMES when an instance is created); only a
 * program's entry point (src/cli/main.ts, a benchmark) changes it for good.
 */
export async function withEnvironment<T>(vars: Readonly<Record<string, string>>, fn: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
