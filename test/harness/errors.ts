/**
 * The message a promise rejects with, or a failure if it resolves.
 * Use this instead of `expect(p).rejects.toThrow()` for database errors: better-sqlite3's native binding
 * keeps the error class of the first Jest test file that loaded it, so in later files its errors come
 * from another realm, are not `instanceof Error` there, and Jest's matcher reports "did not throw".
 */
export const rejectionOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    return String((error as { message?: unknown })?.message ?? error);
  }
  throw new Error('expected the operation to be refused, but it succeeded');
};
