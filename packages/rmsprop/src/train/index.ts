export { parametersOf } from './parameters.js';
