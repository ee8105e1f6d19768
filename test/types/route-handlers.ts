/**
 * Type-level test, run by `npm run typecheck` (test/tsconfig.json includes this folder; jest does not, it
 * has no `.test.ts` name): a route's handler string must name a controller and one of its methods. Each
 * `@ts-expect-error` fails the type check if the line below it ever compiles.
 */
import type { Handler, PluginRouter } from '../../server/src/routes/handler';

export const known: Handler[] = ['ledger.replay', 'public-forms.findOne', 'well-known.gpc', 'opt-out.unsubscribe'];

// @ts-expect-error a typo in the method
export const typoInMethod: Handler = 'ledger.replya';

// @ts-expect-error a controller that does not exist
export const unknownController: Handler = 'ledgers.replay';

// @ts-expect-error a method of another controller
export const wrongController: Handler = 'ledger.findOne';

// @ts-expect-error no method at all
export const bareController: Handler = 'ledger';

export const router = {
  type: 'content-api',
  routes: [
    // @ts-expect-error a router file's route is checked the same way
    { method: 'GET', path: '/x', handler: 'jwks.findAll' },
  ],
} satisfies PluginRouter;
