// `require('rmsprop/…')` lands here: the package is ES modules only.
throw new Error(
  "rmsprop is an ES module and cannot be loaded with require(). Use `import { RMSprop } from 'rmsprop/optim'`, " +
    "or from CommonJS `const { RMSprop } = await import('rmsprop/optim')`.",
);
