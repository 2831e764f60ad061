/**
 * bcryptjs, in a module of its own, imported dynamically (bcrypt.ts) so that only a process that checks or
 * hashes a password requires it. Deployed, no bundle holds it: the function requires it from its on-demand
 * layer (infra/on-demand-library-layer.ts), which a bare `import()` of the package would not find (an ES
 * module import ignores NODE_PATH).
 */
import bcryptjs from 'bcryptjs';

export default bcryptjs;
