// `require('@rmsprop/tfjs')` lands here: the package is ES modules only.
throw new Error(
  "@rmsprop/tfjs is an ES module and cannot be loaded with require(). Use `import { RMSprop } from '@rmsprop/tfjs'`, " +
    "or from CommonJS `const { RMSprop } = await import('@rmsprop/tfjs')`.",
);
