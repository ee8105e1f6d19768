import capture from './capture';
import publicRoute from './public-route';

/** Route middlewares: `plugin::consent.capture` (the form hook, spec 5) and the public routes' guard. */
export default { capture, 'public-route': publicRoute };
