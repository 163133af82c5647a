/** How a slider maps onto values: its label, range and scale. */
export interface NumberControlSpec {
  readonly key: string;
  readonly label: string;
  readonly scale: 'log' | 'linear';
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
}

const POSITIONS = 1000;

/** The slider's value at a position: log sliders give 3 significant digits, linear ones 4 decimals. */
export function valueAt(spec: NumberControlSpec, position: number): number {
  const f = position / POSITIONS;
  const v = spec.scale === 'log' ? spec.min * (spec.max / spec.min) ** f : spec.min + (spec.max - spec.min) * f;
  if (spec.integer) return Math.round(v);
  return spec.scale === 'log' ? Number(v.toPrecision(3)) : Number(v.toFixed(4));
}

/** The slider position nearest a value (values outside the range sit at an end). */
export function positionOf(spec: NumberControlSpec, value: number): number {
  const f =
    spec.scale === 'log'
      ? Math.log(value / spec.min) / Math.log(spec.max / spec.min)
      : (value - spec.min) / (spec.max - spec.min);
  return Number.isFinite(f) ? Math.round(Math.min(Math.max(f, 0), 1) * POSITIONS) : 0;
}

/** A labelled slider with a number box beside it, for a value the user can drag or type. */
export class NumberControl {
  readonly element: HTMLLabelElement;
  private readonly slider: HTMLInputElement;
  private readonly box: HTMLInputElement;

  constructor(
    readonly spec: NumberControlSpec,
    value: number,
    onInput: (value: number) => void,
  ) {
    this.element = document.createElement('label');
    this.element.className = 'number-control';
    this.element.dataset.setting = spec.key;
    const name = document.createElement('span');
    name.textContent = spec.label;
    this.slider = Object.assign(document.createElement('input'), { type: 'range', min: '0', max: String(POSITIONS) });
    this.slider.setAttribute('aria-label', spec.label);
    // Typed values may leave the slider's range: the library, not the slider, says what is allowed.
    this.box = Object.assign(document.createElement('input'), { type: 'number', step: 'any' });
    this.box.setAttribute('aria-label', `${spec.label} value`);
    this.slider.addEventListener('input', () => {
      const v = valueAt(spec, Number(this.slider.value));
      this.box.value = String(v);
      onInput(v);
    });
    this.box.addEventListener('change', () => {
      const v = Number(this.box.value);
      if (this.box.value === '' || !Number.isFinite(v)) return this.set(Number(this.box.dataset.last));
      this.set(spec.integer ? Math.round(v) : v);
      onInput(Number(this.box.value));
    });
    this.element.append(name, this.slider, this.box);
    this.set(value);
  }

  /** Shows a value without reporting it. */
  set(value: number): void {
    this.slider.value = String(positionOf(this.spec, value));
    this.box.value = String(value);
    this.box.dataset.last = String(value);
  }
}
