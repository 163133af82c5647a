import { describe, expect, it } from 'vitest';
import { configure, kindById } from './optimizer-kinds.js';
import { defaultSurfaceLineup } from './presets.js';
import { surfaceById } from './surfaces/surfaces.js';
import { defaultState, formatState, parseState, type PlaygroundState } from './url-state.js';

const state: PlaygroundState = {
  surface: surfaceById('beale')!,
  start: [-1.25, 3.5],
  steps: 400,
  noise: 0.5,
  seed: 7,
  optimizers: [
    configure(kindById('rmsprop')!, { lr: 0.005, momentum: 0.9, centered: true, eps: 1e-10 }),
    configure(kindById('adam')!, { lr: 0.05, amsgrad: true }),
    configure(kindById('sgd')!),
  ],
};

describe('URL state', () => {
  it('round-trips every field', () => {
    const text = formatState(state);
    expect(parseState(text)).toEqual(state);
    expect(formatState(parseState(text))).toBe(text);
  });

  it('is short and readable: only what differs from the defaults', () => {
    expect(formatState(state)).toBe(
      'surface=beale&start=-1.25,3.5&steps=400&noise=0.5&seed=7' +
        '&opt=rmsprop:lr=0.005,eps=1e-10,momentum=0.9,centered=1&opt=adam:lr=0.05,amsgrad=1&opt=sgd',
    );
    expect(formatState(defaultState())).toMatch(/^surface=rosenbrock&opt=sgd:lr=0.001,momentum=0.9&opt=/);
  });

  it('reads a query as the browser gives it, percent-encoded', () => {
    const encoded = new URLSearchParams(formatState(state)).toString();
    expect(encoded).toContain('%3A');
    expect(parseState(encoded)).toEqual(state);
  });

  it('gives the defaults for an empty query, and the surface’s own start for a new surface', () => {
    expect(parseState('')).toEqual(defaultState());
    const himmelblau = parseState('surface=himmelblau');
    expect(himmelblau.start).toEqual(surfaceById('himmelblau')!.start);
    expect(himmelblau.optimizers).toEqual(defaultSurfaceLineup);
  });

  it('ignores what it does not understand and keeps the rest', () => {
    const s = parseState(
      'surface=nope&start=1,x&steps=99999&noise=-1&seed=1.5&opt=lbfgs&opt=rmsprop:lr=abc,decay=0.5,centered=yes,beta1=0.1',
    );
    expect(s.surface.id).toBe('rosenbrock');
    expect(s.start).toEqual(surfaceById('rosenbrock')!.start);
    expect(s.steps).toBe(5000);
    expect(s.noise).toBe(0);
    expect(s.seed).toBe(0);
    expect(s.optimizers).toEqual([configure(kindById('rmsprop')!, { decay: 0.5 })]);
  });

  it('keeps large and tiny numbers exact, with no plus sign', () => {
    const s = { ...state, optimizers: [configure(kindById('rmsprop')!, { lr: 1e21, eps: 3e-9 })] };
    const text = formatState(s);
    expect(text).not.toContain('+');
    expect(parseState(text).optimizers[0]!.options).toMatchObject({ lr: 1e21, eps: 3e-9 });
  });
});
