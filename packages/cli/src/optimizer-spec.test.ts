import { describe, expect, it } from 'vitest';
import { optimizerChoice, optimizerChoices, slugOf } from './optimizer-spec.js';

describe('optimizer specs', () => {
  it("read values as numbers, booleans, Python's words, lists and words, and resolve them in our names", () => {
    const c = optimizerChoice('--optimizer', 'rmsprop:lr=1e-3,centered=true,momentum=0.9,nonFinite=skip');
    expect(c).toMatchObject({ label: 'rmsprop:lr=1e-3,centered=true,momentum=0.9,nonFinite=skip', name: 'rmsprop' });
    expect(c.options).toMatchObject({ lr: 1e-3, centered: true, momentum: 0.9, nonFinite: 'skip', decay: 0.9 });
    const torch = optimizerChoice('--optimizer', 'adam:betas=(0.8,0.99),amsgrad=True', { flavor: 'pytorch' });
    expect(torch.options).toMatchObject({ beta1: 0.8, beta2: 0.99, amsgrad: true });
    const keras = optimizerChoice('--optimizer', 'rmsprop:flavor=keras,rho=0.95');
    expect(keras).toMatchObject({ flavor: 'keras', options: { decay: 0.95, eps: 1e-7 } });
  });

  it("take a framework's own optimizer names under its flavor", () => {
    const c = optimizerChoice('--optimizer', 'momentum:learning_rate=0.1,momentum=0.9', { flavor: 'tf1' });
    expect(c.options).toMatchObject({ lr: 0.1, momentum: 0.9 });
    expect(c.create({ w: new Float32Array(2) }).constructor.name).toBe('SGD');
  });

  it('add the command defaults under the options written', () => {
    const c = optimizerChoice('--optimizer', 'sgd:lr=0.1', { defaults: { globalClipNorm: 1 } });
    expect(c.options).toMatchObject({ lr: 0.1, globalClipNorm: 1 });
  });

  it("tell whether the spec sets the learning rate, in our name or the flavor's", () => {
    expect(optimizerChoice('--optimizer', 'rmsprop:decay=0.95').setsLr).toBe(false);
    expect(optimizerChoice('--optimizer', 'rmsprop:lr=0.01').setsLr).toBe(true);
    expect(optimizerChoice('--optimizer', 'rmsprop:learning_rate=0.01', { flavor: 'keras' }).setsLr).toBe(true);
    expect(optimizerChoice('--optimizer', 'sgd:learningRate=0.1', { flavor: 'tfjs' }).setsLr).toBe(true);
  });

  it("separate optimizers by ';', or bare names by ','", () => {
    const labels = (text: string) => optimizerChoices('--optimizers', text).map((c) => c.label);
    expect(labels('rmsprop,adam,sgd')).toEqual(['rmsprop', 'adam', 'sgd']);
    expect(labels('rmsprop:lr=1e-3,decay=0.9;adam:lr=1e-3;sgd:lr=0.1,momentum=0.9')).toEqual([
      'rmsprop:lr=1e-3,decay=0.9',
      'adam:lr=1e-3',
      'sgd:lr=0.1,momentum=0.9',
    ]);
    expect(() => labels('adam;adam')).toThrow("--optimizers: 'adam' is given twice");
  });

  it('name run folders after the label', () => {
    expect(slugOf('sgd:lr=0.1,momentum=0.9')).toBe('sgd-lr-0.1-momentum-0.9');
    expect(slugOf('adam:betas=[0.8,0.99]')).toBe('adam-betas-0.8-0.99');
  });
});
