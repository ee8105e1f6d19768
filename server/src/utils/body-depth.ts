import { errors } from '@strapi/utils';

/**
 * The deepest body any route needs is a few levels (`choices.<purpose>.<channel>`, a form's `fields`); 32
 * leaves room for site fields and still stops a body of thousands of nested brackets, which would
 * otherwise reach recursive code (validators printing the value) and overflow the stack.
 */
export const MAX_BODY_DEPTH = 32;

/** Whether objects and arrays nest deeper than `max`, measured without recursion. */
export const nestsDeeperThan = (value: unknown, max: number): boolean => {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
};

/** A 400 for a body nested deeper than MAX_BODY_DEPTH; the message never repeats the body. */
export const rejectDeepBody = (body: unknown): void => {
  if (!nestsDeeperThan(body, MAX_BODY_DEPTH)) return;
  const message = `The body is too deeply nested (more than ${MAX_BODY_DEPTH} levels)`;
  throw new errors.ValidationError(message, { errors: [{ path: ['body'], message }] });
};
