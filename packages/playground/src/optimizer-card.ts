import { NumberControl } from './number-control.js';
import { describe, type OptimizerConfig } from './optimizer-kinds.js';

export interface OptimizerCardHandlers {
  /** A hyper-parameter moved: the whole new configuration. */
  change(config: OptimizerConfig): void;
  remove(): void;
}

/** One optimizer's panel: its colour and name, a control for every hyper-parameter, and a status line. */
export class OptimizerCard {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly status: HTMLElement;

  constructor(
    private config: OptimizerConfig,
    colour: string,
    handlers: OptimizerCardHandlers,
  ) {
    this.element = document.createElement('article');
    this.element.className = 'optimizer-card';
    this.element.style.setProperty('--colour', colour);
    this.element.dataset.kind = config.kind.id;

    const header = document.createElement('header');
    this.title = document.createElement('h3');
    const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: '×' });
    remove.className = 'remove';
    remove.title = 'Remove this optimizer';
    remove.addEventListener('click', () => handlers.remove());
    header.append(this.title, remove);

    const controls = document.createElement('div');
    controls.className = 'settings';
    // Switches share a row under the sliders.
    const switches = document.createElement('div');
    switches.className = 'switches';
    const set = (key: string, value: number | boolean): void => {
      this.config = { ...this.config, options: { ...this.config.options, [key]: value } };
      this.title.textContent = describe(this.config);
      handlers.change(this.config);
    };
    for (const s of config.kind.settings) {
      const value = config.options[s.key]!;
      if (s.type === 'number') {
        controls.append(new NumberControl(s, value as number, (v) => set(s.key, v)).element);
      } else {
        const label = document.createElement('label');
        label.className = 'switch';
        label.dataset.setting = s.key;
        const box = Object.assign(document.createElement('input'), { type: 'checkbox', checked: value as boolean });
        box.addEventListener('change', () => set(s.key, box.checked));
        label.append(box, ` ${s.label}`);
        switches.append(label);
      }
    }
    this.status = document.createElement('p');
    this.status.className = 'status';
    this.title.textContent = describe(config);
    if (switches.childElementCount > 0) controls.append(switches);
    this.element.append(header, controls, this.status);
  }

  /** The line under the controls (where the path ended, the latest loss, or the library's refusal). */
  setStatus(text: string, failed = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('failed', failed);
  }
}
