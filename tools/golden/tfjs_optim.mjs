// Runs TensorFlow.js optimizers (tfjs-core + the cpu backend) for the conformance fixtures.
//
// Driven by tfjs_optim.py: reads a JSON array of cases on stdin, each
// {name, optimizer, options, lrs, params: {w: {shape, data}, ...}, grads: [{w: [...], ...}, ...]},
// and writes to stdout {version, backend, results: [{name, steps: [{w: [...], b: [...]}, ...]}, ...]}
// holding the parameters after each step. Options are named after the positional parameters of
// tf.train.<optimizer>; a missing option is passed as undefined so tfjs's own default applies.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

const SIGNATURES = {
  sgd: ['learningRate'],
  momentum: ['learningRate', 'momentum', 'useNesterov'],
  rmsprop: ['learningRate', 'decay', 'momentum', 'epsilon', 'centered'],
  adam: ['learningRate', 'beta1', 'beta2', 'epsilon'],
  adagrad: ['learningRate', 'initialAccumulatorValue'],
  adadelta: ['learningRate', 'rho', 'epsilon'],
};

function makeOptimizer(name, options) {
  const signature = SIGNATURES[name];
  if (!signature) throw new Error(`unknown optimizer ${name}`);
  for (const key of Object.keys(options)) {
    if (!signature.includes(key)) throw new Error(`${name}: unknown option ${key}`);
  }
  return tf.train[name](...signature.map((key) => options[key]));
}

function setLearningRate(optimizer, lr) {
  // SGD and Momentum cache -lr in a scalar (setLearningRate); the others read the field each step.
  if (typeof optimizer.setLearningRate === 'function') optimizer.setLearningRate(lr);
  else optimizer.learningRate = lr;
}

function runCase(c) {
  const variables = {};
  for (const [key, p] of Object.entries(c.params)) {
    variables[key] = tf.variable(tf.tensor(p.data, p.shape, 'float32'), true, key);
  }
  const optimizer = makeOptimizer(c.optimizer, c.options);
  const steps = [];
  c.grads.forEach((g, i) => {
    if (c.lrs[String(i)] !== undefined) setLearningRate(optimizer, c.lrs[String(i)]);
    const grads = {};
    for (const key of Object.keys(variables)) grads[key] = tf.tensor(g[key], c.params[key].shape, 'float32');
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
    const after = {};
    for (const [key, v] of Object.entries(variables)) after[key] = Array.from(v.dataSync());
    steps.push(after);
  });
  optimizer.dispose();
  tf.disposeVariables();
  return { name: c.name, steps };
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const results = JSON.parse(input).map(runCase);
  process.stdout.write(JSON.stringify({ version: tf.version_core, backend: tf.getBackend(), results }));
}

await main();
