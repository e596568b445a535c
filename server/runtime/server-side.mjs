// `node --import ./server/runtime/server-side.mjs` (see the scripts in package.json): lets a
// plain Node process (the production entry, the lean vehicle API, the CLI scripts) load the
// modules marked `import 'server-only'`. That package throws unless it is resolved under the
// `react-server` condition, which Next's server bundles use and a client bundle never does; a
// Node process outside Next is server side by definition, so here it resolves the same way.
// Only `server-only` is resolved differently: React and everything else keep Node's conditions.
import { register } from 'node:module';

const hooks = `
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== 'server-only') return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'react-server'] });
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
